/**
 * Small dense f64 linear algebra for one-off per-user work in JS (explain): Cholesky of a k×k system
 * and its solve. Hot loops use the kernels instead.
 * @module
 */

/** In-place Cholesky of the lower triangle of A (k×k row-major); returns false if A is not positive definite. */
export function choleskyInPlace(A: Float64Array, k: number): boolean {
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * k + j];
      for (let p = 0; p < j; p++) s -= A[i * k + p] * A[j * k + p];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return false;
        A[i * k + i] = Math.sqrt(s);
      } else A[i * k + j] = s / A[j * k + j];
    }
  }
  return true;
}

/** Solve L·Lᵀ·x = b for the factor from choleskyInPlace; returns x (b is not modified). */
export function choleskySolve(L: Float64Array, k: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < k; i++) {
    let s = x[i];
    for (let p = 0; p < i; p++) s -= L[i * k + p] * x[p];
    x[i] = s / L[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = x[i];
    for (let p = i + 1; p < k; p++) s -= L[p * k + i] * x[p];
    x[i] = s / L[i * k + i];
  }
  return x;
}
