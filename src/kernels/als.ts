/**
 * ALS kernels: the pure-JS twin of assembly/als.ts (same names, signatures and results up to rounding).
 * Each call solves a whole range of rows of one half-iteration, so the WASM backend crosses the JS↔WASM
 * boundary once per range, not once per row.
 *
 * Layouts: k×k blocks (the Gram G) use row stride kp = k rounded up to a multiple of 4, zero-padded,
 * full symmetric. Factor rows have stride k (implicit) or `dim` (explicit). Return codes of the solvers:
 * -1 success; r ≥ 0 the system of row r is singular / not positive definite; -(r + 2) row r's solution
 * is not finite.
 */
import { rnd4, type TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';
import { cholesky, choleskySolve } from './cholesky.js';
import { confidence } from './confidence.js';

// Over 80 lines: the table of the ALS twins, one entry per kernel (each entry is measured on its own).
export function alsKernels(
  h: HeapViews,
): Pick<
  TwinKernels,
  | 'alsGramBlocks'
  | 'alsGramBlocks32'
  | 'alsGramReduce'
  | 'alsImplicitCholesky'
  | 'alsImplicitCg'
  | 'alsImplicitLoss'
  | 'alsExplicit'
> {
  // Scratch lives in JS for the twin: the heap's scratch pointer is accepted but not needed.
  let A = new Float64Array(0);
  let vec = new Float64Array(0);
  const need = (kp: number): void => {
    if (A.length < kp * kp) A = new Float64Array(kp * kp);
    if (vec.length < 6 * kp) vec = new Float64Array(6 * kp);
  };

  return {
    alsGramBlocks(Y, n, k, stride, blockRows, P64, b0, b1, scratch) {
      void scratch;
      const f32 = h.f32;
      const f64 = h.f64;
      const kp = rnd4(k);
      for (let blk = b0; blk < b1; blk++) {
        const g = f64.subarray((P64 >>> 3) + blk * kp * kp, (P64 >>> 3) + (blk + 1) * kp * kp);
        g.fill(0);
        const i0 = blk * blockRows;
        const i1 = Math.min(n, i0 + blockRows);
        for (let i = i0; i < i1; i++) {
          const o = (Y >>> 2) + i * stride;
          for (let a = 0; a < k; a++) {
            const ya = f32[o + a];
            if (ya === 0) continue;
            const row = a * kp;
            for (let c = 0; c <= a; c++) g[row + c] += ya * f32[o + c];
          }
        }
      }
    },

    alsGramBlocks32(Y, n, k, stride, blockRows, P64, b0, b1, scratch) {
      void scratch;
      const f32 = h.f32;
      const f64 = h.f64;
      const kp = rnd4(k);
      const part = new Float32Array(kp * kp);
      for (let blk = b0; blk < b1; blk++) {
        const g = f64.subarray((P64 >>> 3) + blk * kp * kp, (P64 >>> 3) + (blk + 1) * kp * kp);
        g.fill(0);
        const i1 = Math.min(n, (blk + 1) * blockRows);
        // f32 sums over batches of 32 rows, added to the block in f64 (as the WASM kernel)
        for (let i0 = blk * blockRows; i0 < i1; i0 += 32) {
          part.fill(0);
          for (let i = i0; i < Math.min(i1, i0 + 32); i++) {
            const o = (Y >>> 2) + i * stride;
            for (let a = 0; a < k; a++) {
              const ya = f32[o + a];
              if (ya === 0) continue;
              for (let c = 0; c <= a; c++)
                part[a * kp + c] = Math.fround(part[a * kp + c] + Math.fround(ya * f32[o + c]));
            }
          }
          for (let a = 0; a < k; a++) for (let c = 0; c <= a; c++) g[a * kp + c] += part[a * kp + c];
        }
      }
    },

    alsGramReduce(k, lambda, nb, P64, G64, G32) {
      const f64 = h.f64;
      const kp = rnd4(k);
      const g = f64.subarray(G64 >>> 3, (G64 >>> 3) + kp * kp);
      g.fill(0);
      for (let blk = 0; blk < nb; blk++) {
        const p0 = (P64 >>> 3) + blk * kp * kp;
        for (let a = 0; a < k; a++) for (let c = 0; c <= a; c++) g[a * kp + c] += f64[p0 + a * kp + c];
      }
      for (let a = 0; a < k; a++) {
        g[a * kp + a] += lambda;
        for (let c = 0; c < a; c++) g[c * kp + a] = g[a * kp + c];
      }
      if (G32 !== 0) h.f32.set(g, G32 >>> 2);
    },

    alsImplicitCholesky(
      indptr,
      indices,
      data,
      Y,
      G64,
      G32,
      X,
      r0,
      r1,
      k,
      alpha,
      eps,
      logConf,
      scratch,
      regRows,
      V,
      lam,
      Ye,
      eigMax,
    ) {
      // The twin solves every row directly in f64; the eigenbasis path of the WASM kernel is a faster way to
      // the same solution.
      void scratch;
      void G32;
      void V;
      void lam;
      void Ye;
      void eigMax;
      const { i32, f32, f64 } = h;
      const kp = rnd4(k);
      need(kp);
      const b = vec.subarray(0, kp);
      const invd = vec.subarray(kp, 2 * kp);
      const u = vec.subarray(2 * kp, 3 * kp);
      const ip = indptr >>> 2;
      const ix = indices >>> 2;
      const dt = data >>> 2;
      const y0 = Y >>> 2;
      const g0 = G64 >>> 3;
      for (let r = r0; r < r1; r++) {
        const out = (X >>> 2) + r * k;
        const p0 = i32[ip + r];
        const p1 = i32[ip + r + 1];
        if (p1 === p0) {
          f32.fill(0, out, out + k);
          continue;
        }
        for (let a = 0; a < k; a++) for (let c = 0; c <= a; c++) A[a * kp + c] = f64[g0 + a * kp + c];
        b.fill(0);
        for (let p = p0; p < p1; p++) {
          const yo = y0 + i32[ix + p] * k;
          const v = f32[dt + p];
          const c = confidence(v, alpha, eps, logConf);
          for (let a = 0; a < k; a++) u[a] = f32[yo + a];
          const cm1 = c - 1;
          for (let a = 0; a < k; a++) {
            const s = cm1 * u[a];
            const row = a * kp;
            for (let q = 0; q <= a; q++) A[row + q] += s * u[q];
          }
          if (v > 0) for (let a = 0; a < k; a++) b[a] += c * u[a];
        }
        const reg = regRows ? f32[(regRows >>> 2) + r] : 0;
        for (let a = 0; a < k; a++) A[a * kp + a] += reg;
        if (cholesky(A, invd, k, kp) >= 0) return r;
        choleskySolve(A, invd, b, k, kp);
        let ok = true;
        for (let a = 0; a < k; a++) {
          f32[out + a] = b[a];
          if (!Number.isFinite(f32[out + a])) ok = false;
        }
        if (!ok) return -(r + 2);
      }
      return -1;
    },

    // Over 80 lines: follows assembly/als-cg.ts step by step (init, then CG steps per row), so that it
    // stays the oracle of the WASM kernel.
    alsImplicitCg(indptr, indices, data, Y, G32, X, r0, r1, k, alpha, eps, logConf, steps, scratch, regRows) {
      void scratch;
      const { i32, f32 } = h;
      const kp = rnd4(k);
      // f32 vectors, so rounding follows the WASM kernel's f32 arithmetic closely.
      const x = new Float32Array(kp);
      const res = new Float32Array(kp);
      const dir = new Float32Array(kp);
      const Ad = new Float32Array(kp);
      let cm1 = new Float32Array(16);
      const ip = indptr >>> 2;
      const ix = indices >>> 2;
      const dt = data >>> 2;
      const y0 = Y >>> 2;
      const g0 = G32 >>> 2;
      let reg = 0;
      const apply = (p0: number, n: number, v: Float32Array, out: Float32Array): void => {
        for (let a = 0; a < kp; a++) {
          let s = 0;
          const row = g0 + a * kp;
          for (let c = 0; c < kp; c++) s += f32[row + c] * v[c];
          out[a] = s;
        }
        if (reg !== 0) for (let a = 0; a < k; a++) out[a] += reg * v[a];
        for (let q = 0; q < n; q++) {
          const yo = y0 + i32[ix + p0 + q] * k;
          let s = 0;
          for (let a = 0; a < k; a++) s += f32[yo + a] * v[a];
          const t = Math.fround(cm1[q] * Math.fround(s));
          for (let a = 0; a < k; a++) out[a] += t * f32[yo + a];
        }
      };
      const dot = (a: Float32Array, b: Float32Array): number => {
        let s = 0;
        for (let j = 0; j < kp; j++) s += a[j] * b[j];
        return Math.fround(s);
      };
      for (let r = r0; r < r1; r++) {
        const out = (X >>> 2) + r * k;
        const p0 = i32[ip + r];
        const n = i32[ip + r + 1] - p0;
        if (n === 0) {
          f32.fill(0, out, out + k);
          continue;
        }
        reg = regRows ? f32[(regRows >>> 2) + r] : 0;
        x.fill(0);
        for (let a = 0; a < k; a++) x[a] = f32[out + a];
        if (cm1.length < n) cm1 = new Float32Array(Math.max(n, cm1.length * 2));
        for (let q = 0; q < n; q++) cm1[q] = confidence(f32[dt + p0 + q], alpha, eps, logConf) - 1;
        // res = b − A·x = −G·x + Σ (c·p − (c−1)·y_iᵀx)·y_i, one pass over the entries.
        apply(p0, 0, x, Ad);
        for (let a = 0; a < kp; a++) res[a] = -Ad[a];
        for (let q = 0; q < n; q++) {
          const yo = y0 + i32[ix + p0 + q] * k;
          let s = 0;
          for (let a = 0; a < k; a++) s += f32[yo + a] * x[a];
          const pos = f32[dt + p0 + q] > 0 ? Math.fround(cm1[q] + 1) : 0;
          const t = Math.fround(pos - Math.fround(cm1[q] * Math.fround(s)));
          for (let a = 0; a < k; a++) res[a] += t * f32[yo + a];
        }
        dir.set(res);
        let rsOld = dot(res, res);
        for (let it = 0; it < steps; it++) {
          if (rsOld < 1e-20) break;
          apply(p0, n, dir, Ad);
          const pAp = dot(dir, Ad);
          if (!(pAp > 0)) return Number.isFinite(pAp) ? r : -(r + 2);
          const a = Math.fround(rsOld / pAp);
          for (let j = 0; j < kp; j++) {
            x[j] += a * dir[j];
            res[j] -= a * Ad[j];
          }
          const rsNew = dot(res, res);
          const beta = Math.fround(rsNew / rsOld);
          for (let j = 0; j < kp; j++) dir[j] = res[j] + beta * dir[j];
          rsOld = rsNew;
        }
        let ok = true;
        for (let a = 0; a < k; a++) {
          f32[out + a] = x[a];
          if (!Number.isFinite(x[a])) ok = false;
        }
        if (!ok) return -(r + 2);
      }
      return -1;
    },

    alsImplicitLoss(indptr, indices, data, X, Y, G64, r0, r1, k, alpha, eps, logConf, scratch, regRows) {
      void scratch;
      const { i32, f32, f64 } = h;
      const kp = rnd4(k);
      const ip = indptr >>> 2;
      const g0 = G64 >>> 3;
      let total = 0;
      for (let r = r0; r < r1; r++) {
        const xo = (X >>> 2) + r * k;
        let quad = 0;
        for (let a = 0; a < k; a++) {
          let s = 0;
          for (let c = 0; c < k; c++) s += f64[g0 + a * kp + c] * f32[xo + c];
          quad += f32[xo + a] * s;
        }
        if (regRows) {
          const reg = f32[(regRows >>> 2) + r];
          for (let a = 0; a < k; a++) quad += reg * f32[xo + a] * f32[xo + a];
        }
        for (let p = i32[ip + r]; p < i32[ip + r + 1]; p++) {
          const yo = (Y >>> 2) + i32[(indices >>> 2) + p] * k;
          let s = 0;
          for (let a = 0; a < k; a++) s += f32[xo + a] * f32[yo + a];
          const v = f32[(data >>> 2) + p];
          const c = confidence(v, alpha, eps, logConf);
          const e = (v > 0 ? 1 : 0) - s;
          quad += c * e * e - s * s;
        }
        total += quad;
      }
      return total;
    },

    alsExplicit(indptr, indices, data, F, X, dim, r0, r1, k, lambda, weighted, biasMode, mu, scratch) {
      void scratch;
      const { i32, f32 } = h;
      const d = biasMode === 0 ? k : k + 1;
      const dp = rnd4(d);
      need(dp);
      const b = vec.subarray(0, dp);
      const invd = vec.subarray(dp, 2 * dp);
      const z = vec.subarray(2 * dp, 3 * dp);
      const offCol = biasMode === 1 ? k : k + 1;
      const muSub = biasMode === 1 ? mu : 0;
      const ip = indptr >>> 2;
      for (let r = r0; r < r1; r++) {
        const out = (X >>> 2) + r * dim;
        const p0 = i32[ip + r];
        const p1 = i32[ip + r + 1];
        if (p1 === p0) {
          f32.fill(0, out, out + dim);
          if (biasMode === 1) {
            f32[out + k] = 1;
            f32[out + k + 1] = mu;
          } else if (biasMode === 2) f32[out + k + 1] = 1;
          continue;
        }
        A.fill(0, 0, dp * dp);
        b.fill(0);
        for (let p = p0; p < p1; p++) {
          const fo = (F >>> 2) + i32[(indices >>> 2) + p] * dim;
          for (let a = 0; a < k; a++) z[a] = f32[fo + a];
          let t = f32[(data >>> 2) + p];
          if (biasMode !== 0) {
            z[k] = 1;
            t -= f32[fo + offCol] + muSub;
          }
          for (let a = 0; a < d; a++) {
            const za = z[a];
            const row = a * dp;
            for (let c = 0; c <= a; c++) A[row + c] += za * z[c];
            b[a] += t * za;
          }
        }
        const reg = weighted ? lambda * (p1 - p0) : lambda;
        for (let a = 0; a < d; a++) A[a * dp + a] += reg;
        if (cholesky(A, invd, d, dp) >= 0) return r;
        choleskySolve(A, invd, b, d, dp);
        for (let a = 0; a < k; a++) f32[out + a] = b[a];
        for (let a = 0; a < d; a++) if (!Number.isFinite(Math.fround(b[a]))) return -(r + 2);
        if (biasMode === 1) {
          f32[out + k] = 1;
          f32[out + k + 1] = b[k] + mu;
        } else if (biasMode === 2) {
          f32[out + k] = b[k];
          f32[out + k + 1] = 1;
        }
      }
      return -1;
    },
  };
}
