/**
 * The SGD models' guard against a diverged fit: too large a learning rate can drive factors to ±Infinity
 * or NaN, and a model must never serve those. Checked once after the fit (a scan of X and Y).
 * @module
 */
import { ModelFitError } from '../../errors.js';
import type { HeapArray } from '../../runtime/heap.js';

/** Throw a ModelFitError (after freeing X and Y) when any factor is not finite. */
export function checkFinite(
  where: string,
  X: HeapArray<'f32'>,
  Y: HeapArray<'f32'>,
  dim: number,
  learningRate: number,
): void {
  for (const [F, side] of [
    [X, 'user'],
    [Y, 'item'],
  ] as const) {
    const v = F.view;
    for (let p = 0; p < v.length; p++) {
      if (Number.isFinite(v[p])) continue;
      X.free();
      Y.free();
      throw new ModelFitError(
        `${where}: the factors diverged (${side} ${Math.floor(p / dim)} holds ${v[p]}); lower learningRate (now ${learningRate})`,
      );
    }
  }
}
