// Splits: trainTestSplit, leaveKOut and temporalSplit (global and per user) of 200k entries (4,000 users
// × 50). Pure JS (no kernels), so the backends only repeat it. Target: each under 1 s on the 2-core
// machine (typical figures are far below); the run prints a warning when a median misses it.
export const name = 'splits';
export const title = 'Train/test splits (200k entries)';

export function cases({ lib }) {
  const rows = 4_000;
  const cols = 5_000;
  const per = 50;
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(rows * per);
  for (let u = 0; u < rows; u++) {
    indptr[u + 1] = (u + 1) * per;
    for (let j = 0; j < per; j++) indices[u * per + j] = j * 100 + (u % 100);
  }
  const m = lib.SparseMatrix.trusted(indptr, indices, new Float32Array(rows * per).fill(1), [rows, cols]);
  const users = new Int32Array(m.nnz);
  for (let u = 0; u < rows; u++) users.fill(u, u * per, (u + 1) * per);
  const ts = Float64Array.from(indices, (_, p) => (p * 7919) % 1000003);
  const split = (id, label, f) => ({
    id: `splits/${id}`,
    label,
    dataset: `${rows}×${cols}, ${m.nnz} entries`,
    backends: ['wasm'],
    targetMs: 1000,
    setup() {
      let r;
      return {
        run: () => {
          r = f();
        },
        check: () => ({ test: r.test.nnz }),
      };
    },
  });
  return [
    split('train-test', 'trainTestSplit (testFraction 0.2)', () => lib.trainTestSplit(m, { seed: 1 })),
    split('leave-k-out', 'leaveKOut (k = 5)', () => lib.leaveKOut(m, { k: 5, seed: 1 })),
    split('temporal', 'temporalSplit (global)', () =>
      lib.temporalSplit({ users, items: indices, timestamps: ts }, { testFraction: 0.2 }),
    ),
    split('temporal-per-user', 'temporalSplit (per user)', () =>
      lib.temporalSplit({ users, items: indices, timestamps: ts }, { testFraction: 0.2, perUser: true }),
    ),
  ];
}
