/**
 * The twin of assembly/als-subspace.ts: one sweep of block coordinate descent (iALS++) per row, the same
 * blocks in the same order, in f64 (the WASM kernel works in f32, so results agree to f32 rounding).
 */
import { rnd4, type TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';
import { cholesky, choleskySolve } from './cholesky.js';
import { confidence } from './confidence.js';

// Over 80 lines: the table of this one twin (its entry is measured on its own).
export function alsSubspaceKernels(h: HeapViews): Pick<TwinKernels, 'alsImplicitSubspace'> {
  return {
    // Over 80 lines: follows assembly/als-subspace.ts block by block (the row's system restricted to the
    // block, its solve, the predictions' update), so that the two are read side by side.
    alsImplicitSubspace(
      indptr,
      indices,
      data,
      Y,
      G32,
      X,
      r0,
      r1,
      k,
      alpha,
      eps,
      logConf,
      block,
      batchNnz,
      scratch,
      regRows,
    ) {
      void scratch;
      void batchNnz;
      const { i32, f32 } = h;
      const kp = rnd4(k);
      const b = Math.min(Math.max(4, block & ~3), kp);
      const x = new Float64Array(kp);
      const A = new Float64Array(b * b);
      const invd = new Float64Array(b);
      const rhs = new Float64Array(b);
      const g0 = G32 >>> 2;
      const y0 = Y >>> 2;
      for (let r = r0; r < r1; r++) {
        const out = (X >>> 2) + r * k;
        const p0 = i32[(indptr >>> 2) + r];
        const p1 = i32[(indptr >>> 2) + r + 1];
        if (p1 === p0) {
          f32.fill(0, out, out + k);
          continue;
        }
        const reg = regRows ? f32[(regRows >>> 2) + r] : 0;
        x.fill(0);
        for (let a = 0; a < k; a++) x[a] = f32[out + a];
        const n = p1 - p0;
        const s = new Float64Array(n);
        const yOf = (q: number) => y0 + i32[(indices >>> 2) + p0 + q] * k;
        for (let q = 0; q < n; q++) {
          let t = 0;
          for (let a = 0; a < k; a++) t += f32[yOf(q) + a] * x[a];
          s[q] = t;
        }
        for (let b0 = 0; b0 < kp; b0 += b) {
          const bb = Math.min(b, kp - b0);
          const real = Math.min(bb, k - b0);
          for (let t = 0; t < bb; t++) {
            let gx = 0;
            for (let a = 0; a < kp; a++) gx += f32[g0 + (b0 + t) * kp + a] * x[a];
            rhs[t] = -gx - reg * x[b0 + t];
            for (let u = 0; u < bb; u++) A[t * bb + u] = f32[g0 + (b0 + t) * kp + b0 + u];
            A[t * bb + t] = t < real ? A[t * bb + t] + reg : 1;
          }
          for (let q = 0; q < n; q++) {
            const v = f32[(data >>> 2) + p0 + q];
            const c1 = confidence(v, alpha, eps, logConf) - 1;
            const e = (v > 0 ? c1 + 1 : 0) - c1 * s[q];
            const yo = yOf(q) + b0;
            for (let t = 0; t < real; t++) {
              rhs[t] += e * f32[yo + t];
              for (let u = 0; u <= t; u++) A[t * bb + u] += c1 * f32[yo + t] * f32[yo + u];
            }
          }
          // (the lower triangle holds the system; cholesky reads it)
          if (cholesky(A, invd, bb, bb) >= 0) return r;
          choleskySolve(A, invd, rhs, bb, bb);
          for (let t = 0; t < bb; t++) x[b0 + t] += rhs[t];
          for (let q = 0; q < n; q++) {
            const yo = yOf(q) + b0;
            let t2 = 0;
            for (let t = 0; t < real; t++) t2 += f32[yo + t] * rhs[t];
            s[q] += t2;
          }
        }
        let ok = true;
        for (let a = 0; a < k; a++) {
          f32[out + a] = x[a];
          if (!Number.isFinite(f32[out + a])) ok = false;
        }
        if (!ok) return -(r + 2);
      }
      return -1;
    },
  };
}
