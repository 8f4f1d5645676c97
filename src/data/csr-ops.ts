/**
 * Derived CSR arrays for SparseMatrix's methods (which wrap them as new matrices): row slices and entry
 * filters. Plain functions of the arrays, so they need no SparseMatrix.
 * @module
 */
import { ValidationError } from '../errors.js';
import type { CsrArrays } from './csr-heap.js';

/** Rows [start, end) of a CSR matrix with `nr` rows, checked. */
export function sliceRange(src: CsrArrays, nr: number, start: number, stop: number | undefined): CsrArrays {
  const end = stop ?? nr;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > nr || start > end) {
    throw new ValidationError(`SparseMatrix.sliceRows: range [${start}, ${end}) is not inside [0, ${nr}]`);
  }
  const base = src.indptr[start];
  const indptr = new Int32Array(end - start + 1);
  for (let r = start; r <= end; r++) indptr[r - start] = src.indptr[r] - base;
  const last = src.indptr[end];
  return { indptr, indices: src.indices.slice(base, last), data: src.data.slice(base, last) };
}

/** The listed rows of a CSR matrix with `nr` rows, in the given order, checked. */
export function sliceList(src: CsrArrays, nr: number, rows: ArrayLike<number>): CsrArrays {
  if (rows == null || typeof rows.length !== 'number')
    throw new ValidationError('SparseMatrix.sliceRows: expected (start, end) or an array of row indices');
  const k = rows.length;
  const indptr = new Int32Array(k + 1);
  for (let i = 0; i < k; i++) {
    const r = rows[i];
    if (!Number.isInteger(r) || r < 0 || r >= nr)
      throw new ValidationError(`SparseMatrix.sliceRows: row index ${r} at position ${i} is out of range [0, ${nr})`);
    indptr[i + 1] = indptr[i] + src.indptr[r + 1] - src.indptr[r];
  }
  const indices = new Int32Array(indptr[k]);
  const data = new Float32Array(indptr[k]);
  for (let i = 0; i < k; i++) {
    const r = rows[i];
    indices.set(src.indices.subarray(src.indptr[r], src.indptr[r + 1]), indptr[i]);
    data.set(src.data.subarray(src.indptr[r], src.indptr[r + 1]), indptr[i]);
  }
  return { indptr, indices, data };
}

/** The entries where `keep(value)`, with values replaced by `value(v)`, of a CSR matrix with `nr` rows. */
export function filterEntries(
  src: CsrArrays,
  nr: number,
  keep: (v: number) => boolean,
  value: (v: number) => number,
): CsrArrays {
  const indptr = new Int32Array(nr + 1);
  let w = 0;
  const indices = new Int32Array(src.indices.length);
  const data = new Float32Array(src.indices.length);
  for (let r = 0; r < nr; r++) {
    for (let p = src.indptr[r]; p < src.indptr[r + 1]; p++) {
      const v = src.data[p];
      if (keep(v)) {
        indices[w] = src.indices[p];
        data[w++] = value(v);
      }
    }
    indptr[r + 1] = w;
  }
  return { indptr, indices: indices.slice(0, w), data: data.slice(0, w) };
}
