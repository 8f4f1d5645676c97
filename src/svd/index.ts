/**
 * Truncated SVD of sparse matrices (restarted Lanczos bidiagonalization, or randomized). The PureSVD
 * recommender built on it is a model (src/models/puresvd/).
 * @module
 */
export { truncatedSVD } from './truncated.js';
export type { Centering, SVDMethod, SVDProgress, SVDResult, TruncatedSVDOptions } from './types.js';
