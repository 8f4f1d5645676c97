/**
 * Original ids at the edges of serving (`recommendById`, `similarItemsById`): id lists → indices, and results by
 * index → results with the ids alongside.
 * @module
 */
import { ValidationError } from '../errors.js';
import type { Id, IdMap } from '../data/idmap.js';
import type { IdRecommendation, Recommendation } from './types.js';

function knownIndices(map: IdMap, ids: Iterable<Id>, where: string, what: string): Int32Array {
  if (ids == null || typeof (ids as Iterable<Id>)[Symbol.iterator] !== 'function')
    throw new ValidationError(`${where}: ${what} must be an iterable of ids`);
  const out: number[] = [];
  for (const id of ids) {
    const i = map.indexOf(id);
    if (i >= 0) out.push(i);
  }
  return Int32Array.from(out);
}

function requiredIndices(map: IdMap, ids: Iterable<Id>, where: string): Int32Array {
  if (ids == null || typeof (ids as Iterable<Id>)[Symbol.iterator] !== 'function')
    throw new ValidationError(`${where}: items must be an iterable of ids`);
  const out: number[] = [];
  for (const id of ids) out.push(map.index(id, 'item id'));
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
    items: options.items !== undefined ? requiredIndices(items, options.items, where) : undefined,
  };
}

/** A result by index, with the original item ids alongside. */
export function withIds(items: IdMap, r: Recommendation): IdRecommendation {
  return { ids: Array.from(r.items, (i) => items.id(i)), items: r.items, scores: r.scores };
}
