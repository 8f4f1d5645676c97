/**
 * Held-out evaluation shared by `evaluate` and the main job: split once, fit each model on the training
 * part, measure ranking metrics @k on the test part, and RMSE for the model that predicts ratings (ALS).
 * @module
 */
import {
  ALS,
  rankingMetrics,
  rmse,
  trainTestSplit,
  type Interactions,
  type Model,
  type RankingMetrics,
  type Split,
} from '../index.js';
import { type FactorModel } from '../advanced.js';
import { fitWithProgress } from './models.js';
import { num, table } from './output.js';

/**
 * Why explicit ALS trails on ranking metrics: it is fitted to predict the ratings users gave, not to rank
 * which items they will rate; RMSE is its measure.
 */
export const RANKING_NOTE =
  'Explicit ALS predicts the rating a user would give (RMSE is its measure). Ranked by predicted rating, its top items are ones a user\n' +
  'would rate highly if they saw them — often rarely rated ones — not the ones they go on to rate, which is what P@k, MAP, NDCG and AUC\n' +
  'score: near-chance ranking figures are expected for it. To rank, use implicit ALS or PureSVD.';

/** One model's row of the metric table. */
export interface EvalRow {
  model: string;
  seconds: number;
  ranking: RankingMetrics;
  /** RMSE on the test ratings (explicit ALS only: the other models do not predict ratings). */
  rmse?: number;
}

/** Split `data` (seeded) into train and test matrices of the same shape. */
export function split(data: Interactions, testFraction: number, seed: number): Split {
  return trainTestSplit(data.matrix, { testFraction, seed });
}

/** Fit `model` on `s.train` (keeping ids) and evaluate it on `s.test`. */
export async function evaluateModel(
  model: Model,
  data: Interactions,
  s: Split,
  k: number,
  progress: boolean,
  label = model.modelType,
): Promise<EvalRow> {
  const seconds = await fitWithProgress(
    model,
    { matrix: s.train, users: data.users, items: data.items } as Interactions,
    label,
    progress,
  );
  const ranking = rankingMetrics(model, s.train, s.test, { k });
  const row: EvalRow = { model: label, seconds, ranking };
  if (model instanceof ALS) row.rmse = rmse(model, s.test, { train: s.train }).value;
  return row;
}

/** The metric table for `rows`. */
export function metricTable(rows: EvalRow[], k: number): string {
  return table(
    ['model', '>fit', `>P@${k}`, `>MAP@${k}`, `>NDCG@${k}`, `>AUC@${k}`, `>hit@${k}`, '>coverage', '>RMSE'],
    rows.map((r) => [
      r.model,
      `${r.seconds.toFixed(1)}s`,
      num(r.ranking.precision),
      num(r.ranking.map),
      num(r.ranking.ndcg),
      num(r.ranking.auc),
      num(r.ranking.hitRate),
      num(r.ranking.coverage),
      num(r.rmse),
    ]),
  );
}
