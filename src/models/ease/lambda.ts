/**
 * EASE's default regularization. λ is on the scale of XᵀX's diagonal d (each item's squared norm: its
 * popularity for binary data), and scales with it as B's objective does (X → a·X needs λ → a²·λ; twice
 * the users, twice λ). The default is 1.5 times d's interaction-weighted mean, Σd²/Σd — the popularity
 * of the item behind a typical interaction — which, unlike the plain mean, a long tail of rare items
 * does not drag down (Last.fm-2k: plain mean 4.2, weighted 69). Held-out precision@10 with it is within
 * 1.5 % of the best λ of a grid on ML-100k (ratings and binary), Last.fm-2k, the Gowalla lists, and
 * within 2.5 % on generated ML-like sets of 2k–20k users (bench/models/item-quality.mjs; figures in the
 * closing note of #28).
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';

/** The multiple of diag(XᵀX)'s weighted mean that the default λ is. */
export const EASE_LAMBDA_SCALE = 1.5;

/** Σd²/Σd for d = diag(XᵀX) over the columns `items` (all when undefined). */
export function weightedMeanDiag(X: SparseMatrix, items?: Int32Array): number {
  const { indices, data } = X.arrays();
  const d = new Float64Array(X.cols);
  for (let p = 0; p < data.length; p++) d[indices[p]] += data[p] * data[p];
  let s = 0;
  let s2 = 0;
  for (const c of items ?? d.keys()) {
    s += d[c];
    s2 += d[c] * d[c];
  }
  return s > 0 ? s2 / s : 0;
}

/** The default λ for X, over the columns `items` when given (those EASE is fitted on); 1 for an empty X. */
export function easeDefaultLambda(X: SparseMatrix, items?: Int32Array): number {
  const w = weightedMeanDiag(X, items);
  return w > 0 ? EASE_LAMBDA_SCALE * w : 1;
}
