/**
 * The recommender contract shared by ImplicitALS, ALS and PureSVD: a model is two factor blocks in a
 * backend's heap, X (users × dim) and Y (items × dim), and the score of (user, item) is X_u · Y_i.
 * Models whose prediction has bias terms store them as extra trailing columns so the dot product stays
 * the score (and override `factorColumns` so cosine similarity ignores them).
 *
 * Fitting lives in each model's file; everything that only needs X and Y (top-N, batches, similar items,
 * persistence) lives here. A subclass provides `modelType`, `options`, `recalculateUser`, a constructor
 * taking its options object, and registers itself with `registerModel` so `loadModel` can rebuild it.
 */
import { ModelFitError, ModelFormatError, NotFittedError, ValidationError } from '../errors.js';
import { getBackend, ensureBackend, type Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';
import { uniformBounds } from '../runtime/parallel.js';
import { SparseMatrix } from '../data/csr.js';
import { IdMap, type Id } from '../data/idmap.js';
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
import { appendColumns, checkIndex, indexList, resolveN, sortedUnique } from './filters.js';
import { Scratch } from './scratch.js';
import { decodeModelFile, encodeModelFile, type StoredArray } from './persist.js';
import { modelClass, modelTypeOf } from './registry.js';
import { readFileBytes, writeFileAtomic } from './files.js';

export type { UserItems } from './types.js';

/** Extra state a subclass saves beside X and Y (e.g. a global mean): JSON plus named f32 arrays. */
export interface ExtraState {
  json?: unknown;
  arrays?: Record<string, Float32Array>;
}

/** Options of `load` / `loadFile` / `loadModel`. */
export interface LoadOptions {
  /** Backend whose heap receives the factors. Default: the active one (`init()` must have run). */
  backend?: Backend;
}

/** Scratch budget for one block of batch scores: big enough to amortise, small enough for the cache. */
const BATCH_SCRATCH_BYTES = 4 << 20;
const MAX_BLOCK_ROWS = 64;

/** A scoring request in kernel terms (columns are candidate positions when `candidates` is set). */
interface ScoreJob {
  X: number;
  xRows: Int32Array | undefined;
  nRows: number;
  Y: number;
  cols: number;
  candidates: Int32Array | undefined;
  k: number;
  /** Per-row exclusions (CSR over rows) in column space. */
  excIndptr: Int32Array | undefined;
  excIdx: Int32Array | undefined;
  globalExc: Int32Array;
}

export abstract class FactorModel implements Recommender {
  /** The backend whose heap holds the factors. */
  protected backend: Backend | undefined;
  /** users × dim, row-major f32. */
  protected X: HeapArray<'f32'> | undefined;
  /** items × dim, row-major f32. */
  protected Y: HeapArray<'f32'> | undefined;
  /** Stored columns per row (factors, plus bias columns where the model has them). */
  protected dim = 0;
  /** The matrix the model was fitted on (rows = users); `recommend` filters its items by default. */
  protected trainMatrix: SparseMatrix | undefined;
  /** Original ids when fitted from `Interactions`. */
  userIds: IdMap | undefined;
  itemIds: IdMap | undefined;

  private scratch: Scratch | undefined;
  /** Row-normalised copies (cosine similarity), made on first use; dropped by `factorsChanged`. */
  private normed: { X?: HeapArray<'f32'>; Y?: HeapArray<'f32'> } = {};

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
    return this.X !== undefined && this.Y !== undefined;
  }

  get userCount(): number {
    return this.X ? this.X.length / this.dim : 0;
  }
  get itemCount(): number {
    return this.Y ? this.Y.length / this.dim : 0;
  }

  /**
   * Leading columns of X/Y that are latent factors (cosine similarity uses only these). Default: all;
   * models with trailing bias columns override it.
   */
  protected get factorColumns(): number {
    return this.dim;
  }

  protected requireFitted(what: string): { backend: Backend; X: HeapArray<'f32'>; Y: HeapArray<'f32'> } {
    if (!this.backend || !this.X || !this.Y) {
      throw new NotFittedError(`${this.modelType}.${what}: the model is not fitted; call fit() or load() first`);
    }
    return { backend: this.backend, X: this.X, Y: this.Y };
  }

  /** Replace the factor blocks (freeing the old ones). */
  protected setFactors(backend: Backend, X: HeapArray<'f32'>, Y: HeapArray<'f32'>, dim: number): void {
    if (this.X && this.X !== X && !this.X.isFreed) this.X.free();
    if (this.Y && this.Y !== Y && !this.Y.isFreed) this.Y.free();
    if (this.backend !== backend) {
      this.scratch?.free();
      this.scratch = undefined;
    }
    this.backend = backend;
    this.X = X;
    this.Y = Y;
    this.dim = dim;
    this.factorsChanged();
  }

  /**
   * Take the result of a fit: the factor blocks, the training matrix (for filtering liked items) and the
   * id maps when the model was fitted from `Interactions`.
   */
  protected adoptFit(backend: Backend, X: HeapArray<'f32'>, Y: HeapArray<'f32'>, dim: number, train: SparseMatrix, users: IdMap | undefined, items: IdMap | undefined): void {
    this.setFactors(backend, X, Y, dim);
    this.trainMatrix = train;
    this.userIds = users;
    this.itemIds = items;
  }

  /** Call after changing X or Y in place (e.g. a partial fit): drops caches derived from them. */
  protected factorsChanged(): void {
    this.normed.X?.free();
    this.normed.Y?.free();
    this.normed = {};
  }

  /**
   * Run `fn` with this (otherwise unused) model serving from factor blocks it does not own — how `fit`
   * validates its in-progress factors without touching the model being fitted. Caches made meanwhile are
   * freed afterwards; the blocks are not.
   */
  protected serveBorrowed<T>(backend: Backend, X: HeapArray<'f32'>, Y: HeapArray<'f32'>, dim: number, fn: () => T): T {
    this.backend = backend;
    this.X = X;
    this.Y = Y;
    this.dim = dim;
    try {
      return fn();
    } finally {
      this.factorsChanged();
      this.scratch?.free();
      this.scratch = undefined;
      this.X = this.Y = undefined;
    }
  }

  /** Release the heap memory held by the factors and caches; the model becomes unfitted. */
  dispose(): void {
    this.factorsChanged();
    this.scratch?.free();
    this.scratch = undefined;
    this.X?.free();
    this.Y?.free();
    this.X = this.Y = undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Serving

  /**
   * The top `n` items for `user` by score X_u·Y_i, best first (ties: lower index first), leaving out
   * already-liked items (by default), `filterItems`, and anything outside `items`.
   */
  recommend(user: number, options: RecommendOptions = {}): Recommendation {
    const where = `${this.modelType}.recommend`;
    const { X, Y } = this.requireFitted('recommend');
    checkOptionsObject(options, where);
    const n = resolveN(options.n, where);
    const nItems = this.itemCount;
    const candidates = options.items !== undefined ? sortedUnique(indexList(options.items, nItems, 'items', where)) : undefined;
    const filter = options.filterItems !== undefined ? indexList(options.filterItems, nItems, 'filterItems', where) : undefined;
    let xPtr: number;
    let folded: Float32Array | undefined;
    let liked: ArrayLike<number> | undefined;
    if (options.recalculateUser) {
      const ui = this.userItemsFor(user, options, where, true)!;
      folded = this.foldIn(ui, where);
      if (options.filterAlreadyLiked !== false) liked = ui.indices;
      xPtr = 0; // set after the scratch allocations below
    } else {
      checkIndex(user, this.userCount, 'user', where);
      xPtr = X.ptr + user * this.dim * 4;
      if (options.filterAlreadyLiked !== false) liked = this.userItemsFor(user, options, where, false)?.indices;
    }
    const exc = new Int32Array((liked?.length ?? 0) + (filter?.length ?? 0));
    let ne = liked ? appendColumns(liked, candidates, exc, 0) : 0;
    if (filter) ne = appendColumns(filter, candidates, exc, ne);
    const cols = candidates ? candidates.length : nItems;
    if (folded) {
      const q = this.scratchFor().get('query', 'f32', this.dim);
      q.view.set(folded);
      xPtr = q.ptr;
    }
    const r = this.scoreTopk({
      X: xPtr,
      xRows: undefined,
      nRows: 1,
      Y: Y.ptr,
      cols,
      candidates,
      k: Math.min(n, cols),
      excIndptr: undefined,
      excIdx: undefined,
      globalExc: exc.subarray(0, ne),
    });
    const c = r.counts[0];
    return { items: r.items.slice(0, c), scores: r.scores.slice(0, c) };
  }

  /**
   * `recommend` for many users in one kernel call (scores as a blocked X·Yᵀ, top-k per row). Returns
   * `users.length × n` arrays (n capped at the number of candidates); rows with fewer candidates are
   * padded (see `BatchRecommendation`). `userItems` must be a matrix here.
   */
  recommendBatch(users: ArrayLike<number>, options: RecommendOptions = {}): BatchRecommendation {
    const where = `${this.modelType}.recommendBatch`;
    const { X, Y } = this.requireFitted('recommendBatch');
    checkOptionsObject(options, where);
    const n = resolveN(options.n, where);
    const nItems = this.itemCount;
    if (options.userItems !== undefined && !(options.userItems instanceof SparseMatrix)) {
      throw new ValidationError(`${where}: userItems must be a SparseMatrix (rows = users) for a batch; got a single user's items`);
    }
    const source = options.userItems ?? this.trainMatrix;
    if (source) this.checkUserItemsMatrix(source, where);
    const userLimit = options.recalculateUser ? (source?.rows ?? 0) : this.userCount;
    if (options.recalculateUser && !source) throw new ValidationError(`${where}: recalculateUser needs userItems (the model has no training interactions)`);
    const rows = indexList(users, userLimit, 'users', where);
    const candidates = options.items !== undefined ? sortedUnique(indexList(options.items, nItems, 'items', where)) : undefined;
    const cols = candidates ? candidates.length : nItems;
    const filter = options.filterItems !== undefined ? indexList(options.filterItems, nItems, 'filterItems', where) : new Int32Array(0);
    // Distinct filtered columns, so the row width n can be capped at the candidates left.
    const mapped = new Int32Array(filter.length);
    const globalCols = sortedUnique(mapped.subarray(0, appendColumns(filter, candidates, mapped, 0)));
    let excIndptr: Int32Array | undefined;
    let excIdx: Int32Array | undefined;
    if (source && options.filterAlreadyLiked !== false) {
      // Users beyond a given matrix's rows are an error (as in recommend); beyond the training matrix's
      // rows (users added since) they simply have nothing to filter.
      if (options.userItems) for (let r = 0; r < rows.length; r++) checkIndex(rows[r], source.rows, 'user', `${where} (row of userItems)`);
      const has = (u: number) => u < source.rows;
      excIndptr = new Int32Array(rows.length + 1);
      let total = 0;
      for (let r = 0; r < rows.length; r++) if (has(rows[r])) total += source.indptr[rows[r] + 1] - source.indptr[rows[r]];
      excIdx = new Int32Array(total);
      let w = 0;
      for (let r = 0; r < rows.length; r++) {
        if (has(rows[r])) w = appendColumns(source.indices.subarray(source.indptr[rows[r]], source.indptr[rows[r] + 1]), candidates, excIdx, w);
        excIndptr[r + 1] = w;
      }
    }
    let Xptr = X.ptr;
    let xRows: Int32Array | undefined = rows;
    if (options.recalculateUser) {
      const folded = new Float32Array(rows.length * this.dim);
      for (let r = 0; r < rows.length; r++) {
        const u = rows[r];
        const ui = { indices: source!.indices.subarray(source!.indptr[u], source!.indptr[u + 1]), values: source!.data.subarray(source!.indptr[u], source!.indptr[u + 1]) };
        folded.set(this.foldIn(ui, where), r * this.dim);
      }
      const q = this.scratchFor().get('queries', 'f32', folded.length);
      q.view.set(folded);
      Xptr = q.ptr;
      xRows = undefined;
    }
    return this.scoreTopk({
      X: Xptr,
      xRows,
      nRows: rows.length,
      Y: Y.ptr,
      cols,
      candidates,
      k: Math.min(n, cols - globalCols.length),
      excIndptr,
      excIdx,
      globalExc: globalCols,
    });
  }

  /** Items most similar to `item` by cosine of their factors (the item itself first unless filtered). */
  similarItems(item: number, options: SimilarOptions = {}): Recommendation {
    return this.similar('Y', item, options, `${this.modelType}.similarItems`);
  }

  /** Users most similar to `user` by cosine of their factors (the user itself first unless filtered). */
  similarUsers(user: number, options: SimilarOptions = {}): Recommendation {
    return this.similar('X', user, options, `${this.modelType}.similarUsers`);
  }

  /** `recommend` by original ids (models fitted from `Interactions`). */
  recommendFor(userId: Id, options: IdRecommendOptions = {}): IdRecommendation {
    const where = `${this.modelType}.recommendFor`;
    const { users, items } = this.requireIds(where);
    checkOptionsObject(options, where);
    return withIds(items, this.recommend(users.index(userId, 'user id'), { ...options, ...itemIndexOptions(items, options, where) }));
  }

  /** `similarItems` by original ids (models fitted from `Interactions`). */
  similarTo(itemId: Id, options: IdSimilarOptions = {}): IdRecommendation {
    const where = `${this.modelType}.similarTo`;
    const { items } = this.requireIds(where);
    checkOptionsObject(options, where);
    return withIds(items, this.similarItems(items.index(itemId, 'item id'), { ...options, ...itemIndexOptions(items, options, where) }));
  }

  private similar(which: 'X' | 'Y', index: number, options: SimilarOptions, where: string): Recommendation {
    this.requireFitted(which === 'Y' ? 'similarItems' : 'similarUsers');
    checkOptionsObject(options, where);
    const n = resolveN(options.n, where);
    const count = which === 'Y' ? this.itemCount : this.userCount;
    const what = which === 'Y' ? 'item' : 'user';
    checkIndex(index, count, what, where);
    const candidates = options.items !== undefined ? sortedUnique(indexList(options.items, count, 'items', where)) : undefined;
    const filter = options.filterItems !== undefined ? indexList(options.filterItems, count, 'filterItems', where) : new Int32Array(0);
    const exc = new Int32Array(filter.length);
    const ne = appendColumns(filter, candidates, exc, 0);
    const cols = candidates ? candidates.length : count;
    const A = this.normalized(which);
    const fc = this.factorColumns;
    const r = this.scoreTopk(
      {
        X: A.ptr + index * fc * 4,
        xRows: undefined,
        nRows: 1,
        Y: A.ptr,
        cols,
        candidates,
        k: Math.min(n, cols),
        excIndptr: undefined,
        excIdx: undefined,
        globalExc: exc.subarray(0, ne),
      },
      fc,
    );
    const c = r.counts[0];
    return { items: r.items.slice(0, c), scores: r.scores.slice(0, c) };
  }

  /** Run the fused kernel; returns the (candidate-mapped) result rows. */
  private scoreTopk(job: ScoreJob, dim = this.dim): BatchRecommendation {
    const backend = this.backend!;
    const s = this.scratchFor();
    const { nRows, cols, k } = job;
    const blockRows = Math.max(1, Math.min(nRows, MAX_BLOCK_ROWS, Math.floor(BATCH_SCRATCH_BYTES / Math.max(1, cols * 4))));
    // On 'wasm-threads', big batches are split by users; each thread scores into its own block of `scores`.
    const threads = backend.kernels.threads;
    const blockBytes = blockRows * cols * 4;
    // Every allocation first: any of them may grow memory and move the views.
    const scores = s.get('scores', 'f32', threads * blockRows * cols);
    const outIdx = s.get('outIdx', 'i32', nRows * k);
    const outScores = s.get('outScores', 'f32', nRows * k);
    const counts = s.get('counts', 'i32', nRows);
    const xRows = job.xRows ? s.get('xRows', 'i32', job.xRows.length) : undefined;
    const yRows = job.candidates ? s.get('yRows', 'i32', job.candidates.length) : undefined;
    const excIndptr = job.excIndptr ? s.get('excIndptr', 'i32', job.excIndptr.length) : undefined;
    const excIdx = job.excIdx ? s.get('excIdx', 'i32', job.excIdx.length) : undefined;
    const globalExc = s.get('globalExc', 'i32', job.globalExc.length);
    if (xRows) xRows.view.set(job.xRows!);
    if (yRows) yRows.view.set(job.candidates!);
    if (excIndptr) excIndptr.view.set(job.excIndptr!);
    if (excIdx) excIdx.view.set(job.excIdx!);
    globalExc.view.set(job.globalExc);
    const args = {
      X: job.X,
      xRows: xRows ? xRows.ptr : 0,
      Y: job.Y,
      yRows: yRows ? yRows.ptr : 0,
      nCols: cols,
      dim,
      k,
      excIndptr: excIndptr ? excIndptr.ptr : 0,
      excIdx: excIdx ? excIdx.ptr : 0,
      globalExc: globalExc.ptr,
      nGlobal: job.globalExc.length,
      scratch: scores.ptr,
      blockRows,
      outIdx: outIdx.ptr,
      outScores: outScores.ptr,
      outCounts: counts.ptr,
    };
    // A chunk of users [r0, r1) moves every per-user pointer by r0 rows. Each user's scores and top-k are
    // computed exactly as in one call, so the result does not depend on the split. About four ranges per
    // thread (at most a score block each, at most 1024 ranges in all).
    backend.kernels.runRows('scoreTopkF32', args, {
      rows: nRows,
      work: nRows * cols * dim,
      unit: 'scoring',
      split: (t) => uniformBounds(nRows, Math.max(1, Math.min(blockRows, Math.ceil(nRows / (4 * t))), Math.ceil(nRows / 1024))),
      perRow: { X: xRows ? 0 : dim * 4, xRows: xRows ? 4 : 0, excIndptr: excIndptr ? 4 : 0, outIdx: k * 4, outScores: k * 4, outCounts: 4 },
      scratch: { stride: blockBytes, slots: threads },
    });
    const items = outIdx.view.slice(0, nRows * k);
    const out = { items, scores: outScores.view.slice(0, nRows * k), n: k, counts: counts.view.slice(0, nRows) };
    if (job.candidates) {
      const cand = job.candidates;
      for (let j = 0; j < items.length; j++) if (items[j] >= 0) items[j] = cand[items[j]];
    }
    return out;
  }

  private scratchFor(): Scratch {
    if (!this.scratch) this.scratch = new Scratch(this.backend!.heap);
    return this.scratch;
  }

  /** The row-normalised copy of X or Y (first `factorColumns` columns), cached. */
  private normalized(which: 'X' | 'Y'): HeapArray<'f32'> {
    const have = this.normed[which];
    if (have) return have;
    const backend = this.backend!;
    const fc = this.factorColumns;
    const rows = which === 'X' ? this.userCount : this.itemCount;
    const out = backend.heap.allocArray('f32', Math.max(1, rows * fc));
    const src = which === 'X' ? this.X! : this.Y!;
    backend.kernels.call('normalizeRowsF32', { A: src.ptr, m: rows, stride: this.dim, cols: fc, out: out.ptr });
    this.normed[which] = out;
    return out;
  }

  /** recalculateUser with its result checked (length, finiteness). */
  private foldIn(ui: UserItems, where: string): Float32Array {
    const x = this.recalculateUser(ui);
    if (!(x instanceof Float32Array) || x.length !== this.dim) {
      throw new ModelFitError(`${where}: ${this.modelType}.recalculateUser returned ${x?.length} values, expected ${this.dim}`);
    }
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) throw new ModelFitError(`${where}: recalculated user factors contain ${x[i]} at column ${i}; check the interaction values`);
    }
    return x;
  }

  /**
   * The user's interactions: `options.userItems` (matrix row or single user's items), else the training
   * matrix's row. `required` (for recalculateUser) turns "none" into an error.
   */
  private userItemsFor(user: number, options: RecommendOptions, where: string, required: boolean): UserItems | undefined {
    const src = options.userItems;
    if (src instanceof SparseMatrix) {
      this.checkUserItemsMatrix(src, where);
      checkIndex(user, src.rows, 'user', `${where} (row of userItems)`);
      const r = src.row(user);
      return { indices: r.indices, values: r.values };
    }
    if (src !== undefined) {
      if (src === null || typeof src !== 'object' || src.indices == null) {
        throw new ValidationError(`${where}: userItems must be a SparseMatrix or { indices, values? }`);
      }
      const indices = indexList(src.indices, this.itemCount, 'userItems.indices', where);
      if (src.values !== undefined && (src.values == null || src.values.length !== indices.length)) {
        throw new ValidationError(`${where}: userItems.values must have one value per index (${indices.length})`);
      }
      return { indices, values: src.values };
    }
    if (this.trainMatrix && Number.isInteger(user) && user >= 0 && user < this.trainMatrix.rows) {
      const r = this.trainMatrix.row(user);
      return { indices: r.indices, values: r.values };
    }
    if (required) throw new ValidationError(`${where}: recalculateUser needs userItems for user ${user} (the model has no training interactions for it)`);
    return undefined;
  }

  private checkUserItemsMatrix(m: SparseMatrix, where: string): void {
    if (m.cols !== this.itemCount) {
      throw new ValidationError(`${where}: userItems has ${m.cols} columns but the model has ${this.itemCount} items`);
    }
  }

  private requireIds(where: string): { users: IdMap; items: IdMap } {
    this.requireFitted(where.slice(where.indexOf('.') + 1));
    if (!this.userIds || !this.itemIds) {
      throw new ValidationError(`${where}: the model has no id maps (it was not fitted from Interactions); use the index-based methods`);
    }
    return { users: this.userIds, items: this.itemIds };
  }

  // ---------------------------------------------------------------------------------------------
  // Persistence

  /** Extra state to save beside X and Y. Default: none. */
  protected saveExtra(): ExtraState | undefined {
    return undefined;
  }

  /** Restore what `saveExtra` returned (called after the factors are set). */
  protected loadExtra(extra: ExtraState): void {
    void extra;
  }

  /**
   * Serialise the fitted model: class, options, shapes, id maps, X, Y, optional subclass state and
   * (unless `includeInteractions: false`) the training interactions. See persist.ts for the format.
   */
  save(options: SaveOptions = {}): Uint8Array {
    const { X, Y } = this.requireFitted('save');
    checkOptionsObject(options, `${this.modelType}.save`);
    const extra = this.saveExtra();
    const keep = options.includeInteractions !== false && this.trainMatrix !== undefined;
    const t = this.trainMatrix;
    const arrays: [string, StoredArray][] = [];
    // Views last: saveExtra may have allocated.
    arrays.push(['X', X.view], ['Y', Y.view]);
    const extraNames = Object.keys(extra?.arrays ?? {});
    for (const name of extraNames) {
      const a = extra!.arrays![name];
      if (!(a instanceof Float32Array)) throw new ValidationError(`${this.modelType}.save: extra array ${name} must be a Float32Array`);
      arrays.push([`extra.${name}`, a]);
    }
    if (keep) arrays.push(['interactions.indptr', t!.indptr], ['interactions.indices', t!.indices], ['interactions.data', t!.data]);
    const header = {
      modelType: this.modelType,
      options: this.options,
      dim: this.dim,
      users: this.userCount,
      items: this.itemCount,
      userIds: this.userIds ? this.userIds.ids() : null,
      itemIds: this.itemIds ? this.itemIds.ids() : null,
      interactions: keep ? { rows: t!.rows, cols: t!.cols } : null,
      extra: extra?.json ?? null,
      extraArrays: extraNames,
    };
    return encodeModelFile(header, arrays);
  }

  /** `save()` written to `path` atomically (Node only). */
  async saveFile(path: string, options: SaveOptions = {}): Promise<void> {
    await writeFileAtomic(path, this.save(options));
  }

  /**
   * Rebuild a model from `save()` bytes. On a subclass (`ImplicitALS.load(bytes)`) the file must hold that
   * class; on `FactorModel` any registered class. Throws `ModelFormatError` for truncated, corrupted,
   * wrong-magic, newer-version or inconsistent files — never returns a partial model.
   */
  static load<T extends FactorModel>(this: abstract new (...args: any[]) => T, bytes: Uint8Array, options: LoadOptions = {}): T { // eslint-disable-line @typescript-eslint/no-explicit-any
    const { header, arrays } = decodeModelFile(bytes);
    const type = header.modelType;
    if (typeof type !== 'string') throw new ModelFormatError('model file: corrupted: the header has no modelType');
    const ctor = modelClass(type);
    const wanted = modelTypeOf(this);
    if ((this as unknown) !== FactorModel && wanted !== type && !(ctor && ctor.prototype instanceof this)) {
      throw new ModelFormatError(`model file holds a ${type} model, not ${wanted ?? this.name}; use loadModel() to load any model type`);
    }
    if (!ctor) throw new ModelFormatError(`model file holds a ${type} model, which is not registered here; import its class first`);
    const backend = options.backend ?? getBackend();
    return FactorModel.restore(ctor, header, arrays, backend) as T;
  }

  /** `load` from a file (Node only); initialises the default backend if needed. */
  static async loadFile<T extends FactorModel>(this: abstract new (...args: any[]) => T, path: string, options: LoadOptions = {}): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const bytes = await readFileBytes(path);
    const backend = options.backend ?? (await ensureBackend());
    return (FactorModel.load as (this: unknown, b: Uint8Array, o: LoadOptions) => T).call(this, bytes, { backend });
  }

  private static restore(
    ctor: new (options?: unknown) => FactorModel,
    h: Record<string, unknown>,
    arrays: Map<string, StoredArray>,
    backend: Backend,
  ): FactorModel {
    const bad = (what: string): never => {
      throw new ModelFormatError(`model file: inconsistent ${String(h.modelType)} model: ${what}`);
    };
    const { dim, users, items } = h as { dim: number; users: number; items: number };
    for (const [k, v] of Object.entries({ dim, users, items })) if (!Number.isSafeInteger(v) || v < 0) bad(`${k} = ${String(v)}`);
    if (dim < 1) bad('dim = 0');
    const xa = arrays.get('X');
    const ya = arrays.get('Y');
    if (!(xa instanceof Float32Array) || xa.length !== users * dim) bad(`X must hold ${users}×${dim} f32 values`);
    if (!(ya instanceof Float32Array) || ya.length !== items * dim) bad(`Y must hold ${items}×${dim} f32 values`);
    const xs = xa as Float32Array;
    const ys = ya as Float32Array;
    for (const [name, a] of [['X', xs], ['Y', ys]] as const) {
      for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) bad(`${name} has a non-finite value at ${i}`);
    }
    const ids = (list: unknown, count: number, what: string): IdMap | undefined => {
      if (list === null || list === undefined) return undefined;
      if (!Array.isArray(list) || list.length !== count) bad(`${what} must list ${count} ids`);
      try {
        return IdMap.from(list as Id[]);
      } catch (e) {
        return bad(`${what}: ${(e as Error).message}`);
      }
    };
    const userIds = ids(h.userIds, users, 'userIds');
    const itemIds = ids(h.itemIds, items, 'itemIds');
    let train: SparseMatrix | undefined;
    if (h.interactions) {
      const { rows, cols } = h.interactions as { rows: number; cols: number };
      const ip = arrays.get('interactions.indptr');
      const ix = arrays.get('interactions.indices');
      const dt = arrays.get('interactions.data');
      if (!(ip instanceof Int32Array) || !(ix instanceof Int32Array) || !(dt instanceof Float32Array)) bad('interaction arrays missing');
      if (cols !== items) bad(`interactions have ${cols} columns for ${items} items`);
      try {
        train = new SparseMatrix(ip as Int32Array, ix as Int32Array, dt as Float32Array, [rows, cols]);
      } catch (e) {
        bad(`interactions: ${(e as Error).message}`);
      }
    }
    const extraArrays: Record<string, Float32Array> = {};
    if (h.extraArrays != null && !Array.isArray(h.extraArrays)) bad(`extraArrays must be a list of names, got ${JSON.stringify(h.extraArrays)}`);
    for (const name of (h.extraArrays as unknown[]) ?? []) {
      const a = arrays.get(`extra.${String(name)}`);
      if (!(a instanceof Float32Array)) bad(`extra array ${String(name)} missing`);
      extraArrays[String(name)] = a as Float32Array;
    }
    let model: FactorModel;
    try {
      model = new ctor(h.options);
    } catch (e) {
      throw new ModelFormatError(`model file: the saved ${String(h.modelType)} options were rejected: ${(e as Error).message}`);
    }
    const X = backend.heap.copyIn(xs);
    let Y: HeapArray<'f32'>;
    try {
      Y = backend.heap.copyIn(ys);
    } catch (e) {
      X.free();
      throw e;
    }
    model.setFactors(backend, X, Y, dim);
    model.userIds = userIds;
    model.itemIds = itemIds;
    model.trainMatrix = train;
    try {
      model.loadExtra({ json: h.extra ?? undefined, arrays: extraArrays });
    } catch (e) {
      model.dispose();
      if (e instanceof ModelFormatError) throw e;
      throw new ModelFormatError(`model file: the saved ${String(h.modelType)} state was rejected: ${(e as Error).message}`);
    }
    return model;
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

function checkOptionsObject(options: unknown, where: string): void {
  if (options === null || typeof options !== 'object') throw new ValidationError(`${where}: options must be an object`);
}

function knownIndices(map: IdMap, ids: Iterable<Id>, where: string, what: string): Int32Array {
  if (ids == null || typeof (ids as Iterable<Id>)[Symbol.iterator] !== 'function') throw new ValidationError(`${where}: ${what} must be an iterable of ids`);
  const out: number[] = [];
  for (const id of ids) {
    const i = map.indexOf(id);
    if (i >= 0) out.push(i);
  }
  return Int32Array.from(out);
}

function requiredIndices(map: IdMap, ids: Iterable<Id>, where: string): Int32Array {
  if (ids == null || typeof (ids as Iterable<Id>)[Symbol.iterator] !== 'function') throw new ValidationError(`${where}: items must be an iterable of ids`);
  const out: number[] = [];
  for (const id of ids) out.push(map.index(id, 'item id'));
  return Int32Array.from(out);
}

/** `filterItems` / `items` given as original ids, as indices (unknown filter ids are ignored; unknown candidates are an error). */
function itemIndexOptions(
  items: IdMap,
  options: { filterItems?: Iterable<Id>; items?: Iterable<Id> },
  where: string,
): { filterItems: Int32Array | undefined; items: Int32Array | undefined } {
  return {
    filterItems: options.filterItems !== undefined ? knownIndices(items, options.filterItems, where, 'filterItems') : undefined,
    items: options.items !== undefined ? requiredIndices(items, options.items, where) : undefined,
  };
}

/** A result by index, with the original item ids alongside. */
function withIds(items: IdMap, r: Recommendation): IdRecommendation {
  return { ids: Array.from(r.items, (i) => items.id(i)), items: r.items, scores: r.scores };
}
