// Pure-JS twin of assembly/scoring.ts: fused scoring + top-k for serving, and row normalisation for cosine.
import type { HeapViews } from '../runtime/heap.js';

export interface ScoringKernels {
  /**
   * For each r in [0, nRows): scores[c] = X[xRows[r]]·Y[yRows[c]] for c in [0, nCols) (xRows / yRows = 0
   * mean the identity; rows are `dim` floats), computed `blockRows` rows at a time into `scratch`
   * (blockRows × nCols f32). Then columns excIdx[excIndptr[r] .. excIndptr[r+1]) (excIndptr = 0: none),
   * globalExc[0..nGlobal) and NaN scores are dropped, and the k best — score descending, column ascending
   * on ties — go to outIdx (i32) / outScores (f32) at offset r·k, padded with column -1 and score
   * -Infinity; outCounts[r] (i32, if non-zero) receives the count written. Each score is computed by the
   * same arithmetic whatever the batch, so a row's result does not depend on the rows beside it.
   * Exclusion columns must be in [0, nCols).
   */
  scoreTopkF32(
    X: number,
    xRows: number,
    nRows: number,
    Y: number,
    yRows: number,
    nCols: number,
    dim: number,
    k: number,
    excIndptr: number,
    excIdx: number,
    globalExc: number,
    nGlobal: number,
    scratch: number,
    blockRows: number,
    outIdx: number,
    outScores: number,
    outCounts: number,
  ): void;
  /**
   * out (m × cols) = the first `cols` of each row of A (rows `stride` floats apart) divided by its norm;
   * all-zero rows stay zero. Dot products of the output rows are cosines.
   */
  normalizeRowsF32(A: number, m: number, stride: number, cols: number, out: number): void;
}

/** (score, index) selection order: a is worse than b if it scores lower, or ties with a higher index. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

function siftDown(f32: Float32Array, i32: Int32Array, hs: number, hi: number, len: number): void {
  let p = 0;
  const ps = f32[hs];
  const pi = i32[hi];
  for (;;) {
    let c = 2 * p + 1;
    if (c >= len) break;
    let cs = f32[hs + c];
    let ci = i32[hi + c];
    if (c + 1 < len && worse(f32[hs + c + 1], i32[hi + c + 1], cs, ci)) {
      c++;
      cs = f32[hs + c];
      ci = i32[hi + c];
    }
    if (!worse(cs, ci, ps, pi)) break;
    f32[hs + p] = cs;
    i32[hi + p] = ci;
    p = c;
  }
  f32[hs + p] = ps;
  i32[hi + p] = pi;
}

/** k best of f32[row .. row+n) skipping NaN; element offsets. Returns the count. */
function topkRow(f32: Float32Array, i32: Int32Array, row: number, n: number, k: number, oi: number, os: number): number {
  if (k <= 0) return 0;
  let cnt = 0;
  for (let i = 0; i < n; i++) {
    const s = f32[row + i];
    if (s !== s) continue;
    if (cnt < k) {
      let c = cnt++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(s, i, f32[os + p], i32[oi + p])) break;
        f32[os + c] = f32[os + p];
        i32[oi + c] = i32[oi + p];
        c = p;
      }
      f32[os + c] = s;
      i32[oi + c] = i;
    } else if (s > f32[os]) {
      f32[os] = s;
      i32[oi] = i;
      siftDown(f32, i32, os, oi, k);
    }
  }
  for (let end = cnt - 1; end > 0; end--) {
    const s0 = f32[os];
    const i0 = i32[oi];
    f32[os] = f32[os + end];
    i32[oi] = i32[oi + end];
    f32[os + end] = s0;
    i32[oi + end] = i0;
    siftDown(f32, i32, os, oi, end);
  }
  return cnt;
}

export function scoringKernels(h: HeapViews): ScoringKernels {
  return {
    scoreTopkF32(X, xRows, nRows, Y, yRows, nCols, dim, k, excIndptr, excIdx, globalExc, nGlobal, scratch, blockRows, outIdx, outScores, outCounts) {
      const f32 = h.f32;
      const i32 = h.i32;
      const x0 = X >> 2;
      const y0 = Y >> 2;
      const xr = xRows >> 2;
      const yr = yRows >> 2;
      const sc = scratch >> 2;
      const block = Math.max(1, blockRows);
      for (let r0 = 0; r0 < nRows; r0 += block) {
        const r1 = Math.min(r0 + block, nRows);
        for (let r = r0; r < r1; r++) {
          const xo = x0 + (xRows === 0 ? r : i32[xr + r]) * dim;
          const out = sc + (r - r0) * nCols;
          for (let c = 0; c < nCols; c++) {
            const yo = y0 + (yRows === 0 ? c : i32[yr + c]) * dim;
            let s = 0;
            for (let i = 0; i < dim; i++) s += f32[xo + i] * f32[yo + i];
            f32[out + c] = s;
          }
        }
        for (let r = r0; r < r1; r++) {
          const row = sc + (r - r0) * nCols;
          if (excIndptr !== 0) {
            const a = i32[(excIndptr >> 2) + r];
            const b = i32[(excIndptr >> 2) + r + 1];
            for (let p = a; p < b; p++) f32[row + i32[(excIdx >> 2) + p]] = NaN;
          }
          for (let g = 0; g < nGlobal; g++) f32[row + i32[(globalExc >> 2) + g]] = NaN;
          const oi = (outIdx >> 2) + r * k;
          const os = (outScores >> 2) + r * k;
          const cnt = topkRow(f32, i32, row, nCols, k, oi, os);
          for (let j = cnt; j < k; j++) {
            i32[oi + j] = -1;
            f32[os + j] = -Infinity;
          }
          if (outCounts !== 0) i32[(outCounts >> 2) + r] = cnt;
        }
      }
    },
    normalizeRowsF32(A, m, stride, cols, out) {
      const f32 = h.f32;
      for (let r = 0; r < m; r++) {
        const a = (A >> 2) + r * stride;
        const o = (out >> 2) + r * cols;
        let ss = 0;
        for (let j = 0; j < cols; j++) ss += f32[a + j] * f32[a + j];
        const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
        for (let j = 0; j < cols; j++) f32[o + j] = f32[a + j] * inv;
      }
    },
  };
}
