/**
 * Original ids at the edges of serving (by-id.ts): id lists → indices, one user's items by id, and results
 * by index → results with the ids alongside.
 * @module
 */
import { ValidationError } from '../errors.js';
import type { Id, IdMap } from '../data/idmap.js';
import type { BatchRecommendation, IdRecommendation, IdUserItems, Recommendation, UserItems } from './types.js';

const isIterable = (x: unknown): x is Iterable<unknown> =>
  x != null && typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function' && typeof x !== 'string';

/** The index of `id` in `map`, or a ValidationError naming the id and the call. */
export function indexOfId(map: IdMap, id: Id, what: 'user' | 'item', where: string): number {
  const i = map.indexOf(id);
  if (i < 0) throw new ValidationError(`${where}: unknown ${what} id ${JSON.stringify(id)}`);
  return i;
}

function knownIndices(map: IdMap, ids: unknown, where: string, name: string): Int32Array {
  if (!isIterable(ids)) throw new ValidationError(`${where}: ${name} must be an iterable of ids`);
  const out: number[] = [];
  for (const id of ids as Iterable<Id>) {
    const i = map.indexOf(id);
    if (i >= 0) out.push(i);
  }
  return Int32Array.from(out);
}

function requiredIndices(map: IdMap, ids: unknown, what: 'user' | 'item', where: string, name: string): Int32Array {
  if (!isIterable(ids)) throw new ValidationError(`${where}: ${name} must be an iterable of ${what} ids`);
  const out: number[] = [];
  for (const id of ids as Iterable<Id>) out.push(indexOfId(map, id, what, where));
  return Int32Array.from(out);
}

/** `filterItems` / `items` given as original ids, as indices (unknown filter ids are ignored; unknown candidates are an error). */
export function itemIndexOptions(
  items: IdMap,
  options: { filterItems?: Iterable<Id>; items?: Iterable<Id> },
  where: string,
): { filterItems: Int32Array | undefined; items: Int32Array | undefined } {
  return {
    filterItems:
      options.filterItems !== undefined ? knownIndices(items, options.filterItems, where, 'filterItems') : undefined,
    items: options.items !== undefined ? requiredIndices(items, options.items, 'item', where, 'items') : undefined,
  };
}

/** `filterUsers` / `users` given as original ids, as indices (the same rules as itemIndexOptions). */
export function userIndexOptions(
  users: IdMap,
  options: { filterUsers?: Iterable<Id>; users?: Iterable<Id> },
  where: string,
): { filterUsers: Int32Array | undefined; users: Int32Array | undefined } {
  return {
    filterUsers:
      options.filterUsers !== undefined ? knownIndices(users, options.filterUsers, where, 'filterUsers') : undefined,
    users: options.users !== undefined ? requiredIndices(users, options.users, 'user', where, 'users') : undefined,
  };
}

/** One user's items given by id (`[id, …]` or `{ ids, values }`), as `{ indices, values }`; unknown ids are an error. */
export function foldInIds(items: IdMap, given: Iterable<Id> | IdUserItems, where: string): UserItems {
  const asObject = given !== null && typeof given === 'object' && !isIterable(given);
  const ids = asObject ? (given as IdUserItems).ids : given;
  if (!isIterable(ids))
    throw new ValidationError(`${where}: expected item ids ([id, …]) or { ids, values? }, got ${describe(given)}`);
  const indices = requiredIndices(items, ids, 'item', where, 'item ids');
  const values = asObject ? (given as IdUserItems).values : undefined;
  if (values !== undefined && (values == null || values.length !== indices.length))
    throw new ValidationError(`${where}: values must have one value per id (${indices.length})`);
  return { indices, values };
}

function describe(x: unknown): string {
  return x === null ? 'null' : typeof x === 'string' ? 'a string' : typeof x;
}

/** A result by index, with the original ids alongside (`map`: the ids of what the result lists). */
export function withIds(map: IdMap, r: Recommendation): IdRecommendation {
  return { ids: Array.from(r.items, (i) => map.id(i)), items: r.items, scores: r.scores };
}

/** A batch result as one result per row, each its real entries only. */
export function splitRows(r: BatchRecommendation): Recommendation[] {
  return Array.from(r.counts, (c, row) => ({
    items: r.items.slice(row * r.n, row * r.n + c),
    scores: r.scores.slice(row * r.n, row * r.n + c),
  }));
}
