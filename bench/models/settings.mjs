// What BPR and LogisticMF are compared with implicit at, shared by bench/models/sgd.mjs and the `sgd`
// workload of bench/run.mjs.

/** implicit's constructor defaults (`params` left empty), and the lowrank options that do the same work. */
export const IMPLICIT_SETTINGS = {
  bpr: {
    params: {},
    ours: { factors: 100, learningRate: 0.01, regularization: 0.01, iterations: 100, negativeSampling: 'popularity' },
  },
  lmf: { params: {}, ours: { factors: 30, learningRate: 1, regularization: 0.6, iterations: 30, negProp: 30 } },
};

/**
 * Negatives implicit's lmf_update draws per epoch: min(cap, 30·n) per non-empty row, users and items (it
 * caps the draws at factors + 2 per row, whatever its neg_prop). The same draws in lowrank: negProp = this
 * ÷ (2·nnz).
 */
export function implicitDraws(m, cap) {
  let total = 0;
  const cols = new Int32Array(m.cols);
  for (let u = 0; u < m.rows; u++) {
    const n = m.indptr[u + 1] - m.indptr[u];
    if (n > 0) total += Math.min(cap, 30 * n);
  }
  for (const i of m.indices) cols[i]++;
  for (const n of cols) if (n > 0) total += Math.min(cap, 30 * n);
  return total;
}
