// The eigenbasis of G for the exact implicit solve of short rows (see eigsolve.ts): the symmetric
// eigendecomposition G = V·Λ·Vᵀ once per half-step (symEigF64), and the fixed side's rows projected into it,
// ỹ_i = Vᵀ·y_i (alsEigProject, split over threads by rows). alsImplicitCholesky then solves every row with
// at most `eigMax` entries from these. The JS twins are in src/kernels/als-eig.ts.
import { madd64 } from './simd';
import { tridiagonalize, tridiagQR } from './eigsolve';

/**
 * G = V·diag(w)·Vᵀ for the symmetric k×k f64 block A (kp stride; destroyed): V (kp×kp f64) gets the
 * eigenvectors as columns, w (kp f64) the eigenvalues, zero padding. Householder tridiagonalization, then
 * implicit-shift QR. scratch: 8·(kp² + 4·kp) bytes. Returns 1, or 0 if QR did not converge.
 */
export function symEigF64(A: usize, V: usize, w: usize, k: i32, scratch: usize): i32 {
  const kp = (k + 3) & ~3;
  const rb = <usize>kp << 3;
  const E = scratch;
  const d = E + <usize>kp * rb;
  const e = d + rb;
  const p = e + rb;
  memory.fill(d, 0, 2 * rb);
  tridiagonalize(A, E, d, e, p, k, kp);
  if (!tridiagQR(d, e, E, k, kp)) return 0;
  // V = Eᵀ (E's rows are the eigenvectors)
  memory.fill(V, 0, <usize>kp * rb);
  for (let j = 0; j < k; j++) {
    const ej = E + <usize>j * rb;
    for (let a = 0; a < k; a++) store<f64>(V + <usize>a * rb + (<usize>j << 3), load<f64>(ej + (<usize>a << 3)));
  }
  memory.copy(w, d, rb);
  for (let j = k; j < kp; j++) store<f64>(w + (<usize>j << 3), 0);
  return 1;
}

/**
 * Rows [r0, r1) of the fixed side in G's eigenbasis: Ye[i] = Vᵀ·y_i (f64, kp stride, zero padding) for Y
 * f32 with row stride k and V from symEigF64. Four rows at a time, V's row a read once per four rows; each
 * entry sums a = 0, 1, … in order, whatever rows share its block.
 */
export function alsEigProject(Y: usize, V: usize, Ye: usize, k: i32, r0: i32, r1: i32): void {
  const kp = (k + 3) & ~3;
  const rb = <usize>kp << 3;
  const yb = <usize>k << 2;
  let r = r0;
  for (; r + 4 <= r1; r += 4) {
    const y0 = Y + <usize>r * yb;
    const o0 = Ye + <usize>r * rb;
    for (let j = 0; j < kp; j += 4) {
      const jo = <usize>j << 3;
      let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a10 = f64x2.splat(0), a11 = f64x2.splat(0);
      let a20 = f64x2.splat(0), a21 = f64x2.splat(0), a30 = f64x2.splat(0), a31 = f64x2.splat(0);
      let v = V + jo;
      for (let a = 0; a < k; a++) {
        const ao = <usize>a << 2;
        const v0 = v128.load(v);
        const v1 = v128.load(v, 16);
        const s0 = f64x2.splat(<f64>load<f32>(y0 + ao));
        const s1 = f64x2.splat(<f64>load<f32>(y0 + yb + ao));
        const s2 = f64x2.splat(<f64>load<f32>(y0 + 2 * yb + ao));
        const s3 = f64x2.splat(<f64>load<f32>(y0 + 3 * yb + ao));
        a00 = madd64(s0, v0, a00);
        a01 = madd64(s0, v1, a01);
        a10 = madd64(s1, v0, a10);
        a11 = madd64(s1, v1, a11);
        a20 = madd64(s2, v0, a20);
        a21 = madd64(s2, v1, a21);
        a30 = madd64(s3, v0, a30);
        a31 = madd64(s3, v1, a31);
        v += rb;
      }
      v128.store(o0 + jo, a00);
      v128.store(o0 + jo, a01, 16);
      v128.store(o0 + rb + jo, a10);
      v128.store(o0 + rb + jo, a11, 16);
      v128.store(o0 + 2 * rb + jo, a20);
      v128.store(o0 + 2 * rb + jo, a21, 16);
      v128.store(o0 + 3 * rb + jo, a30);
      v128.store(o0 + 3 * rb + jo, a31, 16);
    }
  }
  for (; r < r1; r++) {
    const y0 = Y + <usize>r * yb;
    const o0 = Ye + <usize>r * rb;
    for (let j = 0; j < kp; j += 4) {
      const jo = <usize>j << 3;
      let a00 = f64x2.splat(0), a01 = f64x2.splat(0);
      let v = V + jo;
      for (let a = 0; a < k; a++) {
        const s0 = f64x2.splat(<f64>load<f32>(y0 + (<usize>a << 2)));
        a00 = madd64(s0, v128.load(v), a00);
        a01 = madd64(s0, v128.load(v, 16), a01);
        v += rb;
      }
      v128.store(o0 + jo, a00);
      v128.store(o0 + jo, a01, 16);
    }
  }
}
