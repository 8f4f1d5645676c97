/**
 * Coordinate triples into CSR by two stable counting sorts — by column, then by row — so every row comes
 * out in column order with repeated columns side by side in input order, in four linear passes and no
 * per-row sort. The build behind the parsers (millions of triples in file order); coo.ts falls back to a
 * per-row sort when the column count dwarfs the entries (a counter per column would cost more).
 * @internal
 * @module
 */
import { ValidationError } from '../errors.js';

/** CSR arrays (with the entries' times when times were given). */
export interface RadixCsr {
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
  times?: Float64Array;
}

/** Columns beyond this many per entry (plus a floor) make the per-column counters too costly: use the row sort. */
const COLS_PER_ENTRY = 4;
const COLS_FLOOR = 1 << 16;

/** Whether `radixCsr` suits `entries` triples with `cols` columns. */
export function radixFits(entries: number, cols: number): boolean {
  return cols <= COLS_PER_ENTRY * entries + COLS_FLOOR;
}

/**
 * CSR of the triples (validated: rows in [0, shape[0]), columns in [0, shape[1])); repeated (row, column)
 * pairs merged by `duplicates` ('sum' adds values and keeps the latest time, 'last' keeps the last
 * entry's value and time, 'error' throws with `describe(row, col, input position of the repeat)`).
 */
export function radixCsr(
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  values: ArrayLike<number> | undefined,
  shape: readonly [number, number],
  duplicates: 'sum' | 'last' | 'error',
  times: ArrayLike<number> | undefined,
  describe: (r: number, c: number, e: number) => string,
): RadixCsr {
  const [nr, nc] = shape;
  const n = rows.length;
  // By column: each column's entries (their row, value and time) together, in input order.
  const colStart = new Int32Array(nc + 1);
  for (let i = 0; i < n; i++) colStart[cols[i] + 1]++;
  for (let c = 0; c < nc; c++) colStart[c + 1] += colStart[c];
  const fill = colStart.slice(0, nc);
  const r1 = new Int32Array(n);
  // Values and times only when given (without values every entry is 1).
  const v1 = values ? new Float32Array(n) : undefined;
  const t1 = times ? new Float64Array(n) : undefined;
  if (v1 === undefined && t1 === undefined) for (let i = 0; i < n; i++) r1[fill[cols[i]]++] = rows[i];
  else
    for (let i = 0; i < n; i++) {
      const p = fill[cols[i]]++;
      r1[p] = rows[i];
      if (v1) v1[p] = values![i];
      if (t1) t1[p] = times![i];
    }
  // By row, visiting columns in order: rows come out sorted by column, ties in input order.
  const indptr = new Int32Array(nr + 1);
  for (let i = 0; i < n; i++) indptr[rows[i] + 1]++;
  for (let r = 0; r < nr; r++) indptr[r + 1] += indptr[r];
  const at = indptr.slice(0, nr);
  const indices = new Int32Array(n);
  const data = new Float32Array(n);
  const tt = t1 ? new Float64Array(n) : undefined;
  if (v1 === undefined && tt === undefined) {
    data.fill(1);
    for (let c = 0, p = 0; c < nc; c++) for (const end = colStart[c + 1]; p < end; p++) indices[at[r1[p]]++] = c;
  } else
    for (let c = 0, p = 0; c < nc; c++) {
      for (const end = colStart[c + 1]; p < end; p++) {
        const q = at[r1[p]]++;
        indices[q] = c;
        data[q] = v1 ? v1[p] : 1;
        if (tt) tt[q] = t1![p];
      }
    }
  const out: RadixCsr = tt ? { indptr, indices, data, times: tt } : { indptr, indices, data };
  return hasRepeats(indptr, indices) ? merged(out, duplicates, rows, cols, describe) : out;
}

/** Any row with a column twice (side by side, after the sort)? */
function hasRepeats(indptr: Int32Array, indices: Int32Array): boolean {
  for (let r = 0; r + 1 < indptr.length; r++)
    for (let p = indptr[r] + 1; p < indptr[r + 1]; p++) if (indices[p] === indices[p - 1]) return true;
  return false;
}

/** `s` with each run of a repeated column merged into one entry, in place, then trimmed. */
function merged(
  s: RadixCsr,
  duplicates: 'sum' | 'last' | 'error',
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  describe: (r: number, c: number, e: number) => string,
): RadixCsr {
  const { indptr, indices, data, times } = s;
  const nr = indptr.length - 1;
  let w = 0;
  let a = 0;
  for (let r = 0; r < nr; r++) {
    const b = indptr[r + 1];
    let prev = -1;
    for (let p = a; p < b; p++) {
      const c = indices[p];
      if (c !== prev) {
        indices[w] = c;
        data[w] = data[p];
        if (times) times[w] = times[p];
        w++;
        prev = c;
        continue;
      }
      if (duplicates === 'error')
        throw new ValidationError(
          `${describe(r, c, repeatAt(rows, cols, r, c))}; pass duplicates: 'sum' or 'last' to merge`,
        );
      if (duplicates === 'sum') {
        data[w - 1] += data[p];
        if (times && times[p] > times[w - 1]) times[w - 1] = times[p];
      } else {
        data[w - 1] = data[p];
        if (times) times[w - 1] = times[p];
      }
    }
    a = b;
    indptr[r + 1] = w;
  }
  const out: RadixCsr = { indptr, indices: indices.slice(0, w), data: data.slice(0, w) };
  if (times) out.times = times.slice(0, w);
  return out;
}

/** The input position of the second entry at (r, c) (only for the error message). */
function repeatAt(rows: ArrayLike<number>, cols: ArrayLike<number>, r: number, c: number): number {
  let seen = false;
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] !== r || cols[i] !== c) continue;
    if (seen) return i;
    seen = true;
  }
  return -1;
}
