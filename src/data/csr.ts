/**
 * SparseMatrix: compressed sparse rows (CSR), the shape every algorithm reads. Rows are users, columns
 * items, by convention. Arrays live in JS memory; `onHeap(backend)` uploads them once per backend heap
 * and caches the copy, so repeated algorithm calls do not copy again.
 */
import { ValidationError } from '../errors.js';
import type { Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';

/** Pointers of a matrix's arrays in a backend's heap, valid while the matrix is alive. */
export interface HeapCsr {
  indptr: HeapArray<'i32'>;
  indices: HeapArray<'i32'>;
  data: HeapArray<'f32'>;
}

export type DuplicatePolicy = 'sum' | 'last' | 'error';

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

const heapFinalizer =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<HeapCsr>((h) => {
        for (const a of [h.indptr, h.indices, h.data]) if (!a.isFreed) a.free();
      })
    : undefined;

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

  get rows(): number {
    return this.shape[0];
  }
  get cols(): number {
    return this.shape[1];
  }
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
      if (values != null && !Number.isFinite(values[i])) throw new ValidationError(`SparseMatrix.fromCOO: entry ${i} (row ${r}, column ${c}) has a non-finite value ${values[i]}`);
      if (r > maxR) maxR = r;
      if (c > maxC) maxC = c;
    }
    let shape: [number, number];
    if (options.shape !== undefined) {
      const [sr, sc] = options.shape;
      if (!Number.isInteger(sr) || !Number.isInteger(sc) || sr < 0 || sc < 0) {
        throw new ValidationError(`SparseMatrix.fromCOO: shape must be two non-negative integers, got ${JSON.stringify(options.shape)}`);
      }
      if (maxR >= sr) throw new ValidationError(`SparseMatrix.fromCOO: row index ${maxR} is outside the declared shape [${sr}, ${sc}]`);
      if (maxC >= sc) throw new ValidationError(`SparseMatrix.fromCOO: column index ${maxC} is outside the declared shape [${sr}, ${sc}]`);
      shape = [sr, sc];
    } else {
      shape = [maxR + 1, maxC + 1];
    }
    // Counting sort by row (stable, so 'last' means last in input order), then sort columns per row.
    const nr = shape[0];
    const counts = new Int32Array(nr + 1);
    for (let i = 0; i < n; i++) counts[rows[i] + 1]++;
    for (let r = 0; r < nr; r++) counts[r + 1] += counts[r];
    const order = new Int32Array(n);
    const fill = counts.slice(0, nr);
    for (let i = 0; i < n; i++) order[fill[rows[i]]++] = i;
    const outIdx = new Int32Array(n);
    const outVal = new Float32Array(n);
    const indptr = new Int32Array(nr + 1);
    let w = 0;
    let perm = new Int32Array(0);
    for (let r = 0; r < nr; r++) {
      const a = counts[r];
      const b = counts[r + 1];
      const len = b - a;
      if (perm.length < len) perm = new Int32Array(Math.max(len, perm.length * 2));
      const seg = perm.subarray(0, len);
      for (let p = 0; p < len; p++) seg[p] = order[a + p];
      // Sort entries of this row by column, ties by input position (stable).
      seg.sort((x, y) => cols[x] - cols[y] || x - y);
      let prevCol = -1;
      for (let p = 0; p < len; p++) {
        const e = seg[p];
        const c = cols[e];
        const v = values == null ? 1 : values[e];
        if (c === prevCol) {
          if (duplicates === 'error') throw new ValidationError(`SparseMatrix.fromCOO: duplicate entry (row ${r}, column ${c}) at input position ${e}; pass duplicates: 'sum' or 'last' to merge`);
          outVal[w - 1] = duplicates === 'sum' ? outVal[w - 1] + v : v;
        } else {
          outIdx[w] = c;
          outVal[w] = v;
          w++;
          prevCol = c;
        }
      }
      indptr[r + 1] = w;
    }
    return SparseMatrix.trusted(indptr, outIdx.slice(0, w), outVal.slice(0, w), shape);
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

  private checkRow(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.shape[0]) {
      throw new ValidationError(`row index ${i} is out of range [0, ${this.shape[0]})`);
    }
  }
}
