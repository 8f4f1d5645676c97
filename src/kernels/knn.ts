// Pure-JS twins of assembly/knn.ts: item–item neighbours (implicit's selection, ties included) and scoring
// r_u·S with a top-k. The same f64 operations in the same order, so the twins give the WASM kernels' bits.
import type { TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';

/** (sa, ia) < (sb, ib) as pairs: implicit's heap order. */
const lessPair = (sa: number, ia: number, sb: number, ib: number): boolean => sa < sb || (sa === sb && ia < ib);
/** (sa, ia) ranks below (sb, ib) in a recommendation. */
const worse = (sa: number, ia: number, sb: number, ib: number): boolean => sa < sb || (sa === sb && ia > ib);

type Before = (sa: number, ia: number, sb: number, ib: number) => boolean;

/** Heap of (V[vo+·], I[io+·]) pairs with root r such that before(x, root) never holds: push (s, id). */
function push(
  I: Int32Array,
  V: Float64Array,
  io: number,
  vo: number,
  size: number,
  s: number,
  id: number,
  before: Before,
): void {
  let pos = size;
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    if (!before(s, id, V[vo + parent], I[io + parent])) break;
    V[vo + pos] = V[vo + parent];
    I[io + pos] = I[io + parent];
    pos = parent;
  }
  V[vo + pos] = s;
  I[io + pos] = id;
}

/** Put (s, id) into the hole at `pos` and sift it down. */
function siftDown(
  I: Int32Array,
  V: Float64Array,
  io: number,
  vo: number,
  size: number,
  pos: number,
  s: number,
  id: number,
  before: Before,
): void {
  for (;;) {
    let c = 2 * pos + 1;
    if (c >= size) break;
    if (c + 1 < size && before(V[vo + c + 1], I[io + c + 1], V[vo + c], I[io + c])) c++;
    if (!before(V[vo + c], I[io + c], s, id)) break;
    V[vo + pos] = V[vo + c];
    I[io + pos] = I[io + c];
    pos = c;
  }
  V[vo + pos] = s;
  I[io + pos] = id;
}

/** Sort `size` (index, value) entries by index ascending. */
function sortByIndex(I: Int32Array, V: Float64Array, io: number, vo: number, size: number): void {
  const idx = Array.from(I.subarray(io, io + size));
  const order = idx.map((_, t) => t).sort((a, b) => idx[a] - idx[b]);
  const vals = order.map((t) => V[vo + t]);
  for (let t = 0; t < size; t++) {
    I[io + t] = idx[order[t]];
    V[vo + t] = vals[t];
  }
}

// Over 80 lines: the table of the kNN twins, one entry per kernel (each entry is measured on its own).
export function knnKernels(h: HeapViews): Pick<TwinKernels, 'knnNeighbors' | 'knnScoreTopk'> {
  return {
    knnNeighbors(
      uIndptr,
      uIndices,
      uData,
      iIndptr,
      iIndices,
      iData,
      nItems,
      K,
      r0,
      r1,
      outIdx,
      outVal,
      outCount,
      positive,
      scratch,
    ) {
      if (r0 >= r1) return;
      const I = h.i32;
      const D = h.f64;
      const up = uIndptr >>> 2;
      const ui = uIndices >>> 2;
      const ud = uData >>> 3;
      const ip = iIndptr >>> 2;
      const ii = iIndices >>> 2;
      const id = iData >>> 3;
      const acc = scratch >>> 3;
      const stamp = (scratch + 8 * nItems) >>> 2;
      const list = stamp + nItems;
      D.fill(0, acc, acc + nItems);
      I.fill(-1, stamp, stamp + nItems);
      for (let i = r0; i < r1; i++) {
        let touched = 0;
        for (let p = I[ip + i]; p < I[ip + i + 1]; p++) {
          const u = I[ii + p];
          const w1 = D[id + p];
          for (let q = I[up + u]; q < I[up + u + 1]; q++) {
            const j = I[ui + q];
            D[acc + j] += D[ud + q] * w1;
            if (I[stamp + j] !== i) {
              I[stamp + j] = i;
              I[list + touched++] = j;
            }
          }
        }
        const hi = (outIdx >>> 2) + i * K;
        const hv = (outVal >>> 3) + i * K;
        let size = 0;
        for (let t = touched - 1; t >= 0; t--) {
          const j = I[list + t];
          const s = D[acc + j];
          D[acc + j] = 0;
          if (size < K) push(I, D, hi, hv, size++, s, j, lessPair);
          else if (K > 0 && s > D[hv]) siftDown(I, D, hi, hv, size, 0, s, j, lessPair);
        }
        sortByIndex(I, D, hi, hv, size);
        I[(outCount >>> 2) + i] = size;
      }
    },

    // Over 80 lines: follows assembly/knn.ts's knnScoreTopk step by step (accumulate, exclude, select), so
    // that it stays a line-by-line oracle of the kernel.
    knnScoreTopk(
      uIndptr,
      uIndices,
      uData,
      uRows,
      nRows,
      sIndptr,
      sIndices,
      sData,
      nItems,
      colOf,
      k,
      excIndptr,
      excIdx,
      globalExc,
      nGlobal,
      allItems,
      scratch,
      outIdx,
      outScores,
      outCounts,
    ) {
      if (nRows <= 0 || k <= 0) return;
      const I = h.i32;
      const F = h.f32;
      const D = h.f64;
      const up = uIndptr >>> 2;
      const ui = uIndices >>> 2;
      const ud = uData >>> 2;
      const sp = sIndptr >>> 2;
      const si = sIndices >>> 2;
      const sd = sData >>> 3;
      const acc = scratch >>> 3;
      const stamp = (scratch + 8 * nItems) >>> 2;
      const list = stamp + nItems;
      const hv = (scratch + 16 * nItems) >>> 3;
      const col = (j: number): number => (colOf === 0 ? j : I[(colOf >>> 2) + j]);
      const mark = (items: number, e0: number, e1: number, v: number): void => {
        for (let e = e0; e < e1; e++) D[acc + I[(items >>> 2) + e]] = v;
      };
      D.fill(0, acc, acc + nItems);
      I.fill(-1, stamp, stamp + nItems);
      for (let r = 0; r < nRows; r++) {
        const u = uRows === 0 ? r : I[(uRows >>> 2) + r];
        let touched = 0;
        for (let p = I[up + u]; p < I[up + u + 1]; p++) {
          const i = I[ui + p];
          const w = F[ud + p];
          for (let q = I[sp + i]; q < I[sp + i + 1]; q++) {
            const j = I[si + q];
            D[acc + j] += D[sd + q] * w;
            if (I[stamp + j] !== r) {
              I[stamp + j] = r;
              I[list + touched++] = j;
            }
          }
        }
        const e0 = excIndptr === 0 ? 0 : I[(excIndptr >>> 2) + r];
        const e1 = excIndptr === 0 ? 0 : I[(excIndptr >>> 2) + r + 1];
        mark(excIdx, e0, e1, NaN);
        mark(globalExc, 0, nGlobal, NaN);
        const oi = (outIdx >>> 2) + r * k;
        const os = (outScores >>> 2) + r * k;
        let size = 0;
        const offer = (s: number, c: number): void => {
          if (Number.isNaN(s)) return;
          if (size < k) push(I, D, oi, hv, size++, s, c, worse);
          else if (worse(D[hv], I[oi], s, c)) siftDown(I, D, oi, hv, size, 0, s, c, worse);
        };
        for (let t = 0; t < touched; t++) {
          const j = I[list + t];
          const c = col(j);
          if (c >= 0) offer(D[acc + j], c);
          D[acc + j] = 0;
        }
        if (allItems !== 0) {
          for (let j = 0; j < nItems; j++) {
            if (I[stamp + j] === r) continue;
            const c = col(j);
            if (c < 0) continue;
            if (size === k && !worse(D[hv], I[oi], 0, c)) break;
            offer(D[acc + j], c);
          }
        }
        mark(excIdx, e0, e1, 0);
        mark(globalExc, 0, nGlobal, 0);
        for (let end = size - 1; end > 0; end--) {
          const s = D[hv + end];
          const id = I[oi + end];
          D[hv + end] = D[hv];
          I[oi + end] = I[oi];
          siftDown(I, D, oi, hv, end, 0, s, id, worse);
        }
        for (let j = 0; j < size; j++) F[os + j] = D[hv + j];
        for (let j = size; j < k; j++) {
          I[oi + j] = -1;
          F[os + j] = -Infinity;
        }
        if (outCounts !== 0) I[(outCounts >>> 2) + r] = size;
      }
    },
  };
}
