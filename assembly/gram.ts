// The Gram matrix G = YᵀY + λI of the fixed side of an ALS half-step, accumulated in f64. Rows of Y are
// promoted to f64 a batch at a time into scratch, then every 4×4 tile of G's lower triangle is loaded
// once per batch, gets the batch's rank-1 updates in registers and is stored once. Each entry G[a][b] is
// the sum y_0[a]·y_0[b] + y_1[a]·y_1[b] + … in row order within a block of Y's rows; blocks are summed in
// block order (alsGramReduce), so any split of the blocks over threads gives the same bits.
// The JS twins are alsGramBlocks and alsGramReduce in src/kernels/als.ts.
import { rnd4 } from './layout';
import { madd32, madd64 } from './simd';

/** Rows of Y promoted per batch. */
const GRAM_BATCH: i32 = 32;

/** dst[0..kp) (f64) ← src[0..k) (f32), zero beyond k (promotion is exact). */
@inline function promoteRow(src: usize, dst: usize, k: i32, kp: i32): void {
  let j = 0;
  for (; j + 4 <= k; j += 4) {
    const q = v128.load(src + (<usize>j << 2));
    v128.store(dst + (<usize>j << 3), f64x2.promote_low_f32x4(q));
    v128.store(dst + (<usize>j << 3), f64x2.promote_low_f32x4(v128.shuffle<f32>(q, q, 2, 3, 0, 1)), 16);
  }
  for (; j < k; j++) store<f64>(dst + (<usize>j << 3), <f64>load<f32>(src + (<usize>j << 2)));
  for (; j < kp; j++) store<f64>(dst + (<usize>j << 3), 0.0);
}

/** G rows a..a+3, columns b..b+3 += Σ_{q<nb} P_q[a..a+3]ᵀ·P_q[b..b+3] (P packed, row stride kp f64). */
@inline function tile4x4(G: usize, P: usize, nb: i32, a: i32, b: i32, kp: i32): void {
  const rb = <usize>kp << 3;
  const g0 = G + <usize>a * rb + (<usize>b << 3);
  const g1 = g0 + rb;
  const g2 = g1 + rb;
  const g3 = g2 + rb;
  let t00 = v128.load(g0), t01 = v128.load(g0, 16);
  let t10 = v128.load(g1), t11 = v128.load(g1, 16);
  let t20 = v128.load(g2), t21 = v128.load(g2, 16);
  let t30 = v128.load(g3), t31 = v128.load(g3, 16);
  let pa = P + (<usize>a << 3);
  let pb = P + (<usize>b << 3);
  for (let q = 0; q < nb; q++) {
    const y0 = v128.load(pb);
    const y1 = v128.load(pb, 16);
    const s0 = v128.load64_splat(pa);
    const s1 = v128.load64_splat(pa, 8);
    const s2 = v128.load64_splat(pa, 16);
    const s3 = v128.load64_splat(pa, 24);
    t00 = madd64(s0, y0, t00);
    t01 = madd64(s0, y1, t01);
    t10 = madd64(s1, y0, t10);
    t11 = madd64(s1, y1, t11);
    t20 = madd64(s2, y0, t20);
    t21 = madd64(s2, y1, t21);
    t30 = madd64(s3, y0, t30);
    t31 = madd64(s3, y1, t31);
    pa += rb;
    pb += rb;
  }
  v128.store(g0, t00);
  v128.store(g0, t01, 16);
  v128.store(g1, t10);
  v128.store(g1, t11, 16);
  v128.store(g2, t20);
  v128.store(g2, t21, 16);
  v128.store(g3, t30);
  v128.store(g3, t31, 16);
}

/** G row a, columns b..b+3 += Σ_q P_q[a]·P_q[b..b+3] (the same sums as tile4x4, one row). */
@inline function tile1x4(G: usize, P: usize, nb: i32, a: i32, b: i32, kp: i32): void {
  const rb = <usize>kp << 3;
  const g0 = G + <usize>a * rb + (<usize>b << 3);
  let t0 = v128.load(g0);
  let t1 = v128.load(g0, 16);
  let pa = P + (<usize>a << 3);
  let pb = P + (<usize>b << 3);
  for (let q = 0; q < nb; q++) {
    const s = v128.load64_splat(pa);
    t0 = madd64(s, v128.load(pb), t0);
    t1 = madd64(s, v128.load(pb, 16), t1);
    pa += rb;
    pb += rb;
  }
  v128.store(g0, t0);
  v128.store(g0, t1, 16);
}

/**
 * Rows [a0, a1) (a1 ≤ k) of the lower triangle of Σ_i y_i·y_iᵀ into G64 (kp × kp f64), for Y n × k with
 * row stride `stride` floats. Those rows of G64 are zeroed first (and may get a few entries right of the
 * diagonal, which alsGramFinish overwrites); other rows are not touched. alsGramFinish then adds λ,
 * mirrors and writes G32. scratch: 256·kp bytes.
 */
function alsGramRows(Y: usize, n: i32, k: i32, stride: i32, G64: usize, a0: i32, a1: i32, scratch: usize): void {
  const kp = rnd4(k);
  memory.fill(G64 + (<usize>a0 * <usize>kp << 3), 0, <usize>(a1 - a0) * <usize>kp << 3);
  const P = scratch;
  const rowBytes = <usize>stride << 2;
  for (let i0 = 0; i0 < n; i0 += GRAM_BATCH) {
    const nb = min(GRAM_BATCH, n - i0);
    for (let q = 0; q < nb; q++) promoteRow(Y + <usize>(i0 + q) * rowBytes, P + (<usize>q * <usize>kp << 3), k, kp);
    let a = a0;
    for (; a + 4 <= a1; a += 4) for (let b = 0; b <= a + 3; b += 4) tile4x4(G64, P, nb, a, b, kp);
    for (; a < a1; a++) for (let b = 0; b <= a; b += 4) tile1x4(G64, P, nb, a, b, kp);
  }
}

/** With the lower triangle of G64 accumulated (every block's alsGramRows over all rows [0, k), summed): G64 ← lower + λI mirrored (zero padding), G32 ← f32(G64) when ≠ 0. */
function alsGramFinish(k: i32, lambda: f64, G64: usize, G32: usize): void {
  const kp = rnd4(k);
  for (let a = 0; a < kp; a++) {
    for (let b = a; b < kp; b++) {
      let v: f64 = 0;
      if (a < k && b < k) v = load<f64>(G64 + (<usize>(b * kp + a) << 3));
      if (a == b && a < k) v += lambda;
      store<f64>(G64 + (<usize>(b * kp + a) << 3), v);
      store<f64>(G64 + (<usize>(a * kp + b) << 3), v);
    }
  }
  if (G32 != 0) {
    const m = kp * kp;
    for (let j = 0; j < m; j++) store<f32>(G32 + (<usize>j << 2), <f32>load<f64>(G64 + (<usize>j << 3)));
  }
}

/**
 * Blocks [b0, b1) of the blocked Gram: block b is rows [b·blockRows, min(n, (b + 1)·blockRows)) of Y, and
 * its lower triangle Σ y_i·y_iᵀ (as alsGramRows over all of G's rows, row order) goes to the kp × kp f64
 * block P64 + b·8·kp². A block's sum depends on n, k and blockRows only, so any split of the blocks over
 * threads, with alsGramReduce after, gives the same bits. scratch: 256·kp bytes.
 */
export function alsGramBlocks(Y: usize, n: i32, k: i32, stride: i32, blockRows: i32, P64: usize, b0: i32, b1: i32, scratch: usize): void {
  const kp = rnd4(k);
  const bytes = <usize>kp * <usize>kp << 3;
  for (let b = b0; b < b1; b++) {
    const i0 = b * blockRows;
    alsGramRows(Y + (<usize>i0 * <usize>stride << 2), min(blockRows, n - i0), k, stride, P64 + <usize>b * bytes, 0, k, scratch);
  }
}

/**
 * G ← Σ_b P_b + λI over the nb blocks of alsGramBlocks, summed in block order (P_0 + P_1 + …), into G64
 * (full symmetric, zero padding) and G32 when ≠ 0, as alsGramFinish. Only the blocks' lower triangles are used.
 */
export function alsGramReduce(k: i32, lambda: f64, nb: i32, P64: usize, G64: usize, G32: usize): void {
  const kp = rnd4(k);
  const bytes = <usize>kp * <usize>kp << 3;
  if (nb <= 0) memory.fill(G64, 0, bytes);
  else memory.copy(G64, P64, bytes);
  for (let b = 1; b < nb; b++) {
    const P = P64 + <usize>b * bytes;
    for (let o: usize = 0; o < bytes; o += 16) v128.store(G64 + o, f64x2.add(v128.load(G64 + o), v128.load(P + o)));
  }
  alsGramFinish(k, lambda, G64, G32);
}

/** f32 rows of a batch, padded: dst[0..kp) ← src[0..k), zero beyond k. */
@inline function packRow32(src: usize, dst: usize, k: i32, kp: i32): void {
  memory.copy(dst, src, <usize>k << 2);
  for (let j = k; j < kp; j++) store<f32>(dst + (<usize>j << 2), 0);
}

/**
 * G rows a..a+3, columns b..b+7 (f64, row stride kp) += the batch's Σ_q P_q[a..a+3]ᵀ·P_q[b..b+7], summed in
 * f32 over the batch's ≤ 32 rows (P packed f32, row stride kp) and added to G in f64.
 */
@inline function tile4x8f32(G: usize, P: usize, nb: i32, a: i32, b: i32, kp: i32): void {
  const rb = <usize>kp << 2;
  let t00 = f32x4.splat(0), t01 = f32x4.splat(0), t10 = f32x4.splat(0), t11 = f32x4.splat(0);
  let t20 = f32x4.splat(0), t21 = f32x4.splat(0), t30 = f32x4.splat(0), t31 = f32x4.splat(0);
  let pa = P + (<usize>a << 2);
  let pb = P + (<usize>b << 2);
  for (let q = 0; q < nb; q++) {
    const y0 = v128.load(pb);
    const y1 = v128.load(pb, 16);
    const s0 = v128.load32_splat(pa);
    const s1 = v128.load32_splat(pa, 4);
    const s2 = v128.load32_splat(pa, 8);
    const s3 = v128.load32_splat(pa, 12);
    t00 = madd32(s0, y0, t00);
    t01 = madd32(s0, y1, t01);
    t10 = madd32(s1, y0, t10);
    t11 = madd32(s1, y1, t11);
    t20 = madd32(s2, y0, t20);
    t21 = madd32(s2, y1, t21);
    t30 = madd32(s3, y0, t30);
    t31 = madd32(s3, y1, t31);
    pa += rb;
    pb += rb;
  }
  const gb = <usize>kp << 3;
  const g0 = G + <usize>a * gb + (<usize>b << 3);
  addRow8(g0, t00, t01);
  addRow8(g0 + gb, t10, t11);
  addRow8(g0 + 2 * gb, t20, t21);
  addRow8(g0 + 3 * gb, t30, t31);
}

/** g[0..8) (f64) += the eight f32 lanes of lo, hi. */
@inline function addRow8(g: usize, lo: v128, hi: v128): void {
  v128.store(g, f64x2.add(v128.load(g), f64x2.promote_low_f32x4(lo)));
  v128.store(g, f64x2.add(v128.load(g, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(lo, lo, 2, 3, 0, 1))), 16);
  v128.store(g, f64x2.add(v128.load(g, 32), f64x2.promote_low_f32x4(hi)), 32);
  v128.store(g, f64x2.add(v128.load(g, 48), f64x2.promote_low_f32x4(v128.shuffle<f32>(hi, hi, 2, 3, 0, 1))), 48);
}

/**
 * alsGramBlocks with f32 arithmetic inside each batch of 32 rows (twice the SIMD width of f64), the batch
 * sums added in f64: for the solvers that only read G32 (CG, subspace), where the f32 Gram is accurate far
 * beyond what they need (32-term f32 sums: ~1e-6 relative). Same block layout and bits-per-split guarantee;
 * the lower triangle of each block (and a few entries right of it, which alsGramReduce ignores) is written,
 * in 4×8 tiles. scratch: 128·kp bytes.
 */
export function alsGramBlocks32(Y: usize, n: i32, k: i32, stride: i32, blockRows: i32, P64: usize, b0: i32, b1: i32, scratch: usize): void {
  const kp = rnd4(k);
  const bytes = <usize>kp * <usize>kp << 3;
  const P = scratch;
  const rowBytes = <usize>stride << 2;
  for (let blk = b0; blk < b1; blk++) {
    const G = P64 + <usize>blk * bytes;
    memory.fill(G, 0, bytes);
    const i0 = blk * blockRows;
    const i1 = min(n, i0 + blockRows);
    for (let r = i0; r < i1; r += GRAM_BATCH) {
      const nb = min(GRAM_BATCH, i1 - r);
      for (let q = 0; q < nb; q++) packRow32(Y + <usize>(r + q) * rowBytes, P + (<usize>(q * kp) << 2), k, kp);
      for (let a = 0; a < k; a += 4) {
        // columns b..b+7 up to a's rows (4×4 where kp ends mid-tile)
        for (let b = 0; b <= a; b += 8) {
          if (b + 8 <= kp) tile4x8f32(G, P, nb, a, b, kp);
          else tile4x4f32(G, P, nb, a, b, kp);
        }
      }
    }
  }
}

/** tile4x8f32 for the last 4 columns of a row of tiles (kp not a multiple of 8). */
@inline function tile4x4f32(G: usize, P: usize, nb: i32, a: i32, b: i32, kp: i32): void {
  const rb = <usize>kp << 2;
  let t0 = f32x4.splat(0), t1 = f32x4.splat(0), t2 = f32x4.splat(0), t3 = f32x4.splat(0);
  let pa = P + (<usize>a << 2);
  let pb = P + (<usize>b << 2);
  for (let q = 0; q < nb; q++) {
    const y0 = v128.load(pb);
    t0 = madd32(v128.load32_splat(pa), y0, t0);
    t1 = madd32(v128.load32_splat(pa, 4), y0, t1);
    t2 = madd32(v128.load32_splat(pa, 8), y0, t2);
    t3 = madd32(v128.load32_splat(pa, 12), y0, t3);
    pa += rb;
    pb += rb;
  }
  const gb = <usize>kp << 3;
  const g0 = G + <usize>a * gb + (<usize>b << 3);
  for (let i = 0; i < 4; i++) {
    const t = i == 0 ? t0 : i == 1 ? t1 : i == 2 ? t2 : t3;
    const g = g0 + <usize>i * gb;
    v128.store(g, f64x2.add(v128.load(g), f64x2.promote_low_f32x4(t)));
    v128.store(g, f64x2.add(v128.load(g, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(t, t, 2, 3, 0, 1))), 16);
  }
}
