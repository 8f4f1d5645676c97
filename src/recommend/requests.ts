/**
 * Serving requests: `recommend`, `recommendBatch` and `similarItems`/`similarUsers` turned from their
 * public options (users, candidate subsets, filters, already-liked items, fold-in) into the requests a model
 * scores (`ScoreRequest`, `SimilarRequest`). Everything is checked here, at the public boundary, so models
 * and kernels can trust their inputs. Nothing here knows how a model scores.
 * @module
 */
import { ValidationError } from '../errors.js';
import { OptionReader } from '../options.js';
import { deprecated } from '../deprecation.js';
import { SparseMatrix } from '../data/csr.js';
import { appendColumns, checkIndex, indexList, resolveN, sortedUnique } from './filters.js';
import type { BatchRecommendation, RecommendOptions, SimilarOptions, SimilarUsersOptions, UserItems } from './types.js';

/**
 * Users to score, checked: what a model's `scoreTopK` gets. Result row r belongs to `users[r]`; its columns
 * are `cols` candidate positions (indices into `candidates`, or item indices when there is no subset). The
 * model returns, per row, the `k` best columns that are not excluded — score descending, column ascending
 * on ties, NaN scores dropped — padded with column -1 and score -Infinity (`counts` the real entries).
 */
export interface ScoreRequest {
  /** The public method asked (`ImplicitALS.recommend`), for messages. */
  readonly where: string;
  /** The users, by index: the model's users, or with `recalculate` rows of the given interactions. */
  readonly users: Int32Array;
  /**
   * User r's interactions (item indices, values): `options.userItems`, else the row of `options.interactions`,
   * else the training matrix's row;
   * undefined when there are none. What item–item models score from, and what fold-in solves for.
   */
  userItems(r: number): UserItems | undefined;
  /** Score from `userItems` instead of the model's stored user state (fold-in, `recalculateUser: true`). */
  readonly recalculate: boolean;
  /** Candidate items, sorted and distinct (undefined: every item). */
  readonly candidates: Int32Array | undefined;
  /** Columns per row: candidates.length or the item count. */
  readonly cols: number;
  /** Entries per result row. */
  readonly k: number;
  /** Per-row excluded columns as CSR over the rows (undefined: none). */
  readonly excludeIndptr: Int32Array | undefined;
  readonly excludeIndices: Int32Array | undefined;
  /** Columns excluded from every row. */
  readonly excludeAll: Int32Array;
}

/** A `similarItems` / `similarUsers` request, checked: the query, candidates and exclusions as in ScoreRequest. */
export interface SimilarRequest {
  /** The query item (or user) index. */
  readonly index: number;
  readonly candidates: Int32Array | undefined;
  readonly cols: number;
  readonly k: number;
  readonly excludeAll: Int32Array;
}

/** What requests need to know of a fitted model. */
export interface ServedModel {
  readonly modelType: string;
  readonly userCount: number;
  readonly itemCount: number;
  /** The training interactions (rows = users), filtered from recommendations by default. */
  readonly trainMatrix: SparseMatrix | undefined;
}

/** The options of `recommend` and `recommendBatch` (and their by-id twins). */
export const RECOMMEND_KEYS = [
  'n',
  'interactions',
  'userItems',
  'filterAlreadyLiked',
  'filterItems',
  'items',
  'recalculateUser',
];
/** The options of `recommendForItems` (and `recommendForItemsById`). */
export const FOR_ITEMS_KEYS = ['n', 'filterAlreadyLiked', 'filterItems', 'items'];
/** The options of `similarItems` (and `similarItemsById`). */
export const SIMILAR_KEYS = ['n', 'filterItems', 'items'];
/** The options of `similarUsers` (and `similarUsersById`); `filterItems`/`items` are its deprecated spelling. */
export const SIMILAR_USERS_KEYS = ['n', 'filterUsers', 'users', 'filterItems', 'items'];

/** Throw unless `options` is an object (not null) with only `allowed` keys (OptionReader's checks). */
export function checkOptions(options: unknown, where: string, allowed: readonly string[]): void {
  new OptionReader(where, options, allowed, { nullIsDefaults: false });
}

function candidatesOf(items: unknown, count: number, where: string): Int32Array | undefined {
  return items !== undefined ? sortedUnique(indexList(items, count, 'items', where)) : undefined;
}

/** The request of `recommend(user, options)` (or of the call `where` that delegates to it): one row. */
export function recommendRequest(
  m: ServedModel,
  user: number,
  options: RecommendOptions,
  where = `${m.modelType}.recommend`,
): ScoreRequest {
  checkOptions(options, where, RECOMMEND_KEYS);
  const n = resolveN(options.n, where);
  const nItems = m.itemCount;
  const candidates = candidatesOf(options.items, nItems, where);
  const filter =
    options.filterItems !== undefined ? indexList(options.filterItems, nItems, 'filterItems', where) : undefined;
  const recalculate = options.recalculateUser === true;
  // The user's interactions: needed to filter, to fold in, or by a model that scores from them (read once).
  let ui: UserItems | undefined | null = null;
  const userItems = () => (ui === null ? (ui = userItemsFor(m, user, options, where, recalculate)) : ui);
  if (recalculate) userItems();
  else checkIndex(user, m.userCount, 'user', where);
  const liked = options.filterAlreadyLiked !== false ? userItems()?.indices : undefined;
  const exc = new Int32Array((liked?.length ?? 0) + (filter?.length ?? 0));
  let ne = liked ? appendColumns(liked, candidates, exc, 0) : 0;
  if (filter) ne = appendColumns(filter, candidates, exc, ne);
  const cols = candidates ? candidates.length : nItems;
  return {
    where,
    users: Int32Array.of(user),
    userItems,
    recalculate,
    candidates,
    cols,
    k: Math.min(n, cols),
    excludeIndptr: undefined,
    excludeIndices: undefined,
    excludeAll: exc.subarray(0, ne),
  };
}

/** The request of `recommendBatch(users, options)`: one row per user. */
export function batchRequest(m: ServedModel, users: ArrayLike<number>, options: RecommendOptions): ScoreRequest {
  const where = `${m.modelType}.recommendBatch`;
  checkOptions(options, where, RECOMMEND_KEYS);
  const n = resolveN(options.n, where);
  const nItems = m.itemCount;
  if (options.userItems !== undefined && !(options.userItems instanceof SparseMatrix)) {
    throw new ValidationError(
      `${where}: userItems is one user's items; a batch takes interactions (a users × items SparseMatrix)`,
    );
  }
  const given = interactionsOption(options, where);
  const source = given ?? m.trainMatrix;
  if (source) checkInteractions(m, source, where);
  const recalculate = options.recalculateUser === true;
  const userLimit = recalculate ? (source?.rows ?? 0) : m.userCount;
  if (recalculate && !source)
    throw new ValidationError(`${where}: recalculateUser needs interactions (the model has no training interactions)`);
  const rows = indexList(users, userLimit, 'users', where);
  const candidates = candidatesOf(options.items, nItems, where);
  const cols = candidates ? candidates.length : nItems;
  const filter =
    options.filterItems !== undefined
      ? indexList(options.filterItems, nItems, 'filterItems', where)
      : new Int32Array(0);
  // Distinct filtered columns, so the row width n can be capped at the candidates left.
  const mapped = new Int32Array(filter.length);
  const globalCols = sortedUnique(mapped.subarray(0, appendColumns(filter, candidates, mapped, 0)));
  // Users beyond a given matrix's rows are an error (as in recommend); beyond the training matrix's rows
  // (users added since) they simply have no interactions.
  if (source && given)
    for (let r = 0; r < rows.length; r++) checkIndex(rows[r], source.rows, 'user', `${where} (row of interactions)`);
  const has = (u: number) => source !== undefined && u < source.rows;
  const liked = source && options.filterAlreadyLiked !== false ? likedColumns(source, rows, candidates) : undefined;
  return {
    where,
    users: rows,
    userItems: (r) => {
      if (!has(rows[r])) return undefined;
      const row = source!.row(rows[r]);
      return { indices: row.indices, values: row.values };
    },
    recalculate,
    candidates,
    cols,
    k: Math.min(n, cols - globalCols.length),
    excludeIndptr: liked?.indptr,
    excludeIndices: liked?.indices,
    excludeAll: globalCols,
  };
}

/** The rows' interactions in column space, as CSR over the rows (rows past the matrix have none). */
function likedColumns(
  source: SparseMatrix,
  rows: Int32Array,
  candidates: Int32Array | undefined,
): { indptr: Int32Array; indices: Int32Array } {
  const indptr = new Int32Array(rows.length + 1);
  // The training matrix lives in the heap after a fit: read it in place (no allocation until the copy is done).
  const { indptr: sp, indices: si } = source.arrays();
  let total = 0;
  for (let r = 0; r < rows.length; r++) if (rows[r] < source.rows) total += sp[rows[r] + 1] - sp[rows[r]];
  const indices = new Int32Array(total);
  let w = 0;
  for (let r = 0; r < rows.length; r++) {
    if (rows[r] < source.rows) w = appendColumns(si.subarray(sp[rows[r]], sp[rows[r] + 1]), candidates, indices, w);
    indptr[r + 1] = w;
  }
  return { indptr, indices };
}

/** The request of `similarItems` (`count` = items) or `similarUsers` (`count` = users). */
export function similarRequest(
  index: number,
  count: number,
  what: 'item' | 'user',
  options: SimilarOptions | SimilarUsersOptions,
  where: string,
): SimilarRequest {
  checkOptions(options, where, what === 'item' ? SIMILAR_KEYS : SIMILAR_USERS_KEYS);
  const n = resolveN(options.n, where);
  checkIndex(index, count, what, where);
  const lists = similarLists(options, what, where);
  const candidates =
    lists.candidates !== undefined
      ? sortedUnique(indexList(lists.candidates, count, lists.candidatesName, where))
      : undefined;
  const filter =
    lists.filter !== undefined ? indexList(lists.filter, count, lists.filterName, where) : new Int32Array(0);
  const exc = new Int32Array(filter.length);
  const ne = appendColumns(filter, candidates, exc, 0);
  const cols = candidates ? candidates.length : count;
  return { index, candidates, cols, k: Math.min(n, cols), excludeAll: exc.subarray(0, ne) };
}

/**
 * The filter and candidate lists of a similar-items or similar-users request, with their option names
 * (similarUsers took `filterItems`/`items` before it took `filterUsers`/`users`).
 */
function similarLists(
  options: SimilarOptions | SimilarUsersOptions,
  what: 'item' | 'user',
  where: string,
): { filterName: string; filter: unknown; candidatesName: string; candidates: unknown } {
  const o = options as SimilarOptions & SimilarUsersOptions;
  const old = o.filterItems !== undefined || o.items !== undefined;
  if (what === 'user' && old) {
    if (o.filterUsers !== undefined || o.users !== undefined)
      throw new ValidationError(`${where}: give filterUsers and users (user indices), not filterItems or items`);
    deprecated('similarUsers({ filterItems, items })', 'similarUsers({ filterUsers, users })');
  }
  if (what === 'item' || old)
    return { filterName: 'filterItems', filter: o.filterItems, candidatesName: 'items', candidates: o.items };
  return { filterName: 'filterUsers', filter: o.filterUsers, candidatesName: 'users', candidates: o.users };
}

/**
 * The `userItems` of `recommendForItems`, checked: `{ indices, values? }` with item indices in range. A bare
 * list is refused — it could hold ids — and on a model with item ids the errors name recommendForItemsById.
 */
export function foldInItems(userItems: unknown, itemCount: number, where: string, hasIds: boolean): UserItems {
  const byId = hasIds ? '; item ids go to recommendForItemsById' : '';
  const ui = userItems as UserItems;
  if (ui === null || typeof ui !== 'object' || Array.isArray(ui) || ArrayBuffer.isView(ui) || ui.indices == null)
    throw new ValidationError(`${where}: expected one user's items as { indices, values? } (item indices)${byId}`);
  const { indices } = ui;
  for (let j = 0; j < indices.length; j++) {
    const c = indices[j];
    if (!Number.isInteger(c) || c < 0 || c >= itemCount)
      throw new ValidationError(
        `${where}: userItems.indices[${j}] = ${c} is not an item index in [0, ${itemCount})${byId}`,
      );
  }
  return ui;
}

/** Result columns (candidate positions) back to item indices, in place. */
export function toItems(r: BatchRecommendation, candidates: Int32Array | undefined): BatchRecommendation {
  if (candidates) {
    const items = r.items;
    for (let j = 0; j < items.length; j++) if (items[j] >= 0) items[j] = candidates[items[j]];
  }
  return r;
}

/**
 * The `interactions` option (a users × items matrix), or a matrix passed the deprecated way, as `userItems`.
 */
function interactionsOption(options: RecommendOptions, where: string): SparseMatrix | undefined {
  const { interactions, userItems } = options;
  if (userItems instanceof SparseMatrix) {
    if (interactions !== undefined)
      throw new ValidationError(`${where}: give interactions (a matrix) or userItems (one user's items), not both`);
    deprecated(
      `${where.slice(where.indexOf('.') + 1)}({ userItems: <SparseMatrix> })`,
      '{ interactions: <SparseMatrix> }',
    );
    return userItems;
  }
  if (interactions !== undefined && !(interactions instanceof SparseMatrix))
    throw new ValidationError(
      `${where}: interactions must be a SparseMatrix (rows = users, columns = the model's items); one user's { indices, values } is userItems`,
    );
  return interactions;
}

/**
 * The user's interactions: `options.userItems` (one user's items), else the row of `options.interactions`,
 * else the training matrix's row. `required` (for recalculateUser) turns "none" into an error.
 */
function userItemsFor(
  m: ServedModel,
  user: number,
  options: RecommendOptions,
  where: string,
  required: boolean,
): UserItems | undefined {
  const matrix = interactionsOption(options, where);
  const src = options.userItems instanceof SparseMatrix ? undefined : options.userItems;
  if (src !== undefined) {
    if (src === null || typeof src !== 'object' || src.indices == null) {
      throw new ValidationError(`${where}: userItems must be one user's { indices, values? }`);
    }
    const indices = indexList(src.indices, m.itemCount, 'userItems.indices', where);
    if (src.values !== undefined && (src.values == null || src.values.length !== indices.length)) {
      throw new ValidationError(`${where}: userItems.values must have one value per index (${indices.length})`);
    }
    return { indices, values: src.values };
  }
  if (matrix) {
    checkInteractions(m, matrix, where);
    checkIndex(user, matrix.rows, 'user', `${where} (row of interactions)`);
    const r = matrix.row(user);
    return { indices: r.indices, values: r.values };
  }
  if (m.trainMatrix && Number.isInteger(user) && user >= 0 && user < m.trainMatrix.rows) {
    const r = m.trainMatrix.row(user);
    return { indices: r.indices, values: r.values };
  }
  if (required)
    throw new ValidationError(
      `${where}: recalculateUser needs userItems or interactions for user ${user} (the model has no training interactions for it)`,
    );
  return undefined;
}

function checkInteractions(m: ServedModel, um: SparseMatrix, where: string): void {
  if (um.cols !== m.itemCount) {
    throw new ValidationError(`${where}: interactions has ${um.cols} columns but the model has ${m.itemCount} items`);
  }
}
