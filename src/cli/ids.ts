/**
 * Command-line ids → model indices. Ids on the command line are text; a model's ids are the numbers or
 * strings of its training file (numeric ids are read as numbers), and IdMap finds either spelling, so
 * "42" matches 42 or "42".
 * @module
 */
import { ValidationError, type Id, type IdMap } from '../index.js';

/** A few ids of a map, for "did you mean" style messages. */
function examples(map: IdMap): string {
  const ids = map.ids();
  return (
    ids
      .slice(0, 3)
      .map((x) => JSON.stringify(x))
      .join(', ') + (ids.length > 3 ? ', …' : '')
  );
}

/** The index of the id written `raw`; throws naming the id and showing valid examples. */
export function indexOfId(map: IdMap | undefined, raw: string, what: 'user' | 'item', count: number): number {
  const text = raw.trim();
  if (text === '') throw new ValidationError(`the ${what} id is empty; give an id as in the training file`);
  if (!map) {
    // A model fitted from a bare matrix: ids are row/column indices.
    const i = Number(text);
    if (!Number.isInteger(i) || i < 0 || i >= count)
      throw new ValidationError(`unknown ${what} ${JSON.stringify(raw)}; expected an index in [0, ${count})`);
    return i;
  }
  const i = map.indexOf(text);
  if (i < 0)
    throw new ValidationError(
      `unknown ${what} id ${JSON.stringify(raw)}; the model has ${map.size} ${what}s (ids like ${examples(map)})`,
    );
  return i;
}

/** The original id of an index (the index itself when the model has no id map). */
export function idOf(map: IdMap | undefined, index: number): Id {
  return map ? map.id(index) : index;
}

/** A comma-separated list (`1,2,3`) of `flag`; an empty entry (`1,,3`, `1,2,`) is an error, not skipped. */
export function strictList(raw: string, flag: string): string[] {
  const parts = raw.split(',').map((s) => s.trim());
  const empty = parts.findIndex((s) => s === '');
  if (empty >= 0) {
    throw new ValidationError(
      `${flag} ${JSON.stringify(raw)} has an empty entry (position ${empty + 1}); separate the entries with single commas`,
    );
  }
  return parts;
}
