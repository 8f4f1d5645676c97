/**
 * The fit loop of an iterative factor model (ImplicitALS, ALS; any model that refines X and Y in steps):
 * start factors into the heap, then per iteration the model's step(s), the validation check (early
 * stopping, best factors kept), `onIteration` and a yield to the event loop; abort checks between
 * iterations and wherever the model calls `abort`. On any failure the new blocks are freed and the model
 * keeps its previous state; the workspace is always freed.
 * @module
 */
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import type { ValidationResult } from '../../eval/validation.js';
import { yieldToEventLoop } from '../../tasks.js';
import { Factors } from './factors.js';
import { checkFitAbort, type FitOptions } from './fit-options.js';
import type { FitValidation } from './fit-validation.js';

/** An iterative fit: the model's steps and hooks; `W` is its per-fit workspace (heap scratch, freed at the end). */
export interface FitLoop<W extends { free(): void }> {
  /** The model's name, for messages. */
  model: string;
  backend: Backend;
  iterations: number;
  options: FitOptions;
  /** From `options.validation`, checked before any training. */
  validation: FitValidation | undefined;
  /** Users and items, and stored columns per row. */
  counts: [number, number];
  dim: number;
  /** Write the start factors into the (zeroed) heap blocks: users, then items. */
  start: (X: Float32Array, Y: Float32Array) => void;
  workspace: () => W;
  /** One iteration (the model calls `abort` between its steps, e.g. ALS's two half-steps). */
  iterate: (X: HeapArray<'f32'>, Y: HeapArray<'f32'>, ws: W, abort: () => void) => void;
  /** The training objective after an iteration, when the model computes it (not timed). */
  loss?: (X: HeapArray<'f32'>, Y: HeapArray<'f32'>, ws: W) => number | undefined;
  /** Measure the validation metric on a model serving `factors` (borrowed: not freed by the probe). */
  measure: (factors: Factors) => ValidationResult;
}

/** Run the loop; resolves to the fitted blocks (the caller adopts them). */
export async function fitLoop<W extends { free(): void }>(
  f: FitLoop<W>,
): Promise<{ X: HeapArray<'f32'>; Y: HeapArray<'f32'> }> {
  const { backend, options: fo, validation: val } = f;
  const abort = () => checkFitAbort(fo.signal, f.model);
  const heap = backend.heap;
  let X: HeapArray<'f32'> | undefined;
  let Y: HeapArray<'f32'> | undefined;
  let ws: W | undefined;
  try {
    X = heap.allocArray('f32', f.counts[0] * f.dim);
    Y = heap.allocArray('f32', f.counts[1] * f.dim);
    f.start(X.view, Y.view);
    ws = f.workspace();
    for (let it = 0; it < f.iterations; it++) {
      abort();
      const t0 = performance.now();
      f.iterate(X, Y, ws, abort);
      const seconds = (performance.now() - t0) / 1000;
      const loss = f.loss?.(X, Y, ws);
      const [Xc, Yc] = [X, Y]; // narrowed, for the closure
      const v = val?.check(it, Xc, Yc, () => f.measure(new Factors(backend, Xc, Yc, f.dim, false)));
      fo.onIteration?.({
        iteration: it,
        ...(loss !== undefined ? { loss } : {}),
        seconds,
        ...(v?.validation ? { validation: v.validation } : {}),
      });
      if (v?.stop) break;
      await yieldToEventLoop();
    }
    val?.restoreBest(X, Y);
    abort();
  } catch (e) {
    X?.free();
    Y?.free();
    throw e;
  } finally {
    ws?.free();
  }
  return { X, Y };
}
