/**
 * How ImplicitALS regularizes rows by their confidence (the confidence itself, shared with every implicit
 * model, is src/models/common/confidence.ts): the frequency-scaled regularization of Rendle et al. 2021.
 *
 * Frequency-scaled regularization (after Rendle, Krichene, Zhang & Koren, "Revisiting the Performance
 * of iALS on Item Recommendation Benchmarks", RecSys 2022): row u's penalty is λ_u = λ·W_u^ν with
 * W_u = Σ_{i∈I_u} c_ui, the confidence mass of the row's observed entries (n_u·(1 + α) for 0/1 data).
 * Rows with more evidence get a larger penalty, so their factors are shrunk by a similar share, and one
 * λ holds across data sets of different densities and across factor sizes; ν = 0 is the plain λ of Hu,
 * Koren & Volinsky (and implicit). Rendle et al. also count the unobserved entries, W_u = |I_u| + α₀·|I|
 * (in our units |I| + α·|I_u|); on the data sets of bench/quality that made the best λ depend on the
 * item count (10× apart between MovieLens-100k and Last.fm), so lowrank counts the observed mass only.
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';
import type { Heap, HeapArray } from '../../runtime/heap.js';
import { confidenceOf, type Weighting } from '../common/confidence.js';

export { confidenceOf, confidenceScale, type Weighting } from '../common/confidence.js';

/** λ·W^ν for a row whose observed confidence mass is W (so λ_u ≥ λ for any row with an entry). */
export function scaledRegularization(weight: number, lambda: number, nu: number): number {
  return lambda * Math.pow(weight, nu);
}

/**
 * λ_u = λ·W_u^ν for every row of `m`, W_u = Σ_{i∈I_u} c_ui: the kernels' regRows (added to the diagonal
 * of a Gram matrix built without λ). Empty rows get λ·0^ν; the kernels give them zero factors anyway.
 */
export function rowRegularization(m: SparseMatrix, w: Weighting, lambda: number, nu: number): Float32Array {
  const out = new Float32Array(m.rows);
  const { indptr, data } = m.arrays();
  for (let r = 0; r < m.rows; r++) {
    let weight = 0;
    for (let p = indptr[r]; p < indptr[r + 1]; p++) weight += confidenceOf(data[p], w);
    out[r] = scaledRegularization(weight, lambda, nu);
  }
  return out;
}

/** rowRegularization of the transpose of `m` (per column, W_i = Σ_{u} c_ui), without building it. */
export function colRegularization(m: SparseMatrix, w: Weighting, lambda: number, nu: number): Float32Array {
  const mass = new Float64Array(m.cols);
  const { indices, data } = m.arrays();
  for (let p = 0; p < indices.length; p++) mass[indices[p]] += confidenceOf(data[p], w);
  const out = new Float32Array(m.cols);
  for (let c = 0; c < m.cols; c++) out[c] = scaledRegularization(mass[c], lambda, nu);
  return out;
}

/** One side's per-row λ on the heap (none: λ is on the Gram matrix), its values, and its release. */
export interface RegRows {
  /** The kernels' `regRows` argument. */
  array?: HeapArray<'f32'>;
  values?: Float32Array;
  free(): void;
}

/** Per-row λ copied to `heap` for the kernels' regRows; nothing without values (ν = 0). */
export function regRowsOnHeap(heap: Heap, values: Float32Array | undefined): RegRows {
  if (values === undefined) return { free() {} };
  const a = heap.copyIn(values);
  return { array: a, values, free: () => a.free() };
}

/** A fit's per-user and per-item λ on the heap (none with ν = 0), freed together. */
export function fitRegRows(
  heap: Heap,
  m: SparseMatrix,
  w: Weighting,
  lambda: number,
  nu: number,
): { users: RegRows; items: RegRows; free(): void } {
  const users = regRowsOnHeap(heap, nu > 0 ? rowRegularization(m, w, lambda, nu) : undefined);
  let items: RegRows;
  try {
    items = regRowsOnHeap(heap, nu > 0 ? colRegularization(m, w, lambda, nu) : undefined);
  } catch (e) {
    users.free();
    throw e;
  }
  return { users, items, free: () => (users.free(), items.free()) };
}

/** Σ_r reg[r]·‖F_r‖² over the rows of F (rows × k): the penalty of per-row λ. */
export function rowPenalty(F: Float32Array, k: number, reg: Float32Array): number {
  let total = 0;
  for (let r = 0; r < reg.length; r++) {
    let sq = 0;
    for (let a = 0; a < k; a++) sq += F[r * k + a] * F[r * k + a];
    total += reg[r] * sq;
  }
  return total;
}
