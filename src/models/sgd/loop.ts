/**
 * The SGD models' use of the ALS fit loop (src/als/fit.ts: start factors, iterations, validation with
 * early stopping and the best factors kept, onIteration, abort, yielding to the event loop). That loop is
 * typed for the two ALS models and their Workspace; it only ever frees the workspace and passes it back,
 * so this adapter hands it any per-fit state with a `free()`. When the loop becomes model-generic
 * (shared model helpers), this file goes and the models call it directly.
 * @module
 */
import { fitLoop, type FitLoop } from '../../als/fit.js';
import type { HeapArray } from '../../runtime/heap.js';

/** What a model's fit gives the loop, with its own per-fit state `W`. */
export interface SgdLoop<W extends { free(): void }> extends Omit<FitLoop, 'model' | 'workspace' | 'iterate' | 'loss'> {
  model: string;
  workspace: () => W;
  iterate: (X: HeapArray<'f32'>, Y: HeapArray<'f32'>, ws: W, abort: () => void) => void;
}

/** Run the fit loop; resolves to the fitted blocks (the caller adopts them). */
export function sgdFitLoop<W extends { free(): void }>(
  f: SgdLoop<W>,
): Promise<{ X: HeapArray<'f32'>; Y: HeapArray<'f32'> }> {
  return fitLoop(f as unknown as FitLoop);
}
