// Explicit ALS (ALS-WR, Zhou et al. 2008) with biases: one call solves a range of rows of a half-step.
// The pure-JS twin is alsExplicit in src/kernels/als.ts.
import { rnd4 } from './layout';
import { madd64 } from './simd';
import { SYRK_BATCH, syrkUpper32 } from './syrk';
import {
  choleskySolve64, choleskySolveUpper32, choleskyUpper32, cholesky64, copyPad32, dot64, nonFinite, promote,
  rank2Lower, storeChecked, zeroRow,
} from './rowsolve';

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
