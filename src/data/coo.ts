/**
 * Coordinate (COO) triples into CSR arrays: the sort behind SparseMatrix.fromCOO, the parsers and
 * Interactions. Returns plain arrays (csr.ts wraps them), so this file needs no SparseMatrix.
 * @module
 */
import { ValidationError } from '../errors.js';

/** What to do with repeated (row, column) entries. */
export type DuplicatePolicy = 'sum' | 'last' | 'error';

/** CSR arrays, with the entries' times when times were given. */
export interface CsrArrays {
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
  times?: Float64Array;
}

/**
 * Sort coordinate triples into CSR and merge duplicates. One counting-sort scatter by row (values and
 * times carried along, so later passes read memory in order), then each row's columns sorted with a
 * native typed-array sort on keys `col · len + position` (stable, so 'last' means last in input order);
 * rows already in column order — the usual case for files sorted by user then item — are only copied.
 * `times`, when given, is permuted along (merged duplicates keep the latest time for 'sum', the last
 * entry's for 'last'). Inputs must already be validated.
 * @internal
 */
export function cooToCsrArrays(
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  values: ArrayLike<number> | undefined,
  shape: readonly [number, number],
  duplicates: DuplicatePolicy,
  times?: ArrayLike<number>,
  describe: (r: number, c: number, e: number) => string = (r, c, e) => `SparseMatrix.fromCOO: duplicate entry (row ${r}, column ${c}) at input position ${e}`,
  where = 'SparseMatrix.fromCOO',
): CsrArrays {
  const n = rows.length;
  const nr = shape[0];
  const start = new Int32Array(nr + 1);
  for (let i = 0; i < n; i++) start[rows[i] + 1]++;
  for (let r = 0; r < nr; r++) start[r + 1] += start[r];
  const fill = start.slice(0, nr);
  // Few scatter targets per bucket keeps the scatter cache-friendly: positions only when an error may
  // need them, values as f32 (what CSR stores anyway).
  const sc = new Int32Array(n);
  const sv = new Float32Array(n);
  const se = duplicates === 'error' ? new Int32Array(n) : undefined;
  const st = times ? new Float64Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const p = fill[rows[i]]++;
    sc[p] = cols[i];
    sv[p] = values === undefined ? 1 : values[i];
  }
  if (se || st) {
    fill.set(start.subarray(0, nr));
    for (let i = 0; i < n; i++) {
      const p = fill[rows[i]]++;
      if (se) se[p] = i;
      if (st) st[p] = times![i];
    }
  }
  const outIdx = new Int32Array(n);
  const outVal = new Float32Array(n);
  const outT = st ? new Float64Array(n) : undefined;
  const indptr = new Int32Array(nr + 1);
  let keys = new Float64Array(0);
  let keys32 = new Int32Array(0);
  let w = 0;
  for (let r = 0; r < nr; r++) {
    const a = start[r];
    const b = start[r + 1];
    const len = b - a;
    let sorted = true;
    for (let p = a + 1; p < b; p++) {
      if (sc[p] <= sc[p - 1]) {
        sorted = false;
        break;
      }
    }
    if (sorted) {
      for (let p = a; p < b; p++) {
        outIdx[w] = sc[p];
        outVal[w] = sv[p];
        if (outT) outT[w] = st![p];
        w++;
      }
      indptr[r + 1] = w;
      continue;
    }
    let k: Float64Array | Int32Array;
    // Keys col·len + q must be exact: Int32 when they fit (faster sort), f64 below 2^53, else compare in JS.
    if (shape[1] * len < 0x7fffffff) {
      if (keys32.length < len) keys32 = new Int32Array(Math.max(len, 2 * keys32.length));
      k = keys32.subarray(0, len);
      for (let q = 0; q < len; q++) k[q] = sc[a + q] * len + q;
      k.sort();
      for (let q = 0; q < len; q++) k[q] = k[q] % len;
    } else if (len < 1 << 22) {
      if (keys.length < len) keys = new Float64Array(Math.max(len, 2 * keys.length));
      k = keys.subarray(0, len);
      for (let q = 0; q < len; q++) k[q] = sc[a + q] * len + q;
      k.sort();
      for (let q = 0; q < len; q++) k[q] = k[q] % len;
    } else {
      k = new Float64Array(len);
      for (let q = 0; q < len; q++) k[q] = q;
      k.sort((x, y) => sc[a + x] - sc[a + y] || x - y);
    }
    let prevCol = -1;
    for (let q = 0; q < len; q++) {
      const p = a + k[q];
      const c = sc[p];
      const v = sv[p];
      if (c === prevCol) {
        if (duplicates === 'error') throw new ValidationError(`${describe(r, c, se![p])}; pass duplicates: 'sum' or 'last' to merge`);
        if (duplicates === 'sum') {
          outVal[w - 1] += v;
          if (outT && st![p] > outT[w - 1]) outT[w - 1] = st![p];
        } else {
          outVal[w - 1] = v;
          if (outT) outT[w - 1] = st![p];
        }
      } else {
        outIdx[w] = c;
        outVal[w] = v;
        if (outT) outT[w] = st![p];
        w++;
        prevCol = c;
      }
    }
    indptr[r + 1] = w;
  }
  // Values are stored as float32: a finite input beyond ±3.4e38, or duplicates summing past it, would be Infinity.
  for (let r = 0; r < nr; r++) {
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      if (!Number.isFinite(outVal[p])) {
        throw new ValidationError(`${where}: the value at (row ${r}, column ${outIdx[p]}) is beyond the float32 range (±3.4e38) a SparseMatrix stores${duplicates === 'sum' ? ' (after summing duplicates)' : ''}; scale the values down`);
      }
    }
  }
  const indices = w === n ? outIdx : outIdx.slice(0, w);
  const data = w === n ? outVal : outVal.slice(0, w);
  return outT ? { indptr, indices, data, times: w === n ? outT : outT.slice(0, w) } : { indptr, indices, data };
}
