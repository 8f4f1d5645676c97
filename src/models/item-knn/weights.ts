/**
 * The weights ItemKNN multiplies, as implicit 0.7.3's item–item recommenders compute them from a
 * float32 users × items matrix X: `CosineRecommender` normalises each item's column, `TFIDFRecommender`
 * weights tfidf_weight(Xᵀ) then normalises, `BM25Recommender` weights bm25_weight(Xᵀ, K1, B) — items are
 * the documents, users the terms. numpy evaluates parts of these in float32 (arrays of X's dtype with
 * Python scalars stay float32); Math.fround marks each such step, so the weights match implicit's bits
 * for the same data (up to the last bit of log, and of BM25's mean row length when its float32 sum
 * rounds). The result is f64, one weight per stored entry of X in CSR order.
 * @module
 */
import { ValidationError } from '../../errors.js';
import type { CsrArrays } from '../../data/csr-heap.js';

/** How ItemKNN weights the interactions before taking item–item dot products. */
export type KnnWeighting = 'cosine' | 'tfidf' | 'bm25' | 'none';

const f = Math.fround;

/** idf per user (row of X): ln(items) − ln(1 + stored entries of the user), implicit's log(N) − log1p(bincount). */
function userIdf(x: CsrArrays, rows: number, cols: number): Float64Array {
  const idf = new Float64Array(rows);
  const lnN = Math.log(cols);
  for (let u = 0; u < rows; u++) idf[u] = lnN - Math.log1p(x.indptr[u + 1] - x.indptr[u]);
  return idf;
}

/** Divide each entry by its item's Euclidean norm (sums in f64 over users in order, as numpy's bincount). */
function normalizeItems(x: CsrArrays, cols: number, w: Float64Array, square: (p: number) => number): void {
  const norm2 = new Float64Array(cols);
  for (let p = 0; p < w.length; p++) norm2[x.indices[p]] += square(p);
  const norm = norm2.map(Math.sqrt);
  // An item whose stored values are all 0 has norm 0: its weights stay 0 rather than 0/0.
  for (let p = 0; p < w.length; p++) {
    const d = norm[x.indices[p]];
    w[p] = d > 0 ? w[p] / d : 0;
  }
}

function requireNonNegative(x: CsrArrays, weighting: string): void {
  for (let p = 0; p < x.data.length; p++)
    if (!(x.data[p] >= 0))
      throw new ValidationError(
        `ItemKNN: weighting '${weighting}' needs non-negative values (counts, plays, ratings); entry ${p} is ${x.data[p]} — use weighting 'cosine' or 'none'`,
      );
}

/** BM25 over items as documents: implicit's bm25_weight(Xᵀ, K1, B) with its float32 steps. */
function bm25(x: CsrArrays, rows: number, cols: number, K1: number, B: number): Float64Array {
  const idf = userIdf(x, rows, cols);
  // Row sums of Xᵀ (per item), float32 as scipy's sum keeps the dtype, then numpy's float32 mean.
  const len = new Float32Array(cols);
  for (let p = 0; p < x.indices.length; p++) len[x.indices[p]] += x.data[p];
  let total = 0;
  for (let i = 0; i < cols; i++) total += len[i];
  const avg = f(total / cols);
  const b = f(B);
  const oneMinusB = f(1 - B);
  const k1 = f(K1);
  const k1p1 = f(K1 + 1);
  const norm = Float32Array.from(len, (l) => f(oneMinusB + f(f(b * l) / avg)));
  const w = new Float64Array(x.indices.length);
  for (let u = 0; u < rows; u++)
    for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) {
      const v = x.data[p];
      const den = f(f(k1 * norm[x.indices[p]]) + v);
      w[p] = den === 0 ? 0 : f(f(v * k1p1) / den) * idf[u];
    }
  return w;
}

/**
 * Weights of X's entries for `weighting` (k1, b: BM25's parameters). X is users × items with f32 values;
 * 'tfidf' and 'bm25' need them non-negative.
 */
export function knnWeights(
  x: CsrArrays,
  rows: number,
  cols: number,
  weighting: KnnWeighting,
  k1: number,
  b: number,
): Float64Array {
  const nnz = x.indices.length;
  switch (weighting) {
    case 'none':
      return Float64Array.from(x.data);
    case 'cosine': {
      const w = Float64Array.from(x.data);
      normalizeItems(x, cols, w, (p) => f(x.data[p] * x.data[p]));
      return w;
    }
    case 'tfidf': {
      requireNonNegative(x, weighting);
      const idf = userIdf(x, rows, cols);
      const w = new Float64Array(nnz);
      for (let u = 0; u < rows; u++)
        for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) w[p] = f(Math.sqrt(x.data[p])) * idf[u];
      normalizeItems(x, cols, w, (p) => w[p] * w[p]);
      return w;
    }
    case 'bm25':
      requireNonNegative(x, weighting);
      return bm25(x, rows, cols, k1, b);
  }
}
