// Pure-JS twin of assembly/vector.ts: level-1 kernels over the heap views. Arithmetic is in JS numbers
// (f64); f32 results are rounded when stored.
import type { HeapViews } from '../runtime/heap.js';
import type { VectorKernels } from './types.js';

export function vectorKernels(h: HeapViews): VectorKernels {
  return {
    dotF32(x, y, n) {
      const f = h.f32;
      const xo = x >> 2;
      const yo = y >> 2;
      let s = 0;
      for (let i = 0; i < n; i++) s += f[xo + i] * f[yo + i];
      return s;
    },
    dotF64(x, y, n) {
      const f = h.f64;
      const xo = x >> 3;
      const yo = y >> 3;
      let s = 0;
      for (let i = 0; i < n; i++) s += f[xo + i] * f[yo + i];
      return s;
    },
    axpyF32(a, x, y, n) {
      const f = h.f32;
      const xo = x >> 2;
      const yo = y >> 2;
      const af = Math.fround(a); // the wasm kernel receives a as f32
      for (let i = 0; i < n; i++) f[yo + i] += af * f[xo + i];
    },
    axpyF64(a, x, y, n) {
      const f = h.f64;
      const xo = x >> 3;
      const yo = y >> 3;
      for (let i = 0; i < n; i++) f[yo + i] += a * f[xo + i];
    },
    scalF32(a, x, n) {
      const f = h.f32;
      const xo = x >> 2;
      const af = Math.fround(a);
      for (let i = 0; i < n; i++) f[xo + i] *= af;
    },
    scalF64(a, x, n) {
      const f = h.f64;
      const xo = x >> 3;
      for (let i = 0; i < n; i++) f[xo + i] *= a;
    },
    nrm2F32(x, n) {
      const f = h.f32;
      const xo = x >> 2;
      let s = 0;
      for (let i = 0; i < n; i++) s += f[xo + i] * f[xo + i];
      return Math.sqrt(s);
    },
    nrm2F64(x, n) {
      const f = h.f64;
      const xo = x >> 3;
      let s = 0;
      for (let i = 0; i < n; i++) s += f[xo + i] * f[xo + i];
      return Math.sqrt(s);
    },
  };
}
