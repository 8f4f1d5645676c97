/**
 * Fitting EASE (Steck 2019): B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹, on the items of X or on its
 * `maxItems` most popular ones. G is built from the sparse matrix in f64 (easeGram, split by rows),
 * inverted in place by blocked Cholesky (inverse.ts), and B is written in f32 (easeFinish); G is freed.
 * The fit needs 12·n² bytes of heap at its peak (G in f64, B in f32, n items), 4·n² after; it refuses
 * before allocating anything when that does not fit, naming the largest n that would.
 * @module
 */
import { OutOfMemoryError, ValidationError } from '../../errors.js';
import type { SparseMatrix } from '../../data/csr.js';
import type { CsrArrays } from '../../data/csr-heap.js';
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import { alignedBounds, BLOCK, invertSpd } from './inverse.js';

/** A fitted EASE: B (n × n f32, row-major) over n items, `items[c]` = the original index of column c. */
export interface EaseFit {
  readonly B: HeapArray<'f32'>;
  readonly n: number;
  /** Original item index of each of B's rows/columns; undefined when B covers every item in order. */
  readonly items: Int32Array | undefined;
  /** The λ used. */
  readonly lambda: number;
}

/** Heap bytes a fit on n items needs at its peak: G (f64) and B (f32), plus the inverse's panel scratch. */
export function easeFitBytes(n: number): number {
  return 12 * n * n + 8 * BLOCK * (n + BLOCK) + 64;
}

/** The most items whose fit needs at most `bytes` of heap. */
export function easeMaxItems(bytes: number): number {
  let n = Math.floor(Math.sqrt(Math.max(0, bytes) / 12));
  while (n > 0 && easeFitBytes(n) > bytes) n--;
  return n;
}

/**
 * The `maxItems` items with the most interactions (stored entries; ties to the lower index), in index
 * order, or undefined when that is every item.
 */
export function popularItems(m: SparseMatrix, maxItems: number): Int32Array | undefined {
  const n = m.cols;
  if (maxItems >= n) return undefined;
  const count = new Int32Array(n);
  const ix = m.arrays().indices;
  for (let p = 0; p < ix.length; p++) count[ix[p]]++;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => count[b] - count[a] || a - b);
  return order.subarray(0, maxItems).sort();
}

/** X restricted to the columns `items` (renumbered 0..items.length−1), rows kept. */
function restrictColumns(a: CsrArrays, rows: number, cols: number, items: Int32Array): CsrArrays {
  const map = new Int32Array(cols).fill(-1);
  for (let c = 0; c < items.length; c++) map[items[c]] = c;
  const indptr = new Int32Array(rows + 1);
  let nnz = 0;
  for (let p = 0; p < a.indices.length; p++) if (map[a.indices[p]] >= 0) nnz++;
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  let q = 0;
  for (let r = 0; r < rows; r++) {
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      const c = map[a.indices[p]];
      if (c < 0) continue;
      indices[q] = c;
      data[q++] = a.data[p];
    }
    indptr[r + 1] = q;
  }
  return { indptr, indices, data };
}

/** Counting-sort transpose (rows stay ascending within each column). */
function transpose(a: CsrArrays, rows: number, cols: number): CsrArrays {
  const indptr = new Int32Array(cols + 1);
  for (let p = 0; p < a.indices.length; p++) indptr[a.indices[p] + 1]++;
  for (let c = 0; c < cols; c++) indptr[c + 1] += indptr[c];
  const fill = indptr.slice(0, cols);
  const indices = new Int32Array(a.indices.length);
  const data = new Float32Array(a.indices.length);
  for (let r = 0; r < rows; r++)
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      const q = fill[a.indices[p]]++;
      indices[q] = r;
      data[q] = a.data[p];
    }
  return { indptr, indices, data };
}

/** Throw an OutOfMemoryError unless a fit on n items fits the heap's remaining room. */
function checkRoom(backend: Backend, n: number, where: string): void {
  const heap = backend.heap;
  const room = heap.storage.maxBytes - heap.bytesInUse;
  const need = easeFitBytes(n);
  if (need <= room) return;
  const fits = easeMaxItems(room);
  throw new OutOfMemoryError(
    need,
    heap.bytesInUse,
    `${where} on ${n} items needs 12·items² bytes (the Gram matrix in f64 and B in f32); at most ${fits} items fit — pass maxItems: ${fits} (or fewer) to fit on the most popular items only`,
  );
}

/** Fit EASE on X (users × items) with regularization λ, on at most `maxItems` of the most popular items. */
export function fitEase(backend: Backend, X: SparseMatrix, lambda: number, maxItems = Infinity): EaseFit {
  if (!(typeof lambda === 'number' && Number.isFinite(lambda) && lambda >= 0))
    throw new ValidationError(`EASE: regularization must be a finite number ≥ 0, got ${String(lambda)}`);
  const items = popularItems(X, maxItems);
  const n = items ? items.length : X.cols;
  checkRoom(backend, n, 'EASE');
  const rows = X.rows;
  // JS arrays (copies, for a matrix living in the heap: heap views would not survive the allocations below).
  const whole: CsrArrays = { indptr: X.indptr, indices: X.indices, data: X.data };
  const csr = items ? restrictColumns(whole, rows, X.cols, items) : whole;
  const t = transpose(csr, rows, n);
  const heap = backend.heap;
  const scope = heap.scope();
  let G: HeapArray<'f64'> | undefined;
  try {
    const up = scope.allocArray('i32', rows + 1);
    const ui = scope.allocArray('i32', Math.max(1, csr.indices.length));
    const ud = scope.allocArray('f32', Math.max(1, csr.indices.length));
    const ip = scope.allocArray('i32', n + 1);
    const ii = scope.allocArray('i32', Math.max(1, t.indices.length));
    const id = scope.allocArray('f32', Math.max(1, t.indices.length));
    G = heap.allocArray('f64', Math.max(1, n * n));
    up.view.set(csr.indptr);
    ui.view.set(csr.indices);
    ud.view.set(csr.data);
    ip.view.set(t.indptr);
    ii.view.set(t.indices);
    id.view.set(t.data);
    const cost = (i: number): number => n / 8 + (t.indptr[i + 1] - t.indptr[i]) * 16;
    backend.kernels.runRows(
      'easeGram',
      {
        uIndptr: up.ptr,
        uIndices: ui.ptr,
        uData: ud.ptr,
        iIndptr: ip.ptr,
        iIndices: ii.ptr,
        iData: id.ptr,
        n,
        lambda,
        G: G.ptr,
      },
      { rows: n, work: n * n, unit: 'nnz', split: (th) => alignedBounds(n, th, cost, 1) },
    );
    scope.free();
    invertSpd(backend, G, n);
    const B = heap.allocArray('f32', Math.max(1, n * n));
    backend.kernels.runRows(
      'easeFinish',
      { P: G.ptr, n, B: B.ptr },
      { rows: n, work: n * n, unit: 'nnz', split: (th) => alignedBounds(n, th, () => 1, 32) },
    );
    return { B, n, items, lambda };
  } finally {
    scope.free();
    G?.free();
  }
}
