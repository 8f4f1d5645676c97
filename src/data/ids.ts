/**
 * Turning raw ids (as parsed or given) into dense indices plus the IdMap that names them, in sorted or
 * first-seen order. Numeric ids take a typed-array path (no per-id boxing) because parsers call this
 * with millions of ids.
 * @internal
 * @module
 */
import { ValidationError } from '../errors.js';
import { IdMap, compareIds, type Id, type IdOrder } from './idmap.js';

export interface Indexed {
  map: IdMap;
  indices: Int32Array;
}

/** Index numeric ids. Small integer ranges use a lookup table; others sort a copy. */
export function indexNumeric(raw: Float64Array, order: IdOrder): Indexed {
  const n = raw.length;
  const indices = new Int32Array(n);
  if (order === 'first-seen') {
    const seen = new Map<number, number>();
    const list: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = raw[i];
      let k = seen.get(v);
      if (k === undefined) {
        k = list.length;
        seen.set(v, k);
        list.push(v);
      }
      indices[i] = k;
    }
    return { map: IdMap.fromDistinct(list), indices };
  }
  let min = Infinity;
  let max = -Infinity;
  // Whether every id is an integer: NaN and fractions fail `v === Math.floor(v)`, ±Infinity the range test.
  let integral = true;
  for (let i = 0; i < n; i++) {
    const v = raw[i];
    if (v < min) min = v;
    if (v > max) max = v;
    integral = integral && v === Math.floor(v);
  }
  if (n > 0 && integral && max - min <= Math.max(4 * n, 1 << 20)) {
    // A table over the range: 1 where an id occurs, then each occurring id's index (+ 1).
    const table = new Int32Array(max - min + 1);
    for (let i = 0; i < n; i++) table[raw[i] - min] = 1;
    let size = 0;
    for (let k = 0; k < table.length; k++) if (table[k] !== 0) table[k] = ++size;
    const list: number[] = new Array(size);
    for (let k = 0; k < table.length; k++) if (table[k] !== 0) list[table[k] - 1] = k + min;
    for (let i = 0; i < n; i++) indices[i] = table[raw[i] - min] - 1;
    return { map: IdMap.fromDistinct(list), indices };
  }
  const sorted = Float64Array.from(raw).sort();
  const list: number[] = [];
  const pos = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = sorted[i];
    if (i === 0 || v !== sorted[i - 1]) {
      pos.set(v, list.length);
      list.push(v);
    }
  }
  for (let i = 0; i < n; i++) indices[i] = pos.get(raw[i])!;
  return { map: IdMap.fromDistinct(list), indices };
}

/** Index ids already interned as `codes` into `list` (first-seen order). */
export function indexInterned(list: string[], codes: Int32Array, order: IdOrder): Indexed {
  if (order === 'first-seen') return { map: IdMap.fromDistinct(list), indices: codes };
  // All strings (what the parser interns): compared directly, compareIds' order without its type checks.
  const strings = list.every((x) => typeof x === 'string');
  const perm = list
    .map((_, i) => i)
    .sort(
      strings
        ? (a, b) => {
            const x = list[a];
            const y = list[b];
            return x < y ? -1 : x > y ? 1 : 0;
          }
        : (a, b) => compareIds(list[a], list[b]),
    );
  return indexByPermutation(list, codes, perm);
}

/** Index interned ids whose codes in id order are `perm` (distinct ids: `list[perm[0]]` first). */
export function indexByPermutation(list: Id[], codes: Int32Array, perm: ArrayLike<number>): Indexed {
  const rank = new Int32Array(list.length);
  const sorted: Id[] = new Array(perm.length);
  for (let k = 0; k < perm.length; k++) {
    rank[perm[k]] = k;
    sorted[k] = list[perm[k]];
  }
  const indices = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) indices[i] = rank[codes[i]];
  return { map: IdMap.fromDistinct(sorted), indices };
}

/** Index arbitrary ids; with `fixed`, look them up in that map (unknown ids are an error). */
export function indexIds(ids: readonly Id[], order: IdOrder, fixed: IdMap | undefined, what: string): Indexed {
  const n = ids.length;
  if (fixed !== undefined) {
    if (!(fixed instanceof IdMap)) throw new ValidationError(`${what}s must be an IdMap`);
    const indices = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = fixed.indexOf(ids[i]);
      if (k < 0)
        throw new ValidationError(
          `unknown ${what} ${JSON.stringify(ids[i])} at row ${i}: it is not in the given ${what}s IdMap`,
        );
      indices[i] = k;
    }
    return { map: fixed, indices };
  }
  if (ids.every((v) => typeof v === 'number')) return indexNumeric(Float64Array.from(ids as number[]), order);
  const seen = new Map<Id, number>();
  const list: Id[] = [];
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let k = seen.get(ids[i]);
    if (k === undefined) {
      k = list.length;
      seen.set(ids[i], k);
      list.push(ids[i]);
    }
    codes[i] = k;
  }
  return indexInterned(list as string[], codes, order);
}
