/**
 * lowrank — low-rank matrix factorization for recommendation: truncated SVD, explicit and implicit ALS,
 * BPR, logistic MF, with WebAssembly SIMD kernels and pure-JS twins.
 *
 * The root holds what a user needs (README "API at a glance"): models, data, evaluation, the formats'
 * top-level import/export/read/write, the runtime and the errors. File-format building blocks are in
 * `lowrank/formats`; extension points (RecommenderBase, FactorModel, registerModel) and every other option
 * and result type in `lowrank/advanced`. test/arch keeps this list at 80 names or fewer.
 * @packageDocumentation
 */
export { SparseMatrix } from './data/csr.js';
export { DatasetError } from './data/datasets/archive.js';
export { datasets } from './data/datasets/index.js';
export { IdMap } from './data/idmap.js';
export type { Id } from './data/idmap.js';
export { Interactions } from './data/interactions.js';
export { readInteractions } from './data/parse/read.js';
export type { ReadInteractionsOptions } from './data/parse/read.js';
export { bm25Weight, tfidfWeight } from './data/weighting-fns.js';
export {
  AbortError,
  BackendError,
  ColumnsError,
  DisposedError,
  LowrankError,
  ModelFitError,
  ModelFormatError,
  NotFittedError,
  NotSupportedError,
  OutOfMemoryError,
  ParseError,
  PlatformError,
  SizeLimitError,
  ValidationError,
  WorkerError,
} from './errors.js';
export { crossValidate } from './eval/crossval.js';
export { rankingMetrics } from './eval/ranking.js';
export type { RankingMetrics } from './eval/ranking.js';
export { mae, ratingMetrics, rmse } from './eval/rating.js';
export type { RatingMetrics } from './eval/rating.js';
export { leaveKOut, trainTestSplit } from './eval/splits.js';
export type { Split } from './eval/splits.js';
export { temporalSplit } from './eval/temporal.js';
export { tune } from './eval/tune.js';
export type { TuneOptions, TuneResult } from './eval/tune.js';
export { exportImplicit, importImplicit } from './interop/implicit.js';
export { readParquet, writeParquet } from './interop/parquet-data.js';
export { readScipyNpz, writeScipyNpz } from './interop/scipy.js';
export { exportSparkALS, importSparkALS } from './interop/spark.js';
// Models: a new model adds its class and its Options type here (and to the Model union of models/load.ts).
export { ALS } from './models/als/explicit.js';
export { ImplicitALS } from './models/als/implicit.js';
export type { ALSOptions, ImplicitALSOptions } from './models/als/options.js';
export { BPR } from './models/bpr/model.js';
export type { BPROptions } from './models/bpr/options.js';
export type { FitOptions } from './models/common/fit-options.js';
export { EASE } from './models/ease/model.js';
export type { EASEOptions } from './models/ease/options.js';
export { ItemKNN } from './models/item-knn/model.js';
export type { ItemKNNOptions } from './models/item-knn/options.js';
export { LogisticMF } from './models/lmf/model.js';
export type { LogisticMFOptions } from './models/lmf/options.js';
export { loadModel, loadModelFile } from './models/load.js';
export type { Model } from './models/load.js';
export { PureSVD } from './models/puresvd/puresvd.js';
export type { PureSVDOptions } from './models/puresvd/puresvd.js';
export type {
  IdRecommendation,
  RecommendOptions,
  Recommendation,
  SimilarOptions,
  UserItems,
} from './recommend/types.js';
export { init, memoryUsage, terminate } from './runtime/backend.js';
export type { InitOptions } from './runtime/backend.js';
export { truncatedSVD } from './svd/truncated.js';
export type { SVDResult, TruncatedSVDOptions } from './svd/types.js';
