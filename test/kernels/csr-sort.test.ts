// csrReorder (row-order and length-sorted copies, of a matrix or its transpose) and csrMvRowsF64 (the product
// over a length-sorted copy) against plain references, on both backends.
import { describe, expect, it } from 'vitest';
import { BACKENDS, type Csr, mulberry32, randomCsr, useBackend } from './util.js';

/** The transpose, rows in order (a reference for csrReorder). */
function transposeRef(A: Csr): Csr {
  const rows = Array.from({ length: A.cols }, () => [] as [number, number][]);
  for (let r = 0; r < A.rows; r++)
    for (let p = A.indptr[r]; p < A.indptr[r + 1]; p++) rows[A.indices[p]].push([r, A.data[p]]);
  const indptr = new Int32Array(A.cols + 1);
  for (let c = 0; c < rows.length; c++) indptr[c + 1] = indptr[c] + rows[c].length;
  return {
    rows: A.cols,
    cols: A.rows,
    indptr,
    indices: Int32Array.from(rows.flat().map((e) => e[0])),
    data: Float32Array.from(rows.flat().map((e) => e[1])),
  };
}

describe.each(BACKENDS)('csrReorder and csrMvRowsF64 (%s)', (name) => {
  for (const [nr, nc, maxPer] of [
    [0, 4, 3],
    [1, 1, 1],
    [37, 23, 9],
    [300, 200, 40],
  ] as const) {
    it(`copies rows and transposes, in row order and by length (${nr}×${nc})`, async () => {
      const b = await useBackend(name);
      const A = randomCsr(mulberry32(nr * 7 + nc), nr, nc, maxPer);
      const h = { ip: b.heap.copyIn(A.indptr), ix: b.heap.copyIn(A.indices), d: b.heap.copyIn(A.data) };
      for (const transpose of [0, 1]) {
        const ref = transpose ? transposeRef(A) : A;
        const n = ref.rows;
        for (const sortRows of [0, 1]) {
          const nnz = A.indptr[nr];
          const oi = b.heap.allocArray('i32', n + 1);
          const ox = b.heap.allocArray('i32', nnz);
          const od = b.heap.allocArray('f32', nnz);
          const orows = b.heap.allocArray('i32', Math.max(1, n));
          const scratch = b.heap.alloc(4 * (n + (transpose ? nr : nc) + 2));
          b.k.csrReorder(
            h.ip.ptr,
            h.ix.ptr,
            h.d.ptr,
            nr,
            nc,
            transpose,
            sortRows,
            oi.ptr,
            ox.ptr,
            od.ptr,
            orows.ptr,
            scratch,
          );
          const order = Array.from(orows.view.subarray(0, n));
          const len = (r: number) => ref.indptr[r + 1] - ref.indptr[r];
          const want = Array.from({ length: n }, (_, i) => i);
          if (sortRows) want.sort((x, y) => len(y) - len(x) || x - y);
          expect(order).toEqual(want);
          for (let i = 0; i < n; i++) {
            const r = order[i];
            const got = [oi.view[i], oi.view[i + 1]];
            expect(got[1] - got[0]).toBe(len(r));
            expect(Array.from(ox.view.subarray(got[0], got[1]))).toEqual(
              Array.from(ref.indices.subarray(ref.indptr[r], ref.indptr[r + 1])),
            );
            expect(Array.from(od.view.subarray(got[0], got[1]))).toEqual(
              Array.from(ref.data.subarray(ref.indptr[r], ref.indptr[r + 1])),
            );
          }
          if (sortRows) {
            // y = A·x over the sorted copy equals the row-order product, row by row
            const x = b.heap.copyIn(Float64Array.from({ length: ref.cols }, (_, j) => Math.sin(j + 1)));
            const y = b.heap.allocArray('f64', Math.max(1, n));
            const y0 = b.heap.allocArray('f64', Math.max(1, n));
            const ri = b.heap.copyIn(ref.indptr);
            const rx = b.heap.copyIn(ref.indices.length ? ref.indices : new Int32Array(1));
            const rd = b.heap.copyIn(ref.data.length ? ref.data : new Float32Array(1));
            b.k.csrMvRowsF64(oi.ptr, ox.ptr, od.ptr, orows.ptr, x.ptr, y.ptr, 0, n);
            b.k.csrMvF64(ri.ptr, rx.ptr, rd.ptr, x.ptr, y0.ptr, 0, n);
            for (let r = 0; r < n; r++) expect(y.view[r]).toBeCloseTo(y0.view[r], 12);
            for (const a of [x, y, y0, ri, rx, rd]) a.free();
          }
          for (const a of [oi, ox, od, orows]) a.free();
          b.heap.free(scratch);
        }
      }
      for (const a of [h.ip, h.ix, h.d]) a.free();
    });
  }
});
