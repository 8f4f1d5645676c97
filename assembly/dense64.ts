// The matrix product of the blocked Cholesky inverse (src/models/ease/inverse.ts), in dot form: rows of
// A against rows of B, both contiguous, so every step of the inverse (the trailing update, L⁻¹'s panels,
// Wᵀ·W) streams rows. Matrices are row-major with a leading dimension (row stride, in elements).
//
// Determinism: every output entry has one fixed sequence of operations whichever tile or thread computes
// it — lane 0 sums the even p and lane 1 the odd p, in order, then lane 0 + lane 1, then the odd tail —
// so splits over threads (by rows) give the same bits as one call. The JS twin is in src/kernels/dense64.ts.
import { madd64 } from './simd';

/** Mode bits of gemmNtF64. */
const LOWER: i32 = 1; // only entries on or below the diagonal (j ≤ i)
const TRI_K: i32 = 2; // triangular reduction (p ≤ i)
const OVERWRITE: i32 = 4; // C ← α·Σ (else C ← C + α·Σ)
const TRANS_C: i32 = 8; // entry (i, j) goes to C[j, i]

@inline function rowAt(base: usize, ld: i32, r: i32): usize {
  return base + (<usize>r) * (<usize>ld) * 8;
}

/** Where entry (i, j) of the product goes: C[i, j], or C[j, i] with TRANS_C. */
@inline function cAt(C: usize, ldc: i32, i: i32, j: i32, mode: i32): usize {
  return mode & TRANS_C ? rowAt(C, ldc, j) + ((<usize>i) << 3) : rowAt(C, ldc, i) + ((<usize>j) << 3);
}

@inline function put(c: usize, s: f64, alpha: f64, mode: i32): void {
  store<f64>(c, mode & OVERWRITE ? alpha * s : load<f64>(c) + alpha * s);
}

/** The rest of a dot product whose lane pairs are summed in `acc` up to p = from (even): pairs to `to`, then the tail. */
@inline function finishDot(acc: v128, a: usize, b: usize, from: i32, to: i32): f64 {
  let p = from;
  for (; p + 2 <= to; p += 2) {
    const o = (<usize>p) << 3;
    acc = madd64(v128.load(a + o), v128.load(b + o), acc);
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (p < to) s += load<f64>(a + ((<usize>p) << 3)) * load<f64>(b + ((<usize>p) << 3));
  return s;
}

@inline function nCols(mode: i32, N: i32, i: i32): i32 {
  return mode & LOWER ? min(N, i + 1) : N;
}

@inline function kLen(mode: i32, K: i32, i: i32): i32 {
  return mode & TRI_K ? min(K, i + 1) : K;
}

/** Rows i0..i0+3 of C (four rows) against B rows [0, jEnd) where every one of the four has its full sums. */
function ntTile4(
  A: usize,
  lda: i32,
  B: usize,
  ldb: i32,
  C: usize,
  ldc: i32,
  K: i32,
  alpha: f64,
  mode: i32,
  i0: i32,
  jEnd: i32,
): void {
  const a0 = rowAt(A, lda, i0);
  const a1 = rowAt(A, lda, i0 + 1);
  const a2 = rowAt(A, lda, i0 + 2);
  const a3 = rowAt(A, lda, i0 + 3);
  const K0 = kLen(mode, K, i0);
  const Kc = K0 & ~1; // common pairs of the four rows (TRI_K: row i0 has the fewest)
  let j = 0;
  for (; j + 2 <= jEnd; j += 2) {
    const b0 = rowAt(B, ldb, j);
    const b1 = rowAt(B, ldb, j + 1);
    let c00 = f64x2.splat(0);
    let c01 = f64x2.splat(0);
    let c10 = f64x2.splat(0);
    let c11 = f64x2.splat(0);
    let c20 = f64x2.splat(0);
    let c21 = f64x2.splat(0);
    let c30 = f64x2.splat(0);
    let c31 = f64x2.splat(0);
    for (let p = 0; p < Kc; p += 2) {
      const o = (<usize>p) << 3;
      const x0 = v128.load(b0 + o);
      const x1 = v128.load(b1 + o);
      const y0 = v128.load(a0 + o);
      const y1 = v128.load(a1 + o);
      const y2 = v128.load(a2 + o);
      const y3 = v128.load(a3 + o);
      c00 = madd64(y0, x0, c00);
      c01 = madd64(y0, x1, c01);
      c10 = madd64(y1, x0, c10);
      c11 = madd64(y1, x1, c11);
      c20 = madd64(y2, x0, c20);
      c21 = madd64(y2, x1, c21);
      c30 = madd64(y3, x0, c30);
      c31 = madd64(y3, x1, c31);
    }
    const K1 = kLen(mode, K, i0 + 1);
    const K2 = kLen(mode, K, i0 + 2);
    const K3 = kLen(mode, K, i0 + 3);
    put(cAt(C, ldc, i0, j, mode), finishDot(c00, a0, b0, Kc, K0), alpha, mode);
    put(cAt(C, ldc, i0, j + 1, mode), finishDot(c01, a0, b1, Kc, K0), alpha, mode);
    put(cAt(C, ldc, i0 + 1, j, mode), finishDot(c10, a1, b0, Kc, K1), alpha, mode);
    put(cAt(C, ldc, i0 + 1, j + 1, mode), finishDot(c11, a1, b1, Kc, K1), alpha, mode);
    put(cAt(C, ldc, i0 + 2, j, mode), finishDot(c20, a2, b0, Kc, K2), alpha, mode);
    put(cAt(C, ldc, i0 + 2, j + 1, mode), finishDot(c21, a2, b1, Kc, K2), alpha, mode);
    put(cAt(C, ldc, i0 + 3, j, mode), finishDot(c30, a3, b0, Kc, K3), alpha, mode);
    put(cAt(C, ldc, i0 + 3, j + 1, mode), finishDot(c31, a3, b1, Kc, K3), alpha, mode);
  }
}

/**
 * C[i, j] (+)= α·Σ_p A[i, p]·B[j, p] for rows i in [r0, r1) and columns j in [0, N); LOWER keeps j ≤ i,
 * TRI_K sums p ≤ i only, OVERWRITE replaces C instead of adding to it, TRANS_C writes entry (i, j) to
 * C[j, i] (so the long operand can be A, streamed once, while the short one is re-read from cache). A,
 * B, C row-major with leading dimensions lda, ldb, ldc (elements); C must not overlap A or B.
 */
export function gemmNtF64(
  A: usize,
  lda: i32,
  B: usize,
  ldb: i32,
  C: usize,
  ldc: i32,
  N: i32,
  K: i32,
  alpha: f64,
  mode: i32,
  r0: i32,
  r1: i32,
): void {
  let i = r0;
  for (; i + 4 <= r1; i += 4) {
    // Columns every row of the tile has (LOWER: row i0's), in pairs; the rest row by row below.
    const jEnd = nCols(mode, N, i) & ~1;
    ntTile4(A, lda, B, ldb, C, ldc, K, alpha, mode, i, jEnd);
    for (let t = 0; t < 4; t++) ntRow(A, lda, B, ldb, C, ldc, N, K, alpha, mode, i + t, jEnd);
  }
  for (; i < r1; i++) ntRow(A, lda, B, ldb, C, ldc, N, K, alpha, mode, i, 0);
}

/** Row i of the NT product, columns [j0, N_i). */
function ntRow(
  A: usize,
  lda: i32,
  B: usize,
  ldb: i32,
  C: usize,
  ldc: i32,
  N: i32,
  K: i32,
  alpha: f64,
  mode: i32,
  i: i32,
  j0: i32,
): void {
  const a = rowAt(A, lda, i);
  const Ki = kLen(mode, K, i);
  const Ni = nCols(mode, N, i);
  for (let j = j0; j < Ni; j++) {
    put(cAt(C, ldc, i, j, mode), finishDot(f64x2.splat(0), a, rowAt(B, ldb, j), 0, Ki), alpha, mode);
  }
}
