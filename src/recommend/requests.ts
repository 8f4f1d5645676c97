/**
 * Serving requests: `recommend`, `recommendBatch` and `similarItems`/`similarUsers` turned from their
 * public options (users, candidate subsets, filters, already-liked items, fold-in) into scoring jobs for
 * the fused kernel (serving.ts). Everything is checked here, at the public boundary, so kernels can trust
 * their inputs. Models call these with themselves as the `ServingModel`.
 * @module
 */
import { ModelFitError, ValidationError } from '../errors.js';
import { SparseMatrix } from '../data/csr.js';
import type { HeapRef } from '../runtime/heap.js';
import type { Factors } from './factors.js';
import { appendColumns, checkIndex, indexList, resolveN, sortedUnique } from './filters.js';
import { normalized, scoreTopk, scratchOf } from './serving.js';
import type { BatchRecommendation, Recommendation, RecommendOptions, SimilarOptions, UserItems } from './types.js';

/** What serving needs from a fitted model. */
export interface ServingModel {
  readonly modelType: string;
  readonly factors: Factors;
  /** Leading columns that are latent factors (cosine similarity uses only these). */
  readonly factorColumns: number;
  /** The training interactions (rows = users), filtered from recommendations by default. */
  readonly trainMatrix: SparseMatrix | undefined;
  recalculateUser(userItems: UserItems): Float32Array;
}

/** Throw unless `options` is an object. */
export function checkOptionsObject(options: unknown, where: string): void {
  if (options === null || typeof options !== 'object') throw new ValidationError(`${where}: options must be an object`);
}

/**
 * The top `n` items for `user` by score X_u·Y_i, best first (ties: lower index first), leaving out
 * already-liked items (by default), `filterItems`, and anything outside `items`.
 */
export function recommendOne(m: ServingModel, user: number, options: RecommendOptions): Recommendation {
  const where = `${m.modelType}.recommend`;
  const f = m.factors;
  const { X, Y } = f;
  checkOptionsObject(options, where);
  const n = resolveN(options.n, where);
  const nItems = f.itemCount;
  const candidates =
    options.items !== undefined ? sortedUnique(indexList(options.items, nItems, 'items', where)) : undefined;
  const filter =
    options.filterItems !== undefined ? indexList(options.filterItems, nItems, 'filterItems', where) : undefined;
  let query: HeapRef<'f32'>;
  let liked: ArrayLike<number> | undefined;
  if (options.recalculateUser) {
    const ui = userItemsFor(m, user, options, where, true)!;
    const folded = foldIn(m, ui, where);
    if (options.filterAlreadyLiked !== false) liked = ui.indices;
    const q = scratchOf(f).get('query', 'f32', f.dim);
    q.view.set(folded);
    query = q;
  } else {
    checkIndex(user, f.userCount, 'user', where);
    query = X.row(user, f.dim);
    if (options.filterAlreadyLiked !== false) liked = userItemsFor(m, user, options, where, false)?.indices;
  }
  const exc = new Int32Array((liked?.length ?? 0) + (filter?.length ?? 0));
  let ne = liked ? appendColumns(liked, candidates, exc, 0) : 0;
  if (filter) ne = appendColumns(filter, candidates, exc, ne);
  const cols = candidates ? candidates.length : nItems;
  const r = scoreTopk(f, {
    X: query,
    xRows: undefined,
    nRows: 1,
    Y,
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
export function recommendMany(
  m: ServingModel,
  users: ArrayLike<number>,
  options: RecommendOptions,
): BatchRecommendation {
  const where = `${m.modelType}.recommendBatch`;
  const f = m.factors;
  const { X, Y } = f;
  checkOptionsObject(options, where);
  const n = resolveN(options.n, where);
  const nItems = f.itemCount;
  if (options.userItems !== undefined && !(options.userItems instanceof SparseMatrix)) {
    throw new ValidationError(
      `${where}: userItems must be a SparseMatrix (rows = users) for a batch; got a single user's items`,
    );
  }
  const source = options.userItems ?? m.trainMatrix;
  if (source) checkUserItemsMatrix(f, source, where);
  const userLimit = options.recalculateUser ? (source?.rows ?? 0) : f.userCount;
  if (options.recalculateUser && !source)
    throw new ValidationError(`${where}: recalculateUser needs userItems (the model has no training interactions)`);
  const rows = indexList(users, userLimit, 'users', where);
  const candidates =
    options.items !== undefined ? sortedUnique(indexList(options.items, nItems, 'items', where)) : undefined;
  const cols = candidates ? candidates.length : nItems;
  const filter =
    options.filterItems !== undefined
      ? indexList(options.filterItems, nItems, 'filterItems', where)
      : new Int32Array(0);
  // Distinct filtered columns, so the row width n can be capped at the candidates left.
  const mapped = new Int32Array(filter.length);
  const globalCols = sortedUnique(mapped.subarray(0, appendColumns(filter, candidates, mapped, 0)));
  let excIndptr: Int32Array | undefined;
  let excIdx: Int32Array | undefined;
  if (source && options.filterAlreadyLiked !== false) {
    // Users beyond a given matrix's rows are an error (as in recommend); beyond the training matrix's
    // rows (users added since) they simply have nothing to filter.
    if (options.userItems)
      for (let r = 0; r < rows.length; r++) checkIndex(rows[r], source.rows, 'user', `${where} (row of userItems)`);
    const has = (u: number) => u < source.rows;
    excIndptr = new Int32Array(rows.length + 1);
    // The training matrix lives in the heap after a fit: read it in place (no allocation until the copy is done).
    const { indptr: sp, indices: si } = source.arrays();
    let total = 0;
    for (let r = 0; r < rows.length; r++) if (has(rows[r])) total += sp[rows[r] + 1] - sp[rows[r]];
    excIdx = new Int32Array(total);
    let w = 0;
    for (let r = 0; r < rows.length; r++) {
      if (has(rows[r])) w = appendColumns(si.subarray(sp[rows[r]], sp[rows[r] + 1]), candidates, excIdx, w);
      excIndptr[r + 1] = w;
    }
  }
  let queries: HeapRef<'f32'> = X;
  let xRows: Int32Array | undefined = rows;
  if (options.recalculateUser) {
    const folded = new Float32Array(rows.length * f.dim);
    for (let r = 0; r < rows.length; r++) {
      const u = rows[r];
      const row = source!.row(u);
      folded.set(foldIn(m, { indices: row.indices, values: row.values }, where), r * f.dim);
    }
    const q = scratchOf(f).get('queries', 'f32', folded.length);
    q.view.set(folded);
    queries = q;
    xRows = undefined;
  }
  return scoreTopk(f, {
    X: queries,
    xRows,
    nRows: rows.length,
    Y,
    cols,
    candidates,
    k: Math.min(n, cols - globalCols.length),
    excIndptr,
    excIdx,
    globalExc: globalCols,
  });
}

/** The most similar items (`which` = 'Y') or users ('X') to `index` by cosine of their factor columns. */
export function similarTo(
  m: ServingModel,
  which: 'X' | 'Y',
  index: number,
  options: SimilarOptions,
  where: string,
): Recommendation {
  const f = m.factors;
  checkOptionsObject(options, where);
  const n = resolveN(options.n, where);
  const count = which === 'Y' ? f.itemCount : f.userCount;
  const what = which === 'Y' ? 'item' : 'user';
  checkIndex(index, count, what, where);
  const candidates =
    options.items !== undefined ? sortedUnique(indexList(options.items, count, 'items', where)) : undefined;
  const filter =
    options.filterItems !== undefined ? indexList(options.filterItems, count, 'filterItems', where) : new Int32Array(0);
  const exc = new Int32Array(filter.length);
  const ne = appendColumns(filter, candidates, exc, 0);
  const cols = candidates ? candidates.length : count;
  const A = normalized(f, which, m.factorColumns);
  const fc = m.factorColumns;
  const job = {
    X: A.row(index, fc),
    xRows: undefined,
    nRows: 1,
    Y: A,
    cols,
    candidates,
    k: Math.min(n, cols),
    excIndptr: undefined,
    excIdx: undefined,
    globalExc: exc.subarray(0, ne),
  };
  const r = scoreTopk(f, job, fc);
  const c = r.counts[0];
  return { items: r.items.slice(0, c), scores: r.scores.slice(0, c) };
}

/** recalculateUser with its result checked (length, finiteness). */
function foldIn(m: ServingModel, ui: UserItems, where: string): Float32Array {
  const x = m.recalculateUser(ui);
  const f = m.factors;
  if (!(x instanceof Float32Array) || x.length !== f.dim) {
    throw new ModelFitError(`${where}: ${m.modelType}.recalculateUser returned ${x?.length} values, expected ${f.dim}`);
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]))
      throw new ModelFitError(
        `${where}: recalculated user factors contain ${x[i]} at column ${i}; check the interaction values`,
      );
  }
  return x;
}

/**
 * The user's interactions: `options.userItems` (matrix row or single user's items), else the training
 * matrix's row. `required` (for recalculateUser) turns "none" into an error.
 */
function userItemsFor(
  m: ServingModel,
  user: number,
  options: RecommendOptions,
  where: string,
  required: boolean,
): UserItems | undefined {
  const f = m.factors;
  const src = options.userItems;
  if (src instanceof SparseMatrix) {
    checkUserItemsMatrix(f, src, where);
    checkIndex(user, src.rows, 'user', `${where} (row of userItems)`);
    const r = src.row(user);
    return { indices: r.indices, values: r.values };
  }
  if (src !== undefined) {
    if (src === null || typeof src !== 'object' || src.indices == null) {
      throw new ValidationError(`${where}: userItems must be a SparseMatrix or { indices, values? }`);
    }
    const indices = indexList(src.indices, f.itemCount, 'userItems.indices', where);
    if (src.values !== undefined && (src.values == null || src.values.length !== indices.length)) {
      throw new ValidationError(`${where}: userItems.values must have one value per index (${indices.length})`);
    }
    return { indices, values: src.values };
  }
  if (m.trainMatrix && Number.isInteger(user) && user >= 0 && user < m.trainMatrix.rows) {
    const r = m.trainMatrix.row(user);
    return { indices: r.indices, values: r.values };
  }
  if (required)
    throw new ValidationError(
      `${where}: recalculateUser needs userItems for user ${user} (the model has no training interactions for it)`,
    );
  return undefined;
}

function checkUserItemsMatrix(f: Factors, um: SparseMatrix, where: string): void {
  if (um.cols !== f.itemCount) {
    throw new ValidationError(`${where}: userItems has ${um.cols} columns but the model has ${f.itemCount} items`);
  }
}
