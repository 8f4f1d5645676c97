// Reordered CSR copies for the SVD operator (src/svd/sorted.ts): a matrix's rows, or its transpose's, with
// the rows stored in their own order or by descending length (ties in row order). The JS twin is
// csrReorder in src/kernels/csr-sort.ts.

/**
 * Rows of the nr × nc CSR matrix (indptr, indices, data) — or, with `transpose`, of its transpose — into
 * (oIndptr, oIndices, oData): n = transpose ? nc : nr rows, stored by descending length when `sortRows`
 * (oRows[i] = the matrix row stored at i; oRows may be 0 when not sorting), else in row order. Entries of
 * a row keep ascending column order. scratch: 4·(n + m + 2) bytes, m = transpose ? nr : nc.
 */
export function csrReorder(
  indptr: usize, indices: usize, data: usize, nr: i32, nc: i32, transpose: i32, sortRows: i32,
  oIndptr: usize, oIndices: usize, oData: usize, oRows: usize, scratch: usize,
): void {
  const n = transpose ? nc : nr;
  const len = scratch;
  const nnz = load<i32>(indptr + (<usize>nr << 2));
  if (transpose) {
    memory.fill(len, 0, <usize>n << 2);
    for (let p = 0; p < nnz; p++) {
      const o = len + (<usize>load<i32>(indices + (<usize>p << 2)) << 2);
      store<i32>(o, load<i32>(o) + 1);
    }
  } else {
    for (let r = 0; r < n; r++) store<i32>(len + (<usize>r << 2), load<i32>(indptr + (<usize>r << 2), 4) - load<i32>(indptr + (<usize>r << 2)));
  }
  if (sortRows) {
    let longest = 0;
    for (let r = 0; r < n; r++) longest = max(longest, load<i32>(len + (<usize>r << 2)));
    const start = len + (<usize>n << 2);
    memory.fill(start, 0, <usize>(longest + 2) << 2);
    for (let r = 0; r < n; r++) {
      const o = start + (<usize>(longest - load<i32>(len + (<usize>r << 2)) + 1) << 2);
      store<i32>(o, load<i32>(o) + 1);
    }
    for (let l = 0; l <= longest; l++) {
      const o = start + (<usize>(l + 1) << 2);
      store<i32>(o, load<i32>(o) + load<i32>(o - 4));
    }
    for (let r = 0; r < n; r++) {
      const o = start + (<usize>(longest - load<i32>(len + (<usize>r << 2))) << 2);
      const i = load<i32>(o);
      store<i32>(o, i + 1);
      store<i32>(oRows + (<usize>i << 2), r);
    }
  } else if (oRows != 0) {
    for (let r = 0; r < n; r++) store<i32>(oRows + (<usize>r << 2), r);
  }
  // Row pointers in stored order; then `len` becomes each matrix row's next free slot.
  store<i32>(oIndptr, 0);
  for (let i = 0; i < n; i++) {
    const r = sortRows ? load<i32>(oRows + (<usize>i << 2)) : i;
    const at = load<i32>(oIndptr + (<usize>i << 2));
    store<i32>(oIndptr + (<usize>(i + 1) << 2), at + load<i32>(len + (<usize>r << 2)));
    store<i32>(len + (<usize>r << 2), at);
  }
  if (!transpose) {
    for (let r = 0; r < n; r++) {
      let q = load<i32>(len + (<usize>r << 2));
      const e = load<i32>(indptr + (<usize>r << 2), 4);
      for (let p = load<i32>(indptr + (<usize>r << 2)); p < e; p++, q++) {
        store<i32>(oIndices + (<usize>q << 2), load<i32>(indices + (<usize>p << 2)));
        store<f32>(oData + (<usize>q << 2), load<f32>(data + (<usize>p << 2)));
      }
    }
    return;
  }
  for (let r = 0; r < nr; r++) {
    const e = load<i32>(indptr + (<usize>r << 2), 4);
    for (let p = load<i32>(indptr + (<usize>r << 2)); p < e; p++) {
      const o = len + (<usize>load<i32>(indices + (<usize>p << 2)) << 2);
      const q = load<i32>(o);
      store<i32>(o, q + 1);
      store<i32>(oIndices + (<usize>q << 2), r);
      store<f32>(oData + (<usize>q << 2), load<f32>(data + (<usize>p << 2)));
    }
  }
}
