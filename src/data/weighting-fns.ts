/**
 * The weighting methods of SparseMatrix as functions, named like implicit's (`bm25_weight`, …).
 * @module
 */
import type { SparseMatrix } from './csr.js';
import type { Bm25Options } from './weighting.js';

/** BM25-weighted copy of `m` (implicit's `bm25_weight`); see `SparseMatrix.bm25Weight`. */
export function bm25Weight(m: SparseMatrix, options: Bm25Options = {}): SparseMatrix {
  return m.bm25Weight(options);
}

/** TF-IDF-weighted copy of `m` (implicit's `tfidf_weight`); see `SparseMatrix.tfidfWeight`. */
export function tfidfWeight(m: SparseMatrix): SparseMatrix {
  return m.tfidfWeight();
}

/** Log-scaled copy of `m`: ln(1 + x/ε); see `SparseMatrix.logScale`. */
export function logScale(m: SparseMatrix, epsilon = 1): SparseMatrix {
  return m.logScale(epsilon);
}
