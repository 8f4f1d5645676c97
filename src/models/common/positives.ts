/**
 * The positive interactions of the SGD models: BPR and LogisticMF learn from the stored entries with a
 * value > 0 (a zero or negative value is no evidence that the user likes the item), as a matrix with
 * sorted rows — the input itself when every value is positive.
 * @module
 */
import { SparseMatrix } from '../../data/csr.js';

export function positiveEntries(m: SparseMatrix): SparseMatrix {
  const { indptr, indices, data } = m.arrays();
  let keep = 0;
  for (let p = 0; p < data.length; p++) if (data[p] > 0) keep++;
  if (keep === data.length) return m;
  const ip = new Int32Array(m.rows + 1);
  const ix = new Int32Array(keep);
  const d = new Float32Array(keep);
  let q = 0;
  for (let r = 0; r < m.rows; r++) {
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      if (!(data[p] > 0)) continue;
      ix[q] = indices[p];
      d[q++] = data[p];
    }
    ip[r + 1] = q;
  }
  return SparseMatrix.trusted(ip, ix, d, m.shape);
}
