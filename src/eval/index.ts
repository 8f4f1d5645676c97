/**
 * Offline evaluation: seeded splits, rating error, top-k ranking metrics (implicit's definitions),
 * cross-validation and the validation hook used by `fit`.
 * @module
 */
export { trainTestSplit, leaveKOut } from './splits.js';
export type { Split, TrainTestSplitOptions, LeaveKOutOptions } from './splits.js';
export { temporalSplit } from './temporal.js';
export type { TemporalSplitOptions, TimedInteractions, TimedMatrix } from './temporal.js';
export { ratingMetrics, rmse, mae } from './rating.js';
export type { RatingModel, RatingOptions, RatingMetrics, RatingMetricResult, UnseenPolicy } from './rating.js';
export { rankingMetrics } from './ranking.js';
export type {
  RankingModel,
  RankingOptions,
  RankingMetrics,
  RecommendBatchOptions,
  RecommendBatchResult,
} from './ranking.js';
export { parseMetric, evaluateMetrics } from './metric.js';
export type { MetricSpec, ParsedMetric, RankingMetricName, RatingMetricName, EvaluateOptions } from './metric.js';
export { crossValidate } from './crossval.js';
export type {
  CrossValidateOptions,
  CrossValidationResult,
  FoldResult,
  ModelFactory,
  EvaluableModel,
} from './crossval.js';
export { makeValidator, EarlyStopping } from './validation.js';
export type { ValidationSpec, ValidationResult, Validator } from './validation.js';
export { tune, defaultSpace } from './tune.js';
export type {
  TuneOptions,
  TuneResult,
  TuneProgress,
  TrialResult,
  TrialStop,
  TunableModel,
  TunableClass,
  ParamRange,
  ParamValue,
  SearchSpace,
} from './tune.js';
