/**
 * Re-weighting of interaction values, with the formulas of benfred/implicit so results carry over:
 * BM25 and TF-IDF (rows are documents, columns terms) and log scaling of counts. The functions here
 * compute new `data` arrays for a matrix's structure; SparseMatrix exposes them as methods.
 * @module
 */
import { ValidationError } from '../errors.js';
import { OptionReader } from '../options.js';

/** Options of `bm25Weight`; defaults are implicit's. */
export interface Bm25Options {
  /** Term-frequency saturation; larger means closer to linear in the count. Default 100. */
  K1?: number;
  /** Length normalisation in [0, 1]; 0 ignores row length. Default 0.8. */
  B?: number;
}

interface Csr {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;
  readonly shape: readonly [number, number];
}

function requireNonNegative(m: Csr, who: string): void {
  for (let r = 0; r < m.shape[0]; r++) {
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      if (!(m.data[p] >= 0))
        throw new ValidationError(
          `${who}: row ${r}, column ${m.indices[p]} has value ${m.data[p]}; weighting needs non-negative values (counts, plays, ratings)`,
        );
    }
  }
}

/** idf = ln N − ln(1 + df) per column, df counting stored entries (as numpy's bincount of X.col). */
function idf(m: Csr): Float64Array {
  const [nr, nc] = m.shape;
  const df = new Float64Array(nc);
  for (let p = 0; p < m.indices.length; p++) df[m.indices[p]]++;
  const lnN = Math.log(nr);
  for (let c = 0; c < nc; c++) df[c] = lnN - Math.log1p(df[c]);
  return df;
}

/** @internal New data for `m` weighted by BM25. */
export function bm25Data(m: Csr, options: Bm25Options = {}): Float32Array {
  new OptionReader('bm25Weight', options, ['K1', 'B'], { nullIsDefaults: false });
  const { K1 = 100, B = 0.8 } = options;
  if (typeof K1 !== 'number' || !Number.isFinite(K1) || K1 < 0)
    throw new ValidationError(`bm25Weight: K1 must be a finite number ≥ 0, got ${String(K1)}`);
  if (typeof B !== 'number' || !(B >= 0 && B <= 1))
    throw new ValidationError(`bm25Weight: B must be in [0, 1], got ${String(B)}`);
  requireNonNegative(m, 'bm25Weight');
  const nr = m.shape[0];
  const w = idf(m);
  const rowSum = new Float64Array(nr);
  let total = 0;
  for (let r = 0; r < nr; r++) {
    let s = 0;
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) s += m.data[p];
    rowSum[r] = s;
    total += s;
  }
  const out = new Float32Array(m.data.length);
  if (out.length === 0) return out;
  const avg = total / nr;
  if (!(avg > 0))
    throw new ValidationError('bm25Weight: every value is 0, so the average row length is 0 and BM25 is undefined');
  for (let r = 0; r < nr; r++) {
    const lengthNorm = 1 - B + (B * rowSum[r]) / avg;
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      const x = m.data[p];
      const den = K1 * lengthNorm + x;
      // den is 0 only when x is 0 (and K1·norm is 0): a stored zero stays zero rather than 0/0.
      out[p] = den === 0 ? 0 : ((x * (K1 + 1)) / den) * w[m.indices[p]];
    }
  }
  return out;
}

/** @internal New data for `m` weighted by TF-IDF. */
export function tfidfData(m: Csr): Float32Array {
  requireNonNegative(m, 'tfidfWeight');
  const w = idf(m);
  const out = new Float32Array(m.data.length);
  for (let p = 0; p < out.length; p++) out[p] = Math.sqrt(m.data[p]) * w[m.indices[p]];
  return out;
}

/** @internal New data ln(1 + x/ε). */
export function logScaleData(m: Csr, epsilon = 1): Float32Array {
  if (typeof epsilon !== 'number' || !(epsilon > 0) || !Number.isFinite(epsilon))
    throw new ValidationError(`logScale: epsilon must be a finite number > 0, got ${String(epsilon)}`);
  requireNonNegative(m, 'logScale');
  const out = new Float32Array(m.data.length);
  for (let p = 0; p < out.length; p++) out[p] = Math.log1p(m.data[p] / epsilon);
  return out;
}
