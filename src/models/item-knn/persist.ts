/**
 * ItemKNN's part of a saved file: S as CSR arrays — row pointers and neighbours (i32) and the f64
 * similarities as pairs of i32 words (low word first, little-endian: the .lrk container stores f32 and i32
 * arrays only, and f32 would round S). A loaded S is checked entry by entry, since the scoring kernel
 * trusts its indices.
 * @module
 */
import type { Backend } from '../../runtime/backend.js';
import { inconsistent, type LoadedParts, type ModelParts } from '../../recommend/codec.js';
import type { KnnSimilarity } from './similarity.js';

/** f64 values as their i32 words, low word first (little-endian). */
function wordsOf(v: Float64Array): Int32Array {
  const dv = new DataView(new ArrayBuffer(8 * v.length));
  for (let p = 0; p < v.length; p++) dv.setFloat64(8 * p, v[p], true);
  const out = new Int32Array(2 * v.length);
  for (let q = 0; q < out.length; q++) out[q] = dv.getInt32(4 * q, true);
  return out;
}

/** The inverse of {@link wordsOf}. */
function valuesOf(w: Int32Array): Float64Array {
  const dv = new DataView(new ArrayBuffer(4 * w.length));
  for (let q = 0; q < w.length; q++) dv.setInt32(4 * q, w[q], true);
  const out = new Float64Array(w.length / 2);
  for (let p = 0; p < out.length; p++) out[p] = dv.getFloat64(8 * p, true);
  return out;
}

/** S and the user count as saved parts. */
export function knnParts(S: KnnSimilarity, users: number): ModelParts {
  return {
    header: { items: S.items, users, nnz: S.nnz },
    arrays: [
      ['similarity.indptr', S.indptr.toArray()],
      ['similarity.indices', S.indices.toArray().subarray(0, S.nnz)],
      ['similarity.data', wordsOf(S.data.toArray().subarray(0, S.nnz))],
    ],
  };
}

/** S from saved parts, checked (row pointers, sorted neighbour indices in range, finite values), in the heap. */
export function knnFromParts(backend: Backend, parts: LoadedParts): { S: KnnSimilarity; users: number } {
  const bad = (what: string) => inconsistent('ItemKNN', what);
  const { items, users, nnz } = parts.header as { items: unknown; users: unknown; nnz: unknown };
  const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (!count(items) || !count(users) || !count(nnz)) throw bad('items, users and nnz must be counts');
  const n = items as number;
  const ip = parts.arrays.get('similarity.indptr');
  const ix = parts.arrays.get('similarity.indices');
  const dw = parts.arrays.get('similarity.data');
  if (!(ip instanceof Int32Array && ix instanceof Int32Array && dw instanceof Int32Array))
    throw bad('the similarity arrays are missing');
  if (ip.length !== n + 1 || ix.length !== nnz || dw.length !== 2 * (nnz as number))
    throw bad(`the similarity arrays do not hold ${n} rows of ${String(nnz)} entries`);
  if (ip[0] !== 0 || ip[n] !== nnz) throw bad('similarity row pointers must run from 0 to nnz');
  for (let i = 0; i < n; i++) {
    if (ip[i + 1] < ip[i]) throw bad(`similarity row pointers decrease at row ${i}`);
    for (let p = ip[i]; p < ip[i + 1]; p++)
      if (ix[p] < 0 || ix[p] >= n || (p > ip[i] && ix[p] <= ix[p - 1]))
        throw bad(`similarity row ${i} has neighbour indices out of order or outside [0, ${n})`);
  }
  const data = valuesOf(dw);
  for (let p = 0; p < data.length; p++) if (!Number.isFinite(data[p])) throw bad(`similarity entry ${p} is not finite`);
  const heap = backend.heap;
  const indptr = heap.copyIn(ip);
  let indices: KnnSimilarity['indices'] | undefined;
  try {
    indices = heap.copyIn(ix.length > 0 ? ix : new Int32Array(1));
    const values = heap.copyIn(data.length > 0 ? data : new Float64Array(1));
    return { S: { indptr, indices, data: values, items: n, nnz: nnz as number }, users: users as number };
  } catch (e) {
    indptr.free();
    indices?.free();
    throw e;
  }
}
