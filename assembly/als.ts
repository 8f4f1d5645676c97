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
import { madd32, madd64 } from './simd';
import { SYRK_BATCH, syrkUpper32 } from './syrk';

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
// implicit ALS (Hu, Koren, Volinsky 2008)

// --- f32 Cholesky on the upper triangle (A = UᵀU, row-major, stride kp) -------------------------------
// Right-looking and blocked by four pivots: a panel of four rows is factored, then every trailing row
// takes those four rows' update in one pass (two trailing rows per pass), so each trailing entry is
// loaded and stored once per four pivots instead of once per pivot. Every inner loop is a contiguous
// f32x4 loop from the diagonal (rounded down to a multiple of 4) rightwards; entries left of the
// diagonal may be overwritten with garbage: never read.

/** Row i (from column i & ~3) −= Σ_t f_t·U_t over the panel's four rows U_0..U_3. */
@inline function panelUpdate1(ri: usize, u0: usize, u1: usize, u2: usize, u3: usize, i: i32, kp: i32): void {
  const f0 = v128.load32_splat(u0 + (<usize>i << 2));
  const f1 = v128.load32_splat(u1 + (<usize>i << 2));
  const f2 = v128.load32_splat(u2 + (<usize>i << 2));
  const f3 = v128.load32_splat(u3 + (<usize>i << 2));
  for (let b = i & ~3; b < kp; b += 4) {
    const o = <usize>b << 2;
    const t = madd32(f3, v128.load(u3 + o), madd32(f2, v128.load(u2 + o), madd32(f1, v128.load(u1 + o), f32x4.mul(f0, v128.load(u0 + o)))));
    v128.store(ri + o, f32x4.sub(v128.load(ri + o), t));
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
  for (let j0 = 0; j0 < k; j0 += 4) {
    const jn = min(j0 + 4, k);
    // the panel: rows j0..jn−1, unblocked
    for (let j = j0; j < jn; j++) {
      const rj = A + <usize>j * rowBytes;
      const s = load<f32>(rj + (<usize>j << 2));
      if (!(s > load<f32>(diag + (<usize>j << 2)) * 1e-4) || !isFinite(s)) return j;
      const d = Mathf.sqrt(s);
      const inv: f32 = 1.0 / d;
      store<f32>(invd + (<usize>j << 2), inv);
      const iv = f32x4.splat(inv);
      for (let b = j0; b < kp; b += 4) {
        const o = <usize>b << 2;
        v128.store(rj + o, f32x4.mul(iv, v128.load(rj + o)));
      }
      store<f32>(rj + (<usize>j << 2), d);
      for (let i = j + 1; i < jn; i++) {
        const f = f32x4.splat(load<f32>(rj + (<usize>i << 2)));
        const ri = A + <usize>i * rowBytes;
        for (let b = j0; b < kp; b += 4) {
          const o = <usize>b << 2;
          v128.store(ri + o, f32x4.sub(v128.load(ri + o), f32x4.mul(f, v128.load(rj + o))));
        }
      }
    }
    if (jn < j0 + 4) break; // the last, partial panel has no trailing rows
    // the trailing rows: the panel's rank-4 update, two rows per pass over the panel
    const u0 = A + <usize>j0 * rowBytes;
    const u1 = u0 + rowBytes;
    const u2 = u1 + rowBytes;
    const u3 = u2 + rowBytes;
    let i = jn;
    for (; i + 2 <= k; i += 2) {
      const ra = A + <usize>i * rowBytes;
      const rb = ra + rowBytes;
      const io = <usize>i << 2;
      const fa0 = v128.load32_splat(u0 + io), fb0 = v128.load32_splat(u0 + io, 4);
      const fa1 = v128.load32_splat(u1 + io), fb1 = v128.load32_splat(u1 + io, 4);
      const fa2 = v128.load32_splat(u2 + io), fb2 = v128.load32_splat(u2 + io, 4);
      const fa3 = v128.load32_splat(u3 + io), fb3 = v128.load32_splat(u3 + io, 4);
      for (let b = i & ~3; b < kp; b += 4) {
        const o = <usize>b << 2;
        const g0 = v128.load(u0 + o);
        const g1 = v128.load(u1 + o);
        const g2 = v128.load(u2 + o);
        const g3 = v128.load(u3 + o);
        const ta = madd32(fa3, g3, madd32(fa2, g2, madd32(fa1, g1, f32x4.mul(fa0, g0))));
        const tb = madd32(fb3, g3, madd32(fb2, g2, madd32(fb1, g1, f32x4.mul(fb0, g0))));
        v128.store(ra + o, f32x4.sub(v128.load(ra + o), ta));
        v128.store(rb + o, f32x4.sub(v128.load(rb + o), tb));
      }
    }
    if (i < k) panelUpdate1(A + <usize>i * rowBytes, u0, u1, u2, u3, i, kp);
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
 * W_j = G⁻¹·V_j for the four f64 vectors at V + j·vb (G⁻¹ symmetric kp×kp, so a sum of its rows weighted
 * by V_j's entries): register tiles of 4 entries × 4 vectors, G⁻¹'s row a read once per tile.
 */
@inline function ginvTimes4(Ginv: usize, V: usize, W: usize, vb: usize, k: i32, kp: i32): void {
  for (let j = 0; j < kp; j += 4) {
    const jo = <usize>j << 3;
    let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a10 = f64x2.splat(0), a11 = f64x2.splat(0);
    let a20 = f64x2.splat(0), a21 = f64x2.splat(0), a30 = f64x2.splat(0), a31 = f64x2.splat(0);
    let gr = Ginv + jo;
    for (let a = 0; a < k; a++) {
      const ao = <usize>a << 3;
      const g0 = v128.load(gr);
      const g1 = v128.load(gr, 16);
      const s0 = v128.load64_splat(V + ao);
      const s1 = v128.load64_splat(V + vb + ao);
      const s2 = v128.load64_splat(V + 2 * vb + ao);
      const s3 = v128.load64_splat(V + 3 * vb + ao);
      a00 = madd64(s0, g0, a00);
      a01 = madd64(s0, g1, a01);
      a10 = madd64(s1, g0, a10);
      a11 = madd64(s1, g1, a11);
      a20 = madd64(s2, g0, a20);
      a21 = madd64(s2, g1, a21);
      a30 = madd64(s3, g0, a30);
      a31 = madd64(s3, g1, a31);
      gr += vb;
    }
    v128.store(W + jo, a00);
    v128.store(W + jo, a01, 16);
    v128.store(W + vb + jo, a10);
    v128.store(W + vb + jo, a11, 16);
    v128.store(W + 2 * vb + jo, a20);
    v128.store(W + 2 * vb + jo, a21, 16);
    v128.store(W + 3 * vb + jo, a30);
    v128.store(W + 3 * vb + jo, a31, 16);
  }
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
  // V = [v_q] (f64), zero rows up to a multiple of 4 so that W = G⁻¹·V runs in tiles of four columns
  const n4 = (n + 3) & ~3;
  for (let q = 0; q < n; q++) promote(Y + <usize>load<i32>(indices + (<usize>(p0 + q) << 2)) * rowBytes, V + <usize>q * vb, k, kp);
  if (n4 > n) memory.fill(V + <usize>n * vb, 0, <usize>(n4 - n) * vb);
  for (let q0 = 0; q0 < n4; q0 += 4) ginvTimes4(Ginv, V + <usize>q0 * vb, W + <usize>q0 * vb, vb, k, kp);
  for (let q = 0; q < n; q++) {
    const v = <f64>load<f32>(data + (<usize>(p0 + q) << 2));
    const c = confidence(v, alpha, eps, logConf);
    const vq = V + <usize>q * vb;
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
 * scratch: 8·(kp² + 4·kp) + 4·(kp² + 5·kp) + 8·(kp² + 24·kp + 156) + 256·kp + 4·maxRowNnz bytes.
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
  const invd = z + 3 * v4; // (two vectors spare)
  const diag = invd + v4;
  // Woodbury part (f64)
  const Ginv = diag + v4;
  const WV = Ginv + (<usize>kp * <usize>kp << 3);
  const WW = WV + <usize>WOODBURY_MAX * v8;
  const WM = WW + <usize>WOODBURY_MAX * v8;
  const Wg = WM + (<usize>(WOODBURY_MAX * WOODBURY_MAX) << 3);
  // packed batches for syrkUpper32, then c − 1 of the row's entries
  const Yp = Wg + (<usize>WOODBURY_MAX << 3);
  const Wp = Yp + <usize>SYRK_BATCH * v4;
  const cm1 = Wp + <usize>SYRK_BATCH * v4;
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
    // A = G + Σ (c−1)·y·yᵀ (f32, upper; blocked over batches of packed rows), b = Σ c·p·y (f64)
    memory.fill(b, 0, v8);
    let src = G32;
    for (let q0 = p0; q0 < p1; q0 += SYRK_BATCH) {
      const nb = min(SYRK_BATCH, p1 - q0);
      for (let q = 0; q < nb; q++) {
        const p = q0 + q;
        const v = <f64>load<f32>(data + (<usize>p << 2));
        const c = confidence(v, alpha, eps, logConf);
        const s = <f32>(c - 1.0);
        store<f32>(cm1 + (<usize>(p - p0) << 2), s);
        const yq = Yp + <usize>q * v4;
        const wq = Wp + <usize>q * v4;
        copyPad32(Y + <usize>load<i32>(indices + (<usize>p << 2)) * rowBytes, yq, k, kp);
        const sv = f32x4.splat(s);
        const w = f64x2.splat(v > 0 ? c : 0.0);
        for (let j = 0; j < kp; j += 4) {
          const o = <usize>j << 2;
          const y4 = v128.load(yq + o);
          v128.store(wq + o, f32x4.mul(sv, y4));
          const bo = b + (<usize>j << 3);
          v128.store(bo, madd64(w, f64x2.promote_low_f32x4(y4), v128.load(bo)));
          v128.store(bo, madd64(w, f64x2.promote_low_f32x4(v128.shuffle<f32>(y4, y4, 2, 3, 0, 1)), v128.load(bo, 16)), 16);
        }
      }
      syrkUpper32(src, A, Yp, Wp, nb, k, kp);
      src = A;
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

/** The row's normal equations in f64 (A lower, b) and their solution into b: the fallback of alsExplicit. */
@inline function explicitRow64(
  indices: usize, data: usize, p0: i32, p1: i32, F: usize, rowBytes: usize, k: i32, d: i32, dp: i32, reg: f64,
  biasMode: i32, offCol: i32, muSub: f64, A: usize, b: usize, u1: usize, u2: usize, invd: usize,
): bool {
  memory.fill(A, 0, <usize>dp * <usize>dp << 3);
  memory.fill(b, 0, <usize>dp << 3);
  for (let p = p0; p < p1; p += 2) {
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
    rank2Lower(A, A, 1.0, u1, two ? 1.0 : 0.0, u2, d, dp);
    const w1 = f64x2.splat(t1);
    const w2 = f64x2.splat(two ? t2 : 0.0);
    for (let j = 0; j < dp; j += 2) {
      const o = <usize>j << 3;
      v128.store(b + o, f64x2.add(v128.load(b + o), f64x2.add(f64x2.mul(w1, v128.load(u1 + o)), f64x2.mul(w2, v128.load(u2 + o)))));
    }
  }
  for (let j = 0; j < d; j++) {
    const o = A + (<usize>(j * dp + j) << 3);
    store<f64>(o, load<f64>(o) + reg);
  }
  if (cholesky64(A, invd, d, dp) >= 0) return false;
  choleskySolve64(A, invd, b, d, dp);
  return true;
}

/** dst[0..dp) (f64) ← the explicit regressor of F's row f: [f_0..f_{k−1}] (biasMode 0) or [f, 1], zero-padded. */
@inline function regressor64(f: usize, dst: usize, k: i32, dp: i32, biasMode: i32): void {
  promote(f, dst, k, dp);
  if (biasMode != 0) store<f64>(dst + (<usize>k << 3), 1.0);
}

/**
 * Explicit half-step for rows [r0, r1): minimise Σ_{i∈I_u} (t_ui − wᵀz_i)² + λ·m_u·‖w‖² per row, with
 * m_u = n_u when `weighted` else 1. F is the fixed side (row stride dim), X the side solved.
 *  biasMode 0: dim = k, z_i = F_i, t = r, out = w.
 *  biasMode 1 (solving users; item rows are [y, b_i, 1]): z_i = [y_i, 1], t = r − μ − b_i,
 *              out = [w_0..k, 1, w_k + μ].
 *  biasMode 2 (solving items; user rows are [x, 1, b_u + μ]): z_i = [x_u, 1], t = r − (b_u + μ),
 *              out = [w_0..k, w_k, 1].
 * Empty rows get zero factors and zero bias (μ in mode 1's last column).
 *
 * Mixed precision, as alsImplicitCholesky: ZᵀZ + reg·I is formed (blocked rank-n updates) and factored in
 * f32, b = Zᵀt is accumulated in f64, and one step of iterative refinement with the residual
 * b − reg·x − Σ z_i(z_iᵀx) computed in f64 from the rows themselves brings x to f64-solve accuracy; a row
 * whose f32 factorisation has a tiny pivot is solved wholly in f64.
 * scratch: 12·dp² + 176·dp bytes, dp = rnd4(k + 1). Returns -1 or a failure code.
 */
export function alsExplicit(
  indptr: usize, indices: usize, data: usize, F: usize, X: usize, dim: i32,
  r0: i32, r1: i32, k: i32, lambda: f64, weighted: i32, biasMode: i32, mu: f64, scratch: usize,
): i32 {
  const d = biasMode == 0 ? k : k + 1;
  const dp = rnd4(d);
  const v8 = <usize>dp << 3;
  const v4 = <usize>dp << 2;
  // f64: fallback system, b, two vectors, 1/L_ii
  const A = scratch;
  const b = A + (<usize>dp * <usize>dp << 3);
  const u1 = b + v8;
  const u2 = u1 + v8;
  const invd = u2 + v8;
  // f32: the system, a right-hand side, 1/U_ii, the original diagonal, packed regressors
  const A32 = invd + v8;
  const z = A32 + (<usize>dp * <usize>dp << 2);
  const invd32 = z + v4;
  const diag32 = invd32 + v4;
  const Zp = diag32 + 2 * v4;
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
    const reg = weighted ? lambda * <f64>n : lambda;
    // A32 = Σ z·zᵀ (upper), b = Σ t·z (f64)
    memory.fill(A32, 0, <usize>dp * <usize>dp << 2);
    memory.fill(b, 0, v8);
    for (let q0 = p0; q0 < p1; q0 += SYRK_BATCH) {
      const nb = min(SYRK_BATCH, p1 - q0);
      for (let q = 0; q < nb; q++) {
        const p = q0 + q;
        const f = F + <usize>load<i32>(indices + (<usize>p << 2)) * rowBytes;
        const zq = Zp + <usize>q * v4;
        copyPad32(f, zq, k, dp);
        let t = <f64>load<f32>(data + (<usize>p << 2));
        if (biasMode != 0) {
          store<f32>(zq + (<usize>k << 2), 1);
          t -= <f64>load<f32>(f + (<usize>offCol << 2)) + muSub;
        }
        const w = f64x2.splat(t);
        for (let j = 0; j < dp; j += 4) {
          const z4 = v128.load(zq + (<usize>j << 2));
          const bo = b + (<usize>j << 3);
          v128.store(bo, madd64(w, f64x2.promote_low_f32x4(z4), v128.load(bo)));
          v128.store(bo, madd64(w, f64x2.promote_low_f32x4(v128.shuffle<f32>(z4, z4, 2, 3, 0, 1)), v128.load(bo, 16)), 16);
        }
      }
      syrkUpper32(A32, A32, Zp, Zp, nb, d, dp);
    }
    const reg32 = <f32>reg;
    for (let j = 0; j < d; j++) {
      const o = A32 + (<usize>(j * dp + j) << 2);
      store<f32>(o, load<f32>(o) + reg32);
    }
    if (choleskyUpper32(A32, invd32, diag32, d, dp) >= 0) {
      if (!explicitRow64(indices, data, p0, p1, F, rowBytes, k, d, dp, reg, biasMode, offCol, muSub, A, b, u1, u2, invd)) return r;
      memory.copy(u1, b, v8);
    } else {
      // x0 = A⁻¹·b in f32 (u1), then one refinement step with the residual in f64 (u2)
      for (let j = 0; j < dp; j++) store<f32>(z + (<usize>j << 2), <f32>load<f64>(b + (<usize>j << 3)));
      choleskySolveUpper32(A32, invd32, z, d, dp);
      for (let j = 0; j < dp; j++) {
        const x0 = <f64>load<f32>(z + (<usize>j << 2));
        store<f64>(u1 + (<usize>j << 3), x0);
        store<f64>(u2 + (<usize>j << 3), load<f64>(b + (<usize>j << 3)) - reg * x0);
      }
      for (let p = p0; p < p1; p++) {
        regressor64(F + <usize>load<i32>(indices + (<usize>p << 2)) * rowBytes, invd, k, dp, biasMode);
        const t = f64x2.splat(dot64(invd, u1, dp));
        for (let j = 0; j < dp; j += 2) {
          const o = <usize>j << 3;
          v128.store(u2 + o, f64x2.sub(v128.load(u2 + o), f64x2.mul(t, v128.load(invd + o))));
        }
      }
      for (let j = 0; j < dp; j++) store<f32>(z + (<usize>j << 2), <f32>load<f64>(u2 + (<usize>j << 3)));
      choleskySolveUpper32(A32, invd32, z, d, dp);
      for (let j = 0; j < dp; j++) store<f64>(u1 + (<usize>j << 3), load<f64>(u1 + (<usize>j << 3)) + <f64>load<f32>(z + (<usize>j << 2)));
    }
    if (!storeChecked(u1, out, k)) return nonFinite(r);
    if (biasMode != 0) {
      const w = load<f64>(u1 + (<usize>k << 3));
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
