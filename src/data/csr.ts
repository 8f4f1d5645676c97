/**
 * SparseMatrix: compressed sparse rows (CSR), the shape every algorithm reads. Rows are users, columns
 * items, by convention. Arrays live in JS memory; `onHeap(backend)` uploads them once per backend heap
 * and caches the copy, so repeated algorithm calls do not copy again.
 */
import { ValidationError } from '../errors.js';
import type { Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';
import { cooToCsrArrays, type DuplicatePolicy } from './coo.js';
import { bm25Data, logScaleData, tfidfData, type Bm25Options } from './weighting.js';

/** Pointers of a matrix's arrays in a backend's heap, valid while the matrix is alive. */
export interface HeapCsr {
  indptr: HeapArray<'i32'>;
  indices: HeapArray<'i32'>;
  data: HeapArray<'f32'>;
}

/** How `SparseMatrix.fromCOO` merges repeated (row, col) pairs: add them (`'sum'`), keep the last (`'last'`) or throw (`'error'`). */
export type { DuplicatePolicy } from './coo.js';

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

const heapFinalizer =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<HeapCsr>((h) => {
        for (const a of [h.indptr, h.indices, h.data]) if (!a.isFreed) a.free();
      })
    : undefined;

/** A sparse matrix in compressed sparse row (CSR) form: `indptr` (rows + 1), `indices` (column of each entry, ascending within a row) and `data` (f32 values). Rows are users and columns items by convention. Immutable: operations return new matrices. */
export class SparseMatrix {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;
  readonly shape: readonly [number, number];
  private heapCopies = new Map<Backend, HeapCsr>();
  private transposed: SparseMatrix | undefined;

  /**
   * Wrap CSR arrays without copying. Checked: lengths, monotone indptr, column indices in range and
   * strictly increasing within each row, finite values. Use `fromCOO` to build from unsorted triples.
   */
  constructor(indptr: Int32Array, indices: Int32Array, data: Float32Array, shape: readonly [number, number]) {
    if (!(indptr instanceof Int32Array) || !(indices instanceof Int32Array) || !(data instanceof Float32Array)) {
      throw new ValidationError('SparseMatrix: indptr and indices must be Int32Array and data Float32Array');
    }
    const [rows, cols] = shape ?? [];
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ValidationError(`SparseMatrix: shape must be two non-negative integers, got ${JSON.stringify(shape)}`);
    }
    if (indptr.length !== rows + 1) throw new ValidationError(`SparseMatrix: indptr has length ${indptr.length}, expected rows + 1 = ${rows + 1}`);
    if (indices.length !== data.length) throw new ValidationError(`SparseMatrix: indices (${indices.length}) and data (${data.length}) differ in length`);
    if (indptr[0] !== 0 || indptr[rows] !== indices.length) {
      throw new ValidationError(`SparseMatrix: indptr must start at 0 and end at nnz = ${indices.length}, got ${indptr[0]} … ${indptr[rows]}`);
    }
    for (let r = 0; r < rows; r++) {
      const a = indptr[r];
      const b = indptr[r + 1];
      if (b < a) throw new ValidationError(`SparseMatrix: indptr decreases at row ${r} (${a} > ${b})`);
      if (b > indices.length) throw new ValidationError(`SparseMatrix: indptr[${r + 1}] = ${b} is outside [0, ${indices.length}] (nnz)`);
      let prev = -1;
      for (let p = a; p < b; p++) {
        const c = indices[p];
        if (c < 0 || c >= cols) throw new ValidationError(`SparseMatrix: row ${r} has column index ${c} outside [0, ${cols})`);
        if (c <= prev) throw new ValidationError(`SparseMatrix: row ${r} has unsorted or duplicate column indices (${prev} then ${c}); use SparseMatrix.fromCOO to sort and merge`);
        prev = c;
        if (!Number.isFinite(data[p])) throw new ValidationError(`SparseMatrix: row ${r}, column ${c} has a non-finite value ${data[p]}`);
      }
    }
    this.indptr = indptr;
    this.indices = indices;
    this.data = data;
    this.shape = [rows, cols];
  }

  /** Number of rows (users, by convention). */
  get rows(): number {
    return this.shape[0];
  }
  /** Number of columns (items, by convention). */
  get cols(): number {
    return this.shape[1];
  }
  /** Number of stored entries. */
  get nnz(): number {
    return this.indices.length;
  }

  /**
   * Build from coordinate triples: sorts by (row, col) and merges duplicates by `duplicates`.
   */
  static fromCOO(options: FromCOOOptions): SparseMatrix {
    if (options === null || typeof options !== 'object') throw new ValidationError('SparseMatrix.fromCOO: expected an options object { rows, cols, values?, shape?, duplicates? }');
    const { rows, cols, values, duplicates = 'sum' } = options;
    if (rows == null || cols == null || typeof rows.length !== 'number' || typeof cols.length !== 'number') {
      throw new ValidationError('SparseMatrix.fromCOO: rows and cols must be arrays of indices');
    }
    const n = rows.length;
    if (cols.length !== n) throw new ValidationError(`SparseMatrix.fromCOO: rows has ${n} entries but cols has ${cols.length}`);
    if (values != null && values.length !== n) throw new ValidationError(`SparseMatrix.fromCOO: rows has ${n} entries but values has ${values.length}`);
    if (duplicates !== 'sum' && duplicates !== 'last' && duplicates !== 'error') {
      throw new ValidationError(`SparseMatrix.fromCOO: duplicates must be 'sum', 'last' or 'error', got ${JSON.stringify(duplicates)}`);
    }
    if (n > 0x7fffffff) throw new ValidationError(`SparseMatrix.fromCOO: ${n} entries exceed the 2^31-1 nonzeros an Int32 index can address`);
    let maxR = -1;
    let maxC = -1;
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      const c = cols[i];
      if (!Number.isInteger(r) || r < 0) throw new ValidationError(`SparseMatrix.fromCOO: entry ${i} has row index ${r}; expected a non-negative integer`);
      if (!Number.isInteger(c) || c < 0) throw new ValidationError(`SparseMatrix.fromCOO: entry ${i} has column index ${c}; expected a non-negative integer`);
      // Indices are stored as Int32 and a dimension must fit one too: larger values would wrap silently.
      if (r >= MAX_DIM || c >= MAX_DIM) throw new ValidationError(`SparseMatrix.fromCOO: entry ${i} has index ${Math.max(r, c)}; indices must be below 2^31-1 (Int32 storage)`);
      if (values != null && !Number.isFinite(values[i])) throw new ValidationError(`SparseMatrix.fromCOO: entry ${i} (row ${r}, column ${c}) has a non-finite value ${values[i]}`);
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
        throw new ValidationError(`SparseMatrix.fromCOO: shape must be two non-negative integers, got ${JSON.stringify(options.shape)}`);
      }
      if (sr > MAX_DIM || sc > MAX_DIM) {
        throw new ValidationError(`SparseMatrix.fromCOO: shape ${JSON.stringify(options.shape)} exceeds 2^31-1 rows or columns (Int32 indices)`);
      }
      if (maxR >= sr) throw new ValidationError(`SparseMatrix.fromCOO: row index ${maxR} is outside the declared shape [${sr}, ${sc}]`);
      if (maxC >= sc) throw new ValidationError(`SparseMatrix.fromCOO: column index ${maxC} is outside the declared shape [${sr}, ${sc}]`);
      shape = [sr, sc];
    } else {
      shape = [maxR + 1, maxC + 1];
    }
    return cooToCsr(rows, cols, values, shape, duplicates).matrix;
  }

  /** Construct without validation, for arrays this library built itself. */
  static trusted(indptr: Int32Array, indices: Int32Array, data: Float32Array, shape: readonly [number, number]): SparseMatrix {
    const m = Object.create(SparseMatrix.prototype) as SparseMatrix;
    Object.assign(m, { indptr, indices, data, shape: [shape[0], shape[1]], heapCopies: new Map(), transposed: undefined });
    return m;
  }

  /** Number of stored entries in row `i`. */
  rowNnz(i: number): number {
    this.checkRow(i);
    return this.indptr[i + 1] - this.indptr[i];
  }

  /** Row `i` as views (no copy) of its column indices and values. */
  row(i: number): { indices: Int32Array; values: Float32Array } {
    this.checkRow(i);
    const a = this.indptr[i];
    const b = this.indptr[i + 1];
    return { indices: this.indices.subarray(a, b), values: this.data.subarray(a, b) };
  }

  /** Aᵀ in CSR (the CSC view ALS needs for the item half-step). Cached. */
  transpose(): SparseMatrix {
    if (this.transposed) return this.transposed;
    const [nr, nc] = this.shape;
    const nnz = this.nnz;
    const indptr = new Int32Array(nc + 1);
    for (let p = 0; p < nnz; p++) indptr[this.indices[p] + 1]++;
    for (let c = 0; c < nc; c++) indptr[c + 1] += indptr[c];
    const fill = indptr.slice(0, nc);
    const indices = new Int32Array(nnz);
    const data = new Float32Array(nnz);
    for (let r = 0; r < nr; r++) {
      for (let p = this.indptr[r]; p < this.indptr[r + 1]; p++) {
        const q = fill[this.indices[p]]++;
        indices[q] = r;
        data[q] = this.data[p];
      }
    }
    const t = SparseMatrix.trusted(indptr, indices, data, [nc, nr]);
    t.transposed = this;
    this.transposed = t;
    return t;
  }

  /**
   * The matrix's arrays in `backend`'s heap, uploaded on first use and cached (freed when the matrix is
   * garbage-collected). Kernels take `.ptr` of each.
   */
  onHeap(backend: Backend): HeapCsr {
    let h = this.heapCopies.get(backend);
    if (!h || h.indptr.isFreed) {
      const heap = backend.heap;
      h = { indptr: heap.copyIn(this.indptr), indices: heap.copyIn(this.indices), data: heap.copyIn(this.data) };
      this.heapCopies.set(backend, h);
      heapFinalizer?.register(this, h, h);
    }
    return h;
  }

  /** Free heap copies now instead of waiting for garbage collection. The matrix stays usable. */
  releaseHeap(): void {
    for (const h of this.heapCopies.values()) {
      heapFinalizer?.unregister(h);
      for (const a of [h.indptr, h.indices, h.data]) if (!a.isFreed) a.free();
    }
    this.heapCopies.clear();
  }

  /** The entries as coordinate triples in (row, column) order. */
  toCOO(): { rows: Int32Array; cols: Int32Array; values: Float32Array } {
    const rows = new Int32Array(this.nnz);
    for (let r = 0; r < this.rows; r++) rows.fill(r, this.indptr[r], this.indptr[r + 1]);
    return { rows, cols: this.indices.slice(), values: this.data.slice() };
  }

  /**
   * Dense row-major copy (`rows × cols` Float64Array, index `r * cols + c`), for small matrices and test
   * oracles. Refuses more than 2^27 cells (1 GiB).
   */
  toDense(): Float64Array {
    const [nr, nc] = this.shape;
    if (nr * nc > 2 ** 27) throw new ValidationError(`SparseMatrix.toDense: ${nr} × ${nc} = ${nr * nc} cells is too large for a dense copy (limit 2^27)`);
    const out = new Float64Array(nr * nc);
    for (let r = 0; r < nr; r++) {
      for (let p = this.indptr[r]; p < this.indptr[r + 1]; p++) out[r * nc + this.indices[p]] = this.data[p];
    }
    return out;
  }

  /**
   * Rows `start ≤ r < end` (`sliceRows(start, end)`), or the listed rows in the given order
   * (`sliceRows([3, 1, 4])`), as a new matrix with the same columns.
   */
  sliceRows(start: number, end?: number): SparseMatrix;
  sliceRows(rows: ArrayLike<number>): SparseMatrix;
  sliceRows(a: number | ArrayLike<number>, b?: number): SparseMatrix {
    const nr = this.shape[0];
    if (typeof a === 'number') {
      const end = b ?? nr;
      if (!Number.isInteger(a) || !Number.isInteger(end) || a < 0 || end > nr || a > end) {
        throw new ValidationError(`SparseMatrix.sliceRows: range [${a}, ${end}) is not inside [0, ${nr}]`);
      }
      const base = this.indptr[a];
      const indptr = new Int32Array(end - a + 1);
      for (let r = a; r <= end; r++) indptr[r - a] = this.indptr[r] - base;
      const stop = this.indptr[end];
      return SparseMatrix.trusted(indptr, this.indices.slice(base, stop), this.data.slice(base, stop), [end - a, this.shape[1]]);
    }
    if (a == null || typeof a.length !== 'number') throw new ValidationError('SparseMatrix.sliceRows: expected (start, end) or an array of row indices');
    const k = a.length;
    const indptr = new Int32Array(k + 1);
    for (let i = 0; i < k; i++) {
      const r = a[i];
      if (!Number.isInteger(r) || r < 0 || r >= nr) throw new ValidationError(`SparseMatrix.sliceRows: row index ${r} at position ${i} is out of range [0, ${nr})`);
      indptr[i + 1] = indptr[i] + this.indptr[r + 1] - this.indptr[r];
    }
    const indices = new Int32Array(indptr[k]);
    const data = new Float32Array(indptr[k]);
    for (let i = 0; i < k; i++) {
      const r = a[i];
      indices.set(this.indices.subarray(this.indptr[r], this.indptr[r + 1]), indptr[i]);
      data.set(this.data.subarray(this.indptr[r], this.indptr[r + 1]), indptr[i]);
    }
    return SparseMatrix.trusted(indptr, indices, data, [k, this.shape[1]]);
  }

  /**
   * Entries with value `> threshold` become 1; the others are dropped. Default threshold 0 keeps every
   * positive entry (implicit feedback from counts); e.g. `binarize(3.5)` keeps ratings of 4 and 5.
   */
  binarize(threshold = 0): SparseMatrix {
    if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new ValidationError(`SparseMatrix.binarize: threshold must be a number, got ${String(threshold)}`);
    return this.filter((v) => v > threshold, () => 1);
  }

  /**
   * A matrix of the same structure with `fn(value, row, col)` applied to every stored entry. Throws a
   * ValidationError if `fn` returns a non-finite number. Zeros returned stay stored; use
   * `eliminateZeros()` to drop them.
   */
  map(fn: (value: number, row: number, col: number) => number): SparseMatrix {
    if (typeof fn !== 'function') throw new ValidationError('SparseMatrix.map: fn must be a function (value, row, col) => number');
    const data = new Float32Array(this.nnz);
    for (let r = 0; r < this.rows; r++) {
      for (let p = this.indptr[r]; p < this.indptr[r + 1]; p++) {
        const v = fn(this.data[p], r, this.indices[p]);
        if (typeof v !== 'number' || !Number.isFinite(Math.fround(v))) {
          throw new ValidationError(
            `SparseMatrix.map: fn returned ${String(v)} for row ${r}, column ${this.indices[p]} (value ${this.data[p]}); expected a finite number within the float32 range (±3.4e38)`,
          );
        }
        data[p] = v;
      }
    }
    return SparseMatrix.trusted(this.indptr, this.indices, data, this.shape);
  }

  /** A copy without stored zeros. */
  eliminateZeros(): SparseMatrix {
    return this.filter((v) => v !== 0, (v) => v);
  }

  /**
   * BM25 weighting, the formula of implicit's `bm25_weight`: rows are the "documents", columns the
   * "terms". With N = rows, df = stored entries per column, idf = ln N − ln(1 + df), row length = row
   * sum and avg = its mean over rows: `w = x (K1 + 1) / (K1 ((1 − B) + B len/avg) + x) · idf`.
   * implicit applies it to the item × user matrix; to mirror that on a user × item matrix use
   * `m.transpose().bm25Weight().transpose()`. Values must be non-negative.
   */
  bm25Weight(options: Bm25Options = {}): SparseMatrix {
    return SparseMatrix.trusted(this.indptr, this.indices, bm25Data(this, options), this.shape);
  }

  /**
   * TF-IDF weighting, the formula of implicit's `tfidf_weight`: `w = √x · (ln N − ln(1 + df))` with N =
   * rows and df = stored entries per column. Values must be non-negative.
   */
  tfidfWeight(): SparseMatrix {
    return SparseMatrix.trusted(this.indptr, this.indices, tfidfData(this), this.shape);
  }

  /**
   * Log scaling of counts, `w = ln(1 + x / epsilon)` — the confidence scaling of Hu, Koren & Volinsky
   * (2008), c = 1 + α ln(1 + r/ε), with α left to the model. Values must be non-negative.
   */
  logScale(epsilon = 1): SparseMatrix {
    return SparseMatrix.trusted(this.indptr, this.indices, logScaleData(this, epsilon), this.shape);
  }

  /** Keep entries where `keep(value)`, replacing values by `value(v)`. */
  private filter(keep: (v: number) => boolean, value: (v: number) => number): SparseMatrix {
    const indptr = new Int32Array(this.rows + 1);
    let w = 0;
    const indices = new Int32Array(this.nnz);
    const data = new Float32Array(this.nnz);
    for (let r = 0; r < this.rows; r++) {
      for (let p = this.indptr[r]; p < this.indptr[r + 1]; p++) {
        const v = this.data[p];
        if (keep(v)) {
          indices[w] = this.indices[p];
          data[w++] = value(v);
        }
      }
      indptr[r + 1] = w;
    }
    return SparseMatrix.trusted(indptr, indices.slice(0, w), data.slice(0, w), this.shape);
  }

  private checkRow(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.shape[0]) {
      throw new ValidationError(`row index ${i} is out of range [0, ${this.shape[0]})`);
    }
  }
}

/**
 * COO → a SparseMatrix, merging duplicates by `duplicates` (see coo.ts); `times`, when given, come back
 * permuted along. Inputs must already be validated.
 * @internal
 */
export function cooToCsr(
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  values: ArrayLike<number> | undefined,
  shape: readonly [number, number],
  duplicates: DuplicatePolicy,
  times?: ArrayLike<number>,
  describe?: (r: number, c: number, e: number) => string,
  where?: string,
): { matrix: SparseMatrix; times?: Float64Array } {
  const a = cooToCsrArrays(rows, cols, values, shape, duplicates, times, describe, where);
  const matrix = SparseMatrix.trusted(a.indptr, a.indices, a.data, shape);
  return a.times ? { matrix, times: a.times } : { matrix };
}

/** BM25-weighted copy of `m` (implicit's `bm25_weight`); see `SparseMatrix.bm25Weight`. */
export function bm25Weight(m: SparseMatrix, options: Bm25Options = {}): SparseMatrix {
  return m.bm25Weight(options);
}

/** TF-IDF-weighted copy of `m` (implicit's `tfidf_weight`); see `SparseMatrix.tfidfWeight`. */
export function tfidfWeight(m: SparseMatrix): SparseMatrix {
  return m.tfidfWeight();
}

/** Log-scaled copy of `m`: ln(1 + x/ε); see `SparseMatrix.logScale`. */
export function logScale(m: SparseMatrix, epsilon = 1): SparseMatrix {
  return m.logScale(epsilon);
}
