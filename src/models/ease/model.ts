/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): a closed-form linear
 * item–item model, served through the recommender contract (src/recommend/base.ts).
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';
import type { Id, IdMap } from '../../data/idmap.js';
import { OptionReader } from '../../options.js';
import { ensureBackend, type Backend } from '../../runtime/backend.js';
import { yieldToEventLoop } from '../../tasks.js';
import { RecommenderBase } from '../../recommend/base.js';
import type { LoadedParts, ModelParts } from '../../recommend/codec.js';
import { matrixOf } from '../../recommend/inputs.js';
import { registerModel } from '../../recommend/registry.js';
import type { ScoreRequest, SimilarRequest } from '../../recommend/requests.js';
import { selectTopK } from '../../recommend/selection.js';
import type { BatchRecommendation } from '../../recommend/types.js';
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
import { fitEase } from './fit.js';
import { easeDefaultLambda } from './lambda.js';
import { EaseMemory } from './memory.js';
import { EASE_TUNE_SPACE, resolveEaseOptions, type EASEOptions, type ResolvedEASEOptions } from './options.js';
import { easeFromParts, easeParts } from './persist.js';
import { easeScoreRows } from './scoring.js';

/** Options of `EASE.fit`. */
export interface EASEFitOptions {
  /** Cancels the fit between blocks of the inverse (AbortError; a model fitted before keeps its state). */
  signal?: AbortSignal;
}

/**
 * EASE: B = argmin ‖X − X·B‖² + λ‖B‖² subject to diag(B) = 0, in closed form B = I − P·diag(1/diag P),
 * P = (XᵀX + λI)⁻¹; a user's scores are x_u·B. P comes from a blocked Cholesky inverse in f64 (over the
 * items), or through the users by Woodbury's identity when they are fewer (XXᵀ + λI, m × m) — whichever
 * costs less — and B is kept in f32 (4·items² bytes). A new user is scored from their items as they are
 * (`userItems`), with no refit. `similarItems(i)` is B's row i (how much liking i raises each item's
 * score; the item itself is left out: B[i,i] = 0 by construction); `explain` lists the liked items i whose
 * x_ui·B[i,j] make up a score.
 *
 * λ defaults to 1.5·Σd²/Σd with d = diag(XᵀX) (each item's squared norm): it scales with the data as B's
 * objective does. Items² must fit the heap: with too many items, `maxItems` (by default chosen within the
 * heap and 10¹² multiply–adds) fits the most popular ones, and a fit that cannot fit says the largest
 * `maxItems` that would.
 *
 * @example
 * const model = await new EASE().fit(interactions); // λ from the data
 * model.recommend(0, { n: 10 });
 */
export class EASE extends RecommenderBase {
  /** tune()'s default search space: λ from a tenth to ten times the default rule. */
  static readonly tuneSpace = EASE_TUNE_SPACE;
  static override readonly heapArrays: readonly string[] = ['B'];
  readonly modelType = 'EASE';
  private readonly opts: ResolvedEASEOptions;

  constructor(options: EASEOptions = {}) {
    super();
    this.opts = resolveEaseOptions(options);
  }

  /** The resolved options (`null`: decided from the data when fitting). */
  get options(): ResolvedEASEOptions {
    return { ...this.opts };
  }

  private state(what: string): EaseMemory {
    return this.memory(what) as EaseMemory;
  }

  /** The λ the fit used (the option, or the default rule on the fitted data). */
  get fittedRegularization(): number {
    return this.state('fittedRegularization').lambda;
  }

  /** The items B covers, ascending (every item unless `maxItems` left some out). */
  get fittedItems(): Int32Array {
    const m = this.state('fittedItems');
    return m.items ? m.items.slice() : Int32Array.from({ length: m.n }, (_, i) => i);
  }

  /** B (fittedItems × fittedItems, row-major), a copy. */
  get weights(): Float32Array {
    const m = this.state('weights');
    return m.B.view.slice(0, m.n * m.n);
  }

  /**
   * Fit on a users × items matrix of interaction strengths (0/1, counts, ratings), or on `Interactions`.
   * Throws an OutOfMemoryError naming the largest `maxItems` that fits when B does not. Resolves to the model.
   */
  async fit(
    interactions: SparseMatrix | { matrix: SparseMatrix; users?: IdMap; items?: IdMap },
    options?: EASEFitOptions,
  ): Promise<this> {
    this.checkNotDisposed('fit');
    const signal = new OptionReader('EASE.fit', options, ['signal']).signal();
    const { matrix, users, items } = matrixOf(interactions, 'EASE.fit');
    const backend = await ensureBackend();
    checkFitAbort(signal, 'EASE');
    const o = this.opts;
    const fit = await fitEase(backend, matrix, {
      lambda: o.regularization ?? ((cols) => o.regularizationScale * easeDefaultLambda(matrix, cols)),
      maxItems: o.maxItems ?? undefined,
      pause: async () => {
        await yieldToEventLoop();
        checkFitAbort(signal, 'EASE');
      },
    });
    const memory = new EaseMemory(backend, fit.B, fit.n, fit.items, matrix.cols, matrix.rows, fit.lambda);
    this.adoptFitted(memory, matrix, users as IdMap | undefined, items as IdMap | undefined);
    return this;
  }

  protected scoreTopK(request: ScoreRequest): BatchRecommendation {
    const m = this.state('recommend');
    return scoreRows(m.backend, request, m.space, (call, scope) =>
      easeScoreRows(m.backend, m.B, m.n, m.colMap, call, scope),
    );
  }

  /** B's row of the query item, best first, among the candidates left (the item itself is not among them). */
  protected similarItemsTopK(request: SimilarRequest): BatchRecommendation {
    const m = this.state('similarItems');
    const q = m.entryOf ? m.entryOf[request.index] : request.index;
    const scores = new Float32Array(request.cols).fill(Number.NaN);
    if (q >= 0) {
      const row = m.B.view.subarray(q * m.n, (q + 1) * m.n);
      for (let c = 0; c < request.cols; c++) {
        const item = request.candidates ? request.candidates[c] : c;
        const e = m.entryOf ? m.entryOf[item] : item;
        if (e >= 0 && item !== request.index) scores[c] = row[e];
      }
    }
    return selectTopK(scores, 1, request);
  }

  /**
   * Why `item` scores as it does for `user`: the score Σ_i x_ui·B[i,item] and the `n` liked items i with the
   * largest terms x_ui·B[i,item] (default 10). Explained from `userItems` (a new user), else row `user` of
   * `interactions`, else the user's training row.
   */
  explain(user: number, item: number, options?: ItemExplainOptions): ItemExplanation {
    const m = this.state('explain');
    const { row, n } = explainedRow('EASE.explain', user, item, options, m.allItems, this.trainMatrix);
    const entry = (i: number) => (m.entryOf ? m.entryOf[i] : i);
    const col = entry(item);
    const B = m.B.view;
    return explanationOf(
      row,
      (q) => {
        const e = entry(row.indices[q]);
        return e >= 0 && col >= 0 ? row.values[q] * B[e * m.n + col] : 0;
      },
      n,
    );
  }

  /** `explain` by original ids: the contributions come with their item ids. */
  explainById(userId: Id, itemId: Id, options: Omit<ItemExplainOptions, 'userItems'> = {}): IdItemExplanation {
    const where = 'EASE.explainById';
    return explainByIds(where, this.requireIds(where), userId, itemId, options, (u, i, o) => this.explain(u, i, o));
  }

  protected saveParts(): ModelParts {
    return easeParts(this.state('save'));
  }

  protected loadParts(backend: Backend, parts: LoadedParts): void {
    this.useMemory(easeFromParts(backend, parts));
  }
}

registerModel('EASE', EASE);
