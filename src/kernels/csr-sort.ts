// Pure-JS twin of assembly/csr-sort.ts: reordered CSR copies (a matrix's rows or its transpose's, stored in
// row order or by descending length).
import type { TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';

export function csrSortKernels(h: HeapViews): Pick<TwinKernels, 'csrReorder'> {
  return {
    csrReorder(indptr, indices, data, nr, nc, transpose, sortRows, oIndptr, oIndices, oData, oRows, scratch) {
      void scratch;
      const { i32: I, f32: F } = h;
      const ip = indptr >>> 2;
      const ix = indices >>> 2;
      const dt = data >>> 2;
      const n = transpose ? nc : nr;
      const len = new Int32Array(n);
      if (transpose) for (let p = 0; p < I[ip + nr]; p++) len[I[ix + p]]++;
      else for (let r = 0; r < n; r++) len[r] = I[ip + r + 1] - I[ip + r];
      const order = new Int32Array(n);
      if (sortRows) {
        let longest = 0;
        for (let r = 0; r < n; r++) longest = Math.max(longest, len[r]);
        const start = new Int32Array(longest + 2);
        for (let r = 0; r < n; r++) start[longest - len[r] + 1]++;
        for (let l = 0; l <= longest; l++) start[l + 1] += start[l];
        for (let r = 0; r < n; r++) order[start[longest - len[r]]++] = r;
      } else for (let r = 0; r < n; r++) order[r] = r;
      if (oRows !== 0) I.set(order, oRows >>> 2);
      const op = oIndptr >>> 2;
      const oi = oIndices >>> 2;
      const od = oData >>> 2;
      I[op] = 0;
      for (let i = 0; i < n; i++) {
        const r = order[i];
        const at = I[op + i];
        I[op + i + 1] = at + len[r];
        len[r] = at;
      }
      if (!transpose) {
        for (let r = 0; r < n; r++) {
          let q = len[r];
          for (let p = I[ip + r]; p < I[ip + r + 1]; p++, q++) {
            I[oi + q] = I[ix + p];
            F[od + q] = F[dt + p];
          }
        }
        return;
      }
      for (let r = 0; r < nr; r++) {
        for (let p = I[ip + r]; p < I[ip + r + 1]; p++) {
          const q = len[I[ix + p]]++;
          I[oi + q] = r;
          F[od + q] = F[dt + p];
        }
      }
    },
  };
}
