// Pure-JS twin of assembly/csr.ts: CSR matrix-vector products (indptr/indices i32, data f32).
import type { HeapViews } from '../runtime/heap.js';
import type { CsrKernels } from './types.js';

export function csrKernels(h: HeapViews): CsrKernels {
  return {
    csrMvF32(indptr, indices, data, x, y, r0, r1) {
      const I = h.i32;
      const F = h.f32;
      const ip = indptr >> 2;
      const ix = indices >> 2;
      const dp = data >> 2;
      const xo = x >> 2;
      const yo = y >> 2;
      for (let r = r0; r < r1; r++) {
        let s = 0;
        const end = I[ip + r + 1];
        for (let j = I[ip + r]; j < end; j++) s += F[dp + j] * F[xo + I[ix + j]];
        F[yo + r] = s;
      }
    },
    csrMvF64(indptr, indices, data, x, y, r0, r1) {
      const I = h.i32;
      const F = h.f32;
      const D = h.f64;
      const ip = indptr >> 2;
      const ix = indices >> 2;
      const dp = data >> 2;
      const xo = x >> 3;
      const yo = y >> 3;
      for (let r = r0; r < r1; r++) {
        let s = 0;
        const end = I[ip + r + 1];
        for (let j = I[ip + r]; j < end; j++) s += F[dp + j] * D[xo + I[ix + j]];
        D[yo + r] = s;
      }
    },
    csrMtvF32(indptr, indices, data, x, y, r0, r1) {
      const I = h.i32;
      const F = h.f32;
      const ip = indptr >> 2;
      const ix = indices >> 2;
      const dp = data >> 2;
      const xo = x >> 2;
      const yo = y >> 2;
      for (let r = r0; r < r1; r++) {
        const xr = F[xo + r];
        const end = I[ip + r + 1];
        for (let j = I[ip + r]; j < end; j++) F[yo + I[ix + j]] += F[dp + j] * xr;
      }
    },
    csrMtvF64(indptr, indices, data, x, y, r0, r1) {
      const I = h.i32;
      const F = h.f32;
      const D = h.f64;
      const ip = indptr >> 2;
      const ix = indices >> 2;
      const dp = data >> 2;
      const xo = x >> 3;
      const yo = y >> 3;
      for (let r = r0; r < r1; r++) {
        const xr = D[xo + r];
        const end = I[ip + r + 1];
        for (let j = I[ip + r]; j < end; j++) D[yo + I[ix + j]] += F[dp + j] * xr;
      }
    },
  };
}
