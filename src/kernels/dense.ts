// Pure-JS twin of assembly/dense.ts: Gram matrix and matrix-vector products on row-major matrices.
import type { HeapViews } from '../runtime/heap.js';
import type { DenseKernels } from './types.js';

type Gemv = (F: Float32Array | Float64Array, sh: number, A: number, m: number, n: number, x: number, y: number, alpha: number, beta: number) => void;

// One closure per element type (see cholesky.ts): keeps V8's type feedback monomorphic.
const makeGemv = (): Gemv => function gemv(F, sh, A, m, n, x, y, alpha, beta) {
  const ao = A >> sh;
  const xo = x >> sh;
  const yo = y >> sh;
  for (let i = 0; i < m; i++) {
    const row = ao + i * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += F[row + j] * F[xo + j];
    // beta = 0 must not read y: its old contents may be garbage or NaN.
    F[yo + i] = beta === 0 ? alpha * s : alpha * s + beta * F[yo + i];
  }
};

const makeGemvT = (): Gemv => function gemvT(F, sh, A, m, n, x, y, alpha, beta) {
  const ao = A >> sh;
  const xo = x >> sh;
  const yo = y >> sh;
  if (beta === 0) F.fill(0, yo, yo + n);
  else if (beta !== 1) for (let j = 0; j < n; j++) F[yo + j] *= beta;
  for (let i = 0; i < m; i++) {
    const c = alpha * F[xo + i];
    const row = ao + i * n;
    for (let j = 0; j < n; j++) F[yo + j] += c * F[row + j];
  }
};

export function denseKernels(h: HeapViews): DenseKernels {
  const [gemv32, gemv64, gemvT32, gemvT64] = [makeGemv(), makeGemv(), makeGemvT(), makeGemvT()];
  return {
    gramF32(X, n, k, G) {
      const F = h.f32;
      const xo = X >> 2;
      const go = G >> 2;
      F.fill(0, go, go + k * k);
      // Rank-1 updates of the upper triangle, row by row (X is read once, in order).
      for (let i = 0; i < n; i++) {
        const row = xo + i * k;
        for (let a = 0; a < k; a++) {
          const xa = F[row + a];
          const g = go + a * k;
          for (let b = a; b < k; b++) F[g + b] += xa * F[row + b];
        }
      }
      for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) F[go + b * k + a] = F[go + a * k + b];
    },
    gemvF32(A, m, n, x, y, alpha, beta) {
      gemv32(h.f32, 2, A, m, n, x, y, Math.fround(alpha), Math.fround(beta));
    },
    gemvF64(A, m, n, x, y, alpha, beta) {
      gemv64(h.f64, 3, A, m, n, x, y, alpha, beta);
    },
    gemvTF32(A, m, n, x, y, alpha, beta) {
      gemvT32(h.f32, 2, A, m, n, x, y, Math.fround(alpha), Math.fround(beta));
    },
    gemvTF64(A, m, n, x, y, alpha, beta) {
      gemvT64(h.f64, 3, A, m, n, x, y, alpha, beta);
    },
  };
}
