/**
 * The recommender base every model extends (top-N, batches, similar items/users, id-level helpers, model
 * persistence, lifecycle) and the Recommender interface.
 * @module
 */
export { RecommenderBase } from './base.js';
export type { LoadOptions } from './base.js';
export type {
  BatchRecommendation,
  IdRecommendation,
  IdRecommendOptions,
  IdSimilarOptions,
  Recommendation,
  RecommendOptions,
  Recommender,
  SaveOptions,
  SimilarOptions,
  UserItems,
} from './types.js';
export { registerModel, registeredModelTypes } from './registry.js';
export type { ModelClass } from './registry.js';
export { MODEL_FORMAT_VERSION, MODEL_MAGIC } from './persist.js';
export { crc32 } from './crc32.js';
