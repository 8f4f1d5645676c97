/**
 * ItemKNN: item–item nearest neighbours (cosine, TF-IDF, BM25 or raw co-occurrence), as implicit's.
 * @module
 */
export { ItemKNN, type ItemKNNFitOptions } from './model.js';
export type { ItemKNNOptions, ResolvedItemKNNOptions } from './options.js';
export type { KnnWeighting } from './weights.js';
