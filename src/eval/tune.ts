/**
 * Hyperparameter search: `tune(ModelClass, data, options)` fits the model with many settings on one
 * training part (or k folds), scores each on held-out interactions, and returns the best settings. For
 * models with iterations (ImplicitALS, ALS) each trial fits up to `maxIterations` with early stopping on
 * the validation metric, and the iteration count it kept becomes part of the returned settings.
 *
 * Search: with `grid`, every combination of the listed values; otherwise `trials` settings: the model's
 * defaults first, then half the budget spread over the space (stratified per dimension), then the rest
 * sampled around the best so far with a shrinking radius — a random search that refines its winner. All of
 * it is seeded: the same seed gives the same trials.
 * @module
 */
import { AbortError, LowrankError, ValidationError } from '../errors.js';
import { SparseMatrix } from '../data/csr.js';
import { modelTypeOf } from '../recommend/registry.js';
import { evaluateMetrics, parseMetric, type MetricSpec, type ParsedMetric } from './metric.js';
import type { RankingModel } from './ranking.js';
import type { RatingModel } from './rating.js';
import { assignFolds, splitByMask, trainTestSplit } from './splits.js';
import type { ValidationResult } from './validation.js';
import { searchPoints, type ParamValue, type SearchSpace } from './search.js';

export type { ParamRange, ParamValue, SearchSpace } from './search.js';

/** What tune() needs from a model: options in the constructor, `fit`, and ranking or rating. */
export interface TunableModel extends Partial<RankingModel & RatingModel> {
  /** The resolved options (every default filled in). */
  readonly options: object;
  fit(
    train: SparseMatrix,
    options?: {
      signal?: AbortSignal;
      validation?: { data: SparseMatrix; metric?: string; patience?: number };
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

/** Options of {@link tune}. */
export interface TuneOptions {
  /**
   * The settings to search: option name → a list of values, or a range `{ min, max, log?, integer? }`.
   * Default: the model class's wide space, its `tuneSpace` (ImplicitALS: factors, regularization, alpha;
   * ALS: factors, regularization; PureSVD: factors) — see `defaultSpace`.
   */
  space?: SearchSpace;
  /** Settings to try (random search refined around the best). Default 24. Not with `grid`. */
  trials?: number;
  /** Try every combination of the space's lists (ranges are not allowed). Default false. */
  grid?: boolean;
  /** Options every trial shares (e.g. `{ solver: 'cholesky' }`); not searched. */
  fixed?: Record<string, ParamValue>;
  /**
   * The metric to optimise: `'ndcg@10'`, `'precision@10'`, `'map@k'`, `'recall@k'`, `'auc@k'`, `'rmse'`,
   * `'mae'` … Default: the model class's `tuneMetric` (`'rmse'` for ALS, explicit ratings), else `'ndcg@10'`.
   */
  metric?: MetricSpec | string;
  /**
   * The held-out data: a matrix of the same shape as `data` (the trials fit on all of `data`), or the
   * fraction of `data`'s entries to hold out (seeded by `seed`). Default 0.2. Not with `folds`.
   */
  validation?: SparseMatrix | number;
  /** k-fold cross-validation instead: each trial is scored as the mean over `folds` folds. */
  folds?: number;
  /** Seed of the split, the search and the models (unless `fixed` or `space` sets `seed`). Default 0. */
  seed?: number;
  /** Upper bound of the iterations early stopping chooses from (models with iterations). Default 50. */
  maxIterations?: number;
  /** Evaluations without improvement before a trial stops. Default 3. */
  patience?: number;
  /** Cancels the search (AbortError) during the current trial. */
  signal?: AbortSignal;
  /** Called after every trial. */
  onTrial?: (trial: TrialResult, progress: { done: number; total: number; best: TrialResult | undefined }) => void;
}

/** One trial's outcome. */
export interface TrialResult {
  /** 0-based trial number. */
  trial: number;
  /** The searched settings (and, for models with iterations, the iterations early stopping kept). */
  params: Record<string, ParamValue>;
  /** The metric on the held-out data (the mean over folds); NaN when the fit failed. */
  value: number;
  /** Per fold values, with `folds`. */
  foldValues?: number[];
  /** Wall-clock seconds of the trial (fits and scoring). */
  seconds: number;
  /** Why the fit failed (e.g. a ModelFitError's message), when it did. */
  error?: string;
}

/** What {@link tune} returns. */
export interface TuneResult {
  /** The best settings: pass them to the model (`new ImplicitALS({ ...best })`), with `fixed` merged in. */
  best: Record<string, ParamValue>;
  /** The best trial. */
  bestTrial: TrialResult;
  /** Every trial, in the order run. */
  results: TrialResult[];
  /** Canonical metric label, e.g. `'ndcg@10'`. */
  metric: string;
  higherIsBetter: boolean;
  /** Wall-clock seconds of the whole search. */
  seconds: number;
}

const TUNE_KEYS = [
  'space',
  'trials',
  'grid',
  'fixed',
  'metric',
  'validation',
  'folds',
  'seed',
  'maxIterations',
  'patience',
  'signal',
  'onTrial',
];

/** The default search space of a model class: the class's own `tuneSpace`, if it has one. */
export function defaultSpace(ModelClass: TunableClass): SearchSpace | undefined {
  return ModelClass.tuneSpace;
}

function positiveInt(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new ValidationError(`tune: ${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  return v;
}

interface Fold {
  train: SparseMatrix;
  test: SparseMatrix;
}

function foldsOf(m: SparseMatrix, o: TuneOptions, seed: number): Fold[] {
  if (o.folds !== undefined) {
    const k = positiveInt('folds', o.folds, 2, Math.max(2, Math.min(100, m.nnz)));
    const fold = assignFolds(m, k, seed);
    const out: Fold[] = [];
    for (let f = 0; f < k; f++) {
      const mask = new Uint8Array(m.nnz);
      for (let p = 0; p < m.nnz; p++) mask[p] = fold[p] === f ? 1 : 0;
      out.push(splitByMask(m, mask));
    }
    return out;
  }
  const v = o.validation ?? 0.2;
  if (v instanceof SparseMatrix) {
    if (v.rows !== m.rows || v.cols !== m.cols)
      throw new ValidationError(
        `tune: validation is ${v.rows}×${v.cols} but data is ${m.rows}×${m.cols}; they must have the same shape`,
      );
    if (v.nnz === 0) throw new ValidationError('tune: validation has no entries');
    return [{ train: m, test: v }];
  }
  if (typeof v !== 'number' || !(v > 0 && v < 1))
    throw new ValidationError(
      `tune: validation must be a SparseMatrix of held-out interactions or a fraction in (0, 1), got ${String(v)}`,
    );
  return [trainTestSplit(m, { testFraction: v, seed })];
}

/** Fit on one fold and score: the best validation value and, with iterations, the iteration that gave it. */
async function runFold(
  Model: TunableClass,
  params: Record<string, ParamValue>,
  fold: Fold,
  metric: ParsedMetric,
  early: { patience: number } | undefined,
  signal: AbortSignal | undefined,
): Promise<{ value: number; iterations?: number }> {
  const model = new Model(params);
  try {
    if (!early) {
      await model.fit(fold.train, { signal });
      return { value: evaluateMetrics(model, fold.train, fold.test, [metric])[metric.label] };
    }
    let best: { value: number; iteration: number } | undefined;
    await model.fit(fold.train, {
      signal,
      validation: { data: fold.test, metric: metric.label, patience: early.patience },
      onIteration: ({ iteration, validation }) => {
        if (!validation) return;
        const better =
          best === undefined || (metric.higherIsBetter ? validation.value > best.value : validation.value < best.value);
        if (better) best = { value: validation.value, iteration };
      },
    });
    if (!best) return { value: evaluateMetrics(model, fold.train, fold.test, [metric])[metric.label], iterations: 0 };
    return { value: best.value, iterations: best.iteration + 1 };
  } finally {
    model.dispose?.();
  }
}

/**
 * Search a model's hyperparameters on held-out data. Returns the best settings and every trial.
 * Trials run one after another, each fit using every thread of the backend (`init({ threads })`).
 *
 * @example
 * const { best, results } = await tune(ImplicitALS, data, { metric: 'precision@10', trials: 30, seed: 1 });
 * const model = await new ImplicitALS(best).fit(data);
 *
 * @example
 * // a grid, scored by 3-fold cross-validation
 * await tune(ALS, ratings, { space: { factors: [16, 32, 64], regularization: [0.03, 0.1, 0.3] }, grid: true, folds: 3 });
 */
export async function tune(
  ModelClass: TunableClass,
  data: SparseMatrix | { matrix: SparseMatrix },
  options: TuneOptions = {},
): Promise<TuneResult> {
  const t0 = performance.now();
  if (typeof ModelClass !== 'function')
    throw new ValidationError('tune: ModelClass must be a model class such as ImplicitALS, ALS or PureSVD');
  const matrix = data instanceof SparseMatrix ? data : (data as { matrix?: unknown } | null)?.matrix;
  if (!(matrix instanceof SparseMatrix))
    throw new ValidationError('tune: data must be a SparseMatrix or Interactions ({ matrix, users, items })');
  if (matrix.nnz === 0) throw new ValidationError('tune: data has no entries');
  if (options === null || typeof options !== 'object') throw new ValidationError('tune: options must be an object');
  for (const key of Object.keys(options))
    if (!TUNE_KEYS.includes(key))
      throw new ValidationError(`tune: unknown option ${JSON.stringify(key)}; expected one of ${TUNE_KEYS.join(', ')}`);
  if (options.grid !== undefined && typeof options.grid !== 'boolean')
    throw new ValidationError(`tune: grid must be true or false, got ${String(options.grid)}`);
  if (options.grid && options.trials !== undefined)
    throw new ValidationError('tune: pass trials (random search) or grid: true, not both');
  if (options.folds !== undefined && options.validation !== undefined)
    throw new ValidationError('tune: pass validation or folds, not both');
  if (options.onTrial !== undefined && typeof options.onTrial !== 'function')
    throw new ValidationError('tune: onTrial must be a function');
  const signal = options.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean'))
    throw new ValidationError('tune: signal must be an AbortSignal');
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new ValidationError(`tune: seed must be a finite number, got ${String(seed)}`);
  const fixed = options.fixed ?? {};
  if (fixed === null || typeof fixed !== 'object')
    throw new ValidationError('tune: fixed must be an object of model options');

  const modelName = modelTypeOf(ModelClass) ?? ModelClass.name;
  const space = options.space ?? defaultSpace(ModelClass);
  if (space === undefined)
    throw new ValidationError(`tune: no default search space for ${modelName}; pass options.space`);
  // The model's defaults: which options exist, and the first trial.
  let defaults: Record<string, unknown>;
  try {
    defaults = new ModelClass({ ...fixed }).options as Record<string, unknown>;
  } catch (e) {
    throw new ValidationError(`tune: ${modelName} rejected the fixed options: ${(e as Error).message}`);
  }
  for (const key of Object.keys(space)) {
    if (!(key in defaults))
      throw new ValidationError(
        `tune: ${modelName} has no option ${JSON.stringify(key)} to search; its options are ${Object.keys(defaults).join(', ')}`,
      );
    if (key in fixed) throw new ValidationError(`tune: ${JSON.stringify(key)} is both searched (space) and fixed`);
  }
  const hasIterations = typeof defaults.iterations === 'number';
  const early = hasIterations && !('iterations' in space) && !('iterations' in fixed);
  const maxIterations = positiveInt('maxIterations', options.maxIterations ?? 50, 1, 10000);
  const patience = positiveInt('patience', options.patience ?? 3, 1, 10000);
  const metric = parseMetric(options.metric ?? ModelClass.tuneMetric ?? 'ndcg@10');
  const folds = foldsOf(matrix, options, seed);
  const trials = options.grid ? undefined : positiveInt('trials', options.trials ?? 24, 1, 100000);
  const defaultPoint = Object.fromEntries(Object.keys(space).map((key) => [key, defaults[key] as ParamValue]));
  const points = searchPoints(space, { grid: options.grid === true, trials, seed, start: defaultPoint });
  // Every trial's options: the searched point over `fixed`, a seed, and the iterations budget.
  const base: Record<string, ParamValue> = { ...('seed' in defaults ? { seed } : {}), ...fixed };
  if (early) base.iterations = maxIterations;
  // Fail on options the model rejects before any training (e.g. a value out of its range).
  for (const p of points.preview()) {
    try {
      new ModelClass({ ...base, ...p });
    } catch (e) {
      throw new ValidationError(
        `tune: ${modelName} rejected a point of the space ${JSON.stringify(p)}: ${(e as Error).message}`,
      );
    }
  }

  const results: TrialResult[] = [];
  let best: TrialResult | undefined;
  const better = (a: number, b: number) => (metric.higherIsBetter ? a > b : a < b);
  for (let trial = 0; ; trial++) {
    const point = points.next();
    if (point === undefined) break;
    if (signal?.aborted)
      throw new AbortError(
        `tune was aborted after ${trial} trials${signal.reason !== undefined ? `: ${String(signal.reason)}` : ''}`,
      );
    const t1 = performance.now();
    const params: Record<string, ParamValue> = { ...point, ...base };
    const foldValues: number[] = [];
    const iters: number[] = [];
    let error: string | undefined;
    for (const fold of folds) {
      try {
        const r = await runFold(ModelClass, params, fold, metric, early ? { patience } : undefined, signal);
        foldValues.push(r.value);
        if (r.iterations !== undefined) iters.push(r.iterations);
      } catch (e) {
        if (e instanceof AbortError) throw new AbortError(`tune was aborted during trial ${trial}: ${e.message}`);
        if (!(e instanceof LowrankError)) throw e;
        error = e.message;
        break;
      }
    }
    const value = error === undefined ? foldValues.reduce((a, b) => a + b, 0) / foldValues.length : NaN;
    if (early && iters.length > 0)
      params.iterations = Math.max(1, Math.round(iters.reduce((a, b) => a + b, 0) / iters.length));
    const result: TrialResult = {
      trial,
      params,
      value,
      ...(folds.length > 1 ? { foldValues } : {}),
      seconds: (performance.now() - t1) / 1000,
      ...(error !== undefined ? { error } : {}),
    };
    results.push(result);
    if (Number.isFinite(value) && (best === undefined || better(value, best.value))) best = result;
    points.report(point, value, metric.higherIsBetter);
    options.onTrial?.(result, { done: trial + 1, total: points.total, best });
  }
  if (!best) throw new LowrankError(`tune: every trial failed; the first error: ${results[0]?.error ?? 'none ran'}`);
  return {
    best: { ...best.params },
    bestTrial: best,
    results,
    metric: metric.label,
    higherIsBetter: metric.higherIsBetter,
    seconds: (performance.now() - t0) / 1000,
  };
}
