/**
 * The options of an iterative model's `fit` (ImplicitALS, ALS and every model that runs the fit loop):
 * `onIteration`, `signal`, `validation`, checked at the public boundary.
 * @module
 */
import { OptionReader } from '../../options.js';
import { throwIfAborted } from '../../tasks.js';
import type { ValidationResult, ValidationSpec } from '../../eval/validation.js';

/** What `onIteration` receives after each iteration. */
export interface IterationInfo {
  /** 0-based index of the iteration just finished (like implicit's fit callback). */
  iteration: number;
  /** The training objective after this iteration, when `calculateTrainingLoss` is on. */
  loss?: number;
  /** Wall-clock seconds this iteration took (both half-steps, excluding the loss). */
  seconds: number;
  /** The validation metric after this iteration, on iterations where `validation` was evaluated. */
  validation?: ValidationResult;
}

/** Options of `fit`. */
export interface FitOptions {
  /** Called after every iteration. */
  onIteration?: (info: IterationInfo) => void;
  /**
   * Cancels the fit: it stops after the current half-iteration with an `AbortError`, and a model that
   * was fitted before keeps its previous factors.
   */
  signal?: AbortSignal;
  /**
   * Validation curve and early stopping: the metric (default `'ndcg@10'`; or `'rmse'`, `'precision@5'`, …)
   * on `data` (held-out interactions of the same shape) every `every` iterations and after the last,
   * reported through `onIteration`. With `patience`, fitting stops after that many evaluations without
   * improvement and the model keeps the best evaluation's factors. Training items are filtered from the
   * rankings.
   */
  validation?: ValidationSpec;
}

/** Validate fit's second argument. */
export function checkFitOptions(where: string, o: FitOptions | undefined): FitOptions {
  const r = new OptionReader(where, o, ['onIteration', 'signal', 'validation']);
  r.fn('onIteration');
  r.signal();
  return o ?? {};
}

/** Throw AbortError if the fit's signal fired (the model keeps its previous state). */
export function checkFitAbort(signal: AbortSignal | undefined, model: string): void {
  throwIfAborted(signal, `${model}.fit was aborted`, '; the model keeps its previous state');
}
