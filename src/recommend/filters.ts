/**
 * Validation and filter lists for serving: `n`, indices, candidate subsets and exclusion lists, checked
 * at the public boundary so kernels can trust them. Exclusions and candidates are item indices; when a
 * candidate subset is given, kernels work in candidate positions, so lists are mapped with
 * `appendColumns`. `indexList` is also what partial fits check their row indices with.
 */
import { ValidationError } from '../errors.js';

/** The `n` option: a positive integer, default 10. */
export function resolveN(n: unknown, where: string): number {
  if (n === undefined) return 10;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new ValidationError(`${where}: n must be a positive integer, got ${String(n)}`);
  }
  return n;
}

/** Throw unless `i` is an integer in [0, count). */
export function checkIndex(i: unknown, count: number, what: string, where: string): number {
  if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= count) {
    throw new ValidationError(`${where}: ${what} index ${String(i)} is out of range [0, ${count})`);
  }
  return i;
}

/**
 * A validated Int32Array copy of a list of indices in [0, count) (count = Infinity: any non-negative
 * 32-bit index, as partial fits take to grow a model). With `unique`, a repeated index is an error.
 */
export function indexList(list: unknown, count: number, what: string, where: string, unique = false): Int32Array {
  if (list === null || typeof list !== 'object' || typeof (list as ArrayLike<number>).length !== 'number') {
    throw new ValidationError(`${where}: ${what} must be an array of indices`);
  }
  const a = list as ArrayLike<number>;
  const out = new Int32Array(a.length);
  const limit = Math.min(count, 0x7fffffff);
  const seen = unique ? new Set<number>() : undefined;
  for (let j = 0; j < a.length; j++) {
    const i = a[j];
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= limit) {
      throw new ValidationError(
        `${where}: ${what}[${j}] = ${String(i)} is not an index in [0, ${count === Infinity ? '2^31 − 1' : count})`,
      );
    }
    if (seen) {
      if (seen.has(i))
        throw new ValidationError(`${where}: ${what}[${j}] = ${i} repeats an earlier index; give each index once`);
      seen.add(i);
    }
    out[j] = i;
  }
  return out;
}

/** Sorted, duplicate-free copy. */
export function sortedUnique(a: Int32Array): Int32Array {
  const s = a.slice().sort();
  let w = 0;
  for (let j = 0; j < s.length; j++) if (j === 0 || s[j] !== s[j - 1]) s[w++] = s[j];
  return s.subarray(0, w);
}

/** Position of `v` in ascending `sorted`, or -1. */
export function positionOf(sorted: Int32Array, v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = sorted[mid];
    if (m < v) lo = mid + 1;
    else if (m > v) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/**
 * Item indices → kernel columns: the same indices without a candidate subset, else their positions in the
 * (sorted) candidates, dropping items that are not candidates. Writes into `out` from `at`; returns the
 * new end.
 */
export function appendColumns(
  indices: ArrayLike<number>,
  candidates: Int32Array | undefined,
  out: Int32Array,
  at: number,
): number {
  let w = at;
  if (!candidates) {
    for (let j = 0; j < indices.length; j++) out[w++] = indices[j];
  } else {
    for (let j = 0; j < indices.length; j++) {
      const p = positionOf(candidates, indices[j]);
      if (p >= 0) out[w++] = p;
    }
  }
  return w;
}
