// Implicit ALS kernels (Hu, Koren, Volinsky 2008): the exact half-step (alsImplicitCholesky) and the
// objective (alsImplicitLoss). One call solves a whole range of rows (row gather, system, solve), so JS
// crosses into WASM once per half-iteration, not once per row. The CG half-step is in als-cg.ts, explicit
// ALS in als-explicit.ts, the Gram in gram.ts; the pure-JS twins are in src/kernels/als.ts and the
// contracts are declared in src/runtime/declarations.ts.
//
// Precision: systems are formed (blocked rank-n updates, syrk.ts) and factored in f32, then refined once
// with an f64 residual, which reaches f64-solve accuracy for any reasonably conditioned row; rows whose
// f32 factorisation has a tiny pivot are solved wholly in f64, and short rows through the Woodbury
// identity in f64. Factors are stored f32.
import { rnd4 } from './layout';
import { madd64 } from './simd';
import { SYRK_BATCH, syrkUpper32 } from './syrk';
import {
  choleskySolve64, choleskySolveUpper32, choleskyUpper32, cholesky64, confidence, copyPad32, dot64, nonFinite,
  promote, rank2Lower, rowReg, storeChecked, zeroRow,
} from './rowsolve';

/** The f64 exact solve of one implicit row (fallback when the f32 factorization is not safe). */
@inline function implicitRow64(
  indices: usize, data: usize, p0: i32, p1: i32, Y: usize, G64: usize, out: usize,
  k: i32, kp: i32, alpha: f64, eps: f64, logConf: i32, A: usize, b: usize, u1: usize, u2: usize, invd: usize, reg: f64,
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
  for (let j = 0; j < k; j++) {
    const o = A + (<usize>(j * kp + j) << 3);
    store<f64>(o, load<f64>(o) + reg);
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
 * G = YᵀY + λI from alsGram (G64 f64 and G32 f32, kp×kp), plus regRows[r] (f32 per row) on row r's diagonal
 * when regRows ≠ 0. Empty rows get zeros. Y and X have row stride k.
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
  r0: i32, r1: i32, k: i32, alpha: f64, eps: f64, logConf: i32, scratch: usize, regRows: usize,
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
  // (per-row regularization changes G row by row, so G⁻¹ is not shared: no Woodbury path then)
  let woodbury: i32 = r1 - r0 >= WOODBURY_MIN_ROWS && regRows == 0 ? 0 : -1;
  for (let r = r0; r < r1; r++) {
    const out = X + <usize>r * rowBytes;
    const p0 = load<i32>(indptr + (<usize>r << 2));
    const p1 = load<i32>(indptr + (<usize>(r + 1) << 2));
    if (p1 == p0) {
      zeroRow(out, k);
      continue;
    }
    const reg = rowReg(regRows, r);
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
    if (reg != 0.0) {
      for (let j = 0; j < k; j++) {
        const o = A + (<usize>(j * kp + j) << 2);
        store<f32>(o, <f32>(<f64>load<f32>(o) + reg));
      }
    }
    if (choleskyUpper32(A, invd, diag, k, kp) >= 0) {
      const ok = implicitRow64(indices, data, p0, p1, Y, G64, out, k, kp, alpha, eps, logConf, A64, b, u1, u2, invd64, reg);
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
      const xa = load<f64>(u1 + (<usize>a << 3));
      store<f64>(u2 + (<usize>a << 3), load<f64>(b + (<usize>a << 3)) - dot64(G64 + (<usize>a * <usize>kp << 3), u1, kp) - reg * xa);
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
  r0: i32, r1: i32, k: i32, alpha: f64, eps: f64, logConf: i32, scratch: usize, regRows: usize,
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
    const reg = rowReg(regRows, r);
    if (reg != 0.0) quad += reg * dot64(xv, xv, kp);
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
