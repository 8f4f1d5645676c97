// Implicit ALS kernels (Hu, Koren, Volinsky 2008): the exact half-step (alsImplicitCholesky) and the
// objective (alsImplicitLoss). One call solves a whole range of rows (row gather, system, solve), so JS
// crosses into WASM once per half-iteration, not once per row. The CG half-step is in als-cg.ts, explicit
// ALS in als-explicit.ts, the Gram in gram.ts; the pure-JS twins are in src/kernels/als.ts and the
// contracts are declared in src/runtime/declarations.ts.
//
// Precision: systems are formed (blocked rank-n updates, syrk.ts) and factored in f32, then refined once
// with an f64 residual, which reaches f64-solve accuracy for any reasonably conditioned row; rows whose
// f32 factorisation has a tiny pivot are solved wholly in f64, and short rows through the Woodbury
// identity in G's eigenbasis, in f64 (eigsolve.ts, als-eig.ts). Factors are stored f32.
import { rnd4 } from './layout';
import { madd64 } from './simd';
import { SYRK_BATCH, syrkUpper32 } from './syrk';
import { implicitRowEig } from './eigsolve';
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

/**
 * Exact implicit half-step for rows [r0, r1): x_u = (G + Σ_{i∈I_u}(c_ui − 1)·y_i·y_iᵀ)⁻¹ · Σ c_ui·p_ui·y_i,
 * G = YᵀY + λI from alsGramReduce (G64 f64 and G32 f32, kp×kp), plus regRows[r] (f32 per row) on row r's diagonal
 * when regRows ≠ 0. Empty rows get zeros. Y and X have row stride k.
 *
 * Mixed precision: the system is formed and factored in f32 (SIMD), the solution then gets one step of
 * iterative refinement with the residual b − A·x computed in f64 as G64·x + Σ (c−1)(y_iᵀx)·y_i, which
 * brings it to f64-solve accuracy for any reasonably conditioned row. Rows whose f32 factorization has a
 * tiny pivot are solved entirely in f64. With G's eigendecomposition G = V·diag(lam)·Vᵀ and the fixed rows
 * projected into it (Ye, from symEigF64 and alsEigProject; V = 0: none), rows with at most eigMax entries,
 * all with c > 1, are solved exactly in f64 through the Woodbury identity in that basis instead
 * (eigsolve.ts): O(k² + n²·k) per row, per-row λ included.
 * scratch: 8·(kp² + 4·kp) + 4·(kp² + 5·kp) + 8·(2·kp + m + m·kp + m²) + 256·kp + 4·maxRowNnz bytes, m = eigMax.
 * Returns -1, or a failure code (see nonFinite).
 */
export function alsImplicitCholesky(
  indptr: usize, indices: usize, data: usize, Y: usize, G64: usize, G32: usize, X: usize,
  r0: i32, r1: i32, k: i32, alpha: f64, eps: f64, logConf: i32, scratch: usize, regRows: usize,
  V: usize, lam: usize, Ye: usize, eigMax: i32,
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
  // the eigenbasis path (f64)
  const eig = diag + v4;
  const m = V != 0 ? eigMax : 0;
  // packed batches for syrkUpper32, then c − 1 of the row's entries
  const Yp = eig + (<usize>(2 * kp + m + m * kp + m * m) << 3);
  const Wp = Yp + <usize>SYRK_BATCH * v4;
  const cm1 = Wp + <usize>SYRK_BATCH * v4;
  const rowBytes = <usize>k << 2;
  for (let r = r0; r < r1; r++) {
    const out = X + <usize>r * rowBytes;
    const p0 = load<i32>(indptr + (<usize>r << 2));
    const p1 = load<i32>(indptr + (<usize>(r + 1) << 2));
    if (p1 == p0) {
      zeroRow(out, k);
      continue;
    }
    const reg = rowReg(regRows, r);
    if (p1 - p0 <= m) {
      let usable = true;
      for (let p = p0; p < p1; p++) {
        if (!(confidence(<f64>load<f32>(data + (<usize>p << 2)), alpha, eps, logConf) > 1.0)) usable = false;
      }
      if (usable) {
        const ok = implicitRowEig(indices, data, p0, p1, Ye, V, lam, out, k, kp, alpha, eps, logConf, reg, eig, m);
        if (ok == 1) continue;
        if (ok < 0) return nonFinite(r);
        // not safely positive: the general path decides
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
 * G = YᵀY + λI (f64 kp×kp from alsGramReduce). Adding λ‖Y‖² gives the full HKV objective (the implicit zeros
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
