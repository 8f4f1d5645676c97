/**
 * The models: one folder per family (a new model is a new folder and a line here), and `common/`, what they
 * share — FactorModel (the X·Y kind of RecommenderBase), the fit loop of iterative models, validation and
 * early stopping, abort and yield helpers, the confidence weighting, the SGD models' positives and
 * divergence check.
 * @module
 */
export { FactorModel } from './common/factor-model.js';
export type { ExtraState, ModelState } from './common/factor-model.js';
export type { IdItemExplanation, ItemExplainOptions, ItemExplanation } from './common/item-explain.js';
export * from './item-knn/index.js';
export * from './ease/index.js';
export * from './als/index.js';
export { PureSVD } from './puresvd/puresvd.js';
export type { PureSVDOptions, PureSVDFitOptions, ResolvedPureSVDOptions } from './puresvd/puresvd.js';
export * from './bpr/index.js';
export * from './lmf/index.js';
export { loadModel, loadModelFile } from './load.js';
export type { Model } from './load.js';
