// Pure-JS twins of assembly/ease.ts: EASE's Gram matrix, B from the inverse, and scoring x_u·B with a top-k
// (the selection of src/kernels/topk.ts, as the WASM kernel uses assembly/topk.ts).
import type { TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';
import { topk } from './topk.js';

// Over 80 lines: the table of the EASE twins, one entry per kernel (each entry is measured on its own).
export function easeKernels(
  h: HeapViews,
): Pick<TwinKernels, 'easeGram' | 'easeFinish' | 'easeScoreTopk' | 'easeZ' | 'easeWoodburyB'> {
  return {
    easeGram(uIndptr, uIndices, uData, iIndptr, iIndices, iData, n, lambda, G, r0, r1) {
      const I = h.i32;
      const F = h.f32;
      const D = h.f64;
      const up = uIndptr >>> 2;
      const ui = uIndices >>> 2;
      const ud = uData >>> 2;
      const ip = iIndptr >>> 2;
      const ii = iIndices >>> 2;
      const id = iData >>> 2;
      for (let i = r0; i < r1; i++) {
        const g = (G >>> 3) + i * n;
        D.fill(0, g, g + n);
        for (let p = I[ip + i]; p < I[ip + i + 1]; p++) {
          const u = I[ii + p];
          const w = F[id + p];
          for (let q = I[up + u]; q < I[up + u + 1]; q++) D[g + I[ui + q]] += F[ud + q] * w;
        }
        D[g + i] += lambda;
      }
    },

    easeFinish(P, n, B, r0, r1) {
      const D = h.f64;
      const F = h.f32;
      const p = P >>> 3;
      const b = B >>> 2;
      for (let i = r0; i < r1; i++) {
        for (let j = 0; j < n; j++) {
          if (j < i) F[b + i * n + j] = -D[p + i * n + j] / D[p + j * n + j];
          else if (j === i) F[b + i * n + j] = 0;
          else F[b + i * n + j] = D[p + j * n + i] * (-1 / D[p + j * n + j]);
        }
      }
    },

    easeScoreTopk(
      B,
      n,
      uIndptr,
      uIndices,
      uData,
      uRows,
      nRows,
      colMap,
      colOf,
      k,
      excIndptr,
      excIdx,
      globalExc,
      nGlobal,
      scratch,
      outIdx,
      outScores,
      outCounts,
    ) {
      const I = h.i32;
      const F = h.f32;
      const s = scratch >>> 2;
      const b = B >>> 2;
      for (let r = 0; r < nRows; r++) {
        const u = uRows === 0 ? r : I[(uRows >>> 2) + r];
        F.fill(0, s, s + n);
        for (let p = I[(uIndptr >>> 2) + u]; p < I[(uIndptr >>> 2) + u + 1]; p++) {
          let i = I[(uIndices >>> 2) + p];
          if (colMap !== 0) i = I[(colMap >>> 2) + i];
          if (i < 0) continue;
          const w = F[(uData >>> 2) + p];
          const row = b + i * n;
          // f32 arithmetic, as the kernel's lanes.
          for (let j = 0; j < n; j++) F[s + j] = F[s + j] + Math.fround(w * F[row + j]);
        }
        if (excIndptr !== 0) {
          for (let e = I[(excIndptr >>> 2) + r]; e < I[(excIndptr >>> 2) + r + 1]; e++)
            F[s + I[(excIdx >>> 2) + e]] = NaN;
        }
        for (let g = 0; g < nGlobal; g++) F[s + I[(globalExc >>> 2) + g]] = NaN;
        if (colOf !== 0) for (let c = 0; c < n; c++) if (I[(colOf >>> 2) + c] < 0) F[s + c] = NaN;
        const oi = (outIdx >>> 2) + r * k;
        const os = (outScores >>> 2) + r * k;
        const cnt = topk(F, I, s, n, k, oi, os);
        if (colOf !== 0) for (let j = 0; j < cnt; j++) I[oi + j] = I[(colOf >>> 2) + I[oi + j]];
        for (let j = cnt; j < k; j++) {
          I[oi + j] = -1;
          F[os + j] = -Infinity;
        }
        if (outCounts !== 0) I[(outCounts >>> 2) + r] = cnt;
      }
    },

    easeZ(Wt, m, D, iIndptr, iIndices, iData, Zt, scale, r0, r1) {
      const I = h.i32;
      const F = h.f32;
      const M = h.f64;
      const w = Wt >>> 3;
      const d = D >>> 3;
      for (let j = r0; j < r1; j++) {
        const z = (Zt >>> 3) + j * m;
        M.fill(0, z, z + m);
        for (let p = I[(iIndptr >>> 2) + j]; p < I[(iIndptr >>> 2) + j + 1]; p++) {
          const u = I[(iIndices >>> 2) + p];
          const x = F[(iData >>> 2) + p];
          M[z + u] += x * M[d + u];
          for (let k = u + 1; k < m; k++) M[z + k] += x * M[w + u * m + k];
        }
        M[(scale >>> 3) + j] = 1 / (1 - dot(M, z, z, m));
      }
    },

    easeWoodburyB(Zt, m, n, scale, B, r0, r1) {
      const D = h.f64;
      const F = h.f32;
      const z = Zt >>> 3;
      const sc = scale >>> 3;
      const b = B >>> 2;
      for (let i = r0; i < r1; i++) {
        for (let j = 0; j < i; j++) {
          const v = dot(D, z + i * m, z + j * m, m);
          F[b + i * n + j] = v * D[sc + j];
          F[b + j * n + i] = v * D[sc + i];
        }
        F[b + i * n + i] = 0;
      }
    },
  };
}

/** Σ x[p]·y[p] (element offsets into D): even and odd terms apart, as the kernels' lanes. */
function dot(D: Float64Array, x: number, y: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let p = 0;
  for (; p + 2 <= n; p += 2) {
    s0 += D[x + p] * D[y + p];
    s1 += D[x + p + 1] * D[y + p + 1];
  }
  let s = s0 + s1;
  if (p < n) s += D[x + p] * D[y + p];
  return s;
}
