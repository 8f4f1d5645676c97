/**
 * ItemKNN's fit: the weighted matrix W (weights.ts) in the heap both ways, each item's K nearest
 * neighbours by WᵀW (knnNeighbors, items split over the worker pool, per-thread accumulators), compacted
 * into a CSR similarity matrix S (f64 values, neighbours in index order). S equals implicit 0.7.3's
 * `similarity` for the same weights, ties included.
 * @module
 */
import { ValidationError } from '../../errors.js';
import type { SparseMatrix } from '../../data/csr.js';
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import { guidedBounds } from '../../runtime/parallel.js';
import { knnWeights, type KnnWeighting } from './weights.js';

/** ItemKNN's similarity matrix S (items × items CSR in the heap; row i = item i's neighbours). */
export interface KnnSimilarity {
  readonly indptr: HeapArray<'i32'>;
  readonly indices: HeapArray<'i32'>;
  readonly data: HeapArray<'f64'>;
  readonly items: number;
  readonly nnz: number;
}

export interface KnnFitOptions {
  neighbors: number;
  weighting: KnnWeighting;
  k1: number;
  b: number;
}

export function freeSimilarity(s: KnnSimilarity): void {
  for (const a of [s.indptr, s.indices, s.data]) if (!a.isFreed) a.free();
}

/** Compute S for X (users × items). */
export function fitSimilarity(backend: Backend, X: SparseMatrix, o: KnnFitOptions): KnnSimilarity {
  if (!Number.isInteger(o.neighbors) || o.neighbors < 1)
    throw new ValidationError(`ItemKNN: neighbors must be an integer ≥ 1, got ${String(o.neighbors)}`);
  const [rows, n] = X.shape;
  const x = { indptr: X.indptr, indices: X.indices, data: X.data };
  const w = knnWeights(x, rows, n, o.weighting, o.k1, o.b);
  const nnz = x.indices.length;
  // Wᵀ by counting sort: users stay ascending within each item, the order implicit sums in.
  const tIndptr = new Int32Array(n + 1);
  for (let p = 0; p < nnz; p++) tIndptr[x.indices[p] + 1]++;
  for (let c = 0; c < n; c++) tIndptr[c + 1] += tIndptr[c];
  const fill = tIndptr.slice(0, n);
  const tIndices = new Int32Array(nnz);
  const tData = new Float64Array(nnz);
  for (let u = 0; u < rows; u++)
    for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) {
      const q = fill[x.indices[p]]++;
      tIndices[q] = u;
      tData[q] = w[p];
    }
  // Work per item: the products it sums (its users' row lengths).
  const cost = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let p = tIndptr[i]; p < tIndptr[i + 1]; p++) cost[i] += x.indptr[tIndices[p] + 1] - x.indptr[tIndices[p]];
  let work = 0;
  for (let i = 0; i < n; i++) work += cost[i];
  const K = Math.min(o.neighbors, Math.max(1, n));
  const heap = backend.heap;
  const scope = heap.scope();
  try {
    const up = scope.allocArray('i32', rows + 1);
    const ui = scope.allocArray('i32', Math.max(1, nnz));
    const ud = scope.allocArray('f64', Math.max(1, nnz));
    const ip = scope.allocArray('i32', n + 1);
    const ii = scope.allocArray('i32', Math.max(1, nnz));
    const id = scope.allocArray('f64', Math.max(1, nnz));
    const outIdx = scope.allocArray('i32', Math.max(1, n * K));
    const outVal = scope.allocArray('f64', Math.max(1, n * K));
    const outCount = scope.allocArray('i32', Math.max(1, n));
    const scratch = scope.allocArray('u8', backend.kernels.scratchFor('knnNeighbors', { nItems: n }));
    up.view.set(x.indptr);
    ui.view.set(x.indices);
    ud.view.set(w);
    ip.view.set(tIndptr);
    ii.view.set(tIndices);
    id.view.set(tData);
    backend.kernels.runRows(
      'knnNeighbors',
      {
        uIndptr: up,
        uIndices: ui,
        uData: ud,
        iIndptr: ip,
        iIndices: ii,
        iData: id,
        nItems: n,
        K,
        outIdx,
        outVal,
        outCount,
        positive: w.every((v) => v >= 1e-100) ? 1 : 0,
        scratch,
      },
      {
        rows: n,
        work,
        unit: 'nnz',
        split: (t) => guidedBounds(n, (i) => cost[i] + 16, t),
      },
    );
    return compact(backend, n, K, outIdx, outVal, outCount);
  } finally {
    scope.free();
  }
}

/** The K-slot rows as a CSR matrix in the heap. */
function compact(
  backend: Backend,
  n: number,
  K: number,
  outIdx: HeapArray<'i32'>,
  outVal: HeapArray<'f64'>,
  outCount: HeapArray<'i32'>,
): KnnSimilarity {
  const counts = outCount.view.slice(0, n);
  let nnz = 0;
  for (let i = 0; i < n; i++) nnz += counts[i];
  const heap = backend.heap;
  const indptr = heap.allocArray('i32', n + 1);
  const indices = heap.allocArray('i32', Math.max(1, nnz));
  const data = heap.allocArray('f64', Math.max(1, nnz));
  const ip = indptr.view;
  const ix = indices.view;
  const dv = data.view;
  const si = outIdx.view;
  const sv = outVal.view;
  let q = 0;
  for (let i = 0; i < n; i++) {
    ip[i] = q;
    ix.set(si.subarray(i * K, i * K + counts[i]), q);
    dv.set(sv.subarray(i * K, i * K + counts[i]), q);
    q += counts[i];
  }
  ip[n] = q;
  return { indptr, indices, data, items: n, nnz };
}
