/**
 * EASE's default regularization. Steck's λ (500 for ML-20M, 1000 for Netflix, 200 for MSD) is on the
 * scale of XᵀX's diagonal — each item's squared norm, its popularity for binary data — so the default is
 * a multiple of its mean: λ = 6 · ‖X‖²_F / items. It scales with the data as B's objective does (X → a·X
 * needs λ → a²·λ; twice the users, twice λ), and held-out precision@10 on ML-100k (ratings and binary),
 * Last.fm-2k, the Gowalla lists and generated ML-like sets of 2k–20k users peaks between 2 and 8 times the
 * mean, 6 being within 2 % of each set's best (bench/models/item-quality.mjs; the figures are in the
 * closing note of #28).
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';

/** The multiple of mean diag(XᵀX) the default λ takes. */
export const EASE_LAMBDA_SCALE = 6;

/** The default λ for X, over the columns `items` when given (those EASE is fitted on). */
export function easeDefaultLambda(X: SparseMatrix, items?: Int32Array): number {
  const { indices, data } = X.arrays();
  const n = items ? items.length : X.cols;
  let keep: Uint8Array | undefined;
  if (items) {
    keep = new Uint8Array(X.cols);
    for (const c of items) keep[c] = 1;
  }
  let s = 0;
  for (let p = 0; p < data.length; p++) if (!keep || keep[indices[p]]) s += data[p] * data[p];
  return n > 0 && s > 0 ? (EASE_LAMBDA_SCALE * s) / n : 1;
}
