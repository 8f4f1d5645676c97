// Blocked symmetric rank-n update for the per-row normal equations of ALS: A ← S + Σ_q w_q·y_qᵀ over a
// batch of packed rows, upper triangle, f32. Each 4×8 tile of A is loaded once, gets every row of the
// batch added in registers and is stored once, so the k × k block is not streamed through memory per
// interaction (the unblocked rank-2 update did a load and a store per four entries per pair of rows).
import { madd32 } from './simd';

/** Rows per packed batch: the caller packs at most this many y_q (and w_q) at a time. */
export const SYRK_BATCH: i32 = 32;

/**
 * Rows [0, k) of the upper triangle of dst ← src + Σ_{q<n} w_q·y_qᵀ, f32, row stride kp, in 4-row blocks
 * from column (a & ~7) of each block's first row a: entries a few columns left of the diagonal are
 * computed too (the triangular factorisation never reads them). Yp and Wp hold n packed rows of kp floats
 * (zero beyond k); w_q is y_q scaled by the row's weight (Wp = Yp for weight 1). src may equal dst.
 */
export function syrkUpper32(src: usize, dst: usize, Yp: usize, Wp: usize, n: i32, k: i32, kp: i32): void {
  const rowBytes = <usize>kp << 2;
  for (let a = 0; a < k; a += 4) {
    const ab = <usize>a << 2;
    const s0 = src + <usize>a * rowBytes;
    const d0 = dst + <usize>a * rowBytes;
    let b = a & ~7;
    for (; b + 8 <= kp; b += 8) {
      const bb = <usize>b << 2;
      let t00 = v128.load(s0 + bb), t01 = v128.load(s0 + bb, 16);
      let t10 = v128.load(s0 + rowBytes + bb), t11 = v128.load(s0 + rowBytes + bb, 16);
      let t20 = v128.load(s0 + 2 * rowBytes + bb), t21 = v128.load(s0 + 2 * rowBytes + bb, 16);
      let t30 = v128.load(s0 + 3 * rowBytes + bb), t31 = v128.load(s0 + 3 * rowBytes + bb, 16);
      let y = Yp + bb;
      let w = Wp + ab;
      for (let q = 0; q < n; q++) {
        const y0 = v128.load(y);
        const y1 = v128.load(y, 16);
        const w0 = v128.load32_splat(w);
        const w1 = v128.load32_splat(w, 4);
        const w2 = v128.load32_splat(w, 8);
        const w3 = v128.load32_splat(w, 12);
        t00 = madd32(w0, y0, t00);
        t01 = madd32(w0, y1, t01);
        t10 = madd32(w1, y0, t10);
        t11 = madd32(w1, y1, t11);
        t20 = madd32(w2, y0, t20);
        t21 = madd32(w2, y1, t21);
        t30 = madd32(w3, y0, t30);
        t31 = madd32(w3, y1, t31);
        y += rowBytes;
        w += rowBytes;
      }
      v128.store(d0 + bb, t00);
      v128.store(d0 + bb, t01, 16);
      v128.store(d0 + rowBytes + bb, t10);
      v128.store(d0 + rowBytes + bb, t11, 16);
      v128.store(d0 + 2 * rowBytes + bb, t20);
      v128.store(d0 + 2 * rowBytes + bb, t21, 16);
      v128.store(d0 + 3 * rowBytes + bb, t30);
      v128.store(d0 + 3 * rowBytes + bb, t31, 16);
    }
    if (b < kp) {
      const bb = <usize>b << 2;
      let t0 = v128.load(s0 + bb);
      let t1 = v128.load(s0 + rowBytes + bb);
      let t2 = v128.load(s0 + 2 * rowBytes + bb);
      let t3 = v128.load(s0 + 3 * rowBytes + bb);
      let y = Yp + bb;
      let w = Wp + ab;
      for (let q = 0; q < n; q++) {
        const y0 = v128.load(y);
        t0 = madd32(v128.load32_splat(w), y0, t0);
        t1 = madd32(v128.load32_splat(w, 4), y0, t1);
        t2 = madd32(v128.load32_splat(w, 8), y0, t2);
        t3 = madd32(v128.load32_splat(w, 12), y0, t3);
        y += rowBytes;
        w += rowBytes;
      }
      v128.store(d0 + bb, t0);
      v128.store(d0 + rowBytes + bb, t1);
      v128.store(d0 + 2 * rowBytes + bb, t2);
      v128.store(d0 + 3 * rowBytes + bb, t3);
    }
  }
}
