// Refusals: requests beyond the 4 GiB heap are refused up front, before anything large is built (the
// tests check that they are refused; how fast lives here). Target: ImplicitALS.fit of 1.1M users ×
// 4096 factors refused within 5 s, fromCOO of 2^31 entries within 100 ms.
export const name = 'limits';
export const title = 'Up-front refusals';

export function cases({ lib }) {
  const hugeSparse = (rows, cols) =>
    lib.SparseMatrix.trusted(new Int32Array(rows + 1), new Int32Array(0), new Float32Array(0), [rows, cols]);
  return [
    {
      id: 'limits/implicit-fit-refused',
      label: 'ImplicitALS.fit 1.1M users × 4096 factors → OutOfMemoryError',
      dataset: '1,100,000 × 2, empty',
      backends: ['wasm'],
      targetMs: 5000,
      setup() {
        const m = hugeSparse(1_100_000, 2);
        return {
          run: async () => {
            const e = await new lib.ImplicitALS({ factors: 4096, iterations: 1, seed: 1 }).fit(m).catch((err) => err);
            if (!(e instanceof lib.OutOfMemoryError)) throw new Error(`expected OutOfMemoryError, got ${e}`);
          },
        };
      },
    },
    {
      id: 'limits/fromcoo-refused',
      label: 'SparseMatrix.fromCOO of 2^31 entries → ValidationError',
      dataset: 'lengths only',
      backends: ['wasm'],
      per: 100,
      targetMs: 100,
      setup() {
        const big = { length: 2 ** 31 };
        return {
          run: () => {
            for (let i = 0; i < 100; i++) {
              try {
                lib.SparseMatrix.fromCOO({ rows: big, cols: big });
              } catch {
                continue;
              }
              throw new Error('fromCOO accepted 2^31 entries');
            }
          },
        };
      },
    },
  ];
}
