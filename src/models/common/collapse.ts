/**
 * Factors that shrank to nothing. Too strong a penalty (e.g. a λ chosen for an unscaled penalty, such as
 * implicit's, passed with frequency scaling ν = 1, where each row pays λ·nᵤ^ν) drives every factor to ~0:
 * predictions of the training entries, whose preference is 1, come out ~0, scores print as 0 and the
 * ranking is noise. The fit did what it was asked, so nothing is thrown; fit warns once per process with
 * the figure and the options that fix it.
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';

/** Below this mean prediction of a training entry (1 = a perfect fit; healthy fits give 0.2–0.9). */
const COLLAPSED = 0.01;

/** Mean x_u·y_i over up to `sample` training entries of `m` spread evenly (first `cols` columns of rows of `dim`). */
export function meanTrainingPrediction(
  m: SparseMatrix,
  X: Float32Array,
  Y: Float32Array,
  dim: number,
  cols: number,
  sample = 4096,
): number {
  const { indptr, indices } = m.arrays();
  const step = Math.max(1, Math.floor(m.nnz / sample));
  let sum = 0;
  let n = 0;
  for (let p = 0, u = 0; p < m.nnz; p += step) {
    while (indptr[u + 1] <= p) u++;
    const xo = u * dim;
    const yo = indices[p] * dim;
    let s = 0;
    for (let c = 0; c < cols; c++) s += X[xo + c] * Y[yo + c];
    sum += s;
    n++;
  }
  return n === 0 ? 1 : sum / n;
}

let warned = false;

/**
 * Warn once per process when the factors (rows of `dim`, the first `cols` columns the factors proper)
 * fitted to `m` predict its entries at ~0 (see the module comment), naming the penalty options that fix
 * it. Returns the message, or undefined when nothing was said.
 */
export function warnIfCollapsed(
  model: string,
  m: SparseMatrix,
  factors: { X: Float32Array; Y: Float32Array; dim: number; cols: number },
  penalty: { regularization: number; frequencyScaling: number },
): string | undefined {
  if (warned) return undefined;
  const mean = meanTrainingPrediction(m, factors.X, factors.Y, factors.dim, factors.cols);
  if (!(Math.abs(mean) < COLLAPSED)) return undefined;
  const { regularization: l, frequencyScaling: nu } = penalty;
  const fix = `regularization ${l} with frequencyScaling ${nu} (each row pays λ·n^ν) is too strong for this data; leave regularization unset (derived from the data) or lower it`;
  warned = true;
  const message =
    `lowrank: ${model}.fit: the factors shrank to almost nothing (mean prediction of a training entry ${mean.toPrecision(2)}, ` +
    `where 1 is a perfect fit), so the recommendations are close to arbitrary: ${fix}`;
  console.warn(message);
  return message;
}

/** Forget that the warning was given (tests). @internal */
export function resetCollapseWarning(): void {
  warned = false;
}
