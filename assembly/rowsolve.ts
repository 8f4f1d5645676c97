// Dense per-row solve helpers shared by the ALS kernels (assembly/als.ts, assembly/als-explicit.ts):
// f64 vectors and Cholesky (lower, left-looking), the blocked f32 Cholesky (upper, right-looking) and its
// solve, and the kernels' failure codes. Not module exports: index.ts does not re-export this file.
//
// Layouts use kp = k rounded up to a multiple of 4 as the row stride of k×k blocks and the length of
// vectors, zero-padded, so that v128 loops need no tails there. Factor rows in the heap have stride k (or
// dim) and are read with explicit tails.
import { madd32 } from './simd';

/** Confidence c for a stored value r: 1 + α|r| ('linear') or 1 + α·log(1 + |r|/ε) ('log'). */
@inline export function confidence(r: f64, alpha: f64, eps: f64, logConf: i32): f64 {
  const a = Math.abs(r);
  return logConf ? 1.0 + alpha * Math.log(1.0 + a / eps) : 1.0 + alpha * a;
}

/** dst[0..kp) (f64) ← src[0..k) (f32), zero beyond k. */
@inline export function promote(src: usize, dst: usize, k: i32, kp: i32): void {
  for (let j = 0; j < k; j++) store<f64>(dst + (<usize>j << 3), <f64>load<f32>(src + (<usize>j << 2)));
  for (let j = k; j < kp; j++) store<f64>(dst + (<usize>j << 3), 0.0);
}

/** Σ a[j]·b[j] over f64 vectors, j < n (any n). */
@inline export function dot64(a: usize, b: usize, n: i32): f64 {
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
@inline export function rank2Lower(src: usize, dst: usize, s1: f64, u1: usize, s2: f64, u2: usize, k: i32, kp: i32): void {
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
@inline export function cholesky64(A: usize, invd: usize, k: i32, kp: i32): i32 {
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
@inline export function choleskySolve64(L: usize, invd: usize, b: usize, k: i32, kp: i32): void {
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
@inline export function storeChecked(x: usize, out: usize, k: i32): bool {
  let ok = true;
  for (let j = 0; j < k; j++) {
    const v = <f32>load<f64>(x + (<usize>j << 3));
    if (!isFinite(v)) ok = false;
    store<f32>(out + (<usize>j << 2), v);
  }
  return ok;
}

/** The extra diagonal of row r's system: regRows[r] (f32) when regRows ≠ 0, else 0. */
@inline export function rowReg(regRows: usize, r: i32): f64 {
  return regRows != 0 ? <f64>load<f32>(regRows + (<usize>r << 2)) : 0.0;
}

@inline export function zeroRow(out: usize, k: i32): void {
  memory.fill(out, 0, <usize>k << 2);
}

/** Failure code: -1 ok; r ≥ 0 singular system at row r; -(r + 2) non-finite result at row r. */
@inline export function nonFinite(r: i32): i32 {
  return -(r + 2);
}


// --- f32 Cholesky on the upper triangle (A = UᵀU, row-major, stride kp) -------------------------------
// Right-looking and blocked by four pivots: a panel of four rows is factored, then every trailing row
// takes those four rows' update in one pass (two trailing rows per pass), so each trailing entry is
// loaded and stored once per four pivots instead of once per pivot. Every inner loop is a contiguous
// f32x4 loop from the diagonal (rounded down to a multiple of 4) rightwards; entries left of the
// diagonal may be overwritten with garbage: never read.

/** Row i (from column i & ~3) −= Σ_t f_t·U_t over the panel's four rows U_0..U_3. */
@inline export function panelUpdate1(ri: usize, u0: usize, u1: usize, u2: usize, u3: usize, i: i32, kp: i32): void {
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
@inline export function choleskyUpper32(A: usize, invd: usize, diag: usize, k: i32, kp: i32): i32 {
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
@inline export function choleskySolveUpper32(U: usize, invd: usize, z: usize, k: i32, kp: i32): void {
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
@inline export function copyPad32(src: usize, dst: usize, k: i32, kp: i32): void {
  memory.copy(dst, src, <usize>k << 2);
  for (let j = k; j < kp; j++) store<f32>(dst + (<usize>j << 2), 0);
}
