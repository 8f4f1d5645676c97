// Dense f64 building blocks of a blocked Cholesky inverse (src/models/ease/inverse.ts drives them): the
// unblocked diagonal-block steps, a row-wise triangular solve, and two matrix products — "NT" (dot form:
// rows of A against rows of B) and "TN" (axpy form: columns of A against columns of B). Matrices are
// row-major with a leading dimension (row stride, in elements); only lower triangles are meaningful.
//
// Determinism: every output entry has one fixed sequence of operations whichever tile or thread computes
// it. NT sums lane 0 over even p and lane 1 over odd p, in order, then lane 0 + lane 1, then the odd tail;
// TN sums over k in order. Splits over threads (by rows for NT, by columns for TN) therefore give the same
// bits as one call. The JS twins are in src/kernels/dense64.ts.
import { madd64 } from './simd';

/** Mode bits of gemmNtF64 / gemmTnF64. */
const LOWER: i32 = 1; // only entries on or below the diagonal (NT: j ≤ i; TN: c ≤ a)
const TRI_K: i32 = 2; // triangular reduction (NT: p ≤ i; TN: k ≥ a)
const OVERWRITE: i32 = 4; // C ← α·Σ (else C ← C + α·Σ)

@inline function rowAt(base: usize, ld: i32, r: i32): usize {
  return base + (<usize>r) * (<usize>ld) * 8;
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
    const r0 = rowAt(C, ldc, i0) + ((<usize>j) << 3);
    const r1 = rowAt(C, ldc, i0 + 1) + ((<usize>j) << 3);
    const r2 = rowAt(C, ldc, i0 + 2) + ((<usize>j) << 3);
    const r3 = rowAt(C, ldc, i0 + 3) + ((<usize>j) << 3);
    put(r0, finishDot(c00, a0, b0, Kc, K0), alpha, mode);
    put(r0 + 8, finishDot(c01, a0, b1, Kc, K0), alpha, mode);
    put(r1, finishDot(c10, a1, b0, Kc, K1), alpha, mode);
    put(r1 + 8, finishDot(c11, a1, b1, Kc, K1), alpha, mode);
    put(r2, finishDot(c20, a2, b0, Kc, K2), alpha, mode);
    put(r2 + 8, finishDot(c21, a2, b1, Kc, K2), alpha, mode);
    put(r3, finishDot(c30, a3, b0, Kc, K3), alpha, mode);
    put(r3 + 8, finishDot(c31, a3, b1, Kc, K3), alpha, mode);
  }
}

/**
 * C[i, j] (+)= α·Σ_p A[i, p]·B[j, p] for rows i in [r0, r1) and columns j in [0, N); LOWER keeps j ≤ i,
 * TRI_K sums p ≤ i only, OVERWRITE replaces C instead of adding to it. A, B, C row-major with leading
 * dimensions lda, ldb, ldc (elements); C must not overlap A or B.
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
  const c = rowAt(C, ldc, i);
  const Ki = kLen(mode, K, i);
  const Ni = nCols(mode, N, i);
  for (let j = j0; j < Ni; j++) {
    put(c + ((<usize>j) << 3), finishDot(f64x2.splat(0), a, rowAt(B, ldb, j), 0, Ki), alpha, mode);
  }
}

/**
 * C[a, c] (+)= α·Σ_k A[k, a]·B[k, c] for a in [0, M) and columns c in [c0, c1), k in [0, K) (TRI_K: k in
 * [a, K), A being lower triangular below its first row); LOWER keeps c ≤ a. In place is allowed when C
 * is the first rows of B (TRI_K, C = B, ldc = ldb): each entry reads only rows k ≥ a, and a tile stores
 * only after it has read (tiles run in ascending a, and within a pair of rows in ascending c). In place
 * with LOWER on a diagonal block (A = B = C) needs one call (no column split): a row's last columns are
 * read as A by the tiles before them.
 */
export function gemmTnF64(
  A: usize,
  lda: i32,
  B: usize,
  ldb: i32,
  C: usize,
  ldc: i32,
  M: i32,
  K: i32,
  alpha: f64,
  mode: i32,
  c0: i32,
  c1: i32,
): void {
  const tri = (mode & TRI_K) != 0;
  const lower = (mode & LOWER) != 0;
  let a0 = 0;
  for (; a0 + 2 <= M; a0 += 2) {
    // Tiles only where both rows keep all eight columns; the rest entry by entry.
    const tileEnd = lower ? min(c1, a0 + 1) : c1;
    let c = c0;
    for (; c + 8 <= tileEnd; c += 8) tnTile2x8(A, lda, B, ldb, C, ldc, K, alpha, mode, tri, a0, c);
    const e0 = lower ? min(c1, a0 + 1) : c1;
    const e1 = lower ? min(c1, a0 + 2) : c1;
    for (let cc = c; cc < e1; cc++) {
      if (cc < e0) tnOne(A, lda, B, ldb, C, ldc, K, alpha, mode, tri, a0, cc);
      tnOne(A, lda, B, ldb, C, ldc, K, alpha, mode, tri, a0 + 1, cc);
    }
  }
  if (a0 < M) {
    const e0 = lower ? min(c1, a0 + 1) : c1;
    for (let c = c0; c < e0; c++) tnOne(A, lda, B, ldb, C, ldc, K, alpha, mode, tri, a0, c);
  }
}

/** One entry of the TN product (multiply–adds as the tiles do them, so the bits agree). */
function tnOne(
  A: usize,
  lda: i32,
  B: usize,
  ldb: i32,
  C: usize,
  ldc: i32,
  K: i32,
  alpha: f64,
  mode: i32,
  tri: bool,
  a: i32,
  c: i32,
): void {
  let s = f64x2.splat(0);
  const ca = (<usize>a) << 3;
  const cc = (<usize>c) << 3;
  for (let k = tri ? a : 0; k < K; k++) {
    s = madd64(v128.load64_splat(rowAt(A, lda, k) + ca), v128.load64_splat(rowAt(B, ldb, k) + cc), s);
  }
  put(rowAt(C, ldc, a) + cc, f64x2.extract_lane(s, 0), alpha, mode);
}

/**
 * Rows a0, a0+1 × columns c..c+7 of the TN product. With TRI_K, row a0+1 has no term at k = a0: its
 * coefficient there is taken as 0, which leaves its sum's bits as tnOne's (+0 plus ±0 is +0).
 */
@inline function tnTile2x8(
  A: usize,
  lda: i32,
  B: usize,
  ldb: i32,
  C: usize,
  ldc: i32,
  K: i32,
  alpha: f64,
  mode: i32,
  tri: bool,
  a0: i32,
  c: i32,
): void {
  let s00 = f64x2.splat(0);
  let s01 = f64x2.splat(0);
  let s02 = f64x2.splat(0);
  let s03 = f64x2.splat(0);
  let s10 = f64x2.splat(0);
  let s11 = f64x2.splat(0);
  let s12 = f64x2.splat(0);
  let s13 = f64x2.splat(0);
  let k = tri ? a0 : 0;
  const ca = (<usize>a0) << 3;
  const cc = (<usize>c) << 3;
  if (tri && k < K) {
    const b = rowAt(B, ldb, k) + cc;
    const x0 = v128.load64_splat(rowAt(A, lda, k) + ca);
    const x1 = f64x2.splat(0);
    const y0 = v128.load(b);
    const y1 = v128.load(b, 16);
    const y2 = v128.load(b, 32);
    const y3 = v128.load(b, 48);
    s00 = madd64(x0, y0, s00);
    s01 = madd64(x0, y1, s01);
    s02 = madd64(x0, y2, s02);
    s03 = madd64(x0, y3, s03);
    s10 = madd64(x1, y0, s10);
    s11 = madd64(x1, y1, s11);
    s12 = madd64(x1, y2, s12);
    s13 = madd64(x1, y3, s13);
    k++;
  }
  const ldaB = (<usize>lda) << 3;
  const ldbB = (<usize>ldb) << 3;
  let pa = rowAt(A, lda, k) + ca;
  let pb = rowAt(B, ldb, k) + cc;
  for (; k < K; k++) {
    const x0 = v128.load64_splat(pa);
    const x1 = v128.load64_splat(pa, 8);
    const y0 = v128.load(pb);
    const y1 = v128.load(pb, 16);
    const y2 = v128.load(pb, 32);
    const y3 = v128.load(pb, 48);
    s00 = madd64(x0, y0, s00);
    s01 = madd64(x0, y1, s01);
    s02 = madd64(x0, y2, s02);
    s03 = madd64(x0, y3, s03);
    s10 = madd64(x1, y0, s10);
    s11 = madd64(x1, y1, s11);
    s12 = madd64(x1, y2, s12);
    s13 = madd64(x1, y3, s13);
    pa += ldaB;
    pb += ldbB;
  }
  const r0 = rowAt(C, ldc, a0) + cc;
  const r1 = rowAt(C, ldc, a0 + 1) + cc;
  const ow = (mode & OVERWRITE) != 0;
  storeLanes(r0, s00, alpha, ow);
  storeLanes(r0 + 16, s01, alpha, ow);
  storeLanes(r0 + 32, s02, alpha, ow);
  storeLanes(r0 + 48, s03, alpha, ow);
  storeLanes(r1, s10, alpha, ow);
  storeLanes(r1 + 16, s11, alpha, ow);
  storeLanes(r1 + 32, s12, alpha, ow);
  storeLanes(r1 + 48, s13, alpha, ow);
}

/** put() on both lanes of s (the same scalar operations, so tiles and single entries agree). */
@inline function storeLanes(p: usize, s: v128, alpha: f64, ow: bool): void {
  const s0 = f64x2.extract_lane(s, 0);
  const s1 = f64x2.extract_lane(s, 1);
  store<f64>(p, ow ? alpha * s0 : load<f64>(p) + alpha * s0);
  store<f64>(p + 8, ow ? alpha * s1 : load<f64>(p + 8) + alpha * s1);
}
