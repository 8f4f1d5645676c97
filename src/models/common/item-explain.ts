/**
 * Explanations of the models whose score is a sum over the user's items (the item–item models: ItemKNN's
 * Σ_i r_ui·S[i,j], EASE's Σ_i x_ui·B[i,j]): each liked item's term is its contribution, and the terms sum
 * to the score the model ranks by.
 * @module
 */
import { ValidationError } from '../../errors.js';
import { SparseMatrix } from '../../data/csr.js';
import { userItemsMatrix } from '../../recommend/inputs.js';
import type { Recommendation, UserItems } from '../../recommend/types.js';

/** What the item–item models' `explain` returns. */
export interface ItemExplanation {
  /** The user's score for the item (before rounding to f32): the sum of every liked item's contribution. */
  score: number;
  /** The liked items that contribute most to `score`, largest first (ties: lower index first). */
  contributions: Recommendation;
}

/**
 * The interactions an explanation is made from: row `user` of a given matrix, the given
 * `{ indices, values }` (a new user), or the user's training row.
 */
export function explainedRow(
  where: string,
  user: number,
  userItems: UserItems | SparseMatrix | undefined,
  itemCount: number,
  train: SparseMatrix | undefined,
): { indices: ArrayLike<number>; values: ArrayLike<number> } {
  if (userItems instanceof SparseMatrix) {
    if (userItems.cols !== itemCount)
      throw new ValidationError(`${where}: userItems has ${userItems.cols} columns but the model has ${itemCount} items`);
    if (!Number.isInteger(user) || user < 0 || user >= userItems.rows)
      throw new ValidationError(`${where}: user ${user} is outside the rows of userItems [0, ${userItems.rows})`);
    return userItems.row(user);
  }
  if (userItems !== undefined) {
    const R = userItemsMatrix(userItems, itemCount, where);
    return { indices: R.indices, values: R.data };
  }
  if (!train) throw new ValidationError(`${where}: the model has no training interactions; pass userItems`);
  if (!Number.isInteger(user) || user < 0 || user >= train.rows)
    throw new ValidationError(`${where}: user ${user} is outside [0, ${train.rows})`);
  return train.row(user);
}

/** Check explain's `item` and `n`. */
export function checkExplainArgs(where: string, item: number, itemCount: number, n: number): void {
  if (!Number.isInteger(item) || item < 0 || item >= itemCount)
    throw new ValidationError(`${where}: item ${item} is outside [0, ${itemCount})`);
  if (!Number.isInteger(n) || n < 1) throw new ValidationError(`${where}: n must be a positive integer, got ${n}`);
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
