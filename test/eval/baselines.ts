// Baselines for quality tests: the most-popular recommender and the global-mean rating predictor.
import type { SparseMatrix } from '../../src/data/csr.js';
import type { RankingModel } from '../../src/eval/index.js';

/** Most-popular baseline: the same list for everyone minus their train items. */
export function popularity(train: SparseMatrix): RankingModel {
  const count = new Float64Array(train.cols);
  for (const i of train.indices) count[i]++;
  const order = Int32Array.from(count.keys()).sort((a, b) => count[b] - count[a] || a - b);
  return {
    itemCount: train.cols,
    recommendBatch(users, { n, interactions }) {
      const items = new Int32Array(users.length * n).fill(-1);
      users.forEach((u, j) => {
        const liked = new Set(interactions.row(u).indices);
        for (let q = 0, w = 0; q < order.length && w < n; q++) if (!liked.has(order[q])) items[j * n + w++] = order[q];
      });
      return { items, scores: new Float32Array(items.length) };
    },
  };
}

/** The mean of the training values: the global-mean rating baseline. */
export function globalMean(train: SparseMatrix): number {
  let mu = 0;
  for (const x of train.data) mu += x;
  return mu / train.nnz;
}
