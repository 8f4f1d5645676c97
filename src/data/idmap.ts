/**
 * IdMap: original ids (strings or numbers, as they appear in the user's data) ↔ dense indices 0..size-1.
 * Indices are assigned in first-seen order by `add`; models work on indices inside and speak ids at the
 * edges.
 *
 * Lookups (`index`, `indexOf`, `has`) also accept the other spelling of an id: a map of numeric ids finds
 * `'196'` as `196`, and a map of string ids finds `196` as `'196'` — ids reach servers as text, and numeric
 * ids are read from files as numbers. Only the canonical spelling converts (`String(n)`: `'196'`, `'-3'`,
 * `'2.5'`, not `'0196'`, `' 196'` or `'196.0'`), so the conversion is lossless. An id the map holds as given
 * always wins: in a map holding both `196` and `'196'`, each finds itself.
 */
import { ValidationError } from '../errors.js';

/** An original user or item id as it appears in the data: a string or a finite number. */
export type Id = string | number;

/** How `Interactions` builders number ids: ascending id order (default) or order of first appearance. */
export type IdOrder = 'sorted' | 'first-seen';

/**
 * Order of ids in a sorted IdMap: numbers ascending, then strings by UTF-16 code units (so numeric ids
 * sort 1, 2, 10 rather than "1", "10", "2").
 */
export function compareIds(a: Id, b: Id): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A two-way map between original ids and dense indices 0..size-1. */
export class IdMap {
  /** Index by id: made on the first lookup for a map built by `fromDistinct` (a parser's ids, often never looked up). */
  private indexById: Map<Id, number> | undefined = new Map<Id, number>();
  private list: Id[] = [];

  private get byId(): Map<Id, number> {
    if (this.indexById === undefined) {
      const m = new Map<Id, number>();
      const list = this.list;
      for (let i = 0; i < list.length; i++) m.set(list[i], i);
      this.indexById = m;
    }
    return this.indexById;
  }

  /** Build from ids in index order; duplicates are an error. */
  static from(ids: Iterable<Id>): IdMap {
    const m = new IdMap();
    let i = 0;
    for (const id of ids) {
      if (m.byId.has(id)) throw new ValidationError(`IdMap.from: duplicate id ${JSON.stringify(id)} at position ${i}`);
      m.add(id);
      i++;
    }
    return m;
  }

  /**
   * Take `ids` (in index order, known to be distinct; the array is kept, not copied) without building
   * the index by id until a lookup needs it.
   * @internal
   */
  static fromDistinct(ids: Id[]): IdMap {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id)))
        throw new ValidationError(`IdMap: ids must be strings or finite numbers, got ${String(id)}`);
    }
    const m = new IdMap();
    m.list = ids;
    m.indexById = undefined;
    return m;
  }

  /** The distinct ids of `ids`, sorted by `compareIds` (repeats allowed and collapsed). */
  static sorted(ids: Iterable<Id>): IdMap {
    const distinct = [...new Set(ids)];
    for (const id of distinct) {
      if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
        throw new ValidationError(`IdMap: ids must be strings or finite numbers, got ${String(id)}`);
      }
    }
    return IdMap.from(distinct.sort(compareIds));
  }

  /** The identity map 0..n-1 (for data that is already indexed). */
  static range(n: number): IdMap {
    if (!Number.isInteger(n) || n < 0)
      throw new ValidationError(`IdMap.range: n must be a non-negative integer, got ${n}`);
    const m = new IdMap();
    for (let i = 0; i < n; i++) m.add(i);
    return m;
  }

  /** Number of ids (the next index to be assigned). */
  get size(): number {
    return this.list.length;
  }

  /** Index of `id`, adding it if new. */
  add(id: Id): number {
    let i = this.byId.get(id);
    if (i === undefined) {
      if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
        throw new ValidationError(`IdMap: ids must be strings or finite numbers, got ${String(id)}`);
      }
      i = this.list.length;
      this.byId.set(id, i);
      this.list.push(id);
    }
    return i;
  }

  /** Index of `id` (or of its other spelling, see the class comment), or -1 if unknown. */
  indexOf(id: Id): number {
    return this.lookup(id) ?? -1;
  }

  /** Whether `id` (or its other spelling) is known. */
  has(id: Id): boolean {
    return this.lookup(id) !== undefined;
  }

  /** Index of `id` (or of its other spelling); throws a ValidationError naming the id if unknown. */
  index(id: Id, what = 'id'): number {
    const i = this.lookup(id);
    if (i === undefined) throw new ValidationError(`unknown ${what} ${JSON.stringify(id)}`);
    return i;
  }

  /** The exact id first; on a miss, its other canonical spelling (`'196'` ↔ `196`). */
  private lookup(id: Id): number | undefined {
    const i = this.byId.get(id);
    if (i !== undefined) return i;
    if (typeof id === 'string') {
      // Number('') is 0 and Number(' 7') is 7: only texts that String() gives back for the number convert.
      const n = Number(id);
      return Number.isFinite(n) && String(n) === id ? this.byId.get(n) : undefined;
    }
    return typeof id === 'number' && Number.isFinite(id) ? this.byId.get(String(id)) : undefined;
  }

  /** Original id at `index`. */
  id(index: number): Id {
    if (!Number.isInteger(index) || index < 0 || index >= this.list.length) {
      throw new ValidationError(`index ${index} is out of range [0, ${this.list.length})`);
    }
    return this.list[index];
  }

  /** All ids in index order (a copy). */
  ids(): Id[] {
    return this.list.slice();
  }

  /** Ids in index order, for JSON serialisation. */
  toJSON(): Id[] {
    return this.list.slice();
  }
}
