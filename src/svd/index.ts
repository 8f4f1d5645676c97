/**
 * Truncated SVD of sparse matrices (restarted Lanczos bidiagonalization, or randomized) and the PureSVD
 * recommender built on it.
 * @module
 */
export { truncatedSVD } from './truncated.js';
export type { Centering, SVDMethod, SVDProgress, SVDResult, TruncatedSVDOptions } from './types.js';
