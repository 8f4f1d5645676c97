/**
 * The recommender contract shared by ImplicitALS, ALS and PureSVD: a model is two factor blocks in a
 * backend's heap, X (users × dim) and Y (items × dim), and the score of (user, item) is X_u · Y_i.
 * Models whose prediction has bias terms store them as extra trailing columns so the dot product stays
 * the score (and override `factorColumns` so cosine similarity ignores them).
 *
 * This class holds the lifecycle: the model's `Factors` (the one owner of its heap memory, factors.ts),
 * the training matrix and id maps; serving is in requests.ts/serving.ts and persistence in codec.ts.
 * Fitting lives in each model's file. A subclass provides `modelType`, `options`, `recalculateUser`, a
 * constructor taking its options object, and registers itself with `registerModel` so `loadModel` can
 * rebuild it.
 */
import { ModelFormatError, NotFittedError, ValidationError } from '../errors.js';
import { getBackend, ensureBackend, type Backend } from '../runtime/backend.js';
import { HeapArray } from '../runtime/heap.js';
import { disposedError, forget, freeWhenCollected } from '../runtime/lifetime.js';
import type { SparseMatrix } from '../data/csr.js';
import type { Id, IdMap } from '../data/idmap.js';
import type {
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
import {
  decodeModel,
  encodeModel,
  freeState,
  readModel,
  type ExtraState,
  type ModelState,
  type PlacedModelState,
} from './codec.js';
import { Factors } from './factors.js';
import { itemIndexOptions, withIds } from './ids.js';
import { modelClass, modelTypeOf } from './registry.js';
import { checkOptionsObject, recommendMany, recommendOne, similarTo, type ServingModel } from './requests.js';
import { openFileSource, writeFileAtomic } from './files.js';

export type { UserItems } from './types.js';
export type { ExtraState, ModelState } from './codec.js';

/** Options of `load` / `loadFile` / `loadModel` / `fromState`. */
export interface LoadOptions {
  /** Backend whose heap receives the factors. Default: the active one (`init()` must have run). */
  backend?: Backend;
  /**
   * Most bytes loading may allocate, counted from the file's header before anything is allocated; a file
   * declaring more is refused with a `SizeLimitError`. Default `DEFAULT_MAX_BYTES` (1 GiB). Raise it only
   * for files you trust.
   */
  maxBytes?: number;
}

export abstract class FactorModel implements Recommender {
  /** The factor blocks and what derives from them: all of the model's heap memory. */
  private state: Factors | undefined;
  private disposed = false;
  /** The matrix the model was fitted on (rows = users); `recommend` filters its items by default. */
  protected trainMatrix: SparseMatrix | undefined;
  /** Original ids when fitted from `Interactions`. */
  userIds: IdMap | undefined;
  itemIds: IdMap | undefined;
  /**
   * Set by the importers on a model that came without interactions: the first `recommend` that would
   * filter already-liked items but has none to filter warns once.
   * @internal
   */
  warnUnfiltered = false;

  /** Class name written into saved models (the name passed to `registerModel`). */
  abstract readonly modelType: string;
  /** The hyperparameters, JSON-serialisable; `new Cls(model.options)` makes an equivalent unfitted model. */
  abstract get options(): object;
  /**
   * Factors (length `dim`, the same columns as a row of X) for a user with interactions `userItems`,
   * solved exactly against the current item factors — fold-in for new or changed users.
   */
  abstract recalculateUser(userItems: UserItems): Float32Array;

  get isFitted(): boolean {
    return this.state !== undefined;
  }

  get userCount(): number {
    return this.state?.userCount ?? 0;
  }
  get itemCount(): number {
    return this.state?.itemCount ?? 0;
  }

  /** The backend whose heap holds the factors. */
  protected get backend(): Backend | undefined {
    return this.state?.backend;
  }
  /** users × dim, row-major f32. */
  protected get X(): HeapArray<'f32'> | undefined {
    return this.state?.X;
  }
  /** items × dim, row-major f32. */
  protected get Y(): HeapArray<'f32'> | undefined {
    return this.state?.Y;
  }
  /** Stored columns per row (factors, plus bias columns where the model has them). */
  protected get dim(): number {
    return this.state?.dim ?? 0;
  }

  /**
   * Leading columns of X/Y that are latent factors (cosine similarity uses only these). Default: all;
   * models with trailing bias columns override it.
   */
  protected get factorColumns(): number {
    return this.dim;
  }

  /** Whether `dispose()` released this model (it cannot be used again). */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Throw a DisposedError naming `what` if the model was disposed (fit calls this first). */
  protected checkNotDisposed(what: string): void {
    if (this.disposed)
      throw disposedError(`${this.modelType}.${what}`, 'model', `create a new ${this.modelType} and fit or load it`);
  }

  /** The model's Factors, or a NotFittedError (DisposedError after `dispose()`) naming `what`. */
  protected factors(what: string): Factors {
    this.checkNotDisposed(what);
    if (!this.state)
      throw new NotFittedError(`${this.modelType}.${what}: the model is not fitted; call fit() or load() first`);
    return this.state;
  }

  protected requireFitted(what: string): { backend: Backend; X: HeapArray<'f32'>; Y: HeapArray<'f32'> } {
    const f = this.factors(what);
    return { backend: f.backend, X: f.X, Y: f.Y };
  }

  /** Serve from `factors` (freeing what the previous ones held and this does not keep). */
  protected useFactors(factors: Factors): void {
    if (this.state) {
      forget(this.state);
      this.state.replacedBy(factors);
    }
    this.state = factors;
    // Dropped without dispose(), the model's heap memory is freed when it is collected.
    freeWhenCollected(this, factors);
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
    if (this.disposed) {
      // dispose() ran while the fit was in progress.
      X.free();
      Y.free();
      this.checkNotDisposed('fit');
    }
    this.setFactors(backend, X, Y, dim);
    this.trainMatrix = train;
    this.userIds = users;
    this.itemIds = items;
  }

  /** Call after changing X or Y in place (e.g. a partial fit): drops caches derived from them. */
  protected factorsChanged(): void {
    this.state?.invalidate();
  }

  /**
   * Release the model's heap memory (factors and caches) now rather than when the model is collected; any
   * later use throws a `DisposedError`. `using model = …` calls this at the end of the block. Idempotent.
   */
  dispose(): void {
    if (this.state) {
      forget(this.state);
      this.state.free();
    }
    this.state = undefined;
    this.trainMatrix = undefined;
    this.disposed = true;
  }

  /** `dispose()`, for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  // ---------------------------------------------------------------------------------------------
  // Serving (requests.ts)

  /** The one-time warning of an imported model asked to filter already-liked items it does not know. */
  private warnIfUnfiltered(options: RecommendOptions, what: string): void {
    if (!this.warnUnfiltered || this.trainMatrix || options === null || typeof options !== 'object') return;
    if (options.filterAlreadyLiked === false || options.userItems !== undefined) return;
    this.warnUnfiltered = false;
    console.warn(
      `lowrank: ${this.modelType}.${what}: this imported model knows no interactions, so already-liked items are not filtered; ` +
        'pass { interactions } to importSparkALS/importImplicit, or userItems to recommend',
    );
  }

  private servingView(what: string): ServingModel {
    return {
      modelType: this.modelType,
      factors: this.factors(what),
      factorColumns: this.factorColumns,
      trainMatrix: this.trainMatrix,
      recalculateUser: (ui) => this.recalculateUser(ui),
    };
  }

  /**
   * The top `n` items for `user` by score X_u·Y_i, best first (ties: lower index first), leaving out
   * already-liked items (by default), `filterItems`, and anything outside `items`.
   */
  recommend(user: number, options: RecommendOptions = {}): Recommendation {
    this.warnIfUnfiltered(options, 'recommend');
    return recommendOne(this.servingView('recommend'), user, options);
  }

  /**
   * `recommend` for many users in one kernel call (scores as a blocked X·Yᵀ, top-k per row). Returns
   * `users.length × n` arrays (n capped at the number of candidates); rows with fewer candidates are
   * padded (see `BatchRecommendation`). `userItems` must be a matrix here.
   */
  recommendBatch(users: ArrayLike<number>, options: RecommendOptions = {}): BatchRecommendation {
    this.warnIfUnfiltered(options, 'recommendBatch');
    return recommendMany(this.servingView('recommendBatch'), users, options);
  }

  /** Items most similar to `item` by cosine of their factors (the item itself first unless filtered). */
  similarItems(item: number, options: SimilarOptions = {}): Recommendation {
    return similarTo(this.servingView('similarItems'), 'Y', item, options, `${this.modelType}.similarItems`);
  }

  /** Users most similar to `user` by cosine of their factors (the user itself first unless filtered). */
  similarUsers(user: number, options: SimilarOptions = {}): Recommendation {
    return similarTo(this.servingView('similarUsers'), 'X', user, options, `${this.modelType}.similarUsers`);
  }

  /** `recommend` by original ids (models fitted from `Interactions`). */
  recommendFor(userId: Id, options: IdRecommendOptions = {}): IdRecommendation {
    const where = `${this.modelType}.recommendFor`;
    const { users, items } = this.requireIds(where);
    checkOptionsObject(options, where);
    return withIds(
      items,
      this.recommend(users.index(userId, 'user id'), { ...options, ...itemIndexOptions(items, options, where) }),
    );
  }

  /** `similarItems` by original ids (models fitted from `Interactions`). */
  similarTo(itemId: Id, options: IdSimilarOptions = {}): IdRecommendation {
    const where = `${this.modelType}.similarTo`;
    const { items } = this.requireIds(where);
    checkOptionsObject(options, where);
    return withIds(
      items,
      this.similarItems(items.index(itemId, 'item id'), { ...options, ...itemIndexOptions(items, options, where) }),
    );
  }

  private requireIds(where: string): { users: IdMap; items: IdMap } {
    this.factors(where.slice(where.indexOf('.') + 1));
    if (!this.userIds || !this.itemIds) {
      throw new ValidationError(
        `${where}: the model has no id maps (it was not fitted from Interactions); use the index-based methods`,
      );
    }
    return { users: this.userIds, items: this.itemIds };
  }

  // ---------------------------------------------------------------------------------------------
  // Persistence (codec.ts)

  /** Extra state to save beside X and Y. Default: none. */
  protected saveExtra(): ExtraState | undefined {
    return undefined;
  }

  /** Restore what `saveExtra` returned (called after the factors are set). */
  protected loadExtra(extra: ExtraState): void {
    void extra;
  }

  /**
   * The fitted model as plain data: class, options, factors, id maps, subclass state and (unless
   * `includeInteractions: false`) the training interactions. `copy: false` returns views of the heap
   * blocks, valid until the next heap allocation (what `save` uses).
   */
  toState(options: SaveOptions & { copy?: boolean } = {}): ModelState {
    const f = this.factors('toState');
    checkOptionsObject(options, `${this.modelType}.toState`);
    const extra = this.saveExtra();
    const keep = options.includeInteractions !== false && this.trainMatrix !== undefined;
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
      interactions: keep ? this.trainMatrix : undefined,
      extra,
    };
  }

  /**
   * Serialise the fitted model: class, options, shapes, id maps, X, Y, optional subclass state and
   * (unless `includeInteractions: false`) the training interactions. See persist.ts for the format.
   */
  save(options: SaveOptions = {}): Uint8Array {
    this.factors('save');
    checkOptionsObject(options, `${this.modelType}.save`);
    return encodeModel(this.toState({ ...options, copy: false }));
  }

  /** `save()` written to `path` atomically (Node only). */
  async saveFile(path: string, options: SaveOptions = {}): Promise<void> {
    await writeFileAtomic(path, this.save(options));
  }

  /**
   * Rebuild a fitted model from plain data (`toState`, or factors from another tool). On a subclass
   * (`ImplicitALS.fromState(s)`) the state must be of that class; on `FactorModel` any registered class.
   * Throws `ModelFormatError` when the class is unknown or rejects the options or the state.
   */
  static fromState<T extends FactorModel>(
    this: abstract new (
      ...args: any[]
    ) => T,
    state: ModelState | PlacedModelState,
    options: LoadOptions = {},
  ): T {
    // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      return (FactorModel.adopt as (this: unknown, s: PlacedModelState, o: LoadOptions) => T).call(
        this,
        state,
        options,
      );
    } catch (e) {
      freeState(state); // heap blocks placed by a decoder or importer that no model adopted
      throw e;
    }
  }

  private static adopt<T extends FactorModel>(
    this: abstract new (
      ...args: any[]
    ) => T,
    state: PlacedModelState,
    options: LoadOptions,
  ): T {
    // eslint-disable-line @typescript-eslint/no-explicit-any
    const type = state.modelType;
    const ctor = modelClass(type);
    const wanted = modelTypeOf(this);
    if ((this as unknown) !== FactorModel && wanted !== type && !(ctor && ctor.prototype instanceof this)) {
      throw new ModelFormatError(
        `model file holds a ${type} model, not ${wanted ?? this.name}; use loadModel() to load any model type`,
      );
    }
    if (!ctor)
      throw new ModelFormatError(
        `model file holds a ${type} model, which is not registered here; import its class first`,
      );
    const backend = options.backend ?? getBackend();
    let made: unknown;
    try {
      made = new ctor(state.options);
    } catch (e) {
      throw new ModelFormatError(`model file: the saved ${type} options were rejected: ${(e as Error).message}`);
    }
    if (!(made instanceof FactorModel))
      throw new ModelFormatError(`model file: the class registered as ${type} is not a FactorModel`);
    const model = made;
    // Decoders and importers place X and Y in the heap already (adopted); plain arrays are copied in.
    const X = state.X instanceof HeapArray ? state.X : backend.heap.copyIn(state.X);
    let Y: HeapArray<'f32'>;
    try {
      Y = state.Y instanceof HeapArray ? state.Y : backend.heap.copyIn(state.Y);
    } catch (e) {
      if (X !== state.X) X.free();
      throw e;
    }
    model.setFactors(backend, X, Y, state.dim);
    model.userIds = state.userIds;
    model.itemIds = state.itemIds;
    model.trainMatrix = state.interactions;
    try {
      model.loadExtra(state.extra ?? {});
    } catch (e) {
      model.dispose();
      if (e instanceof ModelFormatError) throw e;
      throw new ModelFormatError(`model file: the saved ${type} state was rejected: ${(e as Error).message}`);
    }
    return model as T;
  }

  /**
   * Rebuild a model from `save()` bytes. On a subclass (`ImplicitALS.load(bytes)`) the file must hold that
   * class; on `FactorModel` any registered class. Throws `ModelFormatError` for truncated, corrupted,
   * wrong-magic, newer-version or inconsistent files — never returns a partial model.
   */
  static load<T extends FactorModel>(
    this: abstract new (
      ...args: any[]
    ) => T,
    bytes: Uint8Array,
    options: LoadOptions = {},
  ): T {
    // eslint-disable-line @typescript-eslint/no-explicit-any
    checkOptionsObject(options, 'load');
    const backend = options.backend ?? getBackend();
    const state = decodeModel(bytes, { maxBytes: options.maxBytes, heap: backend.heap });
    return (FactorModel.fromState as (this: unknown, s: PlacedModelState, o: LoadOptions) => T).call(this, state, {
      backend,
    });
  }

  /**
   * `load` from a file (Node only); initialises the default backend if needed. The file is read in pieces
   * straight into the heap, so loading takes about the model's size, not twice it.
   */
  static async loadFile<T extends FactorModel>(
    this: abstract new (
      ...args: any[]
    ) => T,
    path: string,
    options: LoadOptions = {},
  ): Promise<T> {
    // eslint-disable-line @typescript-eslint/no-explicit-any
    checkOptionsObject(options, 'loadFile');
    const backend = options.backend ?? (await ensureBackend());
    const file = await openFileSource(path);
    let state: PlacedModelState;
    try {
      state = await readModel(file, path, { maxBytes: options.maxBytes, heap: backend.heap });
    } finally {
      await file.close();
    }
    return (FactorModel.fromState as (this: unknown, s: PlacedModelState, o: LoadOptions) => T).call(this, state, {
      backend,
    });
  }
}

/** Rebuild any registered model from `save()` bytes (see `FactorModel.load`). */
export function loadModel(bytes: Uint8Array, options: LoadOptions = {}): FactorModel {
  return FactorModel.load(bytes, options);
}

/** `loadModel` from a file (Node only). */
export function loadModelFile(path: string, options: LoadOptions = {}): Promise<FactorModel> {
  return FactorModel.loadFile(path, options);
}
