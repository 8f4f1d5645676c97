/**
 * Confidence once per fit. The implicit kernels derive c − 1 = α·g(|r|) from each stored value every time
 * they read it — with `confidence: 'log'` a logarithm per entry per half-step (and per CG pass). A fit instead
 * hands them values already mapped to d = sign(r)·α·g(|r|) with the linear weighting α = 1: the kernels
 * then read c = 1 + |d| and p = [d > 0], the same model, and the logarithms are taken once per fit.
 * @module
 */
import type { Heap, HeapArray } from '../../runtime/heap.js';
import type { HeapRows } from './solve.js';
import type { Weighting } from '../common/confidence.js';

/** The weighting under which the kernels read mapped values as they are. */
export const MAPPED: Weighting = { alpha: 1, epsilon: 1, log: false };

/** d = sign(r)·α·g(|r|), as f32; NaN when r > 0 maps to d ≤ 0 (p would be lost: α·g underflowed or α = 0). */
function mapValue(r: number, w: Weighting): number {
  const a = Math.abs(r);
  const c1 = Math.fround(w.log ? w.alpha * Math.log(1 + a / w.epsilon) : w.alpha * a);
  if (r > 0) return c1 > 0 ? c1 : Number.NaN;
  return -c1;
}

/** Map `src` into `dst` (may be the same array); false if a positive value cannot be mapped. */
function mapInto(src: Float32Array, dst: Float32Array, w: Weighting): boolean {
  for (let p = 0; p < src.length; p++) {
    const d = mapValue(src[p], w);
    if (Number.isNaN(d)) return false;
    dst[p] = d;
  }
  return true;
}

/** The two orientations of a fit with mapped values, and what frees the extra block. */
export interface FitConfidence {
  users: HeapRows;
  items: HeapRows;
  weighting: Weighting;
  free(): void;
}

/**
 * The user × item rows (values in the caller's matrix, left as they are: mapped into a new heap block) and
 * the fit's own transpose (mapped in place) with values mapped under `w`. Linear weighting needs no mapping
 * (α·|r| is a multiply), and data whose mapping would lose p (α·g(r) = 0 for some r > 0) keeps the kernels'
 * own arithmetic: then both are returned as given, with `w`.
 */
export function mapConfidence(heap: Heap, users: HeapRows, items: HeapRows, w: Weighting): FitConfidence {
  const none = { users, items, weighting: w, free() {} };
  if (!w.log) return none; // α·|r| costs the kernels nothing
  let mapped: HeapArray<'f32'> | undefined = heap.allocArray('f32', users.nnz);
  if (!mapInto(users.csr.data.view, mapped.view, w)) {
    mapped.free();
    return none;
  }
  // The transpose holds the same values: it maps too.
  mapInto(items.csr.data.view, items.csr.data.view, w);
  const csr = { ...users.csr, data: mapped };
  const u: HeapRows = {
    csr,
    rows: users.rows,
    nnz: users.nnz,
    get indptr() {
      return users.indptr;
    },
  };
  return {
    users: u,
    items,
    weighting: MAPPED,
    free() {
      mapped?.free();
      mapped = undefined;
    },
  };
}
