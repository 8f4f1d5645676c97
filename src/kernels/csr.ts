// Pure-JS twin of assembly/csr.ts: the CSR matrix-vector product (indptr/indices i32, data f32, x/y f64).
import type { TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';

export function csrKernels(h: HeapViews): Pick<TwinKernels, 'csrMvF64' | 'csrMvRowsF64'> {
  return {
    csrMvF64(indptr, indices, data, x, y, r0, r1) {
      const I = h.i32;
      const F = h.f32;
      const D = h.f64;
      const ip = indptr >>> 2;
      const ix = indices >>> 2;
      const dp = data >>> 2;
      const xo = x >>> 3;
      const yo = y >>> 3;
      for (let r = r0; r < r1; r++) {
        let s = 0;
        const end = I[ip + r + 1];
        for (let j = I[ip + r]; j < end; j++) s += F[dp + j] * D[xo + I[ix + j]];
        D[yo + r] = s;
      }
    },

    csrMvRowsF64(indptr, indices, data, rows, x, y, r0, r1) {
      const I = h.i32;
      const F = h.f32;
      const D = h.f64;
      const ip = indptr >>> 2;
      const ix = indices >>> 2;
      const dp = data >>> 2;
      const ro = rows >>> 2;
      const xo = x >>> 3;
      const yo = y >>> 3;
      for (let r = r0; r < r1; r++) {
        let s = 0;
        const end = I[ip + r + 1];
        for (let j = I[ip + r]; j < end; j++) s += F[dp + j] * D[xo + I[ix + j]];
        D[yo + I[ro + r]] = s;
      }
    },
  };
}
