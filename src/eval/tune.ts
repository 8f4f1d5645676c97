/**
 * Hyperparameter search: `tune(ModelClass, data, options)` fits the model with many settings on one
 * training part (or k folds), scores each on held-out interactions, and returns the best settings. For
 * models with iterations (ImplicitALS, ALS) each trial fits up to `maxIterations` with early stopping on
 * the validation metric, and the iteration count it kept becomes part of the returned settings.
 *
 * Search: with `grid`, every combination of the listed values; otherwise a random search: the model's
 * defaults for the data first, then a third of the budget spread evenly over the space, then the rest
 * around the best so far with a shrinking radius. The budget is `trials`, `timeLimit` seconds, or both:
 * at the time limit the running trial stops and the best so far is returned. A trial whose learning curve
 * falls clearly behind the best trial's stops early (`prune`). Seeded: without a time limit, the same
 * seed gives the same trials.
 * @module
 */
import { AbortError, LowrankError, ValidationError } from '../errors.js';
import { SparseMatrix } from '../data/csr.js';
import { modelTypeOf } from '../recommend/registry.js';
import { parseMetric, type MetricSpec } from './metric.js';
import { assignFolds, splitByMask, trainTestSplit } from './splits.js';
import { Rng } from '../random.js';
import { searchPoints, type ParamValue, type SearchSpace } from './search.js';
import { Pruner, runFold, type Curve, type Fold, type TrialRules, type TrialStop, type TunableClass } from './trial.js';

export type { ParamRange, ParamValue, SearchSpace } from './search.js';
export type { TunableClass, TunableModel, TrialStop } from './trial.js';

/** Options of {@link tune}. */
export interface TuneOptions {
  /**
   * The settings to search: option name → a list of values, or a range `{ min, max, log?, integer? }`.
   * Default: the model class's wide space, its `tuneSpace` (ImplicitALS: factors, regularization, alpha;
   * ALS: factors, regularization; PureSVD: factors) — see `defaultSpace`.
   */
  space?: SearchSpace;
  /**
   * Settings to try (random search refined around the best). Default 24, or no count when `timeLimit` is
   * given. Not with `grid`.
   */
  trials?: number;
  /**
   * Wall-clock budget in seconds. When it runs out the running trial stops (keeping the best value its
   * fit reached, flagged `stopped: 'timeLimit'`; a model without iterations, PureSVD, finishes its trial),
   * no new trial starts, and the best so far is returned.
   * The budget also paces the random search (explore, then refine). Default: none.
   */
  timeLimit?: number;
  /**
   * Stop a trial once its validation curve is clearly (5 %) behind the best trial's at the same
   * iteration, after its first few iterations (models with iterations). Default true.
   */
  prune?: boolean;
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
   * fraction of `data`'s entries to hold out (seeded by `seed`) — for ranking metrics on data with more
   * than 2,000 users, the fraction of the entries of 2,000 users drawn at random (scoring costs grow with
   * the users scored; the others train on all their entries). Default 0.2. Not with `folds`.
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
  /** Called after every trial, e.g. to print it and draw a progress bar. */
  onTrial?: (trial: TrialResult, progress: TuneProgress) => void;
}

/** The second argument of `onTrial`. */
export interface TuneProgress {
  /** Trials finished. */
  done: number;
  /** Trials planned (Infinity with a time limit and no `trials`). */
  total: number;
  /** The best trial so far. */
  best: TrialResult | undefined;
  /** Seconds since tune() started. */
  seconds: number;
  /** The time limit, if one was given. */
  timeLimit?: number;
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
  /**
   * Why the trial's fit ended early, when it did: `'pruned'` (its curve fell behind the best trial's)
   * or `'timeLimit'`. `value` is the best it reached, at `params.iterations`.
   */
  stopped?: TrialStop;
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
  /** Whether the search ended at `timeLimit` (rather than after every trial). */
  timedOut: boolean;
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
  'timeLimit',
  'prune',
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

function foldsOf(m: SparseMatrix, o: TuneOptions, seed: number, ranking: boolean): Fold[] {
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
  return [validationSplit(m, v, seed, ranking)];
}

/** Users whose held-out entries score a ranking metric (the others keep all their entries for training). */
export const VALIDATION_USERS = 2000;

/**
 * The fraction `v` of the entries held out (trainTestSplit), or — for ranking metrics on data with more
 * than VALIDATION_USERS users — the fraction `v` of the entries of users drawn at random until
 * VALIDATION_USERS of them have a held-out entry:
 * scoring ranks every item for every validated user, so its cost grows with the users while its precision
 * is set by the held-out entries; the other users train on all their entries.
 */
export function validationSplit(m: SparseMatrix, v: number, seed: number, ranking: boolean): Fold {
  const { indptr } = m.arrays();
  const users: number[] = [];
  for (let u = 0; u < m.rows; u++) if (indptr[u + 1] > indptr[u]) users.push(u);
  if (!ranking || users.length <= VALIDATION_USERS) return trainTestSplit(m, { testFraction: v, seed });
  const rng = new Rng(seed);
  const order = Int32Array.from(users);
  rng.shuffle(order);
  const mask = new Uint8Array(m.nnz);
  // Users in random order until VALIDATION_USERS of them have a held-out entry.
  let scored = 0;
  for (let j = 0; j < order.length && scored < VALIDATION_USERS; j++) {
    const u = order[j];
    let any = false;
    for (let p = indptr[u]; p < indptr[u + 1]; p++)
      if (rng.next() < v) {
        mask[p] = 1;
        any = true;
      }
    if (any) scored++;
  }
  return splitByMask(m, mask);
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
  const s = setup(ModelClass, data, options);
  const { metric, folds, points, base, rules } = s;
  const results: TrialResult[] = [];
  let best: TrialResult | undefined;
  let bestCurves: (Curve | undefined)[] = [];
  const better = (a: number, b: number) => (metric.higherIsBetter ? a > b : a < b);
  const elapsed = () => (performance.now() - t0) / 1000;
  const used = (trial: number) =>
    Math.max(
      Number.isFinite(points.total) ? trial / points.total : 0,
      s.timeLimit !== undefined ? elapsed() / s.timeLimit : 0,
    );
  let timedOut = false;
  for (let trial = 0; ; trial++) {
    if (s.timeLimit !== undefined && trial > 0 && performance.now() >= rules.deadline) {
      timedOut = true;
      break;
    }
    const point = points.next(used(trial));
    if (point === undefined) break;
    if (s.signal?.aborted)
      throw new AbortError(
        `tune was aborted after ${trial} trials${s.signal.reason !== undefined ? `: ${String(s.signal.reason)}` : ''}`,
      );
    const t1 = performance.now();
    const params: Record<string, ParamValue> = { ...point, ...base };
    const outcome = await runTrial(ModelClass, params, folds, rules, trial);
    const result: TrialResult = { trial, params, value: outcome.value, seconds: (performance.now() - t1) / 1000 };
    if (folds.length > 1) result.foldValues = outcome.foldValues;
    if (outcome.error !== undefined) result.error = outcome.error;
    if (outcome.stopped !== undefined) result.stopped = outcome.stopped;
    if (outcome.iterations !== undefined) params.iterations = outcome.iterations;
    results.push(result);
    if (Number.isFinite(result.value) && (best === undefined || better(result.value, best.value))) {
      best = result;
      bestCurves = outcome.curves;
      rules.pruner?.setBest(bestCurves);
    }
    points.report(point, result.value, metric.higherIsBetter);
    options.onTrial?.(result, {
      done: trial + 1,
      total: points.total,
      best,
      seconds: elapsed(),
      ...(s.timeLimit !== undefined ? { timeLimit: s.timeLimit } : {}),
    });
    if (outcome.stopped === 'timeLimit') {
      timedOut = true;
      break;
    }
  }
  if (!best) {
    const why = timedOut
      ? `the time limit (${s.timeLimit} s) ended before any trial was evaluated; raise timeLimit`
      : `every trial failed; the first error: ${results[0]?.error ?? 'none ran'}`;
    throw new LowrankError(`tune: ${why}`);
  }
  return {
    best: { ...best.params },
    bestTrial: best,
    results,
    metric: metric.label,
    higherIsBetter: metric.higherIsBetter,
    seconds: elapsed(),
    timedOut,
  };
}

/** One trial: every fold, the mean of their values, and the iterations they kept. */
async function runTrial(
  ModelClass: TunableClass,
  params: Record<string, ParamValue>,
  folds: Fold[],
  rules: TrialRules,
  trial: number,
): Promise<{
  value: number;
  foldValues: number[];
  curves: (Curve | undefined)[];
  iterations?: number;
  stopped?: TrialStop;
  error?: string;
}> {
  const foldValues: number[] = [];
  const iters: number[] = [];
  const curves: (Curve | undefined)[] = [];
  let stopped: TrialStop | undefined;
  for (let f = 0; f < folds.length; f++) {
    try {
      const r = await runFold(ModelClass, params, folds[f], f, rules);
      foldValues.push(r.value);
      curves.push(r.curve);
      if (r.iterations !== undefined) iters.push(r.iterations);
      stopped ??= r.stopped;
      if (r.stopped !== undefined) break; // a pruned or timed-out trial's other folds would not change that
    } catch (e) {
      if (e instanceof AbortError) throw new AbortError(`tune was aborted during trial ${trial}: ${e.message}`);
      if (!(e instanceof LowrankError)) throw e;
      return { value: NaN, foldValues, curves, error: e.message };
    }
  }
  const out = {
    value: foldValues.reduce((a, b) => a + b, 0) / foldValues.length,
    foldValues,
    curves,
    ...(stopped !== undefined ? { stopped } : {}),
  };
  if (!rules.early || iters.length === 0) return out;
  return { ...out, iterations: Math.max(1, Math.round(iters.reduce((a, b) => a + b, 0) / iters.length)) };
}

/** Check the options and prepare the search: folds, points, the options every trial shares, the rules. */
function setup(ModelClass: TunableClass, data: SparseMatrix | { matrix: SparseMatrix }, options: TuneOptions) {
  if (typeof ModelClass !== 'function')
    throw new ValidationError('tune: ModelClass must be a model class such as ImplicitALS, ALS or PureSVD');
  const matrix = data instanceof SparseMatrix ? data : (data as { matrix?: unknown } | null)?.matrix;
  if (!(matrix instanceof SparseMatrix))
    throw new ValidationError('tune: data must be a SparseMatrix or Interactions ({ matrix, users, items })');
  if (matrix.nnz === 0) throw new ValidationError('tune: data has no entries');
  checkOptions(options);
  const signal = options.signal;
  const seed = options.seed ?? 0;
  const fixed = options.fixed ?? {};
  const modelName = modelTypeOf(ModelClass) ?? ModelClass.name;
  const space = options.space ?? defaultSpace(ModelClass);
  if (space === undefined)
    throw new ValidationError(`tune: no default search space for ${modelName}; pass options.space`);
  // The model's defaults for this data: which options exist, and the first trial.
  let defaults: Record<string, unknown>;
  try {
    const probe = new ModelClass({ ...fixed });
    defaults = (probe.optionsFor?.(matrix) ?? probe.options) as Record<string, unknown>;
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
  const early = 'iterations' in defaults && !('iterations' in space) && !('iterations' in fixed);
  const maxIterations = positiveInt('maxIterations', options.maxIterations ?? 50, 1, 10000);
  const patience = positiveInt('patience', options.patience ?? 3, 1, 10000);
  const metric = parseMetric(options.metric ?? ModelClass.tuneMetric ?? 'ndcg@10');
  const folds = foldsOf(matrix, options, seed, metric.kind === 'ranking');
  const timeLimit = options.timeLimit;
  const trials = options.grid
    ? undefined
    : options.trials !== undefined
      ? positiveInt('trials', options.trials, 1, 100000)
      : timeLimit !== undefined
        ? Infinity
        : 24;
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
  const rules: TrialRules = {
    metric,
    ...(early ? { early: { patience, every: 1 } } : {}),
    ...(options.prune !== false && early ? { pruner: new Pruner(metric.higherIsBetter) } : {}),
    deadline: timeLimit !== undefined ? performance.now() + timeLimit * 1000 : Infinity,
    ...(signal !== undefined ? { signal } : {}),
  };
  return { metric, folds, points, base, rules, timeLimit, signal };
}

/** The option checks that need no data or model. */
function checkOptions(options: TuneOptions): void {
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
  if (options.prune !== undefined && typeof options.prune !== 'boolean')
    throw new ValidationError(`tune: prune must be true or false, got ${String(options.prune)}`);
  const t = options.timeLimit;
  if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || !(t > 0)))
    throw new ValidationError(`tune: timeLimit must be a positive number of seconds, got ${String(t)}`);
  const signal = options.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean'))
    throw new ValidationError('tune: signal must be an AbortSignal');
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new ValidationError(`tune: seed must be a finite number, got ${String(seed)}`);
  const fixed = options.fixed ?? {};
  if (fixed === null || typeof fixed !== 'object')
    throw new ValidationError('tune: fixed must be an object of model options');
}
