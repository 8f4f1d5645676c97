/**
 * `lowrank/advanced`: what extends lowrank or tunes it finely — the recommender base classes and the model
 * registry (a model of your own), lower-level data, evaluation and runtime helpers, and every option and
 * result type the root does not name.
 * @module
 */
export type { DuplicatePolicy, FromCOOOptions } from './data/coo.js';
export type { DatasetOptions } from './data/datasets/download.js';
export type { LastfmSize, MovieLensSize } from './data/datasets/registry.js';
export { compareIds } from './data/idmap.js';
export type { IdOrder } from './data/idmap.js';
export type {
  DatasetInfo,
  FromRowsOptions,
  InteractionRow,
  InteractionsInit,
  ParseReport,
} from './data/interactions.js';
export type { ColumnSpec } from './data/parse/columns.js';
export type { Zeros } from './data/parse/context.js';
export { FORMATS } from './data/parse/formats.js';
export type { FormatName, FormatSpec } from './data/parse/formats.js';
export type { InteractionsInput } from './data/parse/input.js';
export type { DroppedRows, OnError, RowKind } from './data/parse/problems.js';
export type { ReadProgress } from './data/parse/read.js';
export type { Encoding } from './data/parse/text.js';
export type { SyntheticInteractions, SyntheticOptions } from './data/synthetic.js';
export { logScale } from './data/weighting-fns.js';
export type { Bm25Options } from './data/weighting.js';
export type {
  CrossValidateOptions,
  CrossValidationResult,
  EvaluableModel,
  FoldResult,
  ModelFactory,
} from './eval/crossval.js';
export { evaluateMetrics, parseMetric } from './eval/metric.js';
export type { EvaluateOptions, MetricSpec, ParsedMetric, RankingMetricName, RatingMetricName } from './eval/metric.js';
export type { RankingModel, RankingOptions, RecommendBatchOptions, RecommendBatchResult } from './eval/ranking.js';
export type { RatingMetricResult, RatingModel, RatingOptions, UnseenPolicy } from './eval/rating.js';
export type { ParamRange, ParamValue, SearchSpace } from './eval/search.js';
export type { LeaveKOutOptions, TrainTestSplitOptions } from './eval/splits.js';
export type { TemporalSplitOptions, TimedInteractions, TimedMatrix } from './eval/temporal.js';
export { defaultSpace } from './eval/tune.js';
export type { TrialResult, TunableClass, TunableModel, TuneProgress } from './eval/tune.js';
export type { TrialStop } from './eval/trial.js';
export { EarlyStopping, makeValidator } from './eval/validation.js';
export type { ValidationResult, ValidationSpec, Validator } from './eval/validation.js';
export { DEFAULT_MAX_BYTES } from './limits.js';
export type { Explanation } from './models/als/explain.js';
export type { PredictOptions } from './models/als/explicit.js';
export type { ImplicitSolver, ResolvedALSOptions, ResolvedImplicitALSOptions } from './models/als/options.js';
export type { EpochStats } from './models/bpr/fit.js';
export type { NegativeSampling, ResolvedBPROptions } from './models/bpr/options.js';
export type { Confidence } from './models/common/confidence.js';
export { FactorModel } from './models/common/factor-model.js';
export type { ExtraState, ModelState } from './models/common/factor-state.js';
export type { IterationInfo } from './models/common/fit-options.js';
export type { PureSVDFitOptions, ResolvedPureSVDOptions } from './models/puresvd/puresvd.js';
export type { ResolvedLogisticMFOptions } from './models/lmf/options.js';
export type { EASEFitOptions } from './models/ease/model.js';
export type { ResolvedEASEOptions } from './models/ease/options.js';
export type { ItemKNNFitOptions } from './models/item-knn/model.js';
export type { ResolvedItemKNNOptions } from './models/item-knn/options.js';
export type { KnnWeighting } from './models/item-knn/weights.js';
export { Rng } from './random.js';
export { RecommenderBase } from './recommend/base.js';
export type { LoadOptions } from './recommend/base.js';
export { MODEL_FORMAT_VERSION } from './recommend/persist.js';
export { registerModel, registeredModelTypes } from './recommend/registry.js';
export type { ModelClass } from './recommend/registry.js';
export type {
  BatchRecommendation,
  IdRecommendOptions,
  IdSimilarOptions,
  Recommender,
  SaveOptions,
} from './recommend/types.js';
export { activeBackendName, ensureBackend } from './runtime/backend.js';
export type { Backend, BackendName, MemoryUsage } from './runtime/backend.js';
export { detectSimd } from './runtime/wasm.js';
export type { Centering } from './svd/operator.js';
export type { SVDMethod, SVDProgress } from './svd/types.js';
export type { SimilarUsersOptions } from './recommend/types.js';
// Renamed `terminate()` (README "API at a glance"): the old name works for one release, warning once.
export { dispose } from './runtime/backend.js';
