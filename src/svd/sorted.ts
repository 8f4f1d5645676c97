/**
 * The CSR copies the SVD operator's products run on: Aᵀ, and length-sorted copies. On very sparse data (a
 * few entries a row, the lengths at random: Gowalla, the item side of Last.fm or a citation set) the row
 * loop of y = A·x mispredicts its trip count every row and costs 3–4× the arithmetic; stored by descending
 * length (csrMvRowsF64, which writes y[rows[i]] for stored row i) the loops are predictable. Built once per
 * SVD call by the csrReorder kernel, in O(nnz).
 * @module
 */
import type { HeapCsr } from '../data/csr-heap.js';
import { scratchBytes } from '../kernels/declarations.js';
import type { Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';

/** Rows shorter than this on average are worth sorting (longer rows amortise their misses). */
const SORT_BELOW_MEAN = 24;
/** ... when there are at least this many. */
const SORT_MIN_ROWS = 1000;

/** Whether a product over `rows` rows holding `nnz` entries runs faster on a length-sorted copy. */
export function worthSorting(rows: number, nnz: number): boolean {
  return rows >= SORT_MIN_ROWS && nnz < SORT_BELOW_MEAN * rows;
}

/** A reordered copy in the heap: stored row i is the source's row rows[i] (rows undefined: row order). */
export interface ReorderedCsr {
  csr: HeapCsr;
  rows: HeapArray<'i32'> | undefined;
  free(): void;
}

/**
 * The rows of `src` (nr × nc) — or, with `transpose`, the rows of its transpose — stored by descending
 * length when `sort` (ties in index order), else in row order; entries of a row in ascending column order.
 */
export function reordered(
  backend: Backend,
  src: HeapCsr,
  nr: number,
  nc: number,
  transpose: boolean,
  sort: boolean,
): ReorderedCsr {
  const heap = backend.heap;
  const n = transpose ? nc : nr;
  const nnz = src.indices.length;
  const blocks: HeapArray<'i32' | 'f32'>[] = [];
  let scratch: HeapArray<'u8'>;
  try {
    blocks.push(heap.allocArray('i32', n + 1), heap.allocArray('i32', nnz), heap.allocArray('f32', nnz));
    if (sort) blocks.push(heap.allocArray('i32', n));
    scratch = heap.allocArray('u8', scratchBytes('csrReorder', { nr, nc }));
  } catch (e) {
    for (const b of blocks) b.free();
    throw e;
  }
  const [indptr, indices, data, rows] = blocks as [
    HeapArray<'i32'>,
    HeapArray<'i32'>,
    HeapArray<'f32'>,
    HeapArray<'i32'> | undefined,
  ];
  try {
    backend.kernels.call('csrReorder', {
      indptr: src.indptr,
      indices: src.indices,
      data: src.data,
      nr,
      nc,
      transpose: transpose ? 1 : 0,
      sortRows: sort ? 1 : 0,
      oIndptr: indptr,
      oIndices: indices,
      oData: data,
      oRows: rows,
      scratch,
    });
  } finally {
    scratch.free();
  }
  const free = () => {
    for (const b of blocks) if (!b.isFreed) b.free();
  };
  return { csr: { indptr, indices, data }, rows, free };
}
