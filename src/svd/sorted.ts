/**
 * Length-sorted CSR copies for the SVD operator's products. On very sparse data (a few entries a row, the
 * lengths at random: Gowalla, the item side of Last.fm or a citation set) the row loop of y = A·x mispredicts
 * its trip count every row and costs 3–4× the arithmetic; stored by descending length (csrMvRowsF64, which
 * writes y[rows[i]] for stored row i) the loops are predictable. Built once per SVD call, in O(nnz).
 * @module
 */
import type { CsrArrays, HeapCsr } from '../data/csr-heap.js';
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

/** A length-sorted copy in the heap: stored row i is the source's row rows[i]. */
export interface SortedCsr {
  csr: HeapCsr;
  rows: HeapArray<'i32'>;
  free(): void;
}

/**
 * The rows of `src` (nr × nc) — or, with `transpose`, the rows of its transpose — stored by descending
 * length (ties in index order), entries of a row in ascending column order.
 */
export function lengthSorted(backend: Backend, src: HeapCsr, nr: number, nc: number, transpose: boolean): SortedCsr {
  const heap = backend.heap;
  const n = transpose ? nc : nr;
  const nnz = src.indices.length;
  const blocks: HeapArray<'i32' | 'f32'>[] = [];
  try {
    blocks.push(
      heap.allocArray('i32', n + 1),
      heap.allocArray('i32', nnz),
      heap.allocArray('f32', nnz),
      heap.allocArray('i32', n),
    );
  } catch (e) {
    for (const b of blocks) b.free();
    throw e;
  }
  const [ipH, ixH, dtH, rowsH] = blocks as [HeapArray<'i32'>, HeapArray<'i32'>, HeapArray<'f32'>, HeapArray<'i32'>];
  // Views after every allocation.
  const s: CsrArrays = { indptr: src.indptr.view, indices: src.indices.view, data: src.data.view };
  const out: CsrArrays = { indptr: ipH.view, indices: ixH.view, data: dtH.view };
  fill(s, nr, n, transpose, out, rowsH.view);
  const csr = { indptr: ipH, indices: ixH, data: dtH };
  return { csr, rows: rowsH, free: () => blocks.forEach((b) => b.isFreed || b.free()) };
}

function fill(s: CsrArrays, nr: number, n: number, transpose: boolean, out: CsrArrays, order: Int32Array): void {
  const { indptr: ip, indices: ix, data: dt } = s;
  const len = new Int32Array(n);
  if (transpose) for (let p = 0; p < ip[nr]; p++) len[ix[p]]++;
  else for (let r = 0; r < n; r++) len[r] = ip[r + 1] - ip[r];
  // Counting sort of the rows by descending length (stable).
  let longest = 0;
  for (let r = 0; r < n; r++) if (len[r] > longest) longest = len[r];
  const start = new Int32Array(longest + 2);
  for (let r = 0; r < n; r++) start[longest - len[r] + 1]++;
  for (let l = 0; l <= longest; l++) start[l + 1] += start[l];
  for (let r = 0; r < n; r++) order[start[longest - len[r]]++] = r;
  const { indptr, indices, data } = out;
  indptr[0] = 0;
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i] + len[order[i]];
  if (!transpose) {
    for (let i = 0; i < n; i++) {
      const r = order[i];
      let q = indptr[i];
      for (let p = ip[r], e = ip[r + 1]; p < e; p++, q++) {
        indices[q] = ix[p];
        data[q] = dt[p];
      }
    }
    return;
  }
  // Transpose: column c of the source becomes stored row pos[c]; sources rows in order keep each row sorted.
  const next = new Int32Array(n);
  for (let i = 0; i < n; i++) next[order[i]] = indptr[i];
  for (let r = 0; r < nr; r++) {
    for (let p = ip[r], e = ip[r + 1]; p < e; p++) {
      const q = next[ix[p]]++;
      indices[q] = r;
      data[q] = dt[p];
    }
  }
}
