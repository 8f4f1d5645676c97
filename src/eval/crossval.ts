/**
 * K-fold cross-validation by interaction: each stored entry is held out in exactly one fold; a fresh model
 * is fitted on the other folds and scored on it.
 * @module
 */
import { ValidationError } from '../errors.js';
import { OptionReader } from '../options.js';
import { SparseMatrix } from '../data/csr.js';
import { assignFolds, checkSeed, splitByMask } from './splits.js';
import { evaluateMetrics, parseMetric, type EvaluateOptions, type MetricSpec } from './metric.js';
import type { RankingModel } from './ranking.js';
import type { RatingModel } from './rating.js';

/** A model as cross-validation sees it: rankable and/or predicting, optionally disposable. */
export type EvaluableModel = Partial<RankingModel & RatingModel> & {
  /** Free the model's memory after its fold is scored. */
  dispose?(): void;
};

/** Builds and fits a model on `train` (fold `fold`'s training part) and returns it fitted. */
export type ModelFactory<M extends EvaluableModel> = (train: SparseMatrix, fold: number) => M | Promise<M>;

export interface CrossValidateOptions extends EvaluateOptions {
  /** Number of folds, integer in [2, nnz]. Default 5. */
  folds?: number;
  /** Metrics to compute per fold. Default `['precision@10', 'recall@10', 'map@10', 'ndcg@10', 'auc@10']`. */
  metrics?: readonly (MetricSpec | string)[];
  /** Seed of the fold assignment. Default 0. */
  seed?: number;
  /** Call the model's `dispose()` after scoring each fold, freeing its heap memory. Default true. */
  dispose?: boolean;
}

/** One fold's outcome. */
export interface FoldResult {
  fold: number;
  trainNnz: number;
  testNnz: number;
  /** Wall time of the factory call (fit), in seconds. */
  fitSeconds: number;
  /** Metric values keyed by canonical label (e.g. `'ndcg@10'`). */
  values: Record<string, number>;
}

/** Result of {@link crossValidate}: each fold's metric values, and their mean and (population) standard deviation. */
export interface CrossValidationResult {
  /** Canonical metric labels, in the order asked. */
  metrics: string[];
  folds: FoldResult[];
  /** Mean over folds per metric. */
  mean: Record<string, number>;
  /** Population standard deviation over folds per metric (√(Σ (x − mean)² / folds), numpy's default). */
  std: Record<string, number>;
}

/**
 * K-fold cross-validation. Entries are assigned to folds uniformly at random (fold sizes differ by at
 * most one); for each fold f, `factory(train_f, f)` must return a model fitted on train_f, which is scored
 * on the held-out entries (train_f's items are filtered from rankings).
 *
 * @example
 * const cv = await crossValidate(async (train) => {
 *   const m = new ImplicitALS({ factors: 32, seed: 1 });
 *   await m.fit(train);
 *   return m;
 * }, matrix, { folds: 5, metrics: ['ndcg@10', 'precision@10'], seed: 0 });
 * console.log(cv.mean['ndcg@10'], '±', cv.std['ndcg@10']);
 */
export async function crossValidate<M extends EvaluableModel>(
  factory: ModelFactory<M>,
  m: SparseMatrix,
  options: CrossValidateOptions = {},
): Promise<CrossValidationResult> {
  const fn = 'crossValidate';
  if (typeof factory !== 'function')
    throw new ValidationError(`${fn}: factory must be a function (train, fold) => fitted model`);
  if (!(m instanceof SparseMatrix)) throw new ValidationError(`${fn}: expected a SparseMatrix`);
  new OptionReader(fn, options, ['folds', 'metrics', 'seed', 'dispose', 'batchSize', 'unseen', 'clip'], {
    nullIsDefaults: false,
  });
  const folds = options.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2 || folds > m.nnz || folds > 65536) {
    throw new ValidationError(
      `${fn}: folds must be an integer in [2, min(nnz, 65536)] = [2, ${Math.min(m.nnz, 65536)}], got ${String(folds)}`,
    );
  }
  const seed = checkSeed(fn, options.seed ?? 0);
  const specs = options.metrics ?? ['precision@10', 'recall@10', 'map@10', 'ndcg@10', 'auc@10'];
  if (!Array.isArray(specs) || specs.length === 0)
    throw new ValidationError(`${fn}: metrics must be a non-empty array of names such as 'ndcg@10' or 'rmse'`);
  const parsed = specs.map(parseMetric);
  const labels = [...new Set(parsed.map((p) => p.label))];
  const dispose = options.dispose ?? true;

  const assignment = assignFolds(m, folds, seed);
  const results: FoldResult[] = [];
  for (let f = 0; f < folds; f++) {
    const mask = new Uint8Array(m.nnz);
    for (let p = 0; p < m.nnz; p++) mask[p] = assignment[p] === f ? 1 : 0;
    const { train, test } = splitByMask(m, mask);
    const t0 = performance.now();
    const model = await factory(train, f);
    const fitSeconds = (performance.now() - t0) / 1000;
    if (model === null || typeof model !== 'object')
      throw new ValidationError(`${fn}: factory returned ${String(model)} for fold ${f}; expected a fitted model`);
    try {
      const values = evaluateMetrics(model, train, test, parsed, options);
      results.push({ fold: f, trainNnz: train.nnz, testNnz: test.nnz, fitSeconds, values });
    } finally {
      if (dispose && typeof model.dispose === 'function') model.dispose();
      // The fold's training matrix lives in the heap after the fit: back to JS memory (the factory's model may keep it).
      train.releaseHeap();
    }
  }
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const l of labels) {
    let s = 0;
    for (const r of results) s += r.values[l];
    const mu = s / folds;
    let v = 0;
    for (const r of results) v += (r.values[l] - mu) ** 2;
    mean[l] = mu;
    std[l] = Math.sqrt(v / folds);
  }
  return { metrics: labels, folds: results, mean, std };
}
