/**
 * Where a SparseMatrix's arrays live besides JS memory: its blocks in backends' heaps (freed together when
 * the matrix is collected), the weak JS copies of a heap-resident matrix, and the transpose a fit builds
 * straight into the heap.
 * @module
 */
import type { Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';
import type { Releasable } from '../runtime/lifetime.js';

/** Pointers of a matrix's arrays in a backend's heap, valid while the matrix is alive. */
export interface HeapCsr {
  indptr: HeapArray<'i32'>;
  indices: HeapArray<'i32'>;
  data: HeapArray<'f32'>;
}

/** The three CSR arrays. */
export interface CsrArrays {
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
}

export function freeCsr(h: HeapCsr): void {
  for (const a of [h.indptr, h.indices, h.data]) if (!a.isFreed) a.free();
}

/** A matrix's heap blocks, one set per backend: what is freed when the matrix is collected (never references it). */
export class HeapCopies implements Releasable {
  readonly byBackend = new Map<Backend, HeapCsr>();
  free(): void {
    for (const h of this.byBackend.values()) freeCsr(h);
    this.byBackend.clear();
  }
}

/** A JS copy of one heap array, held weakly: alive while a caller holds it, remade after collection. */
export type WeakCopy<T extends object> = { deref(): T | undefined } | undefined;
export const weakly = <T extends object>(v: T): WeakCopy<T> =>
  typeof WeakRef === 'function' ? new WeakRef(v) : undefined;

/**
 * Counting-sort transpose of an nr × nc CSR matrix `a` into `out` (indptr nc + 1, indices/data nnz),
 * which may be views of heap blocks (a fit builds its transpose in the heap, never in JS).
 * @internal
 */
export function transposeInto(a: CsrArrays, nr: number, nc: number, out: CsrArrays): void {
  const { indptr: ip, indices: ix, data: dt } = a;
  const { indptr, indices, data } = out;
  const nnz = ip[nr];
  indptr.fill(0);
  for (let p = 0; p < nnz; p++) indptr[ix[p] + 1]++;
  for (let c = 0; c < nc; c++) indptr[c + 1] += indptr[c];
  const fill = indptr.slice(0, nc);
  for (let r = 0; r < nr; r++) {
    for (let p = ip[r], e = ip[r + 1]; p < e; p++) {
      const q = fill[ix[p]]++;
      indices[q] = r;
      data[q] = dt[p];
    }
  }
}

/** A CSR matrix that exists only in a backend's heap: the transpose a fit or an SVD iterates with. */
export class HeapTranspose implements Releasable {
  constructor(
    readonly csr: HeapCsr,
    readonly rows: number,
    readonly cols: number,
  ) {}
  get nnz(): number {
    return this.csr.indices.length;
  }
  /** Row pointers: a heap view, valid until the next allocation. */
  get indptr(): Int32Array {
    return this.csr.indptr.view;
  }
  free(): void {
    freeCsr(this.csr);
  }
}

/**
 * The transpose (cols × rows) of the rows × cols matrix whose heap blocks are `src`, built in the same heap
 * with no JS copy: 8 bytes per stored entry, freed by the caller.
 */
export function heapTranspose(backend: Backend, src: HeapCsr, rows: number, cols: number): HeapTranspose {
  const heap = backend.heap;
  const nnz = src.indices.length;
  const blocks: HeapArray<'i32' | 'f32'>[] = [];
  try {
    blocks.push(heap.allocArray('i32', cols + 1), heap.allocArray('i32', nnz), heap.allocArray('f32', nnz));
  } catch (e) {
    for (const b of blocks) b.free();
    throw e;
  }
  const csr = {
    indptr: blocks[0] as HeapArray<'i32'>,
    indices: blocks[1] as HeapArray<'i32'>,
    data: blocks[2] as HeapArray<'f32'>,
  };
  // Views after every allocation.
  transposeInto({ indptr: src.indptr.view, indices: src.indices.view, data: src.data.view }, rows, cols, {
    indptr: csr.indptr.view,
    indices: csr.indices.view,
    data: csr.data.view,
  });
  return new HeapTranspose(csr, cols, rows);
}
