/**
 * FactorModel: the recommenders whose score of (user, item) is X_u · Y_i — ImplicitALS, ALS, PureSVD — as
 * one kind of RecommenderBase: two factor blocks in a backend's heap, X (users × dim) and Y (items × dim).
 * Models whose prediction has bias terms store them as extra trailing columns so the dot product stays the
 * score (and override `factorColumns` so cosine similarity ignores them). Scoring is the fused scores +
 * top-k kernel (factor-scoring.ts); similar items and users are by cosine of the factor rows; fold-in
 * (`recalculateUser`) scores a user from interactions the model was not fitted on.
 *
 * A subclass provides `modelType`, `options`, `recalculateUser`, a constructor taking its options object,
 * `fit` (ending with `adoptFit`), and registers itself with `registerModel` so `loadModel` can rebuild it;
 * `saveExtra`/`loadExtra` carry state beyond the factors (a global mean, singular values).
 * @module
 */
import { ModelFitError, ModelFormatError } from '../../errors.js';
import { getBackend, type Backend } from '../../runtime/backend.js';
import { HeapArray, type HeapRef } from '../../runtime/heap.js';
import type { SparseMatrix } from '../../data/csr.js';
import type { IdMap } from '../../data/idmap.js';
import { RecommenderBase, type LoadOptions } from '../../recommend/base.js';
import type { LoadedParts, ModelParts } from '../../recommend/codec.js';
import { checkOptions, type ScoreRequest, type SimilarRequest } from '../../recommend/requests.js';
import { scratchOf } from '../../recommend/scratch.js';
import type { BatchRecommendation, SaveOptions, UserItems } from '../../recommend/types.js';
import {
  factorPartOf,
  factorParts,
  freeState,
  type ExtraState,
  type FactorPart,
  type ModelState,
  type PlacedModelState,
} from './factor-state.js';
import { Factors } from './factors.js';
import { normalized, scoreTopk } from './factor-scoring.js';

export type { ExtraState, ModelState } from './factor-state.js';

// biome-ignore lint/suspicious/noExplicitAny: constructor parameters of any model class
type ModelCtor<T> = abstract new (...args: any[]) => T;

export abstract class FactorModel extends RecommenderBase {
  static override readonly heapArrays: readonly string[] = ['X', 'Y'];

  /**
   * Factors (length `dim`, the same columns as a row of X) for a user with interactions `userItems`,
   * solved exactly against the current item factors — fold-in for new or changed users.
   */
  abstract recalculateUser(userItems: UserItems): Float32Array;

  /** The model's Factors, or a NotFittedError (DisposedError after `dispose()`) naming `what`. */
  protected factors(what: string): Factors {
    return this.memory(what) as Factors;
  }

  protected requireFitted(what: string): { backend: Backend; X: HeapArray<'f32'>; Y: HeapArray<'f32'> } {
    const f = this.factors(what);
    return { backend: f.backend, X: f.X, Y: f.Y };
  }

  private get current(): Factors | undefined {
    return this.isFitted ? this.factors('factors') : undefined;
  }
  /** users × dim, row-major f32. */
  protected get X(): HeapArray<'f32'> | undefined {
    return this.current?.X;
  }
  /** items × dim, row-major f32. */
  protected get Y(): HeapArray<'f32'> | undefined {
    return this.current?.Y;
  }
  /** Stored columns per row (factors, plus bias columns where the model has them). */
  protected get dim(): number {
    return this.current?.dim ?? 0;
  }

  /**
   * Leading columns of X/Y that are latent factors (cosine similarity uses only these). Default: all;
   * models with trailing bias columns override it.
   */
  protected get factorColumns(): number {
    return this.dim;
  }

  /**
   * User factors, a copy: userCount × the stored columns, row-major — the latent factors, then the
   * columns a model adds (BPR: a constant 1; LogisticMF: 1 and b_u; PureSVD's are R·V).
   */
  get userFactors(): Float32Array {
    return this.requireFitted('userFactors').X.toArray();
  }

  /**
   * Item factors, a copy: itemCount × the stored columns, row-major — the latent factors, then the columns
   * a model adds (BPR: the item bias; LogisticMF: b_i and 1; PureSVD's are V).
   */
  get itemFactors(): Float32Array {
    return this.requireFitted('itemFactors').Y.toArray();
  }

  /** Serve from `factors` (freeing what the previous ones held and these do not keep). */
  protected useFactors(factors: Factors): void {
    this.useMemory(factors);
  }

  /** Replace the factor blocks (freeing the old ones). */
  protected setFactors(backend: Backend, X: HeapArray<'f32'>, Y: HeapArray<'f32'>, dim: number): void {
    this.useFactors(new Factors(backend, X, Y, dim));
  }

  /**
   * Take the result of a fit: the factor blocks, the training matrix (for filtering liked items) and the
   * id maps when the model was fitted from `Interactions`.
   */
  protected adoptFit(
    backend: Backend,
    X: HeapArray<'f32'>,
    Y: HeapArray<'f32'>,
    dim: number,
    train: SparseMatrix,
    users: IdMap | undefined,
    items: IdMap | undefined,
  ): void {
    this.adoptFitted(new Factors(backend, X, Y, dim), train, users, items);
  }

  /** Call after changing X or Y in place (e.g. a partial fit): drops caches derived from them. */
  protected factorsChanged(): void {
    this.memoryChanged();
  }

  // ---------------------------------------------------------------------------------------------
  // Scoring (factor-scoring.ts)

  /** X_u·Y_i for the request's users (their stored rows, or rows folded in from their interactions). */
  protected scoreTopK(request: ScoreRequest): BatchRecommendation {
    const f = this.factors('recommend');
    const nRows = request.users.length;
    let X: HeapRef<'f32'> = f.X;
    let xRows: Int32Array | undefined = request.users;
    if (request.recalculate) {
      const folded = new Float32Array(nRows * f.dim);
      for (let r = 0; r < nRows; r++)
        folded.set(this.foldIn(request.userItems(r) ?? { indices: [] }, request.where), r * f.dim);
      const q = scratchOf(f).get(nRows === 1 ? 'query' : 'queries', 'f32', folded.length);
      q.view.set(folded);
      X = q;
      xRows = undefined;
    } else if (nRows === 1) {
      X = f.X.row(request.users[0], f.dim);
      xRows = undefined;
    }
    return scoreTopk(f, {
      X,
      xRows,
      nRows,
      Y: f.Y,
      cols: request.cols,
      candidates: request.candidates,
      k: request.k,
      excIndptr: request.excludeIndptr,
      excIdx: request.excludeIndices,
      globalExc: request.excludeAll,
    });
  }

  /** recalculateUser with its result checked (length, finiteness). */
  private foldIn(ui: UserItems, where: string): Float32Array {
    const x = this.recalculateUser(ui);
    const dim = this.dim;
    if (!(x instanceof Float32Array) || x.length !== dim) {
      throw new ModelFitError(
        `${where}: ${this.modelType}.recalculateUser returned ${x?.length} values, expected ${dim}`,
      );
    }
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i]))
        throw new ModelFitError(
          `${where}: recalculated user factors contain ${x[i]} at column ${i}; check the interaction values`,
        );
    }
    return x;
  }

  /** Items by cosine of their factor columns. */
  protected similarItemsTopK(request: SimilarRequest): BatchRecommendation {
    return this.cosineTopK('Y', request);
  }

  /** Users by cosine of their factor columns. */
  protected override similarUsersTopK(request: SimilarRequest): BatchRecommendation {
    return this.cosineTopK('X', request);
  }

  private cosineTopK(which: 'X' | 'Y', request: SimilarRequest): BatchRecommendation {
    const f = this.factors(which === 'Y' ? 'similarItems' : 'similarUsers');
    const fc = this.factorColumns;
    const A = normalized(f, which, fc);
    const job = {
      X: A.row(request.index, fc),
      xRows: undefined,
      nRows: 1,
      Y: A,
      cols: request.cols,
      candidates: request.candidates,
      k: request.k,
      excIndptr: undefined,
      excIdx: undefined,
      globalExc: request.excludeAll,
    };
    return scoreTopk(f, job, fc);
  }

  // ---------------------------------------------------------------------------------------------
  // Persistence (factor-state.ts)

  /** Extra state to save beside X and Y. Default: none. */
  protected saveExtra(): ExtraState | undefined {
    return undefined;
  }

  /** Restore what `saveExtra` returned (called after the factors are set). */
  protected loadExtra(extra: ExtraState): void {
    void extra;
  }

  protected saveParts(): ModelParts {
    const f = this.factors('save');
    const extra = this.saveExtra();
    // Views last: saveExtra may have allocated.
    return factorParts(this.modelType, { dim: f.dim, X: f.X.view, Y: f.Y.view, extra });
  }

  protected loadParts(backend: Backend, parts: LoadedParts): void {
    this.adoptFactorPart(backend, factorPartOf(this.modelType, parts));
  }

  /** Serve a state's factors (decoders and importers place X and Y in the heap; plain arrays are copied in). */
  private adoptFactorPart(backend: Backend, part: FactorPart): void {
    const X = part.X instanceof HeapArray ? part.X : backend.heap.copyIn(part.X);
    let Y: HeapArray<'f32'>;
    try {
      Y = part.Y instanceof HeapArray ? part.Y : backend.heap.copyIn(part.Y);
    } catch (e) {
      if (X !== part.X) X.free();
      throw e;
    }
    this.setFactors(backend, X, Y, part.dim);
    try {
      this.loadExtra(part.extra ?? {});
    } catch (e) {
      if (e instanceof ModelFormatError) throw e;
      throw new ModelFormatError(`model file: the saved ${this.modelType} state was rejected: ${(e as Error).message}`);
    }
  }

  /**
   * The fitted model as plain data: class, options, factors, id maps, subclass state and (unless
   * `includeInteractions: false`) the training interactions. `copy: false` returns views of the heap
   * blocks, valid until the next heap allocation (what `save` uses).
   */
  toState(options: SaveOptions & { copy?: boolean } = {}): ModelState {
    const f = this.factors('toState');
    checkOptions(options, `${this.modelType}.toState`, ['includeInteractions', 'copy']);
    const extra = this.saveExtra();
    const base = this.savedBase(options);
    // Views last: saveExtra may have allocated.
    const copy = options.copy !== false;
    return {
      modelType: this.modelType,
      options: this.options,
      dim: f.dim,
      X: copy ? f.X.toArray() : f.X.view,
      Y: copy ? f.Y.toArray() : f.Y.view,
      userIds: this.userIds,
      itemIds: this.itemIds,
      interactions: base.interactions,
      extra,
    };
  }

  /**
   * Rebuild a fitted model from plain data (`toState`, or factors from another tool). On a subclass
   * (`ImplicitALS.fromState(s)`) the state must be of that class; on `FactorModel` any registered factor
   * model. Throws `ModelFormatError` when the class is unknown or rejects the options or the state.
   */
  static fromState<T extends FactorModel>(
    this: ModelCtor<T>,
    state: ModelState | PlacedModelState,
    options: LoadOptions = {},
  ): T {
    try {
      const backend = options.backend ?? getBackend();
      return FactorModel.adoptSaved.call(this, state, (model) => {
        if (!(model instanceof FactorModel))
          throw new ModelFormatError(`model file: the class registered as ${state.modelType} is not a FactorModel`);
        model.adoptFactorPart(backend, state);
      }) as T;
    } catch (e) {
      freeState(state); // heap blocks placed by a decoder or importer that no model adopted
      throw e;
    }
  }
}
