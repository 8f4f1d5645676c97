/**
 * Coordinate (COO) triples into CSR arrays: the sort behind SparseMatrix.fromCOO, the parsers and
 * Interactions. Returns plain arrays (csr.ts wraps them), so this file needs no SparseMatrix.
 * @module
 */
import { ValidationError } from '../errors.js';
import { radixCsr, radixFits } from './coo-radix.js';

/** What to do with repeated (row, column) entries. */
export type DuplicatePolicy = 'sum' | 'last' | 'error';

/** Input of `SparseMatrix.fromCOO`: coordinate triples and how to assemble them. */
export interface FromCOOOptions {
  rows: ArrayLike<number>;
  cols: ArrayLike<number>;
  /** Defaults to 1 for every entry. */
  values?: ArrayLike<number>;
  /** Defaults to (max row + 1, max col + 1). */
  shape?: readonly [number, number];
  /** What to do with repeated (row, col) pairs; default `'sum'`, like scipy. */
  duplicates?: DuplicatePolicy;
}

/** Largest row or column count: indices are Int32. */
const MAX_DIM = 0x7fffffff;

/** Validate `SparseMatrix.fromCOO` options; returns the triples, the policy and the shape (given or inferred). */
export function checkCoo(options: FromCOOOptions): {
  rows: ArrayLike<number>;
  cols: ArrayLike<number>;
  values: ArrayLike<number> | undefined;
  duplicates: DuplicatePolicy;
  shape: [number, number];
} {
  if (options === null || typeof options !== 'object')
    throw new ValidationError(
      'SparseMatrix.fromCOO: expected an options object { rows, cols, values?, shape?, duplicates? }',
    );
  const { rows, cols, values, duplicates = 'sum' } = options;
  if (rows == null || cols == null || typeof rows.length !== 'number' || typeof cols.length !== 'number') {
    throw new ValidationError('SparseMatrix.fromCOO: rows and cols must be arrays of indices');
  }
  const n = rows.length;
  if (cols.length !== n)
    throw new ValidationError(`SparseMatrix.fromCOO: rows has ${n} entries but cols has ${cols.length}`);
  if (values != null && values.length !== n)
    throw new ValidationError(`SparseMatrix.fromCOO: rows has ${n} entries but values has ${values.length}`);
  if (duplicates !== 'sum' && duplicates !== 'last' && duplicates !== 'error') {
    throw new ValidationError(
      `SparseMatrix.fromCOO: duplicates must be 'sum', 'last' or 'error', got ${JSON.stringify(duplicates)}`,
    );
  }
  if (n > 0x7fffffff)
    throw new ValidationError(
      `SparseMatrix.fromCOO: ${n} entries exceed the 2^31-1 nonzeros an Int32 index can address`,
    );
  let maxR = -1;
  let maxC = -1;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const c = cols[i];
    if (!Number.isInteger(r) || r < 0)
      throw new ValidationError(`SparseMatrix.fromCOO: entry ${i} has row index ${r}; expected a non-negative integer`);
    if (!Number.isInteger(c) || c < 0)
      throw new ValidationError(
        `SparseMatrix.fromCOO: entry ${i} has column index ${c}; expected a non-negative integer`,
      );
    // Indices are stored as Int32 and a dimension must fit one too: larger values would wrap silently.
    if (r >= MAX_DIM || c >= MAX_DIM)
      throw new ValidationError(
        `SparseMatrix.fromCOO: entry ${i} has index ${Math.max(r, c)}; indices must be below 2^31-1 (Int32 storage)`,
      );
    if (values != null && !Number.isFinite(values[i]))
      throw new ValidationError(
        `SparseMatrix.fromCOO: entry ${i} (row ${r}, column ${c}) has a non-finite value ${values[i]}`,
      );
    if (r > maxR) maxR = r;
    if (c > maxC) maxC = c;
  }
  let shape: [number, number];
  if (options.shape !== undefined) {
    const s = options.shape as unknown;
    const ok = s !== null && typeof s === 'object' && typeof (s as ArrayLike<number>).length === 'number';
    const sr = ok ? (s as ArrayLike<number>)[0] : NaN;
    const sc = ok ? (s as ArrayLike<number>)[1] : NaN;
    if (!Number.isInteger(sr) || !Number.isInteger(sc) || sr < 0 || sc < 0) {
      throw new ValidationError(
        `SparseMatrix.fromCOO: shape must be two non-negative integers, got ${JSON.stringify(options.shape)}`,
      );
    }
    if (sr > MAX_DIM || sc > MAX_DIM) {
      throw new ValidationError(
        `SparseMatrix.fromCOO: shape ${JSON.stringify(options.shape)} exceeds 2^31-1 rows or columns (Int32 indices)`,
      );
    }
    if (maxR >= sr)
      throw new ValidationError(`SparseMatrix.fromCOO: row index ${maxR} is outside the declared shape [${sr}, ${sc}]`);
    if (maxC >= sc)
      throw new ValidationError(
        `SparseMatrix.fromCOO: column index ${maxC} is outside the declared shape [${sr}, ${sc}]`,
      );
    shape = [sr, sc];
  } else {
    shape = [maxR + 1, maxC + 1];
  }
  return { rows, cols, values: values ?? undefined, duplicates, shape };
}

/** Validate the arrays of `new SparseMatrix(indptr, indices, data, shape)`; returns [rows, cols]. */
export function checkCsr(
  indptr: Int32Array,
  indices: Int32Array,
  data: Float32Array,
  shape: readonly [number, number],
): [number, number] {
  if (!(indptr instanceof Int32Array) || !(indices instanceof Int32Array) || !(data instanceof Float32Array)) {
    throw new ValidationError('SparseMatrix: indptr and indices must be Int32Array and data Float32Array');
  }
  const [rows, cols] = shape ?? [];
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new ValidationError(`SparseMatrix: shape must be two non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (indptr.length !== rows + 1)
    throw new ValidationError(`SparseMatrix: indptr has length ${indptr.length}, expected rows + 1 = ${rows + 1}`);
  if (indices.length !== data.length)
    throw new ValidationError(`SparseMatrix: indices (${indices.length}) and data (${data.length}) differ in length`);
  if (indptr[0] !== 0 || indptr[rows] !== indices.length) {
    throw new ValidationError(
      `SparseMatrix: indptr must start at 0 and end at nnz = ${indices.length}, got ${indptr[0]} … ${indptr[rows]}`,
    );
  }
  for (let r = 0; r < rows; r++) {
    const a = indptr[r];
    const b = indptr[r + 1];
    if (b < a) throw new ValidationError(`SparseMatrix: indptr decreases at row ${r} (${a} > ${b})`);
    if (b > indices.length)
      throw new ValidationError(`SparseMatrix: indptr[${r + 1}] = ${b} is outside [0, ${indices.length}] (nnz)`);
    let prev = -1;
    for (let p = a; p < b; p++) {
      const c = indices[p];
      if (c < 0 || c >= cols)
        throw new ValidationError(`SparseMatrix: row ${r} has column index ${c} outside [0, ${cols})`);
      if (c <= prev)
        throw new ValidationError(
          `SparseMatrix: row ${r} has unsorted or duplicate column indices (${prev} then ${c}); use SparseMatrix.fromCOO to sort and merge`,
        );
      prev = c;
      if (!Number.isFinite(data[p]))
        throw new ValidationError(`SparseMatrix: row ${r}, column ${c} has a non-finite value ${data[p]}`);
    }
  }
  return [rows, cols];
}

/** CSR arrays, with the entries' times when times were given. */
export interface CsrArrays {
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
  times?: Float64Array;
}

/**
 * Sort coordinate triples into CSR and merge duplicates: two stable counting sorts (coo-radix.ts), or —
 * when columns far outnumber the entries — one counting-sort scatter by row (values and times carried
 * along, so later passes read memory in order), then each row's columns sorted on keys
 * `col · len + position` (stable, so 'last' means last in input order); rows already in column order are
 * only copied.
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
  describe: (r: number, c: number, e: number) => string = (r, c, e) =>
    `SparseMatrix.fromCOO: duplicate entry (row ${r}, column ${c}) at input position ${e}`,
  where = 'SparseMatrix.fromCOO',
): CsrArrays {
  if (radixFits(rows.length, shape[1])) {
    const out = radixCsr(rows, cols, values, shape, duplicates, times, describe);
    if (values !== undefined) checkFloat32(out.indptr, out.indices, out.data, where, duplicates);
    return out;
  }
  const nr = shape[0];
  const s = scatterByRow(rows, cols, values, times, nr, duplicates === 'error');
  const out = new CsrOut(rows.length, nr, s.times !== undefined);
  const sorter = new RowSorter(shape[1]);
  for (let r = 0; r < nr; r++) {
    const a = s.start[r];
    const b = s.start[r + 1];
    if (inColumnOrder(s.cols, a, b)) out.copy(s, a, b);
    else out.merge(s, a, sorter.order(s.cols, a, b - a), b - a, r, duplicates, describe);
    out.indptr[r + 1] = out.w;
  }
  const arrays = out.arrays();
  checkFloat32(arrays.indptr, arrays.indices, arrays.data, where, duplicates);
  return arrays;
}

/** Entries scattered by row: row r's are [start[r], start[r + 1]), in input order. */
interface Scattered {
  start: Int32Array;
  cols: Int32Array;
  values: Float32Array;
  /** Input position of each entry (kept when a duplicate error may need it). */
  positions: Int32Array | undefined;
  times: Float64Array | undefined;
}

function scatterByRow(
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  values: ArrayLike<number> | undefined,
  times: ArrayLike<number> | undefined,
  nr: number,
  keepPositions: boolean,
): Scattered {
  const n = rows.length;
  const start = new Int32Array(nr + 1);
  for (let i = 0; i < n; i++) start[rows[i] + 1]++;
  for (let r = 0; r < nr; r++) start[r + 1] += start[r];
  const fill = start.slice(0, nr);
  // Few scatter targets per bucket keeps the scatter cache-friendly: positions only when an error may
  // need them, values as f32 (what CSR stores anyway).
  const sc = new Int32Array(n);
  const sv = new Float32Array(n);
  const se = keepPositions ? new Int32Array(n) : undefined;
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
  return { start, cols: sc, values: sv, positions: se, times: st };
}

/** Whether columns [a, b) are strictly increasing (the row needs no sort and has no duplicates). */
function inColumnOrder(sc: Int32Array, a: number, b: number): boolean {
  for (let p = a + 1; p < b; p++) if (sc[p] <= sc[p - 1]) return false;
  return true;
}

/** Rows at most this long are sorted by insertion. */
const SMALL_ROW = 32;

/** Stable orders of rows by column, with key buffers reused from row to row. */
class RowSorter {
  private keys = new Float64Array(0);
  private keys32 = new Int32Array(0);
  constructor(private readonly ncols: number) {}

  /**
   * Positions 0..len-1 of the row's entries sc[a, a + len), sorted by column then position: the first
   * `len` elements of the array returned.
   */
  order(sc: Int32Array, a: number, len: number): Float64Array | Int32Array {
    if (len <= SMALL_ROW) return this.small(sc, a, len);
    let k: Float64Array | Int32Array;
    // Keys col·len + q must be exact: Int32 when they fit (faster sort), f64 below 2^53, else compare in JS.
    if (this.ncols * len < 0x7fffffff) {
      if (this.keys32.length < len) this.keys32 = new Int32Array(Math.max(len, 2 * this.keys32.length));
      k = this.keys32.subarray(0, len);
    } else if (len < 1 << 22) {
      if (this.keys.length < len) this.keys = new Float64Array(Math.max(len, 2 * this.keys.length));
      k = this.keys.subarray(0, len);
    } else {
      k = new Float64Array(len);
      for (let q = 0; q < len; q++) k[q] = q;
      return k.sort((x, y) => sc[a + x] - sc[a + y] || x - y);
    }
    for (let q = 0; q < len; q++) k[q] = sc[a + q] * len + q;
    k.sort();
    for (let q = 0; q < len; q++) k[q] = k[q] % len;
    return k;
  }

  /** `order` of a short row: an insertion sort in place (a native sort's call costs more than the sort). */
  private small(sc: Int32Array, a: number, len: number): Int32Array {
    if (this.keys32.length < SMALL_ROW) this.keys32 = new Int32Array(Math.max(SMALL_ROW, this.keys32.length));
    const k = this.keys32;
    for (let q = 0; q < len; q++) {
      const c = sc[a + q];
      let j = q - 1;
      // Stable: a position moves only past larger columns.
      while (j >= 0 && sc[a + k[j]] > c) {
        k[j + 1] = k[j];
        j--;
      }
      k[j + 1] = q;
    }
    return k;
  }
}

/** The CSR being written: entries appended row by row (`w` of them so far). */
class CsrOut {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;
  readonly times: Float64Array | undefined;
  w = 0;

  constructor(n: number, nr: number, withTimes: boolean) {
    this.indptr = new Int32Array(nr + 1);
    this.indices = new Int32Array(n);
    this.data = new Float32Array(n);
    this.times = withTimes ? new Float64Array(n) : undefined;
  }

  /** Append entries [a, b) as they are. */
  copy(s: Scattered, a: number, b: number): void {
    const { indices, data, times } = this;
    let w = this.w;
    for (let p = a; p < b; p++) {
      indices[w] = s.cols[p];
      data[w] = s.values[p];
      if (times) times[w] = s.times![p];
      w++;
    }
    this.w = w;
  }

  /** Append row r's entries (starting at a) in `order`, merging repeated columns by `duplicates`. */
  merge(
    s: Scattered,
    a: number,
    order: Float64Array | Int32Array,
    len: number,
    r: number,
    duplicates: DuplicatePolicy,
    describe: (r: number, c: number, e: number) => string,
  ): void {
    const { indices, data, times } = this;
    const st = s.times;
    let w = this.w;
    let prevCol = -1;
    for (let q = 0; q < len; q++) {
      const p = a + order[q];
      const c = s.cols[p];
      const v = s.values[p];
      if (c === prevCol) {
        if (duplicates === 'error')
          throw new ValidationError(`${describe(r, c, s.positions![p])}; pass duplicates: 'sum' or 'last' to merge`);
        if (duplicates === 'sum') {
          data[w - 1] += v;
          if (times && st![p] > times[w - 1]) times[w - 1] = st![p];
        } else {
          data[w - 1] = v;
          if (times) times[w - 1] = st![p];
        }
      } else {
        indices[w] = c;
        data[w] = v;
        if (times) times[w] = st![p];
        w++;
        prevCol = c;
      }
    }
    this.w = w;
  }

  /** The arrays, trimmed to the entries written. */
  arrays(): CsrArrays {
    const { indptr, w } = this;
    const n = this.indices.length;
    const indices = w === n ? this.indices : this.indices.slice(0, w);
    const data = w === n ? this.data : this.data.slice(0, w);
    if (!this.times) return { indptr, indices, data };
    return { indptr, indices, data, times: w === n ? this.times : this.times.slice(0, w) };
  }
}

/** Values are stored as float32: a finite input beyond ±3.4e38, or duplicates summing past it, would be Infinity. */
function checkFloat32(
  indptr: Int32Array,
  indices: Int32Array,
  data: Float32Array,
  where: string,
  duplicates: DuplicatePolicy,
): void {
  for (let p = 0; p < data.length; p++) {
    if (data[p] - data[p] === 0) continue;
    let r = 0;
    while (indptr[r + 1] <= p) r++;
    throw new ValidationError(
      `${where}: the value at (row ${r}, column ${indices[p]}) is beyond the float32 range (±3.4e38) a SparseMatrix stores${duplicates === 'sum' ? ' (after summing duplicates)' : ''}; scale the values down`,
    );
  }
}
