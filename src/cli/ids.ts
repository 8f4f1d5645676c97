/**
 * Command-line ids → model indices. Ids on the command line are text; a model's ids are the numbers or
 * strings of its training file (numeric ids are read as numbers), so "42" matches 42 or "42".
 * @module
 */
import { ValidationError, type Id, type IdMap } from '../index.js';

/** A few ids of a map, for "did you mean" style messages. */
function examples(map: IdMap): string {
  const ids = map.ids();
  return ids.slice(0, 3).map((x) => JSON.stringify(x)).join(', ') + (ids.length > 3 ? ', …' : '');
}

/** The index of the id written `raw`; throws naming the id and showing valid examples. */
export function indexOfId(map: IdMap | undefined, raw: string, what: 'user' | 'item', count: number): number {
  if (!map) {
    // A model fitted from a bare matrix: ids are row/column indices.
    const i = Number(raw);
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new ValidationError(`unknown ${what} ${JSON.stringify(raw)}; expected an index in [0, ${count})`);
    return i;
  }
  if (map.has(raw)) return map.index(raw);
  const n = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(n) && map.has(n)) return map.index(n);
  throw new ValidationError(`unknown ${what} id ${JSON.stringify(raw)}; the model has ${map.size} ${what}s (ids like ${examples(map)})`);
}

/** The original id of an index (the index itself when the model has no id map). */
export function idOf(map: IdMap | undefined, index: number): Id {
  return map ? map.id(index) : index;
}

/** Split a comma-separated list (`1,2,3`), dropping empty entries. */
export function splitList(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
