/**
 * Explanations of the models whose score is a sum over the user's items (the item–item models: ItemKNN's
 * Σ_i r_ui·S[i,j], EASE's Σ_i x_ui·B[i,j]): each liked item's term is its contribution, and the terms sum
 * to the score the model ranks by. Options and the by-id form as ImplicitALS's `explain`.
 * @module
 */
import { ValidationError } from '../../errors.js';
import { SparseMatrix } from '../../data/csr.js';
import type { Id, IdMap } from '../../data/idmap.js';
import { indexOfId, withIds } from '../../recommend/ids.js';
import { userItemsMatrix } from '../../recommend/inputs.js';
import { checkOptions } from '../../recommend/requests.js';
import type { IdRecommendation, Recommendation, UserItems } from '../../recommend/types.js';

/** What the item–item models' `explain` returns. */
export interface ItemExplanation {
  /** The user's score for the item (before rounding to f32): the sum of every liked item's contribution. */
  score: number;
  /** The liked items that contribute most to `score`, largest first (ties: lower index first). */
  contributions: Recommendation;
}

/** What the item–item models' `explainById` returns: the contributions with their item ids. */
export interface IdItemExplanation {
  score: number;
  contributions: IdRecommendation;
}

/** Options of the item–item models' `explain`. */
export interface ItemExplainOptions {
  /** How many contributions to return, largest first (a positive integer). Default 10. */
  n?: number;
  /** The user's interactions `{ indices, values? }` to explain from (a new user). Default: the training row. */
  userItems?: UserItems;
  /** A users × items matrix whose row `user` is explained from (instead of the training matrix). */
  interactions?: SparseMatrix;
}

/**
 * The interactions an explanation is made from — `userItems`, row `user` of `interactions`, or the user's
 * training row — and how many contributions to return, checked.
 */
export function explainedRow(
  where: string,
  user: number,
  item: number,
  options: ItemExplainOptions | undefined,
  itemCount: number,
  train: SparseMatrix | undefined,
): { row: { indices: ArrayLike<number>; values: ArrayLike<number> }; n: number } {
  checkOptions(options ?? {}, where, ['n', 'userItems', 'interactions']);
  const o = options ?? {};
  const n = o.n ?? 10;
  if (!Number.isInteger(item) || item < 0 || item >= itemCount)
    throw new ValidationError(`${where}: item ${item} is outside [0, ${itemCount})`);
  if (!Number.isInteger(n) || n < 1) throw new ValidationError(`${where}: n must be a positive integer, got ${n}`);
  if (o.userItems !== undefined) {
    const R = userItemsMatrix(o.userItems, itemCount, where);
    return { row: { indices: R.indices, values: R.data }, n };
  }
  const m = o.interactions ?? train;
  if (m !== undefined && !(m instanceof SparseMatrix))
    throw new ValidationError(`${where}: interactions must be a SparseMatrix (rows = users)`);
  if (!m)
    throw new ValidationError(
      `${where}: the model has no training interactions; pass { userItems } or { interactions }`,
    );
  if (m.cols !== itemCount)
    throw new ValidationError(`${where}: interactions has ${m.cols} columns but the model has ${itemCount} items`);
  if (!Number.isInteger(user) || user < 0 || user >= m.rows)
    throw new ValidationError(`${where}: user ${user} is outside [0, ${m.rows})`);
  return { row: m.row(user), n };
}

/**
 * The explanation of one score from each liked item's term (`term(q)` for the row's q-th entry, 0 when
 * the item does not reach the scored one): the sum in row order, and the `n` largest non-zero terms.
 */
export function explanationOf(
  row: { indices: ArrayLike<number>; values: ArrayLike<number> },
  term: (q: number) => number,
  n: number,
): ItemExplanation {
  const len = row.indices.length;
  const contrib = new Float64Array(len);
  let score = 0;
  for (let q = 0; q < len; q++) {
    contrib[q] = term(q);
    score += contrib[q];
  }
  const order = Array.from({ length: len }, (_, q) => q).filter((q) => contrib[q] !== 0);
  order.sort((p, q) => contrib[q] - contrib[p] || row.indices[p] - row.indices[q]);
  const top = order.slice(0, n);
  return {
    score,
    contributions: {
      items: Int32Array.from(top, (q) => row.indices[q]),
      scores: Float32Array.from(top, (q) => contrib[q]),
    },
  };
}

/** `explain` by original ids: map the ids, explain, return the contributions with their item ids. */
export function explainByIds(
  where: string,
  ids: { users: IdMap; items: IdMap },
  userId: Id,
  itemId: Id,
  options: Omit<ItemExplainOptions, 'userItems'>,
  explain: (user: number, item: number, options: ItemExplainOptions) => ItemExplanation,
): IdItemExplanation {
  checkOptions(options, where, ['n', 'interactions']);
  const user = indexOfId(ids.users, userId, 'user', where);
  const e = explain(user, indexOfId(ids.items, itemId, 'item', where), options);
  return { score: e.score, contributions: withIds(ids.items, e.contributions) };
}
