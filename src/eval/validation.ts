/**
 * The evaluation side of validation curves and early stopping during `fit`. A model's `fit(train, {
 * validation })` builds a validator once with {@link makeValidator}, calls it on the model every `every`
 * iterations, reports the result through `onIteration`, and, when `patience` is set, feeds the values to
 * an {@link EarlyStopping} tracker to snapshot the best factors and stop.
 *
 * Intended use inside a fit loop:
 * ```ts
 * const validate = options.validation ? makeValidator(options.validation, train) : undefined;
 * const stopper = validate?.patience !== undefined ? new EarlyStopping(validate.higherIsBetter, validate.patience) : undefined;
 * for (let it = 1; it <= iterations; it++) {
 *   step();
 *   const v = validate && (it % validate.every === 0 || it === iterations) ? validate(this) : undefined;
 *   onIteration?.({ iteration: it, validation: v });
 *   if (v && stopper) {
 *     const { improved, stop } = stopper.update(it, v.value);
 *     if (improved) snapshotFactors();
 *     if (stop) break;
 *   }
 * }
 * if (stopper) restoreSnapshot(); // the best iteration's factors
 * ```
 * @module
 */
import { ValidationError } from '../errors.js';
import { SparseMatrix } from '../data/csr.js';
import { evaluateMetrics, parseMetric, type MetricSpec } from './metric.js';
import type { RankingModel } from './ranking.js';
import type { RatingModel, UnseenPolicy } from './rating.js';

/** `fit(train, { validation })` options. */
export interface ValidationSpec {
  /** Held-out interactions, same shape as the training matrix. */
  data: SparseMatrix;
  /** Metric to track. Default `'ndcg@10'`. See {@link MetricSpec}. */
  metric?: MetricSpec | string;
  /** Evaluate every this many iterations (integer ≥ 1); the last iteration is always evaluated. Default 1. */
  every?: number;
  /**
   * Stop after this many consecutive evaluations without improvement and keep the best evaluation's
   * factors. Integer ≥ 1; default: no early stopping (every iteration runs, the last factors are kept).
   */
  patience?: number;
  /** For rmse/mae: scoring of unseen pairs (see {@link UnseenPolicy}). Default 'model'. */
  unseen?: UnseenPolicy;
  /** Users ranked per batch for ranking metrics. Default 256. */
  batchSize?: number;
}

/** One validation measurement. */
export interface ValidationResult {
  /** Canonical label, e.g. `'ndcg@10'`. */
  metric: string;
  value: number;
  higherIsBetter: boolean;
}

/** A validator: call it on the model being fitted. Carries the (defaulted) spec. */
export interface Validator {
  (model: Partial<RankingModel & RatingModel>): ValidationResult;
  readonly metric: string;
  readonly higherIsBetter: boolean;
  readonly every: number;
  readonly patience: number | undefined;
}

/**
 * Builds a validator from a `validation` spec. `train` is the matrix being fitted: ranking metrics exclude
 * its items from each user's list (required for ranking metrics; used for the unseen report of rmse/mae).
 * Validates the spec up front, so a bad option fails before fitting starts.
 */
export function makeValidator(spec: ValidationSpec, train?: SparseMatrix): Validator {
  const fn = 'validation';
  if (spec === null || typeof spec !== 'object')
    throw new ValidationError(`${fn}: expected { data, metric?, every?, patience? }`);
  const { data, every = 1, patience } = spec;
  if (!(data instanceof SparseMatrix))
    throw new ValidationError(`${fn}.data must be a SparseMatrix of held-out interactions`);
  const metric = parseMetric(spec.metric ?? 'ndcg@10');
  if (!Number.isInteger(every) || every < 1)
    throw new ValidationError(`${fn}.every must be an integer ≥ 1, got ${String(every)}`);
  if (patience !== undefined && (!Number.isInteger(patience) || patience < 1)) {
    throw new ValidationError(
      `${fn}.patience must be an integer ≥ 1 (evaluations without improvement), got ${String(patience)}`,
    );
  }
  if (train !== undefined) {
    if (!(train instanceof SparseMatrix)) throw new ValidationError(`${fn}: train must be a SparseMatrix`);
    if (train.rows !== data.rows || train.cols !== data.cols) {
      throw new ValidationError(
        `${fn}.data is ${data.rows}×${data.cols} but the training matrix is ${train.rows}×${train.cols}; they must have the same shape`,
      );
    }
  } else if (metric.kind === 'ranking') {
    throw new ValidationError(
      `${fn}: metric ${metric.label} ranks items with the training items filtered out, so makeValidator needs the training matrix`,
    );
  }
  const opts = { unseen: spec.unseen, batchSize: spec.batchSize };
  const filter =
    train ?? SparseMatrix.trusted(new Int32Array(data.rows + 1), new Int32Array(0), new Float32Array(0), data.shape);
  const validate = (model: Partial<RankingModel & RatingModel>): ValidationResult => {
    const value = evaluateMetrics(model, filter, data, [metric], opts)[metric.label];
    return { metric: metric.label, value, higherIsBetter: metric.higherIsBetter };
  };
  return Object.assign(validate, { metric: metric.label, higherIsBetter: metric.higherIsBetter, every, patience });
}

/**
 * Tracks the best validation value for early stopping. An evaluation improves when it is strictly better
 * than the best so far; `stop` turns true after `patience` consecutive evaluations without improvement.
 */
export class EarlyStopping {
  /** Best value seen so far (NaN before the first update). */
  bestValue = NaN;
  /** Iteration of the best value (-1 before the first update). */
  bestIteration = -1;
  private stale = 0;

  /**
   * @param higherIsBetter direction of the metric (a validator's `higherIsBetter`).
   * @param patience evaluations without improvement before stopping; Infinity never stops.
   */
  constructor(
    readonly higherIsBetter: boolean,
    readonly patience: number = Infinity,
  ) {
    if (!(patience === Infinity || (Number.isInteger(patience) && patience >= 1))) {
      throw new ValidationError(`EarlyStopping: patience must be an integer ≥ 1 or Infinity, got ${String(patience)}`);
    }
  }

  /** Records the value measured after `iteration`. `improved`: snapshot the factors now; `stop`: end fitting. */
  update(iteration: number, value: number): { improved: boolean; stop: boolean } {
    if (!Number.isFinite(value))
      throw new ValidationError(`EarlyStopping: validation value at iteration ${iteration} is ${value}`);
    const improved = this.bestIteration < 0 || (this.higherIsBetter ? value > this.bestValue : value < this.bestValue);
    if (improved) {
      this.bestValue = value;
      this.bestIteration = iteration;
      this.stale = 0;
    } else {
      this.stale++;
    }
    return { improved, stop: this.stale >= this.patience };
  }
}
