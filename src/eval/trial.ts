/**
 * One trial of tune(): fit a model on each fold and score it on the held-out part. Models with iterations
 * are fitted with the validation hook, which gives the trial a learning curve: early stopping (patience)
 * keeps the best iteration, a trial whose curve falls clearly behind the best trial's curve at the same
 * iteration is stopped (it cannot win: ALS curves rarely cross once both have had a few iterations), and
 * the time limit stops it too, keeping the best value it reached (a fit with that many iterations
 * reproduces it exactly).
 * @module
 */
import { AbortError } from '../errors.js';
import type { SparseMatrix } from '../data/csr.js';
import { evaluateMetrics, type ParsedMetric } from './metric.js';
import type { RankingModel } from './ranking.js';
import type { RatingModel } from './rating.js';
import type { ValidationResult } from './validation.js';
import type { ParamValue, SearchSpace } from './search.js';

/** What tune() needs from a model: options in the constructor, `fit`, and ranking or rating. */
export interface TunableModel extends Partial<RankingModel & RatingModel> {
  /** The resolved options (every default filled in). */
  readonly options: object;
  /**
   * The options `fit` would use on `data` (settings the model derives from the data resolved); tune()
   * starts there. Optional: without it tune() starts at `options`.
   */
  optionsFor?(data: SparseMatrix): object;
  fit(
    train: SparseMatrix,
    options?: {
      signal?: AbortSignal;
      validation?: { data: SparseMatrix; metric?: string; patience?: number; every?: number };
      onIteration?: (info: { iteration: number; validation?: ValidationResult }) => void;
    },
  ): Promise<unknown>;
  dispose?(): void;
}

/**
 * A model class tune() can construct: `new ModelClass(options)`. The class may carry its own defaults for a
 * search: `tuneSpace` (what `defaultSpace` returns) and `tuneMetric` (the metric when none is given).
 */
export type TunableClass = (new (
  options?: any, // eslint-disable-line @typescript-eslint/no-explicit-any
) => TunableModel) & { readonly tuneSpace?: SearchSpace; readonly tuneMetric?: string };

/** A training part and its held-out part. */
export interface Fold {
  train: SparseMatrix;
  test: SparseMatrix;
}

/** Why a trial's fit ended before early stopping or the iterations bound. */
export type TrialStop = 'pruned' | 'timeLimit';

/** A learning curve: [iterations fitted, best value so far] at every evaluation. */
export type Curve = [number, number][];

/** The outcome of one fold's fit. */
export interface FoldOutcome {
  value: number;
  /** Iterations of the best evaluation (models with iterations). */
  iterations?: number;
  curve?: Curve;
  stopped?: TrialStop;
}

/** Don't judge a curve before this many iterations: high-λ settings start slowly and overtake. */
const PRUNE_AFTER = 4;
/** A trial stops when it is this far (relative) behind the best trial's curve at the same iteration. */
const PRUNE_MARGIN = 0.05;

/** The best trial's learning curves (per fold), against which running trials are judged. */
export class Pruner {
  private curves: (Curve | undefined)[] = [];

  constructor(private readonly higherIsBetter: boolean) {}

  /** The best trial changed: its curves become the reference. */
  setBest(curves: (Curve | undefined)[]): void {
    this.curves = curves;
  }

  /** Whether a trial at `value` (best so far) after `iterations` on fold `fold` cannot catch up. */
  behind(fold: number, iterations: number, value: number): boolean {
    const ref = this.curves[fold];
    if (!ref || ref.length === 0 || iterations < PRUNE_AFTER) return false;
    // The reference's best value so far at this iteration (its last, if it stopped earlier).
    let at: number | undefined;
    for (const [it, v] of ref) if (it <= iterations) at = v;
    if (at === undefined) return false;
    const margin = PRUNE_MARGIN * Math.abs(at);
    return this.higherIsBetter ? value < at - margin : value > at + margin;
  }
}

/** How one trial runs: the metric, early stopping, pruning and the time limit. */
export interface TrialRules {
  metric: ParsedMetric;
  /** Early stopping on the validation curve (models with iterations whose iterations are not searched). */
  early?: { patience: number; every: number };
  pruner?: Pruner;
  /** performance.now() at which the search ends (Infinity: no time limit). */
  deadline: number;
  signal?: AbortSignal;
}

/** Fit on one fold and score: the best validation value and, with iterations, the iteration that gave it. */
export async function runFold(
  Model: TunableClass,
  params: Record<string, ParamValue>,
  fold: Fold,
  index: number,
  rules: TrialRules,
): Promise<FoldOutcome> {
  const { metric, early } = rules;
  const model = new Model(params);
  try {
    if (!early) {
      await model.fit(fold.train, rules.signal ? { signal: rules.signal } : undefined);
      return { value: evaluateMetrics(model, fold.train, fold.test, [metric])[metric.label] };
    }
    // Our own controller: the caller's signal aborts it, and so do pruning and the time limit.
    const ctl = new AbortController();
    const forward = () => ctl.abort(rules.signal?.reason);
    if (rules.signal?.aborted) forward();
    rules.signal?.addEventListener('abort', forward);
    let best: { value: number; iteration: number } | undefined;
    let stopped: TrialStop | undefined;
    const curve: Curve = [];
    try {
      await model.fit(fold.train, {
        signal: ctl.signal,
        validation: { data: fold.test, metric: metric.label, patience: early.patience, every: early.every },
        onIteration: ({ iteration, validation }) => {
          if (validation) {
            const better =
              best === undefined ||
              (metric.higherIsBetter ? validation.value > best.value : validation.value < best.value);
            if (better) best = { value: validation.value, iteration };
            curve.push([iteration + 1, best!.value]);
            if (rules.pruner?.behind(index, iteration + 1, best!.value)) stopped = 'pruned';
          }
          if (stopped === undefined && best !== undefined && performance.now() >= rules.deadline) stopped = 'timeLimit';
          if (stopped !== undefined) ctl.abort();
        },
      });
    } catch (e) {
      // Our stop (not the caller's abort): the trial keeps the best value it reached.
      if (!(e instanceof AbortError) || stopped === undefined || rules.signal?.aborted) throw e;
    } finally {
      rules.signal?.removeEventListener('abort', forward);
    }
    if (!best) return { value: evaluateMetrics(model, fold.train, fold.test, [metric])[metric.label], iterations: 0 };
    return { value: best.value, iterations: best.iteration + 1, curve, ...(stopped ? { stopped } : {}) };
  } finally {
    model.dispose?.();
  }
}
