/**
 * SparseMatrix: compressed sparse rows (CSR), the shape every algorithm reads. Rows are users, columns
 * items, by convention.
 *
 * Where the arrays live: a new matrix holds JS typed arrays. `onHeap(backend)` uploads a copy into a
 * backend's heap, cached (small per-call matrices; freed by `releaseHeap()` or on collection). A fit or an
 * SVD instead *moves* its matrix into the heap (`moveToHeap`): the heap blocks become the matrix and the JS
 * arrays are dropped, so a large matrix lives once. The public `indptr`/`indices`/`data` of a moved matrix
 * are JS copies made on access and held weakly (never a view that heap growth could detach); library code
 * reads the heap directly through `arrays()`.
 */
import { ValidationError } from '../errors.js';
import type { Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';
import { disposedError, forget, freeWhenCollected } from '../runtime/lifetime.js';
import { HeapCopies, transposeInto, weakly, type CsrArrays, type HeapCsr, type WeakCopy } from './csr-heap.js';
import { checkCoo, checkCsr, cooToCsrArrays, type DuplicatePolicy, type FromCOOOptions } from './coo.js';

export type { FromCOOOptions } from './coo.js';
export type { HeapCsr } from './csr-heap.js';
import { bm25Data, logScaleData, tfidfData, type Bm25Options } from './weighting.js';
import { filterEntries, sliceList, sliceRange } from './csr-ops.js';

/** How `SparseMatrix.fromCOO` merges repeated (row, col) pairs: add them (`'sum'`), keep the last (`'last'`) or throw (`'error'`). */
export type { DuplicatePolicy } from './coo.js';

/**
 * A sparse matrix in compressed sparse row (CSR) form: `indptr` (rows + 1), `indices` (column of each
 * entry, ascending within a row) and `data` (f32 values). Rows are users and columns items by convention.
 * Immutable: operations return new matrices.
 *
 * A matrix a model was fitted on (or an SVD ran on) lives in the WebAssembly heap, once; `dispose()` (or
 * `using`) frees it, otherwise it is freed when the matrix is garbage-collected. See README "Memory".
 */
export class SparseMatrix {
  readonly shape: readonly [number, number];
  /** The arrays while the matrix lives in JS memory (undefined once moved into a heap, or disposed). */
  private js: CsrArrays | undefined;
  /** The backend whose heap blocks are the matrix, after `moveToHeap`. */
  private home: Backend | undefined;
  private copies = new HeapCopies();
  private registered = false;
  private disposed = false;
  private count: number;
  private weak: { indptr?: WeakCopy<Int32Array>; indices?: WeakCopy<Int32Array>; data?: WeakCopy<Float32Array> } = {};
  private transposed: SparseMatrix | undefined;

  /**
   * Wrap CSR arrays without copying. Checked: lengths, monotone indptr, column indices in range and
   * strictly increasing within each row, finite values. Use `fromCOO` to build from unsorted triples.
   */
  constructor(indptr: Int32Array, indices: Int32Array, data: Float32Array, shape: readonly [number, number]) {
    const [rows, cols] = checkCsr(indptr, indices, data, shape);
    this.js = { indptr, indices, data };
    this.count = indices.length;
    this.shape = [rows, cols];
  }

  /**
   * Row pointers (rows + 1 entries). For a matrix living in the heap (after a fit), a JS copy made on
   * access; hold on to it rather than re-reading it in a loop.
   */
  get indptr(): Int32Array {
    return this.js?.indptr ?? this.copyOut('indptr');
  }
  /** Column index of every stored entry, ascending within a row (a JS copy for a heap-resident matrix, see `indptr`). */
  get indices(): Int32Array {
    return this.js?.indices ?? this.copyOut('indices');
  }
  /** Value of every stored entry (a JS copy for a heap-resident matrix, see `indptr`). */
  get data(): Float32Array {
    return this.js?.data ?? this.copyOut('data');
  }

  /** A JS copy of one heap-resident array, shared while someone holds it. */
  private copyOut<K extends keyof CsrArrays>(key: K): CsrArrays[K] {
    const held = this.weak[key]?.deref() as CsrArrays[K] | undefined;
    if (held) return held;
    const copy = this.arrays()[key].slice() as CsrArrays[K];
    (this.weak as Record<K, WeakCopy<CsrArrays[K]>>)[key] = weakly(copy);
    return copy;
  }

  /**
   * The current arrays without copying: the JS arrays, or views of the heap blocks of a heap-resident
   * matrix — valid until the next heap allocation (which may grow memory and detach them).
   * @internal
   */
  arrays(): CsrArrays {
    if (this.js) return this.js;
    if (this.disposed || !this.home) throw disposedError('SparseMatrix', 'matrix', 'build or load the matrix again');
    const h = this.copies.byBackend.get(this.home)!;
    return { indptr: h.indptr.view, indices: h.indices.view, data: h.data.view };
  }

  /** Whether `dispose()` released this matrix. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Whether the matrix has blocks in `backend`'s heap (it lives there after a fit on that backend). */
  inHeapOf(backend: Backend): boolean {
    return this.copies.byBackend.has(backend);
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
    return this.count;
  }

  /**
   * Build from coordinate triples: sorts by (row, col) and merges duplicates by `duplicates`.
   */
  static fromCOO(options: FromCOOOptions): SparseMatrix {
    const { rows, cols, values, duplicates, shape } = checkCoo(options);
    return cooToCsr(rows, cols, values, shape, duplicates).matrix;
  }

  /** Construct without validation, for arrays this library built itself. */
  static trusted(
    indptr: Int32Array,
    indices: Int32Array,
    data: Float32Array,
    shape: readonly [number, number],
  ): SparseMatrix {
    const m = Object.create(SparseMatrix.prototype) as SparseMatrix;
    const fields = {
      shape: [shape[0], shape[1]],
      js: { indptr, indices, data },
      home: undefined,
      copies: new HeapCopies(),
      registered: false,
    };
    return Object.assign(m, { ...fields, disposed: false, count: indices.length, weak: {}, transposed: undefined });
  }

  /**
   * A matrix whose one copy is already in `backend`'s heap (a reader or generator that wrote CSR straight
   * into heap blocks): it owns `csr` from now on. Not validated.
   * @internal
   */
  static fromHeap(backend: Backend, csr: HeapCsr, shape: readonly [number, number]): SparseMatrix {
    const m = SparseMatrix.trusted(new Int32Array(shape[0] + 1), new Int32Array(0), new Float32Array(0), shape);
    Object.assign(m, { js: undefined, home: backend, count: csr.indices.length });
    m.copies.byBackend.set(backend, csr);
    m.registered = true;
    freeWhenCollected(m, m.copies);
    return m;
  }

  /** Number of stored entries in row `i`. */
  rowNnz(i: number): number {
    this.checkRow(i);
    const { indptr } = this.arrays();
    return indptr[i + 1] - indptr[i];
  }

  /** Row `i`'s column indices and values: views (no copy), or copies of the row for a heap-resident matrix. */
  row(i: number): { indices: Int32Array; values: Float32Array } {
    this.checkRow(i);
    const { indptr, indices, data } = this.arrays();
    const a = indptr[i];
    const b = indptr[i + 1];
    return this.js
      ? { indices: indices.subarray(a, b), values: data.subarray(a, b) }
      : { indices: indices.slice(a, b), values: data.slice(a, b) };
  }

  /** Aᵀ in CSR (the CSC view ALS needs for the item half-step). Cached. */
  transpose(): SparseMatrix {
    if (this.transposed) return this.transposed;
    const [nr, nc] = this.shape;
    const nnz = this.nnz;
    const indptr = new Int32Array(nc + 1);
    const indices = new Int32Array(nnz);
    const data = new Float32Array(nnz);
    transposeInto(this.arrays(), nr, nc, { indptr, indices, data });
    const t = SparseMatrix.trusted(indptr, indices, data, [nc, nr]);
    t.transposed = this;
    this.transposed = t;
    return t;
  }

  /**
   * The matrix's arrays in `backend`'s heap, uploaded on first use and cached (freed by `releaseHeap()`,
   * `dispose()` or when the matrix is garbage-collected). Kernels take them as pointer arguments.
   */
  onHeap(backend: Backend): HeapCsr {
    if (this.disposed) throw disposedError('SparseMatrix', 'matrix', 'build or load the matrix again');
    let h = this.copies.byBackend.get(backend);
    if (!h) {
      const heap = backend.heap;
      const n = this.count;
      // Every allocation first (each may grow memory and detach views), then copy from current views.
      const blocks: HeapArray<'i32' | 'f32'>[] = [];
      try {
        blocks.push(heap.allocArray('i32', this.rows + 1), heap.allocArray('i32', n), heap.allocArray('f32', n));
      } catch (e) {
        for (const b of blocks) b.free();
        throw e;
      }
      h = {
        indptr: blocks[0] as HeapArray<'i32'>,
        indices: blocks[1] as HeapArray<'i32'>,
        data: blocks[2] as HeapArray<'f32'>,
      };
      const src = this.arrays();
      h.indptr.view.set(src.indptr);
      h.indices.view.set(src.indices);
      h.data.view.set(src.data);
      this.copies.byBackend.set(backend, h);
      if (!this.registered) {
        this.registered = true;
        freeWhenCollected(this, this.copies);
      }
    }
    return h;
  }

  /**
   * Make `backend`'s heap the one place this matrix lives (what a fit does with its input): upload if
   * needed, then drop the JS arrays. The public arrays become JS copies made on access.
   * @internal
   */
  moveToHeap(backend: Backend): HeapCsr {
    if (this.disposed) throw disposedError('SparseMatrix', 'matrix', 'build or load the matrix again');
    const h = this.onHeap(backend);
    if (this.js) {
      this.js = undefined;
      this.home = backend;
    }
    return h;
  }

  /**
   * Free this matrix's heap memory now instead of waiting for garbage collection; the matrix stays usable
   * (a matrix living in the heap moves back into JS memory first).
   */
  releaseHeap(): void {
    if (this.disposed) return;
    if (!this.js) {
      const a = this.arrays();
      this.js = { indptr: a.indptr.slice(), indices: a.indices.slice(), data: a.data.slice() };
      this.home = undefined;
    }
    this.copies.free();
  }

  /**
   * Free the matrix's memory (heap blocks and JS arrays) now; using it afterwards throws a `DisposedError`.
   * `using m = …` calls this at the end of the block. A model fitted on the matrix keeps a reference to it
   * for filtering already-liked items: dispose the model first.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    forget(this.copies);
    this.copies.free();
    this.js = undefined;
    this.home = undefined;
    this.weak = {};
    if (this.transposed) this.transposed.transposed = undefined;
    this.transposed = undefined;
  }

  /** `dispose()`, for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The entries as coordinate triples in (row, column) order. */
  toCOO(): { rows: Int32Array; cols: Int32Array; values: Float32Array } {
    const { indptr, indices, data } = this.arrays();
    const rows = new Int32Array(this.nnz);
    for (let r = 0; r < this.rows; r++) rows.fill(r, indptr[r], indptr[r + 1]);
    return { rows, cols: indices.slice(), values: data.slice() };
  }

  /**
   * Dense row-major copy (`rows × cols` Float64Array, index `r * cols + c`), for small matrices and test
   * oracles. Refuses more than 2^27 cells (1 GiB).
   */
  toDense(): Float64Array {
    const [nr, nc] = this.shape;
    if (nr * nc > 2 ** 27)
      throw new ValidationError(
        `SparseMatrix.toDense: ${nr} × ${nc} = ${nr * nc} cells is too large for a dense copy (limit 2^27)`,
      );
    const out = new Float64Array(nr * nc);
    const { indptr, indices, data } = this.arrays();
    for (let r = 0; r < nr; r++) {
      for (let p = indptr[r]; p < indptr[r + 1]; p++) out[r * nc + indices[p]] = data[p];
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
    const s =
      typeof a === 'number' ? sliceRange(this.arrays(), this.rows, a, b) : sliceList(this.arrays(), this.rows, a);
    return SparseMatrix.trusted(s.indptr, s.indices, s.data, [s.indptr.length - 1, this.cols]);
  }

  /**
   * Entries with value `> threshold` become 1; the others are dropped. Default threshold 0 keeps every
   * positive entry (implicit feedback from counts); e.g. `binarize(3.5)` keeps ratings of 4 and 5.
   */
  binarize(threshold = 0): SparseMatrix {
    if (typeof threshold !== 'number' || Number.isNaN(threshold))
      throw new ValidationError(`SparseMatrix.binarize: threshold must be a number, got ${String(threshold)}`);
    return this.filter(
      (v) => v > threshold,
      () => 1,
    );
  }

  /**
   * A matrix of the same structure with `fn(value, row, col)` applied to every stored entry. Throws a
   * ValidationError if `fn` returns a non-finite number. Zeros returned stay stored; use
   * `eliminateZeros()` to drop them.
   */
  map(fn: (value: number, row: number, col: number) => number): SparseMatrix {
    if (typeof fn !== 'function')
      throw new ValidationError('SparseMatrix.map: fn must be a function (value, row, col) => number');
    const data = new Float32Array(this.nnz);
    // The user's fn may call into lowrank (and allocate): read through the public (JS) arrays.
    const { indptr, indices } = this;
    const src = this.data;
    for (let r = 0; r < this.rows; r++) {
      for (let p = indptr[r]; p < indptr[r + 1]; p++) {
        const v = fn(src[p], r, indices[p]);
        if (typeof v !== 'number' || !Number.isFinite(Math.fround(v))) {
          throw new ValidationError(
            `SparseMatrix.map: fn returned ${String(v)} for row ${r}, column ${indices[p]} (value ${src[p]}); expected a finite number within the float32 range (±3.4e38)`,
          );
        }
        data[p] = v;
      }
    }
    return SparseMatrix.trusted(indptr, indices, data, this.shape);
  }

  /** A copy without stored zeros. */
  eliminateZeros(): SparseMatrix {
    return this.filter(
      (v) => v !== 0,
      (v) => v,
    );
  }

  /**
   * BM25 weighting, the formula of implicit's `bm25_weight`: rows are the "documents", columns the
   * "terms". With N = rows, df = stored entries per column, idf = ln N − ln(1 + df), row length = row
   * sum and avg = its mean over rows: `w = x (K1 + 1) / (K1 ((1 − B) + B len/avg) + x) · idf`.
   * implicit applies it to the item × user matrix; to mirror that on a user × item matrix use
   * `m.transpose().bm25Weight().transpose()`. Values must be non-negative.
   */
  bm25Weight(options: Bm25Options = {}): SparseMatrix {
    return SparseMatrix.trusted(
      this.indptr,
      this.indices,
      bm25Data({ ...this.arrays(), shape: this.shape }, options),
      this.shape,
    );
  }

  /**
   * TF-IDF weighting, the formula of implicit's `tfidf_weight`: `w = √x · (ln N − ln(1 + df))` with N =
   * rows and df = stored entries per column. Values must be non-negative.
   */
  tfidfWeight(): SparseMatrix {
    return SparseMatrix.trusted(
      this.indptr,
      this.indices,
      tfidfData({ ...this.arrays(), shape: this.shape }),
      this.shape,
    );
  }

  /**
   * Log scaling of counts, `w = ln(1 + x / epsilon)` — the confidence scaling of Hu, Koren & Volinsky
   * (2008), c = 1 + α ln(1 + r/ε), with α left to the model. Values must be non-negative.
   */
  logScale(epsilon = 1): SparseMatrix {
    return SparseMatrix.trusted(
      this.indptr,
      this.indices,
      logScaleData({ ...this.arrays(), shape: this.shape }, epsilon),
      this.shape,
    );
  }

  /** Keep entries where `keep(value)`, replacing values by `value(v)`. */
  private filter(keep: (v: number) => boolean, value: (v: number) => number): SparseMatrix {
    const f = filterEntries(this.arrays(), this.rows, keep, value);
    return SparseMatrix.trusted(f.indptr, f.indices, f.data, this.shape);
  }

  private checkRow(i: number): void {
    if (this.disposed) throw disposedError('SparseMatrix', 'matrix', 'build or load the matrix again');
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
