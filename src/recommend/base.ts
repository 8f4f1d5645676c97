/**
 * The recommender base every model extends, in the manner of implicit's `RecommenderBase`. It owns what
 * does not depend on how a model scores: ids at the edges (by-id.ts), the training
 * matrix and the filtering of already-liked items, `filterItems` and candidate `items`, checking every
 * request at the public boundary, batches, mapping candidate positions back to items, persistence framing
 * (the .lrk file), the model registry, and the lifecycle (`dispose`, freeing on collection, DisposedError).
 *
 * What a model implements:
 * - `modelType` (the name it is registered under with `registerModel`, written into saved files) and
 *   `options` (JSON: `new Cls(model.options)` makes an equivalent unfitted model), and a constructor that
 *   takes that options object;
 * - `fit(…)`, which builds the model's `ModelMemory` (the one owner of its heap blocks, see memory.ts) and
 *   ends with `adoptFitted(memory, train, userIds, itemIds)`;
 * - `scoreTopK(request)`: for each user of a checked `ScoreRequest` (requests.ts), the `k` best columns
 *   that are not excluded, best first — scored from the model's own user state, or from the user's
 *   interactions `request.userItems(r)` (item–item models always; factor models when `recalculate`);
 * - `similarItemsTopK(request)`: the items most similar to `request.index`, the same way;
 *   `similarUsersTopK` only where the model has a user similarity (otherwise the base's NotSupportedError);
 * - `saveParts()` / `loadParts(backend, parts)`: its own header fields and named arrays in the saved file
 *   (a similarity matrix as CSR arrays, factors, a dense weight matrix…), and optionally `static heapArrays`,
 *   the arrays a load places straight into the heap.
 * src/models/common/factor-model.ts (FactorModel: X·Y scores, cosine similarity, fold-in) is the one kind
 * so far; test/recommend/contract.test.ts proves the contract with a model scoring from an item×item matrix.
 * @module
 */
import { ModelFormatError, NotFittedError, NotSupportedError, ValidationError } from '../errors.js';
import { getBackend, ensureBackend, type Backend } from '../runtime/backend.js';
import { disposedError, forget, freeWhenCollected } from '../runtime/lifetime.js';
import type { SparseMatrix } from '../data/csr.js';
import type { IdMap } from '../data/idmap.js';
import type {
  BatchRecommendation,
  Recommendation,
  RecommendOptions,
  Recommender,
  SaveOptions,
  SimilarOptions,
  SimilarUsersOptions,
  ForItemsOptions,
  UserItems,
} from './types.js';
import {
  checkBase,
  decodeModel,
  encodeModel,
  readModel,
  type LoadedParts,
  type ModelParts,
  type SavedBase,
} from './codec.js';
import { freeDecoded } from './persist.js';
import type { ModelMemory } from './memory.js';
import { IdServing } from './by-id.js';
import { modelClass, modelTypeOf } from './registry.js';
import {
  batchRequest,
  checkOptions,
  FOR_ITEMS_KEYS,
  foldInItems,
  recommendRequest,
  similarRequest,
  toItems,
  type ScoreRequest,
  type ServedModel,
  type SimilarRequest,
} from './requests.js';
import { openFileSource, writeFileAtomic } from './files.js';

export type { UserItems } from './types.js';

/** Options of `load` / `loadFile` / `loadModel` / `fromState`. */
export interface LoadOptions {
  /** Backend whose heap receives the model. Default: the active one (`init()` must have run). */
  backend?: Backend;
  /**
   * Most bytes loading may allocate, counted from the file's header before anything is allocated; a file
   * declaring more is refused with a `SizeLimitError`. Default `DEFAULT_MAX_BYTES` (1 GiB). Raise it only
   * for files you trust.
   */
  maxBytes?: number;
}

const SAVE_KEYS = ['includeInteractions'];
const LOAD_KEYS = ['backend', 'maxBytes'];

// Static methods typed by the class they are called on (`ImplicitALS.load` returns an ImplicitALS).
// biome-ignore lint/suspicious/noExplicitAny: constructor parameters of any model class
type ModelCtor<T> = abstract new (...args: any[]) => T;

export abstract class RecommenderBase extends IdServing implements Recommender {
  /** The model's heap memory (learned values and what derives from them). */
  private mem: ModelMemory | undefined;
  private disposed = false;
  /** The matrix the model was fitted on (rows = users); `recommend` filters its items by default. */
  protected trainMatrix: SparseMatrix | undefined;
  /**
   * Set by the importers on a model that came without interactions: the first `recommend` that would
   * filter already-liked items but has none to filter warns once.
   * @internal
   */
  warnUnfiltered = false;
  /** Arrays of a saved file that a load places straight into the heap (by name; default none). */
  static readonly heapArrays: readonly string[] = [];

  /** The hyperparameters, JSON-serialisable; `new Cls(model.options)` makes an equivalent unfitted model. */
  abstract get options(): object;
  /** The k best columns per user of a checked request (see ScoreRequest), best first. */
  protected abstract scoreTopK(request: ScoreRequest): BatchRecommendation;
  /** The items most similar to `request.index` (one row), best first. */
  protected abstract similarItemsTopK(request: SimilarRequest): BatchRecommendation;
  /** The model's own part of a saved file. Called on a fitted model. */
  protected abstract saveParts(): ModelParts;
  /** Rebuild the model's memory from its part of a saved file (the base's fields are set after). */
  protected abstract loadParts(backend: Backend, parts: LoadedParts): void;

  /** The users most similar to `request.index`: only models with a user similarity have them. */
  protected similarUsersTopK(request: SimilarRequest): BatchRecommendation {
    void request;
    throw new NotSupportedError(
      `${this.modelType}.similarUsers: ${this.modelType} learns no user similarity; ` +
        'use similarItems, or a factor model (ImplicitALS, ALS, PureSVD)',
    );
  }

  get isFitted(): boolean {
    return this.mem !== undefined;
  }
  get userCount(): number {
    return this.mem?.userCount ?? 0;
  }
  get itemCount(): number {
    return this.mem?.itemCount ?? 0;
  }

  /** The backend whose heap holds the model. */
  protected get backend(): Backend | undefined {
    return this.mem?.backend;
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

  /** NotFittedError (DisposedError after `dispose()`) naming `what` unless the model can serve. */
  protected checkServing(what: string): void {
    this.memory(what);
  }

  /** The model's memory, or a NotFittedError (DisposedError after `dispose()`) naming `what`. */
  protected memory(what: string): ModelMemory {
    this.checkNotDisposed(what);
    if (!this.mem)
      throw new NotFittedError(`${this.modelType}.${what}: the model is not fitted; call fit() or load() first`);
    return this.mem;
  }

  /** Serve from `memory` (freeing what the previous memory held and this one does not keep). */
  protected useMemory(memory: ModelMemory): void {
    if (this.mem) {
      forget(this.mem);
      this.mem.replacedBy(memory);
    }
    this.mem = memory;
    // Dropped without dispose(), the model's heap memory is freed when it is collected.
    freeWhenCollected(this, memory);
  }

  /**
   * Take the result of a fit: the model's memory, the training matrix (for filtering liked items) and the
   * id maps when the model was fitted from `Interactions`.
   */
  protected adoptFitted(
    memory: ModelMemory,
    train: SparseMatrix,
    users: IdMap | undefined,
    items: IdMap | undefined,
  ): void {
    if (this.disposed) {
      // dispose() ran while the fit was in progress.
      memory.free();
      this.checkNotDisposed('fit');
    }
    this.useMemory(memory);
    this.trainMatrix = train;
    this.userIds = users;
    this.itemIds = items;
  }

  /** Call after changing the learned values in place (e.g. a partial fit): drops what derives from them. */
  protected memoryChanged(): void {
    this.mem?.invalidate();
  }

  /**
   * Release the model's heap memory now rather than when the model is collected; any later use throws a
   * `DisposedError`. `using model = …` calls this at the end of the block. Idempotent.
   */
  dispose(): void {
    if (this.mem) {
      forget(this.mem);
      this.mem.free();
    }
    this.mem = undefined;
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
    if (options.filterAlreadyLiked === false || options.userItems !== undefined || options.interactions !== undefined)
      return;
    this.warnUnfiltered = false;
    console.warn(
      `lowrank: ${this.modelType}.${what}: this imported model knows no interactions, so already-liked items are not filtered; ` +
        'pass { interactions } to importSparkALS/importImplicit, or to recommend',
    );
  }

  private served(what: string): ServedModel {
    const m = this.memory(what);
    return { modelType: this.modelType, userCount: m.userCount, itemCount: m.itemCount, trainMatrix: this.trainMatrix };
  }

  /**
   * The top `n` items for `user` by score, best first (ties: lower index first), leaving out already-liked
   * items (by default), `filterItems`, and anything outside `items`.
   */
  recommend(user: number, options: RecommendOptions = {}): Recommendation {
    this.warnIfUnfiltered(options, 'recommend');
    const request = recommendRequest(this.served('recommend'), user, options);
    return firstRow(toItems(this.scoreTopK(request), request.candidates));
  }

  /**
   * `recommend` for many users in one call (for factor models one kernel call: scores as a blocked X·Yᵀ,
   * top-k per row). Returns `users.length × n` arrays (n capped at the number of candidates); rows with
   * fewer candidates are padded (see `BatchRecommendation`). `interactions` replaces the training matrix.
   */
  recommendBatch(users: ArrayLike<number>, options: RecommendOptions = {}): BatchRecommendation {
    this.warnIfUnfiltered(options, 'recommendBatch');
    const request = batchRequest(this.served('recommendBatch'), users, options);
    return toItems(this.scoreTopK(request), request.candidates);
  }

  /**
   * The top `n` items for a new user who interacted with `userItems` — `{ indices, values? }`, item indices
   * with a strength per item (default 1) — folded in without a refit (factor models solve the user's factors
   * from them: `recalculateUser`). Those items are left out (unless `filterAlreadyLiked: false`), as are
   * `filterItems` and anything outside `items`. By item id: `recommendForItemsById`.
   */
  recommendForItems(userItems: UserItems, options: ForItemsOptions = {}): Recommendation {
    const where = `${this.modelType}.recommendForItems`;
    const served = this.served('recommendForItems');
    checkOptions(options, where, FOR_ITEMS_KEYS);
    const ui = foldInItems(userItems, served.itemCount, where, this.itemIds !== undefined);
    const request = recommendRequest(served, 0, { ...options, userItems: ui, recalculateUser: true }, where);
    return firstRow(toItems(this.scoreTopK(request), request.candidates));
  }

  /** Items most similar to `item` (factor models: cosine of their factors; the item itself first unless filtered). */
  similarItems(item: number, options: SimilarOptions = {}): Recommendation {
    const where = `${this.modelType}.similarItems`;
    const request = similarRequest(item, this.memory('similarItems').itemCount, 'item', options, where);
    return firstRow(toItems(this.similarItemsTopK(request), request.candidates));
  }

  /**
   * Users most similar to `user` (factor models: cosine of their factors; the user itself first unless
   * filtered), leaving out `filterUsers` and anything outside `users`.
   */
  similarUsers(user: number, options: SimilarUsersOptions = {}): Recommendation {
    const where = `${this.modelType}.similarUsers`;
    const request = similarRequest(user, this.memory('similarUsers').userCount, 'user', options, where);
    return firstRow(toItems(this.similarUsersTopK(request), request.candidates));
  }

  // ---------------------------------------------------------------------------------------------
  // Persistence (codec.ts, persist.ts)

  /** What the base saves: class, options, id maps and (unless `includeInteractions: false`) the interactions. */
  protected savedBase(options: SaveOptions = {}): SavedBase {
    const keep = options.includeInteractions !== false && this.trainMatrix !== undefined;
    return {
      modelType: this.modelType,
      options: this.options,
      userIds: this.userIds,
      itemIds: this.itemIds,
      interactions: keep ? this.trainMatrix : undefined,
    };
  }

  /**
   * Serialise the fitted model: class, options, id maps, the model's own part (factors, …) and (unless
   * `includeInteractions: false`) the training interactions. See persist.ts for the format.
   */
  save(options: SaveOptions = {}): Uint8Array {
    this.memory('save');
    checkOptions(options, `${this.modelType}.save`, SAVE_KEYS);
    return encodeModel(this.savedBase(options), this.saveParts());
  }

  /** `save()` written to `path` atomically (Node only). */
  async saveFile(path: string, options: SaveOptions = {}): Promise<void> {
    await writeFileAtomic(path, this.save(options));
  }

  /**
   * A model of the class named by `base.modelType`, with its part loaded by `load` and the base's fields
   * checked against it. Called on a class (`ImplicitALS.load`), the file must hold that class or a subclass;
   * on `RecommenderBase`, any registered class. Throws `ModelFormatError` when the class is unknown or
   * rejects the options or the state.
   */
  protected static adoptSaved<T extends RecommenderBase>(
    this: ModelCtor<T>,
    base: SavedBase,
    load: (model: RecommenderBase) => void,
  ): T {
    const type = base.modelType;
    const ctor = modelClass(type);
    const wanted = modelTypeOf(this);
    if ((this as unknown) !== RecommenderBase && wanted !== type && !(ctor && ctor.prototype instanceof this)) {
      throw new ModelFormatError(
        `model file holds a ${type} model, not ${wanted ?? this.name}; use loadModel() to load any model type`,
      );
    }
    if (!ctor)
      throw new ModelFormatError(
        `model file holds a ${type} model, which is not registered here; import its class first`,
      );
    let made: unknown;
    try {
      made = new ctor(base.options);
    } catch (e) {
      throw new ModelFormatError(`model file: the saved ${type} options were rejected: ${(e as Error).message}`);
    }
    if (!(made instanceof RecommenderBase))
      throw new ModelFormatError(`model file: the class registered as ${type} is not a RecommenderBase`);
    const model = made;
    try {
      load(model);
      const checked = checkBase(base, model.userCount, model.itemCount);
      model.userIds = checked.userIds;
      model.itemIds = checked.itemIds;
      model.trainMatrix = checked.interactions;
    } catch (e) {
      model.dispose();
      throw e;
    }
    return model as T;
  }

  /**
   * Rebuild a model from `save()` bytes. On a subclass (`ImplicitALS.load(bytes)`) the file must hold that
   * class; on `RecommenderBase` (or `loadModel`) any registered class. Throws `ModelFormatError` for
   * truncated, corrupted, wrong-magic, newer-version or inconsistent files — never returns a partial model.
   */
  static load<T extends RecommenderBase>(this: ModelCtor<T>, bytes: Uint8Array, options: LoadOptions = {}): T {
    checkOptions(options, 'load', LOAD_KEYS);
    const backend = options.backend ?? getBackend();
    const decoded = decodeModel(bytes, { maxBytes: options.maxBytes, heap: backend.heap });
    return RecommenderBase.adoptFile.call(this, decoded, backend) as T;
  }

  /**
   * `load` from a file (Node only); initialises the default backend if needed. The file is read in pieces
   * straight into the heap, so loading takes about the model's size, not twice it.
   */
  static async loadFile<T extends RecommenderBase>(
    this: ModelCtor<T>,
    path: string,
    options: LoadOptions = {},
  ): Promise<T> {
    checkOptions(options, 'loadFile', LOAD_KEYS);
    const backend = options.backend ?? (await ensureBackend());
    const file = await openFileSource(path);
    let decoded: { base: SavedBase; parts: LoadedParts };
    try {
      decoded = await readModel(file, path, { maxBytes: options.maxBytes, heap: backend.heap });
    } finally {
      await file.close();
    }
    return RecommenderBase.adoptFile.call(this, decoded, backend) as T;
  }

  /** Adopt a decoded file as a model of this class (freeing its heap arrays if that fails). */
  private static adoptFile<T extends RecommenderBase>(
    this: ModelCtor<T>,
    { base, parts }: { base: SavedBase; parts: LoadedParts },
    backend: Backend,
  ): T {
    try {
      return RecommenderBase.adoptSaved.call(this, base, (model) => model.loadParts(backend, parts)) as T;
    } catch (e) {
      freeDecoded(parts.arrays); // heap blocks placed by the decoder that no model adopted
      throw e;
    }
  }
}

/** Row 0 of a one-row result, its real entries only. */
function firstRow(r: BatchRecommendation): Recommendation {
  const c = r.counts[0];
  return { items: r.items.slice(0, c), scores: r.scores.slice(0, c) };
}
