/**
 * The time-aware split: `temporalSplit` of timed interactions (an `Interactions` with timestamps, or raw
 * events), its options, and the sorts it runs in O(n log n) without comparator sorts.
 * @module
 */
import { ValidationError } from '../errors.js';
import { SparseMatrix } from '../data/csr.js';
import { checkFraction, checkOptions, describe, splitByMask, type Split } from './splits.js';

/** Interactions with a timestamp each, as parallel arrays (one element per event). */
export interface TimedInteractions {
  /** User (row) index per event, a non-negative integer. */
  users: ArrayLike<number>;
  /** Item (column) index per event, a non-negative integer. */
  items: ArrayLike<number>;
  /** Time of each event (any monotone unit: seconds, ms, …), finite. */
  timestamps: ArrayLike<number>;
  /** Value per event; default 1. */
  values?: ArrayLike<number>;
  /** Matrix shape; default (max user + 1, max item + 1). */
  shape?: readonly [number, number];
}

/**
 * A matrix with one timestamp per stored entry, aligned with `matrix.data` (CSR order) — what an
 * `Interactions` read from a source with a time column holds.
 */
export interface TimedMatrix {
  matrix: SparseMatrix;
  timestamps?: ArrayLike<number>;
}

/** Options of {@link temporalSplit}: a cut time (`before`) or a fraction (`testFraction`), globally or per user. */
export interface TemporalSplitOptions {
  /**
   * Fraction of (user, item) pairs, the most recent ones, moved to `test`, in (0, 1). Give this or `before`.
   * Globally: the round(f·pairs) latest pairs (ties on the cut-off timestamp go to the events later in the
   * input). With `perUser`: each user's min(n_u − 1, round(f·n_u)) latest pairs, so every user keeps at
   * least one training pair.
   */
  testFraction?: number;
  /** Pairs whose timestamp is ≥ `before` go to `test`, earlier ones to `train`. Give this or `testFraction`. */
  before?: number;
  /** Apply `testFraction` per user instead of over all pairs. Default false; not allowed with `before`. */
  perUser?: boolean;
}

/** What chooseRecent splits by: a fraction (f > 0) overall or per user, or a cut time. */
interface Recent {
  f: number;
  before: number | undefined;
  perUser: boolean;
}

/**
 * Split by time. Input: an `Interactions` (or any `{ matrix, timestamps }` with one time per stored entry;
 * ties are then broken by CSR position), or raw events `{ users, items, timestamps, values? }`. Events are
 * first merged into (user, item) pairs (values summed); a pair's timestamp is its EARLIEST event, so a pair
 * counts as "in the future" only if the user first met the item then, and no pair lands in both halves.
 * Then either:
 * - `before: t` — pairs with timestamp ≥ t go to `test`;
 * - `testFraction: f` — the round(f·pairs) most recent pairs go to `test` (ties at the cut-off: the pair
 *   whose earliest event comes later in the input is the more recent);
 * - `testFraction: f, perUser: true` — per user, the min(n_u − 1, round(f·n_u)) most recent pairs.
 *
 * Deterministic (no seed needed).
 *
 * @example
 * const { train, test } = temporalSplit({ users, items, timestamps }, { testFraction: 0.1, perUser: true });
 */
export function temporalSplit(interactions: TimedInteractions | TimedMatrix, options: TemporalSplitOptions): Split {
  const fn = 'temporalSplit';
  if (interactions === null || typeof interactions !== 'object')
    throw new ValidationError(
      `${fn}: expected { matrix, timestamps } or { users, items, timestamps }, got ${describe(interactions)}`,
    );
  const how = recentOptions(fn, options);
  if ('matrix' in interactions) return splitTimedMatrix(fn, interactions, how);
  const shape = checkEvents(fn, interactions);
  const { pairs, ts, pUser, byPos } = mergeEvents(interactions, shape);
  return splitByMask(pairs, chooseRecent(pairs, ts, pUser, byPos, how));
}

function recentOptions(fn: string, options: TemporalSplitOptions): Recent {
  checkOptions(fn, options, ['testFraction', 'before', 'perUser'], true);
  const { testFraction, before, perUser = false } = options;
  if ((testFraction === undefined) === (before === undefined)) {
    throw new ValidationError(`${fn}: give exactly one of testFraction (a fraction of pairs) or before (a timestamp)`);
  }
  if (before !== undefined && (typeof before !== 'number' || !Number.isFinite(before))) {
    throw new ValidationError(`${fn}: before must be a finite timestamp, got ${String(before)}`);
  }
  if (typeof perUser !== 'boolean')
    throw new ValidationError(`${fn}: perUser must be a boolean, got ${String(perUser)}`);
  if (perUser && before !== undefined)
    throw new ValidationError(`${fn}: perUser applies to testFraction, not to before`);
  const f = testFraction === undefined ? 0 : checkFraction(fn, 'testFraction', testFraction);
  return { f, before, perUser };
}

/** One timestamp per stored entry (an `Interactions`): entries are already distinct pairs. */
function splitTimedMatrix(fn: string, { matrix, timestamps }: TimedMatrix, how: Recent): Split {
  if (!(matrix instanceof SparseMatrix)) throw new ValidationError(`${fn}: interactions.matrix must be a SparseMatrix`);
  if (timestamps == null)
    throw new ValidationError(
      `${fn}: these interactions have no timestamps; use trainTestSplit or leaveKOut, or load a source with a time column`,
    );
  if (typeof timestamps.length !== 'number' || timestamps.length !== matrix.nnz) {
    throw new ValidationError(
      `${fn}: interactions.timestamps must have one entry per stored entry (${matrix.nnz}), got ${timestamps.length}`,
    );
  }
  const nnz = matrix.nnz;
  const ts = new Float64Array(nnz);
  for (let p = 0; p < nnz; p++) {
    ts[p] = timestamps[p];
    if (!Number.isFinite(ts[p]))
      throw new ValidationError(`${fn}: stored entry ${p} has a non-finite timestamp ${timestamps[p]}`);
  }
  const pUser = new Int32Array(nnz);
  for (let r = 0; r < matrix.rows; r++) pUser.fill(r, matrix.indptr[r], matrix.indptr[r + 1]);
  const identity = new Int32Array(nnz);
  for (let p = 0; p < nnz; p++) identity[p] = p;
  return splitByMask(matrix, chooseRecent(matrix, ts, pUser, identity, how));
}

/** Check raw events (lengths, indices, finite times and values); their matrix shape. */
function checkEvents(fn: string, events: TimedInteractions): readonly [number, number] {
  const { users, items, timestamps, values } = events;
  for (const [name, arr] of [
    ['users', users],
    ['items', items],
    ['timestamps', timestamps],
  ] as const) {
    if (arr == null || typeof arr.length !== 'number')
      throw new ValidationError(`${fn}: interactions.${name} must be an array`);
  }
  const n = users.length;
  if (items.length !== n || timestamps.length !== n || (values != null && values.length !== n)) {
    throw new ValidationError(
      `${fn}: users (${n}), items (${items.length}), timestamps (${timestamps.length})${values != null ? ` and values (${values.length})` : ''} must have the same length`,
    );
  }
  let maxU = -1;
  let maxI = -1;
  for (let e = 0; e < n; e++) {
    const u = users[e];
    const i = items[e];
    if (!Number.isInteger(u) || u < 0)
      throw new ValidationError(`${fn}: event ${e} has user index ${u}; expected a non-negative integer`);
    if (!Number.isInteger(i) || i < 0)
      throw new ValidationError(`${fn}: event ${e} has item index ${i}; expected a non-negative integer`);
    if (!Number.isFinite(timestamps[e]))
      throw new ValidationError(`${fn}: event ${e} has a non-finite timestamp ${timestamps[e]}`);
    if (values != null && !Number.isFinite(values[e]))
      throw new ValidationError(`${fn}: event ${e} has a non-finite value ${values[e]}`);
    if (u > maxU) maxU = u;
    if (i > maxI) maxI = i;
  }
  if (events.shape === undefined) return [maxU + 1, maxI + 1];
  const [sr, sc] = events.shape;
  if (!Number.isInteger(sr) || !Number.isInteger(sc) || sr <= maxU || sc <= maxI) {
    throw new ValidationError(
      `${fn}: shape ${JSON.stringify(events.shape)} does not hold user ${maxU} and item ${maxI}`,
    );
  }
  return [sr, sc];
}

/**
 * Events merged into (user, item) pairs in CSR order: values summed, a pair's time its earliest event (the
 * first in the input on ties); `byPos` lists the pairs by the input position of that event (the tie-break
 * among equal times).
 */
function mergeEvents(
  { users, items, timestamps, values }: TimedInteractions,
  shape: readonly [number, number],
): { pairs: SparseMatrix; ts: Float64Array; pUser: Int32Array; byPos: Int32Array } {
  const n = users.length;
  // Order events by (user, item, input position) with two stable counting sorts (no comparator sorts:
  // this must stay fast at millions of events), so a pair's events are adjacent and in input order.
  const [rows, cols] = shape;
  const byItem = countingOrder(n, cols, (e) => items[e], undefined);
  const order = countingOrder(n, rows, (e) => users[e], byItem);
  const indptr = new Int32Array(rows + 1);
  const pIdx = new Int32Array(n);
  const pVal = new Float32Array(n);
  const pTs = new Float64Array(n);
  const pPos = new Int32Array(n); // input position of the pair's earliest event (tie-break)
  const pUser = new Int32Array(n);
  let P = 0;
  for (let q = 0; q < n; q++) {
    const e = order[q];
    const u = users[e];
    const i = items[e];
    const v = values == null ? 1 : values[e];
    const t = timestamps[e];
    if (P > 0 && pUser[P - 1] === u && pIdx[P - 1] === i) {
      pVal[P - 1] += v;
      if (t < pTs[P - 1]) {
        pTs[P - 1] = t;
        pPos[P - 1] = e;
      }
    } else {
      pIdx[P] = i;
      pVal[P] = v;
      pTs[P] = t;
      pPos[P] = e;
      pUser[P] = u;
      P++;
      indptr[u + 1] = P;
    }
  }
  for (let r = 0; r < rows; r++) if (indptr[r + 1] < indptr[r]) indptr[r + 1] = indptr[r];
  const pairs = SparseMatrix.trusted(indptr, pIdx.slice(0, P), pVal.slice(0, P), shape);
  const slot = new Int32Array(n).fill(-1);
  for (let p = 0; p < P; p++) slot[pPos[p]] = p;
  const byPos = new Int32Array(P);
  for (let e = 0, w = 0; e < n; e++) if (slot[e] >= 0) byPos[w++] = slot[e];
  return { pairs, ts: pTs.subarray(0, P), pUser: pUser.subarray(0, P), byPos };
}

/**
 * Stable counting sort of the ids `within` (default 0..n-1) by `key(id)` in [0, buckets).
 */
function countingOrder(
  n: number,
  buckets: number,
  key: (id: number) => number,
  within: Int32Array | undefined,
): Int32Array {
  const start = new Int32Array(buckets + 1);
  for (let q = 0; q < n; q++) start[key(within ? within[q] : q) + 1]++;
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
  const out = new Int32Array(n);
  for (let q = 0; q < n; q++) {
    const id = within ? within[q] : q;
    out[start[key(id)]++] = id;
  }
  return out;
}

/**
 * Stable sort of the ids in `within` by `keys[id]` ascending: LSD radix sort over the 64-bit patterns of
 * the doubles, mapped so unsigned order equals numeric order (4 passes of 16 bits; passes whose digit is
 * the same for every key are skipped). Linear time and cache-friendly, unlike a comparator sort or a
 * binary-search ranking, which take seconds at a few million keys.
 */
function radixOrderF64(keys: Float64Array, within: Int32Array): Int32Array {
  const n = within.length;
  // Keys gathered in `within` order and carried through the passes, so every pass reads sequentially.
  const f = new Float64Array(n);
  for (let q = 0; q < n; q++) f[q] = keys[within[q]] + 0; // -0 → +0, so they tie
  const w = new Uint32Array(f.buffer); // little-endian: w[2q] low word, w[2q+1] high word
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  for (let q = 0; q < n; q++) {
    const h = w[2 * q + 1];
    // Negative: flip all bits; positive: set the sign bit. Unsigned order then equals numeric order.
    if (h & 0x80000000) {
      lo[q] = ~w[2 * q] >>> 0;
      hi[q] = ~h >>> 0;
    } else {
      lo[q] = w[2 * q];
      hi[q] = (h | 0x80000000) >>> 0;
    }
  }
  let cur = within.slice();
  let next = new Int32Array(n);
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  const count = new Int32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const src = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let q = 0; q < n; q++) count[((src[q] >>> shift) & 0xffff) + 1]++;
    let constant = false;
    for (let d = 1; d <= 65536; d++) if (count[d] === n) constant = true;
    if (constant) continue;
    for (let d = 0; d < 65536; d++) count[d + 1] += count[d];
    for (let q = 0; q < n; q++) {
      const j = count[(src[q] >>> shift) & 0xffff]++;
      next[j] = cur[q];
      lo2[j] = lo[q];
      hi2[j] = hi[q];
    }
    [cur, next] = [next, cur];
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  return cur;
}

/**
 * The test mask over the stored entries of `pairs` (times `ts`, rows `pUser`): at/after `before`, or the
 * most recent fraction overall or per user. `byPos` lists the entries in tie-break order (earlier first).
 */
function chooseRecent(
  pairs: SparseMatrix,
  ts: Float64Array,
  pUser: Int32Array,
  byPos: Int32Array,
  how: Recent,
): Uint8Array {
  const P = pairs.nnz;
  const mask = new Uint8Array(P);
  if (how.before !== undefined) {
    for (let p = 0; p < P; p++) if (ts[p] >= how.before) mask[p] = 1;
    return mask;
  }
  const chrono = radixOrderF64(ts, byPos);
  if (how.perUser) {
    // Stable by user keeps each user's pairs in time order; the last t of each user go to test.
    const userChrono = countingOrder(P, pairs.rows, (p) => pUser[p], chrono);
    const indptr = pairs.indptr;
    for (let r = 0; r < pairs.rows; r++) {
      const a = indptr[r];
      const len = indptr[r + 1] - a;
      const t = Math.min(len - 1, Math.round(how.f * len));
      for (let i = len - t; i < len; i++) mask[userChrono[a + i]] = 1;
    }
  } else {
    const nTest = Math.round(how.f * P);
    for (let i = P - nTest; i < P; i++) mask[chrono[i]] = 1;
  }
  return mask;
}
