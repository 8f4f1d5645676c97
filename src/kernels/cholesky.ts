// The f64 Cholesky of the JS side: the twin of assembly/als.ts's cholesky64 (same pivot rule), used by the
// ALS kernel twins and by ImplicitALS.explain.

/**
 * In-place Cholesky of the lower triangle (row stride kp) of A, f64, with the WASM kernel's pivot rule;
 * invd receives the reciprocal diagonal. Returns -1, or the first row whose pivot is not positive.
 */
export function cholesky(A: Float64Array, invd: Float64Array, k: number, kp: number): number {
  for (let i = 0; i < k; i++) {
    const ri = i * kp;
    for (let j = 0; j < i; j++) {
      const rj = j * kp;
      let s = A[ri + j];
      for (let p = 0; p < j; p++) s -= A[ri + p] * A[rj + p];
      A[ri + j] = s * invd[j];
    }
    const orig = A[ri + i];
    let s = orig;
    for (let p = 0; p < i; p++) s -= A[ri + p] * A[ri + p];
    if (!(s > orig * 1e-10) || !(s > 0) || !Number.isFinite(s)) return i;
    const d = Math.sqrt(s);
    A[ri + i] = d;
    invd[i] = 1 / d;
  }
  return -1;
}

/** Solve L·Lᵀ·x = b in place for the factor from `cholesky`. */
export function choleskySolve(L: Float64Array, invd: Float64Array, b: Float64Array, k: number, kp: number): void {
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let p = 0; p < i; p++) s -= L[i * kp + p] * b[p];
    b[i] = s * invd[i];
  }
  for (let i = k - 1; i >= 0; i--) {
    const x = b[i] * invd[i];
    b[i] = x;
    for (let p = 0; p < i; p++) b[p] -= x * L[i * kp + p];
  }
}
