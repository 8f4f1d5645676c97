/**
 * Metric names as strings ('ndcg@10', 'precision@5', 'rmse', …), shared by cross-validation and the
 * validation hook, and the evaluation of a list of them with one ranking pass per distinct k.
 * @module
 */
import { ValidationError } from '../errors.js';
import type { SparseMatrix } from '../data/csr.js';
import { rankingMetrics, type RankingMetrics, type RankingModel } from './ranking.js';
import { ratingMetrics, type RatingModel, type RatingOptions } from './rating.js';

/** Ranking metrics, written `name@k` (k defaults to 10 when omitted). */
export type RankingMetricName = 'precision' | 'recall' | 'map' | 'ndcg' | 'auc' | 'hitRate' | 'coverage';
/** Rating metrics. */
export type RatingMetricName = 'rmse' | 'mae';

/**
 * A metric by name: `'precision@10'`, `'recall@k'`, `'map@k'`, `'ndcg@k'`, `'auc@k'`, `'hitRate@k'`,
 * `'coverage@k'` (see {@link RankingMetrics}), or `'rmse'` / `'mae'` (see {@link ratingMetrics}).
 */
export type MetricSpec = `${RankingMetricName}@${number}` | RankingMetricName | RatingMetricName;

/** A parsed metric name. */
export interface ParsedMetric {
  /** Canonical label, e.g. `'ndcg@10'` or `'rmse'`. */
  label: string;
  name: RankingMetricName | RatingMetricName;
  /** List length for ranking metrics; 0 for rating metrics. */
  k: number;
  kind: 'ranking' | 'rating';
  /** Whether larger values are better (false for rmse and mae). */
  higherIsBetter: boolean;
}

const RANKING: readonly RankingMetricName[] = ['precision', 'recall', 'map', 'ndcg', 'auc', 'hitRate', 'coverage'];

/** Parses a metric name (case-insensitive), e.g. `parseMetric('NDCG@20')` → `{ label: 'ndcg@20', … }`. */
export function parseMetric(spec: string): ParsedMetric {
  if (typeof spec !== 'string')
    throw new ValidationError(`metric must be a string such as 'ndcg@10' or 'rmse', got ${String(spec)}`);
  const m = /^\s*([A-Za-z]+)\s*(?:@\s*(\d+))?\s*$/.exec(spec);
  const raw = m?.[1].toLowerCase();
  if (raw === 'rmse' || raw === 'mae') {
    if (m![2] !== undefined) throw new ValidationError(`metric '${spec}': ${raw} takes no @k`);
    return { label: raw, name: raw, k: 0, kind: 'rating', higherIsBetter: false };
  }
  const name = RANKING.find((r) => r.toLowerCase() === raw);
  if (!m || !name) {
    throw new ValidationError(
      `unknown metric '${spec}'; expected one of ${RANKING.map((r) => `${r}@k`).join(', ')}, rmse, mae`,
    );
  }
  const k = m[2] === undefined ? 10 : Number(m[2]);
  if (!Number.isSafeInteger(k) || k < 1) throw new ValidationError(`metric '${spec}': k must be an integer ≥ 1`);
  return { label: `${name}@${k}`, name, k, kind: 'ranking', higherIsBetter: true };
}

/** Options for {@link evaluateMetrics}. */
export interface EvaluateOptions {
  /** Users per ranking batch; see {@link RankingOptions.batchSize}. */
  batchSize?: number;
  /** Scoring of unseen pairs for rmse/mae; see {@link RatingOptions.unseen}. Default 'model'. */
  unseen?: RatingOptions['unseen'];
  /** Clip predictions for rmse/mae; see {@link RatingOptions.clip}. */
  clip?: RatingOptions['clip'];
}

/**
 * Evaluates several metrics of one model on one split: one {@link rankingMetrics} pass per distinct k and
 * one {@link ratingMetrics} pass if rmse or mae is asked. Returns values keyed by canonical label.
 */
export function evaluateMetrics(
  model: Partial<RankingModel & RatingModel>,
  train: SparseMatrix,
  test: SparseMatrix,
  metrics: readonly ParsedMetric[],
  options: EvaluateOptions = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  const byK = new Map<number, RankingMetrics>();
  let rating: ReturnType<typeof ratingMetrics> | undefined;
  for (const m of metrics) {
    if (m.kind === 'ranking') {
      let r = byK.get(m.k);
      if (!r) {
        if (typeof model.recommendBatch !== 'function')
          throw new ValidationError(`metric ${m.label} needs a model with recommendBatch()`);
        r = rankingMetrics(model as RankingModel, train, test, { k: m.k, batchSize: options.batchSize });
        byK.set(m.k, r);
      }
      out[m.label] = r[m.name as RankingMetricName];
    } else {
      if (!rating) {
        if (typeof model.predict !== 'function')
          throw new ValidationError(`metric ${m.label} needs a model with predict()`);
        rating = ratingMetrics(model as RatingModel, test, { train, unseen: options.unseen, clip: options.clip });
      }
      out[m.label] = rating[m.name as RatingMetricName];
    }
  }
  return out;
}
