// Pure-JS twin of assembly/scoring.ts: fused scoring + top-k for serving, and row normalisation for cosine.
import type { TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';
import { topk } from './topk.js';

/**
 * scores[out + c] = X row at xo · Y row c (or yRows' c-th entry), for c in [0, nCols); element offsets. A
 * function of its own, as scoreRow1 is in the WASM kernel: with this loop inside scoreTopkF32 (where V8
 * also inlines the top-k selection) the scoring ran about 1.2× slower on the 'js' backend.
 */
function scoreRow(
  f32: Float32Array,
  i32: Int32Array,
  xo: number,
  y0: number,
  yRows: number,
  yr: number,
  nCols: number,
  dim: number,
  out: number,
): void {
  for (let c = 0; c < nCols; c++) {
    const yo = y0 + (yRows === 0 ? c : i32[yr + c]) * dim;
    let s = 0;
    for (let i = 0; i < dim; i++) s += f32[xo + i] * f32[yo + i];
    f32[out + c] = s;
  }
}

export function scoringKernels(h: HeapViews): Pick<TwinKernels, 'scoreTopkF32' | 'normalizeRowsF32'> {
  return {
    scoreTopkF32(
      X,
      xRows,
      nRows,
      Y,
      yRows,
      nCols,
      dim,
      k,
      excIndptr,
      excIdx,
      globalExc,
      nGlobal,
      scratch,
      blockRows,
      outIdx,
      outScores,
      outCounts,
    ) {
      const f32 = h.f32;
      const i32 = h.i32;
      const x0 = X >>> 2;
      const y0 = Y >>> 2;
      const xr = xRows >>> 2;
      const yr = yRows >>> 2;
      const sc = scratch >>> 2;
      const block = Math.max(1, blockRows);
      for (let r0 = 0; r0 < nRows; r0 += block) {
        const r1 = Math.min(r0 + block, nRows);
        for (let r = r0; r < r1; r++)
          scoreRow(
            f32,
            i32,
            x0 + (xRows === 0 ? r : i32[xr + r]) * dim,
            y0,
            yRows,
            yr,
            nCols,
            dim,
            sc + (r - r0) * nCols,
          );
        for (let r = r0; r < r1; r++) {
          const row = sc + (r - r0) * nCols;
          if (excIndptr !== 0) {
            const a = i32[(excIndptr >>> 2) + r];
            const b = i32[(excIndptr >>> 2) + r + 1];
            for (let p = a; p < b; p++) f32[row + i32[(excIdx >>> 2) + p]] = NaN;
          }
          for (let g = 0; g < nGlobal; g++) f32[row + i32[(globalExc >>> 2) + g]] = NaN;
          const oi = (outIdx >>> 2) + r * k;
          const os = (outScores >>> 2) + r * k;
          const cnt = topk(f32, i32, row, nCols, k, oi, os);
          for (let j = cnt; j < k; j++) {
            i32[oi + j] = -1;
            f32[os + j] = -Infinity;
          }
          if (outCounts !== 0) i32[(outCounts >>> 2) + r] = cnt;
        }
      }
    },
    normalizeRowsF32(A, m, stride, cols, out) {
      const f32 = h.f32;
      for (let r = 0; r < m; r++) {
        const a = (A >>> 2) + r * stride;
        const o = (out >>> 2) + r * cols;
        let ss = 0;
        for (let j = 0; j < cols; j++) ss += f32[a + j] * f32[a + j];
        const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
        for (let j = 0; j < cols; j++) f32[o + j] = f32[a + j] * inv;
      }
    },
  };
}
