/**
 * ItemKNN: item–item nearest neighbours, as implicit 0.7.3's CosineRecommender, TFIDFRecommender,
 * BM25Recommender and ItemItemRecommender compute them — the same similarity matrix for the same data, to
 * float rounding — served through the recommender contract (src/recommend/base.ts).
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';
import type { Id, IdMap } from '../../data/idmap.js';
import { OptionReader } from '../../options.js';
import { ensureBackend } from '../../runtime/backend.js';
import { RecommenderBase } from '../../recommend/base.js';
import type { LoadedParts, ModelParts } from '../../recommend/codec.js';
import { positionOf } from '../../recommend/filters.js';
import { matrixOf } from '../../recommend/inputs.js';
import { registerModel } from '../../recommend/registry.js';
import type { ScoreRequest, SimilarRequest } from '../../recommend/requests.js';
import type { BatchRecommendation } from '../../recommend/types.js';
import type { Backend } from '../../runtime/backend.js';
import { checkFitAbort } from '../common/fit-options.js';
import {
  explainByIds,
  explainedRow,
  explanationOf,
  type IdItemExplanation,
  type ItemExplainOptions,
  type ItemExplanation,
} from '../common/item-explain.js';
import { scoreRows } from '../common/item-scoring.js';
import { KnnMemory } from './memory.js';
import {
  ITEM_KNN_TUNE_SPACE,
  resolveItemKnnOptions,
  type ItemKNNOptions,
  type ResolvedItemKNNOptions,
} from './options.js';
import { knnFromParts, knnParts } from './persist.js';
import { knnScoreRows } from './scoring.js';
import { fitSimilarity, freeSimilarity } from './similarity.js';

/** Options of `ItemKNN.fit`. */
export interface ItemKNNFitOptions {
  /** Cancels the fit (AbortError; a model fitted before keeps its state). Checked before and after S is built. */
  signal?: AbortSignal;
}

/**
 * Item–item nearest neighbours. The interactions X (users × items) are weighted column by column
 * (`weighting`), each item's dot products with every item it shares a user with are taken (sparse WᵀW),
 * and its `neighbors` largest are kept — the similarity matrix S (row i: item i's neighbours, itself
 * included). A user's score for item j is Σ_i r_ui·S[i,j] over their items i: items no neighbourhood
 * reaches score 0 and come last, in index order. A new user is scored from their items as they are
 * (`userItems`), with no refit. `similarItems(i)` is S's row i by score, as implicit's `similar_items`;
 * `explain` lists the liked items i whose r_ui·S[i,j] make up a score.
 *
 * Equal to implicit 0.7.3 on the same matrix: S's neighbours (ties broken as implicit breaks them) and
 * values (cosine to the bit; tfidf and bm25 to ~1e-12, the last bits of log and of float32 sums). Unlike
 * implicit, liked items are left out of the candidates rather than scored 0, and a list is filled up to
 * `n` with unreached items (score 0).
 *
 * @example
 * const model = await new ItemKNN({ neighbors: 20, weighting: 'tfidf' }).fit(interactions);
 * model.recommend(0, { n: 10 });
 * model.explain(0, model.recommend(0).items[0]); // the neighbours behind the first recommendation
 */
export class ItemKNN extends RecommenderBase {
  /** tune()'s default search space: neighbours × weighting. */
  static readonly tuneSpace = ITEM_KNN_TUNE_SPACE;
  readonly modelType = 'ItemKNN';
  private readonly opts: ResolvedItemKNNOptions;

  constructor(options: ItemKNNOptions = {}) {
    super();
    this.opts = resolveItemKnnOptions(options);
  }

  /** The resolved options (every default filled in). */
  get options(): ResolvedItemKNNOptions {
    return { ...this.opts };
  }

  private state(what: string): KnnMemory {
    return this.memory(what) as KnnMemory;
  }

  /** The similarity matrix S (items × items, row i = item i's neighbours in index order), a copy. */
  get similarity(): { indptr: Int32Array; indices: Int32Array; data: Float64Array; shape: [number, number] } {
    const { S } = this.state('similarity');
    return {
      indptr: S.indptr.toArray(),
      indices: S.indices.toArray().slice(0, S.nnz),
      data: S.data.toArray().slice(0, S.nnz),
      shape: [S.items, S.items],
    };
  }

  /**
   * Fit on a users × items matrix of interaction strengths (counts, ratings, 0/1), or on `Interactions`.
   * 'tfidf' and 'bm25' need non-negative values. Resolves to the model.
   */
  async fit(
    interactions: SparseMatrix | { matrix: SparseMatrix; users?: IdMap; items?: IdMap },
    options?: ItemKNNFitOptions,
  ): Promise<this> {
    this.checkNotDisposed('fit');
    const signal = new OptionReader('ItemKNN.fit', options, ['signal']).signal();
    const { matrix, users, items } = matrixOf(interactions, 'ItemKNN.fit');
    const backend = await ensureBackend();
    checkFitAbort(signal, 'ItemKNN');
    const S = fitSimilarity(backend, matrix, this.opts);
    try {
      checkFitAbort(signal, 'ItemKNN');
    } catch (e) {
      freeSimilarity(S);
      throw e;
    }
    this.adoptFitted(
      new KnnMemory(backend, S, matrix.rows),
      matrix,
      users as IdMap | undefined,
      items as IdMap | undefined,
    );
    return this;
  }

  protected scoreTopK(request: ScoreRequest): BatchRecommendation {
    const m = this.state('recommend');
    return scoreRows(m.backend, request, { size: m.S.items }, (call, scope) =>
      knnScoreRows(m.backend, m.S, call, scope, true),
    );
  }

  /** S's row of the query item by similarity (f64), best first, among the candidates left. */
  protected similarItemsTopK(request: SimilarRequest): BatchRecommendation {
    const { S } = this.state('similarItems');
    const ip = S.indptr.view;
    const a = ip[request.index];
    const b = ip[request.index + 1];
    const ix = S.indices.view.slice(a, b);
    const sv = S.data.view.slice(a, b);
    const excluded = new Set(request.excludeAll);
    const kept: { col: number; s: number }[] = [];
    for (let p = 0; p < ix.length; p++) {
      const col = request.candidates ? positionOf(request.candidates, ix[p]) : ix[p];
      if (col >= 0 && !excluded.has(col)) kept.push({ col, s: sv[p] });
    }
    kept.sort((x, y) => y.s - x.s || x.col - y.col);
    const k = request.k;
    const items = new Int32Array(k).fill(-1);
    const scores = new Float32Array(k).fill(-Infinity);
    const count = Math.min(k, kept.length);
    for (let j = 0; j < count; j++) {
      items[j] = kept[j].col;
      scores[j] = kept[j].s;
    }
    return { items, scores, n: k, counts: Int32Array.of(count) };
  }

  /**
   * Why `item` scores as it does for `user`: the score Σ_i r_ui·S[i,item] and the `n` liked items i with the
   * largest terms r_ui·S[i,item] (default 10) — the neighbours that gave the score. Explained from
   * `userItems` (a new user), else row `user` of `interactions`, else the user's training row.
   */
  explain(user: number, item: number, options?: ItemExplainOptions): ItemExplanation {
    const { S } = this.state('explain');
    const { row, n } = explainedRow('ItemKNN.explain', user, item, options, S.items, this.trainMatrix);
    const ip = S.indptr.view;
    const ix = S.indices.view;
    const sv = S.data.view;
    return explanationOf(
      row,
      (q) => {
        const i = row.indices[q];
        const p = positionOf(ix.subarray(ip[i], ip[i + 1]), item);
        return p >= 0 ? row.values[q] * sv[ip[i] + p] : 0;
      },
      n,
    );
  }

  /** `explain` by original ids: the contributions come with their item ids. */
  explainById(userId: Id, itemId: Id, options: Omit<ItemExplainOptions, 'userItems'> = {}): IdItemExplanation {
    const where = 'ItemKNN.explainById';
    return explainByIds(where, this.requireIds(where), userId, itemId, options, (u, i, o) => this.explain(u, i, o));
  }

  protected saveParts(): ModelParts {
    const m = this.state('save');
    return knnParts(m.S, m.users);
  }

  protected loadParts(backend: Backend, parts: LoadedParts): void {
    const { S, users } = knnFromParts(backend, parts);
    this.useMemory(new KnnMemory(backend, S, users));
  }
}

registerModel('ItemKNN', ItemKNN);
