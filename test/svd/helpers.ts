// Shared helpers for the SVD tests: seeded random sparse matrices and dense linear algebra oracles.
import { Matrix, SVD } from 'ml-matrix';
import { SparseMatrix } from '../../src/data/csr.js';
import { randomMatrix } from '../util/random-matrix.js';

/** A rows×cols sparse matrix with about density·rows·cols entries, values uniform in [lo, hi). */
export function randomSparse(rows: number, cols: number, density: number, seed: number, lo = -1, hi = 1): SparseMatrix {
  return randomMatrix(seed, rows, cols, density, (rng) => rng.uniform(lo, hi));
}

/** Dense copy (rows of f64) of a sparse matrix, optionally centered the way truncatedSVD centers. */
export function dense(A: SparseMatrix, center: 'none' | 'global' | 'rows' | 'cols' = 'none'): number[][] {
  const out = Array.from({ length: A.rows }, () => new Array<number>(A.cols).fill(0));
  for (let i = 0; i < A.rows; i++) for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) out[i][A.indices[p]] = A.data[p];
  if (center === 'none') return out;
  if (center === 'global') {
    let s = 0;
    for (const x of A.data) s += x;
    const mu = s / A.nnz;
    return out.map((row) => row.map((x) => x - mu));
  }
  if (center === 'rows') {
    return out.map((row, i) => {
      const n = A.indptr[i + 1] - A.indptr[i];
      let s = 0;
      for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) s += A.data[p];
      const mu = n ? s / n : 0;
      return row.map((x) => x - mu);
    });
  }
  const sum = new Array<number>(A.cols).fill(0);
  const cnt = new Array<number>(A.cols).fill(0);
  for (let p = 0; p < A.nnz; p++) {
    sum[A.indices[p]] += A.data[p];
    cnt[A.indices[p]]++;
  }
  return out.map((row) => row.map((x, j) => x - (cnt[j] ? sum[j] / cnt[j] : 0)));
}

/** Singular values of a dense matrix, descending (ml-matrix, an independent Golub–Kahan implementation). */
export function oracleSingularValues(D: number[][]): number[] {
  const svd = new SVD(new Matrix(D), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  return [...svd.diagonal].sort((a, b) => b - a);
}

/** max |(XᵀX − I)_ij| for X len×k row-major. */
export function orthoError(X: Float64Array, len: number, k: number): number {
  let worst = 0;
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let r = 0; r < len; r++) s += X[r * k + a] * X[r * k + b];
      worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

/** max over i of max(‖D vᵢ − sᵢuᵢ‖, ‖Dᵀuᵢ − sᵢvᵢ‖) / s₁ computed densely. */
export function trueResiduals(D: number[][], s: Float64Array, U: Float64Array, V: Float64Array, k: number): number[] {
  const rows = D.length;
  const cols = D[0].length;
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    let r1 = 0;
    for (let r = 0; r < rows; r++) {
      let t = 0;
      for (let c = 0; c < cols; c++) t += D[r][c] * V[c * k + i];
      r1 += (t - s[i] * U[r * k + i]) ** 2;
    }
    let r2 = 0;
    for (let c = 0; c < cols; c++) {
      let t = 0;
      for (let r = 0; r < rows; r++) t += D[r][c] * U[r * k + i];
      r2 += (t - s[i] * V[c * k + i]) ** 2;
    }
    out.push(Math.sqrt(Math.max(r1, r2)) / s[0]);
  }
  return out;
}
