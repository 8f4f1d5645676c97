/**
 * The linear operator the SVD solvers iterate with: a sparse matrix, optionally centered, applied as
 * y = Ã·x and y = Ãᵀ·x on f64 vectors in the backend's heap. Centering is a rank-one correction
 * Ã = A − a·bᵀ applied inside each product, so the matrix is never densified:
 *
 * - `'global'`: a = μ·1, b = 1, μ the mean of the stored values;
 * - `'rows'`:   a = row means of stored values, b = 1;
 * - `'cols'`:   a = 1, b = column means of stored values;
 * - `'pca'`:    a = 1, b = column means over all rows (the implicit zeros count): the centering of PCA.
 *
 * Like irlba's `center`/`scale`, this subtracts from every entry, the implicit zeros included: the
 * operator is the centered dense matrix, not "center the observed ratings and keep the rest missing".
 * @module
 */
import type { SparseMatrix } from '../data/csr.js';
import type { HeapCsr } from '../data/csr-heap.js';
import type { Backend } from '../runtime/backend.js';
import type { HeapArray, HeapRef } from '../runtime/heap.js';
import { balancedBounds } from '../runtime/parallel.js';
import { reordered, worthSorting, type ReorderedCsr } from './sorted.js';

/** Chunks per thread of a parallel product (rows balanced by stored entries). */
const CHUNKS_PER_THREAD = 4;

/** One product's CSR arrays in the heap. */
interface Product {
  csr: HeapCsr;
  /** Matrix row of each stored row (undefined: stored in row order). */
  rows: HeapArray<'i32'> | undefined;
}

/** How to center the matrix before the decomposition (see {@link TruncatedSVDOptions.center}). */
export type Centering = 'none' | 'global' | 'rows' | 'cols' | 'pca';

/** Means subtracted by a centering: one value for 'global', one per row ('rows') or per column otherwise. */
export function centeringMeans(A: SparseMatrix, center: Centering): Float64Array | undefined {
  if (center === 'none') return undefined;
  const { indptr, indices, data } = A.arrays();
  if (center === 'global') {
    let s = 0;
    for (let p = 0; p < data.length; p++) s += data[p];
    return Float64Array.of(data.length ? s / data.length : 0);
  }
  if (center === 'rows') {
    const out = new Float64Array(A.rows);
    for (let r = 0; r < A.rows; r++) {
      let s = 0;
      for (let p = indptr[r]; p < indptr[r + 1]; p++) s += data[p];
      const c = indptr[r + 1] - indptr[r];
      out[r] = c ? s / c : 0;
    }
    return out;
  }
  const sum = new Float64Array(A.cols);
  const cnt = new Float64Array(A.cols);
  for (let p = 0; p < data.length; p++) {
    sum[indices[p]] += data[p];
    cnt[indices[p]]++;
  }
  if (center === 'pca') for (let c = 0; c < A.cols; c++) sum[c] /= A.rows;
  else for (let c = 0; c < A.cols; c++) sum[c] = cnt[c] ? sum[c] / cnt[c] : 0;
  return sum;
}

/**
 * Ã (or Ãᵀ when `transposed`) as an operator on heap vectors. `rows`/`cols` are those of the operator
 * (swapped when transposed). Counts every product in `matvecs`.
 */
export class CenteredOperator {
  readonly rows: number;
  readonly cols: number;
  matvecs = 0;
  private readonly fwd: Product;
  private readonly bwd: Product;
  /** Stored entries. */
  readonly nnz: number;
  /** Aᵀ (or length-sorted copies), built in the heap for this operator and freed by `dispose`. */
  private readonly own: ReorderedCsr[] = [];
  /** Row splits of both products for the pool's thread count (computed once). */
  private readonly bounds: { fwd?: Int32Array; bwd?: Int32Array; threads: number } = { threads: 0 };
  /** Rank-one correction vectors (operator orientation): Ã = A − a·bᵀ; a has `rows`, b `cols` entries. */
  private readonly a: HeapArray<'f64'> | undefined;
  private readonly b: HeapArray<'f64'> | undefined;

  constructor(
    private readonly backend: Backend,
    A: SparseMatrix,
    center: Centering,
    means: Float64Array | undefined,
    transposed: boolean,
  ) {
    // A moves into the heap (its one copy); Aᵀ·x runs as a CSR product on a transpose built there: faster
    // than the scatter form and splittable by rows. A side of short rows is stored by length (sorted.ts).
    const h = A.moveToHeap(backend);
    const copy = (t: boolean, sort: boolean): Product => {
      const c = reordered(backend, h, A.rows, A.cols, t, sort);
      this.own.push(c);
      return { csr: c.csr, rows: c.rows };
    };
    let pa: Product;
    let pt: Product;
    try {
      pa = worthSorting(A.rows, A.nnz) ? copy(false, true) : { csr: h, rows: undefined };
      pt = copy(true, worthSorting(A.cols, A.nnz));
    } catch (e) {
      for (const o of this.own) o.free();
      throw e;
    }
    this.fwd = transposed ? pt : pa;
    this.bwd = transposed ? pa : pt;
    this.rows = transposed ? A.cols : A.rows;
    this.cols = transposed ? A.rows : A.cols;
    this.nnz = A.nnz;
    if (center !== 'none' && means) {
      const heap = backend.heap;
      // In A's orientation: left vector (A.rows) and right vector (A.cols).
      let left: HeapArray<'f64'> | undefined;
      let right: HeapArray<'f64'>;
      try {
        left = heap.allocArray('f64', A.rows);
        right = heap.allocArray('f64', A.cols);
      } catch (e) {
        left?.free();
        for (const o of this.own) o.free();
        throw e;
      }
      if (center === 'global') {
        left.view.fill(means[0]);
        right.view.fill(1);
      } else if (center === 'rows') {
        left.view.set(means);
        right.view.fill(1);
      } else {
        left.view.fill(1);
        right.view.set(means);
      }
      this.a = transposed ? right : left;
      this.b = transposed ? left : right;
    }
  }

  /** y (rows) ← Ã·x (x has cols entries). */
  mv(x: HeapRef<'f64'>, y: HeapRef<'f64'>): void {
    this.product(this.fwd, 'fwd', x, y, this.rows);
    if (this.a && this.b) this.correct(this.b, x, this.cols, this.a, y, this.rows);
    this.matvecs++;
  }

  /** y ← y − (bᵀx)·a: the rank-one centering term (b, x of length n; a, y of length m). */
  private correct(
    b: HeapRef<'f64'>,
    x: HeapRef<'f64'>,
    n: number,
    a: HeapRef<'f64'>,
    y: HeapRef<'f64'>,
    m: number,
  ): void {
    const kern = this.backend.kernels;
    const t = kern.call('dotF64', { x: b, y: x, n });
    if (t !== 0) kern.call('axpyF64', { a: -t, x: a, y, n: m });
  }

  /** y (cols) ← Ãᵀ·x (x has rows entries). */
  mtv(x: HeapRef<'f64'>, y: HeapRef<'f64'>): void {
    this.product(this.bwd, 'bwd', x, y, this.cols);
    if (this.a && this.b) this.correct(this.a, x, this.rows, this.b, y, this.cols);
    this.matvecs++;
  }

  /**
   * y ← M·x for one of the two CSR matrices: on the 'wasm-threads' backend, large products are split into
   * row ranges with balanced stored entries (each y entry is one row's sum: bit-identical to one call).
   */
  private product(c: Product, which: 'fwd' | 'bwd', x: HeapRef<'f64'>, y: HeapRef<'f64'>, rows: number): void {
    const plan = {
      rows,
      work: this.nnz,
      unit: 'nnzSeries' as const,
      // Row pointers of the stored rows, read when splitting (a heap view: never kept across an allocation).
      split: (threads: number) => this.split(which, () => c.csr.indptr.view, rows, threads),
    };
    const { indptr, indices, data } = c.csr;
    if (!c.rows) this.backend.kernels.runRows('csrMvF64', { indptr, indices, data, x, y }, plan);
    else this.backend.kernels.runRows('csrMvRowsF64', { indptr, indices, data, rows: c.rows, x, y }, plan);
  }

  /** Rows of one product in CHUNKS_PER_THREAD·threads ranges of balanced stored entries (cached per thread count). */
  private split(which: 'fwd' | 'bwd', rowPtr: () => Int32Array, rows: number, threads: number): Int32Array {
    if (this.bounds.threads !== threads) {
      this.bounds.threads = threads;
      this.bounds.fwd = this.bounds.bwd = undefined;
    }
    if (this.bounds[which]) return this.bounds[which];
    const indptr = rowPtr();
    const bounds = balancedBounds(rows, (r) => indptr[r + 1] - indptr[r] + 2, CHUNKS_PER_THREAD * threads);
    this.bounds[which] = bounds;
    return bounds;
  }

  /** Free the transpose (or sorted copies) and the centering vectors (the matrix itself stays in the heap, where it now lives). */
  dispose(): void {
    for (const o of this.own) o.free();
    this.a?.free();
    this.b?.free();
  }
}
