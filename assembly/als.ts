// ALS kernels: one call solves a whole range of rows of one half-iteration (row gather, Gram update,
// solve), so JS crosses into WASM once per half-iteration, not once per row. The pure-JS twin with the
// same semantics is src/kernels/als.ts; the contract is declared in src/runtime/declarations.ts.
//
// Precision: the exact solvers (implicit Cholesky, explicit) accumulate the k×k system and factor it in
// f64 (factors are stored f32). The CG solver runs in f32 with SIMD, as it only needs to improve a
// warm start by a few steps.
//
// Scratch layouts use kp = k rounded up to a multiple of 4 as the row stride of k×k blocks and the
// length of vectors, zero-padded, so that v128 loops need no tails there. Factor rows in the heap have
// stride k (or dim) and are read with explicit tails.

import { rnd4 } from './layout';

// ---------------------------------------------------------------------------------------------------
// small helpers (private, inlined)

/** Confidence c for a stored value r: 1 + α|r| ('linear') or 1 + α·log(1 + |r|/ε) ('log'). */
@inline function confidence(r: f64, alpha: f64, eps: f64, logConf: i32): f64 {
  const a = Math.abs(r);
  return logConf ? 1.0 + alpha * Math.log(1.0 + a / eps) : 1.0 + alpha * a;
}

/** dst[0..kp) (f64) ← src[0..k) (f32), zero beyond k. */
@inline function promote(src: usize, dst: usize, k: i32, kp: i32): void {
  for (let j = 0; j < k; j++) store<f64>(dst + (<usize>j << 3), <f64>load<f32>(src + (<usize>j << 2)));
  for (let j = k; j < kp; j++) store<f64>(dst + (<usize>j << 3), 0.0);
}

/** Σ a[j]·b[j] over f64 vectors, j < n (any n). */
@inline function dot64(a: usize, b: usize, n: i32): f64 {
  let acc0 = f64x2.splat(0.0);
  let acc1 = f64x2.splat(0.0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 3;
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
  }
  acc0 = f64x2.add(acc0, acc1);
  let s = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
  for (; j < n; j++) s += load<f64>(a + (<usize>j << 3)) * load<f64>(b + (<usize>j << 3));
  return s;
}

/** Σ a[j]·b[j] over f32 vectors, j < n (any n), f32 lanes. */
@inline function dot32(a: usize, b: usize, n: i32): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const o = <usize>j << 2;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
  }
  if (j + 4 <= n) {
    const o = <usize>j << 2;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    j += 4;
  }
  acc0 = f32x4.add(acc0, acc1);
  let s = f32x4.extract_lane(acc0, 0) + f32x4.extract_lane(acc0, 1) + (f32x4.extract_lane(acc0, 2) + f32x4.extract_lane(acc0, 3));
  for (; j < n; j++) s += load<f32>(a + (<usize>j << 2)) * load<f32>(b + (<usize>j << 2));
  return s;
}

/** y[0..n) += s·x[0..n) over f32 vectors (any n). */
@inline function axpy32(s: f32, x: usize, y: usize, n: i32): void {
  const sv = f32x4.splat(s);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(sv, v128.load(x + o))));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(y + o, load<f32>(y + o) + s * load<f32>(x + o));
  }
}

/**
 * Lower triangle of dst ← src + s1·u1·u1ᵀ + s2·u2·u2ᵀ (f64, row stride kp, u padded to kp). Two updates
 * per pass halve the traffic through the k×k block. Columns a+1 of even rows a are touched too (upper
 * triangle, never read). src may equal dst.
 */
@inline function rank2Lower(src: usize, dst: usize, s1: f64, u1: usize, s2: f64, u2: usize, k: i32, kp: i32): void {
  for (let a = 0; a < k; a++) {
    const w1 = f64x2.splat(s1 * load<f64>(u1 + (<usize>a << 3)));
    const w2 = f64x2.splat(s2 * load<f64>(u2 + (<usize>a << 3)));
    const row = <usize>a * <usize>kp << 3;
    const srow = src + row;
    const drow = dst + row;
    for (let b = 0; b <= a; b += 2) {
      const o = <usize>b << 3;
      const t = f64x2.add(f64x2.mul(w1, v128.load(u1 + o)), f64x2.mul(w2, v128.load(u2 + o)));
      v128.store(drow + o, f64x2.add(v128.load(srow + o), t));
    }
  }
}

/** Copy the lower triangle (rounded to even columns) of a kp-stride f64 block. */
@inline function copyLower(src: usize, dst: usize, k: i32, kp: i32): void {
  for (let a = 0; a < k; a++) {
    const row = <usize>a * <usize>kp << 3;
    memory.copy(dst + row, src + row, <usize>((a + 2) & ~1) << 3);
  }
}

/**
 * In-place Cholesky of the lower triangle of a kp-stride f64 block; 1/L_ii goes to invd. Returns -1, or
 * the first pivot that is not safely positive (≤ 1e-10 of the original diagonal: numerically singular).
 */
@inline function cholesky64(A: usize, invd: usize, k: i32, kp: i32): i32 {
  for (let i = 0; i < k; i++) {
    const ri = A + (<usize>i * <usize>kp << 3);
    for (let j = 0; j < i; j++) {
      const rj = A + (<usize>j * <usize>kp << 3);
      const s = load<f64>(ri + (<usize>j << 3)) - dot64(ri, rj, j);
      store<f64>(ri + (<usize>j << 3), s * load<f64>(invd + (<usize>j << 3)));
    }
    const orig = load<f64>(ri + (<usize>i << 3));
    const s = orig - dot64(ri, ri, i);
    if (!(s > orig * 1e-10) || !(s > 0.0) || !isFinite(s)) return i;
    const d = Math.sqrt(s);
    store<f64>(ri + (<usize>i << 3), d);
    store<f64>(invd + (<usize>i << 3), 1.0 / d);
  }
  return -1;
}

/** Solve L·Lᵀ·x = b in place (b ← x) with the factor from cholesky64. */
@inline function choleskySolve64(L: usize, invd: usize, b: usize, k: i32, kp: i32): void {
  for (let i = 0; i < k; i++) {
    const ri = L + (<usize>i * <usize>kp << 3);
    const bi = b + (<usize>i << 3);
    store<f64>(bi, (load<f64>(bi) - dot64(ri, b, i)) * load<f64>(invd + (<usize>i << 3)));
  }
  for (let i = k - 1; i >= 0; i--) {
    const ri = L + (<usize>i * <usize>kp << 3);
    const bi = b + (<usize>i << 3);
    const x = load<f64>(bi) * load<f64>(invd + (<usize>i << 3));
    store<f64>(bi, x);
    // b[0..i) -= x·L[i][0..i): the column-oriented back substitution keeps memory access contiguous.
    const xv = f64x2.splat(x);
    let p = 0;
    for (; p + 2 <= i; p += 2) {
      const o = <usize>p << 3;
      v128.store(b + o, f64x2.sub(v128.load(b + o), f64x2.mul(xv, v128.load(ri + o))));
    }
    for (; p < i; p++) {
      const o = <usize>p << 3;
      store<f64>(b + o, load<f64>(b + o) - x * load<f64>(ri + o));
    }
  }
}

/** Write x (f64, k) to out (f32); returns false if any value is not finite. */
@inline function storeChecked(x: usize, out: usize, k: i32): bool {
  let ok = true;
  for (let j = 0; j < k; j++) {
    const v = <f32>load<f64>(x + (<usize>j << 3));
    if (!isFinite(v)) ok = false;
    store<f32>(out + (<usize>j << 2), v);
  }
  return ok;
}

@inline function zeroRow(out: usize, k: i32): void {
  memory.fill(out, 0, <usize>k << 2);
}

/** Failure code: -1 ok; r ≥ 0 singular system at row r; -(r + 2) non-finite result at row r. */
@inline function nonFinite(r: i32): i32 {
  return -(r + 2);
}

// ---------------------------------------------------------------------------------------------------
// Gram

/**
 * G ← YᵀY + λI for Y (n × k, row stride `stride` floats, f32), accumulated in f64. G64 is kp × kp f64
 * (full symmetric, zero padding); when G32 ≠ 0 the same matrix is also written there as kp × kp f32.
 * scratch: 2·kp f64.
 */
export function alsGram(Y: usize, n: i32, k: i32, stride: i32, lambda: f64, G64: usize, G32: usize, scratch: usize): void {
  const kp = rnd4(k);
  memory.fill(G64, 0, <usize>kp * <usize>kp << 3);
  const u1 = scratch;
  const u2 = scratch + (<usize>kp << 3);
  const rowBytes = <usize>stride << 2;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    promote(Y + <usize>i * rowBytes, u1, k, kp);
    promote(Y + <usize>(i + 1) * rowBytes, u2, k, kp);
    rank2Lower(G64, G64, 1.0, u1, 1.0, u2, k, kp);
  }
  if (i < n) {
    promote(Y + <usize>i * rowBytes, u1, k, kp);
    rank2Lower(G64, G64, 1.0, u1, 0.0, u1, k, kp);
  }
  alsGramFinish(k, lambda, G64, G32);
}

/** With the lower triangle of G64 accumulated (by alsGram, or alsGramRows over all rows [0, k)): G64 ← lower + λI mirrored (zero padding), G32 ← f32(G64) when ≠ 0. */
export function alsGramFinish(k: i32, lambda: f64, G64: usize, G32: usize): void {
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

// ---------------------------------------------------------------------------------------------------
// implicit ALS (Hu, Koren, Volinsky 2008)

// --- f32 Cholesky on the upper triangle (A = UᵀU, row-major, stride kp) -------------------------------
// Right-looking, so every inner loop is a contiguous f32x4 axpy from the diagonal rightwards. Columns
// left of the diagonal (rounded down to a multiple of 4) may be overwritten with garbage: never read.

/** Upper triangle of dst ← src + s1·u1·u1ᵀ + s2·u2·u2ᵀ (f32, kp stride; u zero-padded to kp). */
@inline function rank2Upper32(src: usize, dst: usize, s1: f32, u1: usize, s2: f32, u2: usize, k: i32, kp: i32): void {
  for (let a = 0; a < k; a++) {
    const w1 = f32x4.splat(s1 * load<f32>(u1 + (<usize>a << 2)));
    const w2 = f32x4.splat(s2 * load<f32>(u2 + (<usize>a << 2)));
    const row = <usize>a * <usize>kp << 2;
    const srow = src + row;
    const drow = dst + row;
    for (let b = a & ~3; b < kp; b += 4) {
      const o = <usize>b << 2;
      const t = f32x4.add(f32x4.mul(w1, v128.load(u1 + o)), f32x4.mul(w2, v128.load(u2 + o)));
      v128.store(drow + o, f32x4.add(v128.load(srow + o), t));
    }
  }
}

/**
 * In-place Cholesky A = UᵀU of the upper triangle (f32); 1/U_jj to invd. Returns -1, or the first pivot
 * that is not safely positive relative to the original diagonal (saved in diag): the caller then falls
 * back to f64.
 */
@inline function choleskyUpper32(A: usize, invd: usize, diag: usize, k: i32, kp: i32): i32 {
  const rowBytes = <usize>kp << 2;
  for (let j = 0; j < k; j++) store<f32>(diag + (<usize>j << 2), load<f32>(A + <usize>j * rowBytes + (<usize>j << 2)));
  for (let j = 0; j < k; j++) {
    const rj = A + <usize>j * rowBytes;
    const s = load<f32>(rj + (<usize>j << 2));
    if (!(s > load<f32>(diag + (<usize>j << 2)) * 1e-4) || !isFinite(s)) return j;
    const d = Mathf.sqrt(s);
    const inv: f32 = 1.0 / d;
    store<f32>(invd + (<usize>j << 2), inv);
    const iv = f32x4.splat(inv);
    for (let b = j & ~3; b < kp; b += 4) {
      const o = <usize>b << 2;
      v128.store(rj + o, f32x4.mul(iv, v128.load(rj + o)));
    }
    store<f32>(rj + (<usize>j << 2), d);
    for (let i = j + 1; i < k; i++) {
      const f = f32x4.splat(load<f32>(rj + (<usize>i << 2)));
      const ri = A + <usize>i * rowBytes;
      for (let b = i & ~3; b < kp; b += 4) {
        const o = <usize>b << 2;
        v128.store(ri + o, f32x4.sub(v128.load(ri + o), f32x4.mul(f, v128.load(rj + o))));
      }
    }
  }
  return -1;
}

/** Solve UᵀU·x = z in place (z f32, kp, zero-padded) with the factor from choleskyUpper32. */
@inline function choleskySolveUpper32(U: usize, invd: usize, z: usize, k: i32, kp: i32): void {
  const rowBytes = <usize>kp << 2;
  // Uᵀ·w = z: w_i = z_i / U_ii, then z[i+1..) −= w_i·U[i][i+1..) (contiguous row of U).
  for (let i = 0; i < k; i++) {
    const zi = load<f32>(z + (<usize>i << 2)) * load<f32>(invd + (<usize>i << 2));
    store<f32>(z + (<usize>i << 2), zi);
    const ri = U + <usize>i * rowBytes;
    let b = i + 1;
    for (; b < kp && (b & 3) != 0; b++) store<f32>(z + (<usize>b << 2), load<f32>(z + (<usize>b << 2)) - zi * load<f32>(ri + (<usize>b << 2)));
    const f = f32x4.splat(zi);
    for (; b < kp; b += 4) {
      const o = <usize>b << 2;
      v128.store(z + o, f32x4.sub(v128.load(z + o), f32x4.mul(f, v128.load(ri + o))));
    }
  }
  // U·x = w: x_i = (w_i − U[i][i+1..)·x[i+1..)) / U_ii.
  for (let i = k - 1; i >= 0; i--) {
    const ri = U + <usize>i * rowBytes;
    let b = i + 1;
    let s: f32 = 0;
    for (; b < kp && (b & 3) != 0; b++) s += load<f32>(z + (<usize>b << 2)) * load<f32>(ri + (<usize>b << 2));
    let acc = f32x4.splat(0);
    for (; b < kp; b += 4) {
      const o = <usize>b << 2;
      acc = f32x4.add(acc, f32x4.mul(v128.load(z + o), v128.load(ri + o)));
    }
    s += f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    store<f32>(z + (<usize>i << 2), (load<f32>(z + (<usize>i << 2)) - s) * load<f32>(invd + (<usize>i << 2)));
  }
}

/** dst[0..kp) (f32) ← src[0..k) (f32), zero beyond k. */
@inline function copyPad32(src: usize, dst: usize, k: i32, kp: i32): void {
  memory.copy(dst, src, <usize>k << 2);
  for (let j = k; j < kp; j++) store<f32>(dst + (<usize>j << 2), 0);
}

/** The f64 exact solve of one implicit row (fallback when the f32 factorization is not safe). */
@inline function implicitRow64(
  indices: usize, data: usize, p0: i32, p1: i32, Y: usize, G64: usize, out: usize,
  k: i32, kp: i32, alpha: f64, eps: f64, logConf: i32, A: usize, b: usize, u1: usize, u2: usize, invd: usize,
): i32 {
  const rowBytes = <usize>k << 2;
  memory.fill(b, 0, <usize>kp << 3);
  let src = G64;
  for (let p = p0; p < p1; p += 2) {
    const two = p + 1 < p1;
    const i1 = load<i32>(indices + (<usize>p << 2));
    const i2 = two ? load<i32>(indices + (<usize>(p + 1) << 2)) : i1;
    const v1 = <f64>load<f32>(data + (<usize>p << 2));
    const v2 = two ? <f64>load<f32>(data + (<usize>(p + 1) << 2)) : 0.0;
    const c1 = confidence(v1, alpha, eps, logConf);
    const c2 = two ? confidence(v2, alpha, eps, logConf) : 1.0;
    promote(Y + <usize>i1 * rowBytes, u1, k, kp);
    promote(Y + <usize>i2 * rowBytes, u2, k, kp);
    rank2Lower(src, A, c1 - 1.0, u1, c2 - 1.0, u2, k, kp);
    src = A;
    const w1 = f64x2.splat(v1 > 0 ? c1 : 0.0);
    const w2 = f64x2.splat(v2 > 0 ? c2 : 0.0);
    for (let j = 0; j < kp; j += 2) {
      const o = <usize>j << 3;
      v128.store(b + o, f64x2.add(v128.load(b + o), f64x2.add(f64x2.mul(w1, v128.load(u1 + o)), f64x2.mul(w2, v128.load(u2 + o)))));
    }
  }
  if (cholesky64(A, invd, k, kp) >= 0) return 0;
  choleskySolve64(A, invd, b, k, kp);
  return storeChecked(b, out, k) ? 1 : -1;
}

// --- Woodbury path for rows with few interactions ------------------------------------------------------
// A = G + V·D·Vᵀ with V = [y_i] (k×n) and D = diag(c_i − 1) > 0, b = V·β, β_i = c_i·p_i. Then
// x = A⁻¹·b = W·M⁻¹·D⁻¹·β with W = G⁻¹·V and M = D⁻¹ + Vᵀ·W (n×n): O(n·k²) per row instead of the
// O(k³) factorization, once G⁻¹ is known (computed once per call). All in f64.

/** Rows with at most this many interactions take the Woodbury path. */
const WOODBURY_MAX: i32 = 12;
/** ... and only in calls solving at least this many rows (G⁻¹ costs about k solves). */
const WOODBURY_MIN_ROWS: i32 = 64;

/** Ginv ← G⁻¹ (f64, kp stride, full) from G64 via Cholesky in A (scratch); false if G is not SPD. */
@inline function invertGram(G64: usize, Ginv: usize, A: usize, invd: usize, col: usize, k: i32, kp: i32): bool {
  memory.copy(A, G64, <usize>kp * <usize>kp << 3);
  if (cholesky64(A, invd, k, kp) >= 0) return false;
  memory.fill(Ginv, 0, <usize>kp * <usize>kp << 3);
  for (let j = 0; j < k; j++) {
    memory.fill(col, 0, <usize>kp << 3);
    store<f64>(col + (<usize>j << 3), 1.0);
    choleskySolve64(A, invd, col, k, kp);
    memory.copy(Ginv + (<usize>j * <usize>kp << 3), col, <usize>k << 3);
  }
  return true;
}

/**
 * The Woodbury solve of one row (n = p1 − p0 ≤ WOODBURY_MAX, every c − 1 > 0) into out.
 * Returns 1 ok, 0 singular, -1 not finite.
 */
@inline function implicitRowWoodbury(
  indices: usize, data: usize, p0: i32, p1: i32, Y: usize, Ginv: usize, out: usize,
  k: i32, kp: i32, alpha: f64, eps: f64, logConf: i32, V: usize, W: usize, M: usize, g: usize, x: usize,
): i32 {
  const n = p1 - p0;
  const rowBytes = <usize>k << 2;
  const vb = <usize>kp << 3;
  for (let q = 0; q < n; q++) {
    const v = <f64>load<f32>(data + (<usize>(p0 + q) << 2));
    const c = confidence(v, alpha, eps, logConf);
    const vq = V + <usize>q * vb;
    const wq = W + <usize>q * vb;
    promote(Y + <usize>load<i32>(indices + (<usize>(p0 + q) << 2)) * rowBytes, vq, k, kp);
    // W_q = G⁻¹·v_q (G⁻¹ symmetric: a sum of its rows)
    memory.fill(wq, 0, vb);
    for (let a = 0; a < k; a++) {
      const s = f64x2.splat(load<f64>(vq + (<usize>a << 3)));
      const ga = Ginv + (<usize>a * vb);
      for (let j = 0; j < kp; j += 2) {
        const o = <usize>j << 3;
        v128.store(wq + o, f64x2.add(v128.load(wq + o), f64x2.mul(s, v128.load(ga + o))));
      }
    }
    const dinv = 1.0 / (c - 1.0);
    store<f64>(g + (<usize>q << 3), v > 0 ? c * dinv : 0.0);
    for (let t = 0; t <= q; t++) {
      let m = dot64(vq, W + <usize>t * vb, kp);
      if (t == q) m += dinv;
      store<f64>(M + (<usize>(q * WOODBURY_MAX + t) << 3), m);
    }
  }
  // γ = M⁻¹·g (dense Cholesky, n small), lower triangle with stride WOODBURY_MAX
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = load<f64>(M + (<usize>(i * WOODBURY_MAX + j) << 3));
      for (let p = 0; p < j; p++) s -= load<f64>(M + (<usize>(i * WOODBURY_MAX + p) << 3)) * load<f64>(M + (<usize>(j * WOODBURY_MAX + p) << 3));
      if (i == j) {
        if (!(s > 0.0) || !isFinite(s)) return 0;
        store<f64>(M + (<usize>(i * WOODBURY_MAX + i) << 3), Math.sqrt(s));
      } else {
        store<f64>(M + (<usize>(i * WOODBURY_MAX + j) << 3), s / load<f64>(M + (<usize>(j * WOODBURY_MAX + j) << 3)));
      }
    }
  }
  for (let i = 0; i < n; i++) {
    let s = load<f64>(g + (<usize>i << 3));
    for (let p = 0; p < i; p++) s -= load<f64>(M + (<usize>(i * WOODBURY_MAX + p) << 3)) * load<f64>(g + (<usize>p << 3));
    store<f64>(g + (<usize>i << 3), s / load<f64>(M + (<usize>(i * WOODBURY_MAX + i) << 3)));
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = load<f64>(g + (<usize>i << 3));
    for (let p = i + 1; p < n; p++) s -= load<f64>(M + (<usize>(p * WOODBURY_MAX + i) << 3)) * load<f64>(g + (<usize>p << 3));
    store<f64>(g + (<usize>i << 3), s / load<f64>(M + (<usize>(i * WOODBURY_MAX + i) << 3)));
  }
  // x = W·γ
  memory.fill(x, 0, vb);
  for (let q = 0; q < n; q++) {
    const s = f64x2.splat(load<f64>(g + (<usize>q << 3)));
    const wq = W + <usize>q * vb;
    for (let j = 0; j < kp; j += 2) {
      const o = <usize>j << 3;
      v128.store(x + o, f64x2.add(v128.load(x + o), f64x2.mul(s, v128.load(wq + o))));
    }
  }
  return storeChecked(x, out, k) ? 1 : -1;
}

/**
 * Exact implicit half-step for rows [r0, r1): x_u = (G + Σ_{i∈I_u}(c_ui − 1)·y_i·y_iᵀ)⁻¹ · Σ c_ui·p_ui·y_i,
 * G = YᵀY + λI from alsGram (G64 f64 and G32 f32, kp×kp). Empty rows get zeros. Y and X have row stride k.
 *
 * Mixed precision: the system is formed and factored in f32 (SIMD), the solution then gets one step of
 * iterative refinement with the residual b − A·x computed in f64 as G64·x + Σ (c−1)(y_iᵀx)·y_i, which
 * brings it to f64-solve accuracy for any reasonably conditioned row. Rows whose f32 factorization has a
 * tiny pivot are solved entirely in f64. Rows with ≤ WOODBURY_MAX interactions (in calls of ≥ 64 rows)
 * are solved exactly in f64 through the Woodbury identity instead, with G⁻¹ computed once per call.
 * scratch: 8·(kp² + 4·kp) + 4·(kp² + 5·kp) + 8·(kp² + 24·kp + 156) + 4·maxRowNnz bytes.
 * Returns -1, or a failure code (see nonFinite).
 */
export function alsImplicitCholesky(
  indptr: usize, indices: usize, data: usize, Y: usize, G64: usize, G32: usize, X: usize,
  r0: i32, r1: i32, k: i32, alpha: f64, eps: f64, logConf: i32, scratch: usize,
): i32 {
  const kp = rnd4(k);
  const v8 = <usize>kp << 3;
  const v4 = <usize>kp << 2;
  // f64 part (fallback system and refinement vectors)
  const A64 = scratch;
  const b = A64 + (<usize>kp * <usize>kp << 3);
  const u1 = b + v8;
  const u2 = u1 + v8;
  const invd64 = u2 + v8;
  // f32 part
  const A = invd64 + v8;
  const z = A + (<usize>kp * <usize>kp << 2);
  const y1 = z + v4;
  const y2 = y1 + v4;
  const invd = y2 + v4;
  const diag = invd + v4;
  // Woodbury part (f64)
  const Ginv = diag + v4;
  const WV = Ginv + (<usize>kp * <usize>kp << 3);
  const WW = WV + <usize>WOODBURY_MAX * v8;
  const WM = WW + <usize>WOODBURY_MAX * v8;
  const Wg = WM + (<usize>(WOODBURY_MAX * WOODBURY_MAX) << 3);
  const cm1 = Wg + (<usize>WOODBURY_MAX << 3);
  const rowBytes = <usize>k << 2;
  // 0 = not tried, 1 = G⁻¹ ready, -1 = unavailable (G not SPD, or too few rows to pay for it)
  let woodbury: i32 = r1 - r0 >= WOODBURY_MIN_ROWS ? 0 : -1;
  for (let r = r0; r < r1; r++) {
    const out = X + <usize>r * rowBytes;
    const p0 = load<i32>(indptr + (<usize>r << 2));
    const p1 = load<i32>(indptr + (<usize>(r + 1) << 2));
    if (p1 == p0) {
      zeroRow(out, k);
      continue;
    }
    if (p1 - p0 <= WOODBURY_MAX && woodbury >= 0) {
      let usable = true;
      for (let p = p0; p < p1; p++) {
        if (!(confidence(<f64>load<f32>(data + (<usize>p << 2)), alpha, eps, logConf) > 1.0)) usable = false;
      }
      if (usable) {
        if (woodbury == 0) woodbury = invertGram(G64, Ginv, A64, invd64, b, k, kp) ? 1 : -1;
        if (woodbury == 1) {
          const ok = implicitRowWoodbury(indices, data, p0, p1, Y, Ginv, out, k, kp, alpha, eps, logConf, WV, WW, WM, Wg, b);
          if (ok == 1) continue;
          if (ok < 0) return nonFinite(r);
          // singular M (should not happen with D > 0): fall through to the general path
        }
      }
    }
    // A = G + Σ (c−1)·y·yᵀ (f32, upper), b = Σ c·p·y (f64)
    memory.fill(b, 0, v8);
    let src = G32;
    for (let p = p0; p < p1; p += 2) {
      const two = p + 1 < p1;
      const i1 = load<i32>(indices + (<usize>p << 2));
      const i2 = two ? load<i32>(indices + (<usize>(p + 1) << 2)) : i1;
      const v1 = <f64>load<f32>(data + (<usize>p << 2));
      const v2 = two ? <f64>load<f32>(data + (<usize>(p + 1) << 2)) : 0.0;
      const c1 = confidence(v1, alpha, eps, logConf);
      const c2 = two ? confidence(v2, alpha, eps, logConf) : 1.0;
      store<f32>(cm1 + (<usize>(p - p0) << 2), <f32>(c1 - 1.0));
      if (two) store<f32>(cm1 + (<usize>(p + 1 - p0) << 2), <f32>(c2 - 1.0));
      copyPad32(Y + <usize>i1 * rowBytes, y1, k, kp);
      copyPad32(Y + <usize>i2 * rowBytes, y2, k, kp);
      rank2Upper32(src, A, <f32>(c1 - 1.0), y1, <f32>(c2 - 1.0), y2, k, kp);
      src = A;
      const w1 = f64x2.splat(v1 > 0 ? c1 : 0.0);
      const w2 = f64x2.splat(v2 > 0 ? c2 : 0.0);
      for (let j = 0; j < kp; j += 4) {
        const q1 = v128.load(y1 + (<usize>j << 2));
        const q2 = v128.load(y2 + (<usize>j << 2));
        const o = <usize>j << 3;
        const lo = f64x2.add(f64x2.mul(w1, f64x2.promote_low_f32x4(q1)), f64x2.mul(w2, f64x2.promote_low_f32x4(q2)));
        const hi = f64x2.add(
          f64x2.mul(w1, f64x2.promote_low_f32x4(v128.shuffle<f32>(q1, q1, 2, 3, 0, 1))),
          f64x2.mul(w2, f64x2.promote_low_f32x4(v128.shuffle<f32>(q2, q2, 2, 3, 0, 1))),
        );
        v128.store(b + o, f64x2.add(v128.load(b + o), lo));
        v128.store(b + o, f64x2.add(v128.load(b + o, 16), hi), 16);
      }
    }
    if (choleskyUpper32(A, invd, diag, k, kp) >= 0) {
      const ok = implicitRow64(indices, data, p0, p1, Y, G64, out, k, kp, alpha, eps, logConf, A64, b, u1, u2, invd64);
      if (ok == 0) return r;
      if (ok < 0) return nonFinite(r);
      continue;
    }
    // x0 = A⁻¹·b in f32
    for (let j = 0; j < kp; j++) store<f32>(z + (<usize>j << 2), <f32>load<f64>(b + (<usize>j << 3)));
    choleskySolveUpper32(A, invd, z, k, kp);
    // one refinement step: res = b − A·x0 in f64 (u1 = x0, u2 = residual)
    for (let j = 0; j < kp; j++) store<f64>(u1 + (<usize>j << 3), <f64>load<f32>(z + (<usize>j << 2)));
    for (let a = 0; a < kp; a++) {
      store<f64>(u2 + (<usize>a << 3), load<f64>(b + (<usize>a << 3)) - dot64(G64 + (<usize>a * <usize>kp << 3), u1, kp));
    }
    for (let p = p0; p < p1; p++) {
      promote(Y + <usize>load<i32>(indices + (<usize>p << 2)) * rowBytes, invd64, k, kp);
      const t = f64x2.splat(<f64>load<f32>(cm1 + (<usize>(p - p0) << 2)) * dot64(invd64, u1, kp));
      for (let j = 0; j < kp; j += 2) {
        const o = <usize>j << 3;
        v128.store(u2 + o, f64x2.sub(v128.load(u2 + o), f64x2.mul(t, v128.load(invd64 + o))));
      }
    }
    for (let j = 0; j < kp; j++) store<f32>(z + (<usize>j << 2), <f32>load<f64>(u2 + (<usize>j << 3)));
    choleskySolveUpper32(A, invd, z, k, kp);
    for (let j = 0; j < kp; j++) store<f64>(u1 + (<usize>j << 3), load<f64>(u1 + (<usize>j << 3)) + <f64>load<f32>(z + (<usize>j << 2)));
    if (!storeChecked(u1, out, k)) return nonFinite(r);
  }
  return -1;
}

/** out[0..kp) = G32·v (G32 kp×kp symmetric f32, v kp zero-padded), four rows of G per pass. */
@inline function symv32(G: usize, v: usize, out: usize, kp: i32): void {
  memory.fill(out, 0, <usize>kp << 2);
  const rowBytes = <usize>kp << 2;
  for (let a = 0; a < kp; a += 4) {
    const s0 = f32x4.splat(load<f32>(v + (<usize>a << 2)));
    const s1 = f32x4.splat(load<f32>(v + (<usize>(a + 1) << 2)));
    const s2 = f32x4.splat(load<f32>(v + (<usize>(a + 2) << 2)));
    const s3 = f32x4.splat(load<f32>(v + (<usize>(a + 3) << 2)));
    const g0 = G + <usize>a * rowBytes;
    const g1 = g0 + rowBytes;
    const g2 = g1 + rowBytes;
    const g3 = g2 + rowBytes;
    for (let j = 0; j < kp; j += 4) {
      const o = <usize>j << 2;
      const t = f32x4.add(
        f32x4.add(f32x4.mul(s0, v128.load(g0 + o)), f32x4.mul(s1, v128.load(g1 + o))),
        f32x4.add(f32x4.mul(s2, v128.load(g2 + o)), f32x4.mul(s3, v128.load(g3 + o))),
      );
      v128.store(out + o, f32x4.add(v128.load(out + o), t));
    }
  }
}

/** out = A_u·v = G32·v + Σ (c−1)(y_iᵀv)·y_i, with c−1 precomputed in cm1[0..n). */
@inline function applyImplicit(G32: usize, Y: usize, indices: usize, p0: i32, n: i32, cm1: usize, v: usize, out: usize, k: i32, kp: i32): void {
  symv32(G32, v, out, kp);
  const rowBytes = <usize>k << 2;
  for (let q = 0; q < n; q++) {
    const y = Y + <usize>load<i32>(indices + (<usize>(p0 + q) << 2)) * rowBytes;
    const t = load<f32>(cm1 + (<usize>q << 2)) * dot32(y, v, k);
    axpy32(t, y, out, k);
  }
}

/**
 * Conjugate-gradient implicit half-step for rows [r0, r1) (Takács, Pilászy, Tikk 2011): `steps` CG steps
 * on A_u·x = b_u warm-started from the current X row, A_u·p computed as G·p + Σ (c−1)(y_iᵀp)·y_i, never
 * forming A_u. G32 = YᵀY + λI (kp×kp f32). Empty rows get zeros. scratch: 4·(5·kp + maxRowNnz) bytes.
 * Returns -1, or a failure code (r ≥ 0: the system is not positive definite at row r).
 */
export function alsImplicitCg(
  indptr: usize, indices: usize, data: usize, Y: usize, G32: usize, X: usize,
  r0: i32, r1: i32, k: i32, alpha: f64, eps: f64, logConf: i32, steps: i32, scratch: usize,
): i32 {
  const kp = rnd4(k);
  const vb = <usize>kp << 2;
  const x = scratch;
  const res = x + vb;
  const dir = res + vb;
  const Ad = dir + vb;
  const cm1 = Ad + vb;
  const rowBytes = <usize>k << 2;
  for (let r = r0; r < r1; r++) {
    const out = X + <usize>r * rowBytes;
    const p0 = load<i32>(indptr + (<usize>r << 2));
    const p1 = load<i32>(indptr + (<usize>(r + 1) << 2));
    const n = p1 - p0;
    if (n == 0) {
      zeroRow(out, k);
      continue;
    }
    memory.fill(x, 0, vb);
    memory.copy(x, out, rowBytes);
    for (let q = 0; q < n; q++) {
      const v = <f64>load<f32>(data + (<usize>(p0 + q) << 2));
      store<f32>(cm1 + (<usize>q << 2), <f32>(confidence(v, alpha, eps, logConf) - 1.0));
    }
    // res = b − A·x, with b = Σ c·p·y_i
    applyImplicit(G32, Y, indices, p0, n, cm1, x, Ad, k, kp);
    for (let j = 0; j < kp; j += 4) v128.store(res + (<usize>j << 2), f32x4.neg(v128.load(Ad + (<usize>j << 2))));
    for (let q = 0; q < n; q++) {
      const v = load<f32>(data + (<usize>(p0 + q) << 2));
      if (v > 0) {
        const y = Y + <usize>load<i32>(indices + (<usize>(p0 + q) << 2)) * rowBytes;
        axpy32(load<f32>(cm1 + (<usize>q << 2)) + 1, y, res, k);
      }
    }
    memory.copy(dir, res, vb);
    let rsOld = dot32(res, res, kp);
    for (let it = 0; it < steps; it++) {
      if (rsOld < 1e-20) break;
      applyImplicit(G32, Y, indices, p0, n, cm1, dir, Ad, k, kp);
      const pAp = dot32(dir, Ad, kp);
      if (!(pAp > 0)) return isFinite(pAp) ? r : nonFinite(r);
      const a = rsOld / pAp;
      axpy32(a, dir, x, kp);
      axpy32(-a, Ad, res, kp);
      const rsNew = dot32(res, res, kp);
      const beta = f32x4.splat(rsNew / rsOld);
      for (let j = 0; j < kp; j += 4) {
        const o = <usize>j << 2;
        v128.store(dir + o, f32x4.add(v128.load(res + o), f32x4.mul(beta, v128.load(dir + o))));
      }
      rsOld = rsNew;
    }
    let ok = true;
    for (let j = 0; j < k; j++) {
      const v = load<f32>(x + (<usize>j << 2));
      if (!isFinite(v)) ok = false;
      store<f32>(out + (<usize>j << 2), v);
    }
    if (!ok) return nonFinite(r);
  }
  return -1;
}

/**
 * Rows [r0, r1)'s part of the implicit objective: Σ_u [x_uᵀ·G·x_u + Σ_{i∈I_u} (c(p − s)² − s²)], s = x_uᵀy_i,
 * G = YᵀY + λI (f64 kp×kp from alsGram). Adding λ‖Y‖² gives the full HKV objective (the implicit zeros
 * come in through YᵀY, never densely). scratch: 8·kp bytes.
 */
export function alsImplicitLoss(
  indptr: usize, indices: usize, data: usize, X: usize, Y: usize, G64: usize,
  r0: i32, r1: i32, k: i32, alpha: f64, eps: f64, logConf: i32, scratch: usize,
): f64 {
  const kp = rnd4(k);
  const xv = scratch;
  const rowBytes = <usize>k << 2;
  let total: f64 = 0;
  for (let r = r0; r < r1; r++) {
    const xr = X + <usize>r * rowBytes;
    promote(xr, xv, k, kp);
    let quad: f64 = 0;
    for (let a = 0; a < k; a++) quad += load<f64>(xv + (<usize>a << 3)) * dot64(G64 + (<usize>a * <usize>kp << 3), xv, kp);
    const p0 = load<i32>(indptr + (<usize>r << 2));
    const p1 = load<i32>(indptr + (<usize>(r + 1) << 2));
    for (let p = p0; p < p1; p++) {
      const y = Y + <usize>load<i32>(indices + (<usize>p << 2)) * rowBytes;
      let s: f64 = 0;
      for (let j = 0; j < k; j++) s += load<f64>(xv + (<usize>j << 3)) * <f64>load<f32>(y + (<usize>j << 2));
      const v = <f64>load<f32>(data + (<usize>p << 2));
      const c = confidence(v, alpha, eps, logConf);
      const e = (v > 0 ? 1.0 : 0.0) - s;
      quad += c * e * e - s * s;
    }
    total += quad;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------
// explicit ALS (ALS-WR, Zhou et al. 2008) with biases

/**
 * Explicit half-step for rows [r0, r1): minimise Σ_{i∈I_u} (t_ui − wᵀz_i)² + λ·m_u·‖w‖² per row, with
 * m_u = n_u when `weighted` else 1. F is the fixed side (row stride dim), X the side solved.
 *  biasMode 0: dim = k, z_i = F_i, t = r, out = w.
 *  biasMode 1 (solving users; item rows are [y, b_i, 1]): z_i = [y_i, 1], t = r − μ − b_i,
 *              out = [w_0..k, 1, w_k + μ].
 *  biasMode 2 (solving items; user rows are [x, 1, b_u + μ]): z_i = [x_u, 1], t = r − (b_u + μ),
 *              out = [w_0..k, w_k, 1].
 * Empty rows get zero factors and zero bias (μ in mode 1's last column). scratch: 8·(dp² + 4·dp),
 * dp = rnd4(k + 1). Returns -1 or a failure code.
 */
export function alsExplicit(
  indptr: usize, indices: usize, data: usize, F: usize, X: usize, dim: i32,
  r0: i32, r1: i32, k: i32, lambda: f64, weighted: i32, biasMode: i32, mu: f64, scratch: usize,
): i32 {
  const d = biasMode == 0 ? k : k + 1;
  const dp = rnd4(d);
  const A = scratch;
  const b = A + (<usize>dp * <usize>dp << 3);
  const u1 = b + (<usize>dp << 3);
  const u2 = u1 + (<usize>dp << 3);
  const invd = u2 + (<usize>dp << 3);
  const rowBytes = <usize>dim << 2;
  const offCol = biasMode == 1 ? k : k + 1;
  const muSub = biasMode == 1 ? mu : 0.0;
  for (let r = r0; r < r1; r++) {
    const out = X + <usize>r * rowBytes;
    const p0 = load<i32>(indptr + (<usize>r << 2));
    const p1 = load<i32>(indptr + (<usize>(r + 1) << 2));
    const n = p1 - p0;
    if (n == 0) {
      zeroRow(out, dim);
      if (biasMode == 1) {
        store<f32>(out + (<usize>k << 2), 1);
        store<f32>(out + (<usize>(k + 1) << 2), <f32>mu);
      } else if (biasMode == 2) {
        store<f32>(out + (<usize>(k + 1) << 2), 1);
      }
      continue;
    }
    memory.fill(A, 0, <usize>dp * <usize>dp << 3);
    memory.fill(b, 0, <usize>dp << 3);
    let p = p0;
    for (; p < p1; p += 2) {
      const two = p + 1 < p1;
      const f1 = F + <usize>load<i32>(indices + (<usize>p << 2)) * rowBytes;
      const f2 = two ? F + <usize>load<i32>(indices + (<usize>(p + 1) << 2)) * rowBytes : f1;
      promote(f1, u1, k, dp);
      promote(f2, u2, k, dp);
      let t1 = <f64>load<f32>(data + (<usize>p << 2));
      let t2 = two ? <f64>load<f32>(data + (<usize>(p + 1) << 2)) : 0.0;
      if (biasMode != 0) {
        store<f64>(u1 + (<usize>k << 3), 1.0);
        store<f64>(u2 + (<usize>k << 3), 1.0);
        t1 -= <f64>load<f32>(f1 + (<usize>offCol << 2)) + muSub;
        t2 -= <f64>load<f32>(f2 + (<usize>offCol << 2)) + muSub;
      }
      const s2 = two ? 1.0 : 0.0;
      rank2Lower(A, A, 1.0, u1, s2, u2, d, dp);
      const w1 = f64x2.splat(t1);
      const w2 = f64x2.splat(two ? t2 : 0.0);
      for (let j = 0; j < dp; j += 2) {
        const o = <usize>j << 3;
        v128.store(b + o, f64x2.add(v128.load(b + o), f64x2.add(f64x2.mul(w1, v128.load(u1 + o)), f64x2.mul(w2, v128.load(u2 + o)))));
      }
    }
    const reg = weighted ? lambda * <f64>n : lambda;
    for (let j = 0; j < d; j++) {
      const o = A + (<usize>(j * dp + j) << 3);
      store<f64>(o, load<f64>(o) + reg);
    }
    if (cholesky64(A, invd, d, dp) >= 0) return r;
    choleskySolve64(A, invd, b, d, dp);
    if (!storeChecked(b, out, k)) return nonFinite(r);
    if (biasMode != 0) {
      const w = load<f64>(b + (<usize>k << 3));
      if (!isFinite(w)) return nonFinite(r);
      if (biasMode == 1) {
        store<f32>(out + (<usize>k << 2), 1);
        store<f32>(out + (<usize>(k + 1) << 2), <f32>(w + mu));
      } else {
        store<f32>(out + (<usize>k << 2), <f32>w);
        store<f32>(out + (<usize>(k + 1) << 2), 1);
      }
    }
  }
  return -1;
}
