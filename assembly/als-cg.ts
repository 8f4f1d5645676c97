// Conjugate-gradient implicit ALS half-step (Takács, Pilászy, Tikk 2011), blocked over rows: the rows of
// a range are taken eight at a time and each CG step's dense product G·p runs as one register-blocked
// G·[p₁ … p₈] — a strip of G's columns, read from memory once, feeds two tiles of 8 entries × 4 vectors —
// so G is streamed once per eight rows instead of once per row (for short rows — Last.fm's items have ~4
// interactions — that product is most of the work; at 1024 factors G is 4 MB, beyond the L2 cache). The sparse part Σ (c−1)(y_iᵀp)·y_i and
// the scalar CG updates stay per row. Every row's arithmetic is the same whichever rows share its block,
// so results do not depend on how a range is split (threads stay bit-identical to one thread).
// The pure-JS twin is alsImplicitCg in src/kernels/als.ts.
import { rnd4 } from './layout';
import { madd32, hsum32 } from './simd';

@inline function confidenceM1(r: f64, alpha: f64, eps: f64, logConf: i32): f64 {
  const a = Math.abs(r);
  return logConf ? alpha * Math.log(1.0 + a / eps) : alpha * a;
}

/** The extra diagonal of row r's system: regRows[r] (f32) when regRows ≠ 0, else 0. */
@inline function rowReg32(regRows: usize, r: i32): f32 {
  return regRows != 0 ? load<f32>(regRows + (<usize>r << 2)) : 0;
}

/** Σ a[j]·b[j], j < n (any n), f32 lanes. */
@inline function dot32(a: usize, b: usize, n: i32): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const o = <usize>j << 2;
    acc0 = madd32(v128.load(a + o), v128.load(b + o), acc0);
    acc1 = madd32(v128.load(a + o, 16), v128.load(b + o, 16), acc1);
  }
  if (j + 4 <= n) {
    const o = <usize>j << 2;
    acc0 = madd32(v128.load(a + o), v128.load(b + o), acc0);
    j += 4;
  }
  let s = hsum32(f32x4.add(acc0, acc1));
  for (; j < n; j++) s += load<f32>(a + (<usize>j << 2)) * load<f32>(b + (<usize>j << 2));
  return s;
}

/** y[0..n) += s·x[0..n) (any n). */
@inline function axpy32(s: f32, x: usize, y: usize, n: i32): void {
  const sv = f32x4.splat(s);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(y + o, madd32(sv, v128.load(x + o), v128.load(y + o)));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(y + o, load<f32>(y + o) + s * load<f32>(x + o));
  }
}

/**
 * o_j ← G·v_j for the four vectors at v + j·stride into o + j·stride (G kp×kp symmetric f32, vectors kp
 * long, zero beyond k). Register tile: 8 entries of the output × 4 vectors, G's row a (= column a) loaded
 * once per tile and a; each output entry sums a = 0, 1, … in order, independently of the other vectors.
 */
@inline function gemm4(G: usize, v: usize, o: usize, stride: usize, k: i32, kp: i32, i0: i32): void {
  const rowBytes = <usize>kp << 2;
  const v1 = v + stride;
  const v2 = v1 + stride;
  const v3 = v2 + stride;
  let i = i0;
  for (; i + 8 <= kp; i += 8) {
    const io = <usize>i << 2;
    let a00 = f32x4.splat(0), a01 = f32x4.splat(0);
    let a10 = f32x4.splat(0), a11 = f32x4.splat(0);
    let a20 = f32x4.splat(0), a21 = f32x4.splat(0);
    let a30 = f32x4.splat(0), a31 = f32x4.splat(0);
    let g = G + io;
    for (let a = 0; a < k; a++) {
      const ao = <usize>a << 2;
      const g0 = v128.load(g);
      const g1 = v128.load(g, 16);
      const s0 = v128.load32_splat(v + ao);
      const s1 = v128.load32_splat(v1 + ao);
      const s2 = v128.load32_splat(v2 + ao);
      const s3 = v128.load32_splat(v3 + ao);
      a00 = madd32(g0, s0, a00);
      a01 = madd32(g1, s0, a01);
      a10 = madd32(g0, s1, a10);
      a11 = madd32(g1, s1, a11);
      a20 = madd32(g0, s2, a20);
      a21 = madd32(g1, s2, a21);
      a30 = madd32(g0, s3, a30);
      a31 = madd32(g1, s3, a31);
      g += rowBytes;
    }
    const o0 = o + io;
    v128.store(o0, a00);
    v128.store(o0, a01, 16);
    v128.store(o0 + stride, a10);
    v128.store(o0 + stride, a11, 16);
    v128.store(o0 + 2 * stride, a20);
    v128.store(o0 + 2 * stride, a21, 16);
    v128.store(o0 + 3 * stride, a30);
    v128.store(o0 + 3 * stride, a31, 16);
  }
  if (i < kp) {
    const io = <usize>i << 2;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let g = G + io;
    for (let a = 0; a < k; a++) {
      const ao = <usize>a << 2;
      const g0 = v128.load(g);
      a0 = madd32(g0, v128.load32_splat(v + ao), a0);
      a1 = madd32(g0, v128.load32_splat(v1 + ao), a1);
      a2 = madd32(g0, v128.load32_splat(v2 + ao), a2);
      a3 = madd32(g0, v128.load32_splat(v3 + ao), a3);
      g += rowBytes;
    }
    const o0 = o + io;
    v128.store(o0, a0);
    v128.store(o0 + stride, a1);
    v128.store(o0 + 2 * stride, a2);
    v128.store(o0 + 3 * stride, a3);
  }
}

/**
 * o_j ← G·v_j for the eight vectors at v + j·stride (as gemm4): per strip of 8 output entries, the tile of
 * vectors 0–3, then of 4–7 while the strip of G is still in cache.
 */
@inline function gemm8(G: usize, v: usize, o: usize, stride: usize, k: i32, kp: i32): void {
  const rowBytes = <usize>kp << 2;
  let i = 0;
  for (; i + 8 <= kp; i += 8) {
    const io = <usize>i << 2;
    for (let h = 0; h < 2; h++) {
      const v0 = v + <usize>(4 * h) * stride;
      const v1 = v0 + stride;
      const v2 = v1 + stride;
      const v3 = v2 + stride;
      let a00 = f32x4.splat(0), a01 = f32x4.splat(0);
      let a10 = f32x4.splat(0), a11 = f32x4.splat(0);
      let a20 = f32x4.splat(0), a21 = f32x4.splat(0);
      let a30 = f32x4.splat(0), a31 = f32x4.splat(0);
      let g = G + io;
      for (let a = 0; a < k; a++) {
        const ao = <usize>a << 2;
        const g0 = v128.load(g);
        const g1 = v128.load(g, 16);
        const s0 = v128.load32_splat(v0 + ao);
        const s1 = v128.load32_splat(v1 + ao);
        const s2 = v128.load32_splat(v2 + ao);
        const s3 = v128.load32_splat(v3 + ao);
        a00 = madd32(g0, s0, a00);
        a01 = madd32(g1, s0, a01);
        a10 = madd32(g0, s1, a10);
        a11 = madd32(g1, s1, a11);
        a20 = madd32(g0, s2, a20);
        a21 = madd32(g1, s2, a21);
        a30 = madd32(g0, s3, a30);
        a31 = madd32(g1, s3, a31);
        g += rowBytes;
      }
      const o0 = o + <usize>(4 * h) * stride + io;
      v128.store(o0, a00);
      v128.store(o0, a01, 16);
      v128.store(o0 + stride, a10);
      v128.store(o0 + stride, a11, 16);
      v128.store(o0 + 2 * stride, a20);
      v128.store(o0 + 2 * stride, a21, 16);
      v128.store(o0 + 3 * stride, a30);
      v128.store(o0 + 3 * stride, a31, 16);
    }
  }
  if (i < kp) {
    // the last 4 entries: gemm4's tail on both halves
    gemm4(G, v, o, stride, k, kp, i);
    gemm4(G, v + 4 * stride, o + 4 * stride, stride, k, kp, i);
  }
}

/** out += Σ_q (c_q − 1)·(y_qᵀv)·y_q over the row's n entries (the sparse part of A_u·v). */
@inline function addSparse(
  Y: usize, indices: usize, data: usize, p0: i32, n: i32, alpha: f64, eps: f64, logConf: i32, v: usize, out: usize, k: i32,
): void {
  const rowBytes = <usize>k << 2;
  for (let q = 0; q < n; q++) {
    const p = p0 + q;
    const y = Y + <usize>load<i32>(indices + (<usize>p << 2)) * rowBytes;
    const c1 = <f32>confidenceM1(<f64>load<f32>(data + (<usize>p << 2)), alpha, eps, logConf);
    axpy32(c1 * dot32(y, v, k), y, out, k);
  }
}

// Per-slot bookkeeping (i32 words at meta + 4·(slot·8 + field)).
const M_ROW = 0; // the row solved in the slot
const M_P0 = 1; // its first stored entry
const M_N = 2; // its number of entries
const M_RS = 4; // ‖res‖² (f32 bits)
const M_CODE = 5; // -1, or its failure code
const M_DONE = 6; // 1 once converged or failed

@inline function mget(meta: usize, j: i32, f: i32): i32 {
  return load<i32>(meta + (<usize>(j * 8 + f) << 2));
}
@inline function mset(meta: usize, j: i32, f: i32, v: i32): void {
  store<i32>(meta + (<usize>(j * 8 + f) << 2), v);
}

/** Rows per block: the vectors of a CG step's G·p products. */
const SLOTS: i32 = 8;

/**
 * Conjugate-gradient implicit half-step for rows [r0, r1): `steps` CG steps on A_u·x = b_u warm-started
 * from the current X row, A_u·p = G·p + Σ (c−1)(y_iᵀp)·y_i without forming A_u, b_u = Σ c·p_ui·y_i;
 * G32 = YᵀY + λI (kp×kp f32), plus regRows[r] on row r's diagonal when regRows ≠ 0 (f32 per row). A row
 * stops early once its residual ‖r‖² < 1e-20. Empty rows get zeros. scratch: 4·32·kp + 256 bytes.
 * Returns -1, or the failure code of the first failing row (r ≥ 0: the system is not positive definite at
 * row r; −(r + 2): its solution is not finite).
 */
export function alsImplicitCg(
  indptr: usize, indices: usize, data: usize, Y: usize, G32: usize, X: usize,
  r0: i32, r1: i32, k: i32, alpha: f64, eps: f64, logConf: i32, steps: i32, scratch: usize, regRows: usize,
): i32 {
  const kp = rnd4(k);
  const vb = <usize>kp << 2;
  // SLOTS slots of four vectors; slot j's copy of vector t is at t + j·vb.
  const xs = scratch;
  const res = xs + <usize>SLOTS * vb;
  const dir = res + <usize>SLOTS * vb;
  const Ad = dir + <usize>SLOTS * vb;
  const meta = Ad + <usize>SLOTS * vb;
  const rowBytes = <usize>k << 2;
  let r = r0;
  while (r < r1) {
    // Gather up to SLOTS non-empty rows; empty rows get zeros on the way.
    let m = 0;
    while (m < SLOTS && r < r1) {
      const p0 = load<i32>(indptr + (<usize>r << 2));
      const n = load<i32>(indptr + (<usize>(r + 1) << 2)) - p0;
      if (n == 0) {
        memory.fill(X + <usize>r * rowBytes, 0, rowBytes);
        r++;
        continue;
      }
      mset(meta, m, M_ROW, r);
      mset(meta, m, M_P0, p0);
      mset(meta, m, M_N, n);
      mset(meta, m, M_CODE, -1);
      mset(meta, m, M_DONE, 0);
      const x = xs + <usize>m * vb;
      memory.fill(x, 0, vb);
      memory.copy(x, X + <usize>r * rowBytes, rowBytes);
      m++;
      r++;
    }
    if (m == 0) break;
    // Unused slots compute on zero vectors (the tile is fixed at SLOTS).
    for (let j = m; j < SLOTS; j++) {
      memory.fill(xs + <usize>j * vb, 0, vb);
      memory.fill(dir + <usize>j * vb, 0, vb);
    }
    // res = b − A·x = −G·x + Σ (c·p − (c−1)·y_iᵀx)·y_i
    gemm8(G32, xs, Ad, vb, k, kp);
    let active = m;
    for (let j = 0; j < m; j++) {
      const p0 = mget(meta, j, M_P0);
      const n = mget(meta, j, M_N);
      const x = xs + <usize>j * vb;
      const rv = res + <usize>j * vb;
      const ad = Ad + <usize>j * vb;
      const reg = rowReg32(regRows, mget(meta, j, M_ROW));
      if (reg != 0) axpy32(reg, x, ad, kp);
      for (let a = 0; a < kp; a += 4) v128.store(rv + (<usize>a << 2), f32x4.neg(v128.load(ad + (<usize>a << 2))));
      for (let q = 0; q < n; q++) {
        const p = p0 + q;
        const y = Y + <usize>load<i32>(indices + (<usize>p << 2)) * rowBytes;
        const v = load<f32>(data + (<usize>p << 2));
        const c1 = <f32>confidenceM1(<f64>v, alpha, eps, logConf);
        const pos: f32 = v > 0 ? c1 + 1 : 0;
        axpy32(pos - c1 * dot32(y, x, k), y, rv, k);
      }
      memory.copy(dir + <usize>j * vb, rv, vb);
      const rs = dot32(rv, rv, kp);
      store<f32>(meta + (<usize>(j * 8 + M_RS) << 2), rs);
      if (rs < 1e-20) {
        mset(meta, j, M_DONE, 1);
        active--;
      }
    }
    for (let it = 0; it < steps && active > 0; it++) {
      gemm8(G32, dir, Ad, vb, k, kp);
      for (let j = 0; j < m; j++) {
        if (mget(meta, j, M_DONE)) continue;
        const d = dir + <usize>j * vb;
        const ad = Ad + <usize>j * vb;
        const x = xs + <usize>j * vb;
        const rv = res + <usize>j * vb;
        addSparse(Y, indices, data, mget(meta, j, M_P0), mget(meta, j, M_N), alpha, eps, logConf, d, ad, k);
        const reg = rowReg32(regRows, mget(meta, j, M_ROW));
        if (reg != 0) axpy32(reg, d, ad, kp);
        const rsOld = load<f32>(meta + (<usize>(j * 8 + M_RS) << 2));
        const pAp = dot32(d, ad, kp);
        if (!(pAp > 0)) {
          const rj = mget(meta, j, M_ROW);
          mset(meta, j, M_CODE, isFinite(pAp) ? rj : -(rj + 2));
          mset(meta, j, M_DONE, 1);
          active--;
          // Its direction must not feed later products with NaN (they are per slot anyway).
          continue;
        }
        const a = rsOld / pAp;
        axpy32(a, d, x, kp);
        axpy32(-a, ad, rv, kp);
        const rsNew = dot32(rv, rv, kp);
        const beta = f32x4.splat(rsNew / rsOld);
        for (let t = 0; t < kp; t += 4) {
          const o = <usize>t << 2;
          v128.store(d + o, madd32(beta, v128.load(d + o), v128.load(rv + o)));
        }
        store<f32>(meta + (<usize>(j * 8 + M_RS) << 2), rsNew);
        if (rsNew < 1e-20) {
          mset(meta, j, M_DONE, 1);
          active--;
        }
      }
    }
    // Write the rows in order; the first failing one ends the call (as a row-by-row loop would).
    for (let j = 0; j < m; j++) {
      const rj = mget(meta, j, M_ROW);
      const code = mget(meta, j, M_CODE);
      if (code != -1) return code;
      const x = xs + <usize>j * vb;
      const out = X + <usize>rj * rowBytes;
      let ok = true;
      for (let t = 0; t < k; t++) {
        const v = load<f32>(x + (<usize>t << 2));
        if (!isFinite(v)) ok = false;
        store<f32>(out + (<usize>t << 2), v);
      }
      if (!ok) return -(rj + 2);
    }
  }
  return -1;
}
