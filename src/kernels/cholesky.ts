// Pure-JS twin of assembly/cholesky.ts: row-oriented Cholesky (lower triangle, row-major) and solve.
import type { HeapViews } from '../runtime/heap.js';
import type { CholeskyKernels } from './types.js';

function factor(F: Float32Array | Float64Array, o: number, k: number): number {
  for (let i = 0; i < k; i++) {
    const ri = o + i * k;
    for (let j = 0; j < i; j++) {
      const rj = o + j * k;
      let s = F[ri + j];
      for (let p = 0; p < j; p++) s -= F[ri + p] * F[rj + p];
      F[ri + j] = s / F[rj + j];
    }
    let d = F[ri + i];
    for (let p = 0; p < i; p++) d -= F[ri + p] * F[ri + p];
    if (!(d > 0)) return i; // also catches NaN
    F[ri + i] = Math.sqrt(d);
  }
  return -1;
}

function solve(F: Float32Array | Float64Array, o: number, k: number, bo: number): void {
  for (let i = 0; i < k; i++) {
    const ri = o + i * k;
    let s = F[bo + i];
    for (let p = 0; p < i; p++) s -= F[ri + p] * F[bo + p];
    F[bo + i] = s / F[ri + i];
  }
  // Back substitution column-wise, reading rows of L (same order as the wasm kernel).
  for (let i = k - 1; i >= 0; i--) {
    const ri = o + i * k;
    const xi = F[bo + i] / F[ri + i];
    F[bo + i] = xi;
    for (let p = 0; p < i; p++) F[bo + p] -= xi * F[ri + p];
  }
}

export function choleskyKernels(h: HeapViews): CholeskyKernels {
  return {
    choleskyF32: (A, k) => factor(h.f32, A >> 2, k),
    choleskyF64: (A, k) => factor(h.f64, A >> 3, k),
    choleskySolveF32: (L, k, b) => solve(h.f32, L >> 2, k, b >> 2),
    choleskySolveF64: (L, k, b) => solve(h.f64, L >> 3, k, b >> 3),
  };
}
