// Pure-JS twin of assembly/vector.ts: level-1 f64 kernels over the heap views.
import type { TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';

export function vectorKernels(h: HeapViews): Pick<TwinKernels, 'dotF64' | 'axpyF64' | 'scalF64' | 'nrm2F64'> {
  return {
    dotF64(x, y, n) {
      const f = h.f64;
      const xo = x >>> 3;
      const yo = y >>> 3;
      let s = 0;
      for (let i = 0; i < n; i++) s += f[xo + i] * f[yo + i];
      return s;
    },
    axpyF64(a, x, y, n) {
      const f = h.f64;
      const xo = x >>> 3;
      const yo = y >>> 3;
      for (let i = 0; i < n; i++) f[yo + i] += a * f[xo + i];
    },
    scalF64(a, x, n) {
      const f = h.f64;
      const xo = x >>> 3;
      for (let i = 0; i < n; i++) f[xo + i] *= a;
    },
    nrm2F64(x, n) {
      const f = h.f64;
      const xo = x >>> 3;
      let s = 0;
      for (let i = 0; i < n; i++) s += f[xo + i] * f[xo + i];
      return Math.sqrt(s);
    },
  };
}
