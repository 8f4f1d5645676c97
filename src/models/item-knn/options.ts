/**
 * ItemKNN's options: how many neighbours each item keeps and how the interactions are weighted before
 * item–item dot products (implicit 0.7.3's CosineRecommender, TFIDFRecommender, BM25Recommender and
 * ItemItemRecommender), with their defaults and tune()'s search space.
 * @module
 */
import { OptionReader } from '../../options.js';
import type { SearchSpace } from '../../eval/search.js';
import type { KnnWeighting } from './weights.js';

/** Hyperparameters of {@link ItemKNN} (JSON-serialisable). */
export interface ItemKNNOptions {
  /** Neighbours kept per item: the K most similar items of each row of S. Default `20`, as implicit's K. */
  neighbors?: number;
  /**
   * How interactions are weighted before item–item dot products: `'cosine'` (each item's column
   * normalised: CosineRecommender), `'tfidf'` (√value · idf of the user, then normalised:
   * TFIDFRecommender), `'bm25'` (BM25 with `k1`, `b`: BM25Recommender), `'none'` (raw values:
   * ItemItemRecommender). Default `'tfidf'` (README, "Models": the held-out precision@10 behind it).
   */
  weighting?: KnnWeighting;
  /** BM25's term-frequency saturation K1. Default `1.2`, as implicit's. */
  k1?: number;
  /** BM25's length normalisation B in [0, 1]. Default `0.75`, as implicit's. */
  b?: number;
}

/** {@link ItemKNNOptions} with every default filled in. */
export type ResolvedItemKNNOptions = Required<ItemKNNOptions>;

/** The weightings, in the order messages list them. */
export const WEIGHTINGS = ['cosine', 'tfidf', 'bm25', 'none'] as const;

/** Most neighbours per item (S holds items × neighbors entries). */
const MAX_NEIGHBORS = 1 << 20;

/** Check and complete ItemKNN's options. */
export function resolveItemKnnOptions(options: ItemKNNOptions | undefined): ResolvedItemKNNOptions {
  const r = new OptionReader('ItemKNN', options, ['neighbors', 'weighting', 'k1', 'b']);
  return {
    neighbors: r.int('neighbors', 20, 1, MAX_NEIGHBORS),
    weighting: r.oneOf('weighting', 'tfidf', WEIGHTINGS),
    k1: r.number('k1', 1.2, 0),
    b: r.check<number>('b', 'a number in [0, 1]', (v) => typeof v === 'number' && v >= 0 && v <= 1) ?? 0.75,
  };
}

/** tune()'s default search space for ItemKNN (`ItemKNN.tuneSpace`): neighbours × weighting. */
export const ITEM_KNN_TUNE_SPACE: SearchSpace = {
  neighbors: { min: 5, max: 400, log: true, integer: true },
  weighting: [...WEIGHTINGS],
};
