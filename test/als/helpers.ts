// Test helpers for ALS: seeded random sparse matrices and dense f64 oracles.
export { randomMatrix } from '../util/random-matrix.js';
import type { SparseMatrix } from '../../src/data/csr.js';

/** Solve the dense SPD system A x = b (n × n, f64) by Gaussian elimination with partial pivoting. */
export function denseSolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const M = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[piv * n + c])) piv = r;
    if (piv !== c) {
      for (let j = 0; j < n; j++) [M[c * n + j], M[piv * n + j]] = [M[piv * n + j], M[c * n + j]];
      [x[c], x[piv]] = [x[piv], x[c]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c] / M[c * n + c];
      if (f === 0) continue;
      for (let j = c; j < n; j++) M[r * n + j] -= f * M[c * n + j];
      x[r] -= f * x[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let j = r + 1; j < n; j++) s -= M[r * n + j] * x[j];
    x[r] = s / M[r * n + r];
  }
  return x;
}

export interface ImplicitParams {
  lambda: number;
  alpha: number;
  log?: boolean;
  eps?: number;
}

export function conf(r: number, p: ImplicitParams): number {
  const a = Math.abs(r);
  return p.log ? 1 + p.alpha * Math.log(1 + a / (p.eps ?? 1)) : 1 + p.alpha * a;
}

/**
 * The HKV normal-equations solution for one row, dense: (YᵀC_uY + λI)⁻¹ YᵀC_u p_u, built from the full
 * confidence matrix over all items (no Gram trick), f64.
 */
export function implicitRowOracle(Y: Float32Array, nItems: number, k: number, idx: ArrayLike<number>, vals: ArrayLike<number>, p: ImplicitParams): Float64Array {
  const c = new Float64Array(nItems).fill(1);
  const pref = new Float64Array(nItems);
  for (let q = 0; q < idx.length; q++) {
    c[idx[q]] = conf(vals[q], p);
    pref[idx[q]] = vals[q] > 0 ? 1 : 0;
  }
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < nItems; i++) {
    for (let a = 0; a < k; a++) {
      b[a] += c[i] * pref[i] * Y[i * k + a];
      for (let d = 0; d < k; d++) A[a * k + d] += c[i] * Y[i * k + a] * Y[i * k + d];
    }
  }
  for (let a = 0; a < k; a++) A[a * k + a] += p.lambda;
  return denseSolve(A, b, k);
}

/** The full implicit objective, densely (every user–item pair). */
export function implicitLossDense(X: Float32Array, Y: Float32Array, m: SparseMatrix, k: number, p: ImplicitParams): number {
  const [nU, nI] = m.shape;
  let loss = 0;
  for (let u = 0; u < nU; u++) {
    const c = new Float64Array(nI).fill(1);
    const pref = new Float64Array(nI);
    for (let q = m.indptr[u]; q < m.indptr[u + 1]; q++) {
      c[m.indices[q]] = conf(m.data[q], p);
      pref[m.indices[q]] = m.data[q] > 0 ? 1 : 0;
    }
    for (let i = 0; i < nI; i++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += X[u * k + a] * Y[i * k + a];
      loss += c[i] * (pref[i] - s) ** 2;
    }
  }
  for (const v of X) loss += p.lambda * v * v;
  for (const v of Y) loss += p.lambda * v * v;
  return loss;
}

/** max |a − b| / max(max |b|, tiny). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 1e-30;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}
