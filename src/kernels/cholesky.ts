// Pure-JS twin of assembly/cholesky.ts: left-looking (column by column) Cholesky, lower triangle of a
// row-major matrix, and the matching solve.
import type { HeapViews } from '../runtime/heap.js';
import type { CholeskyKernels } from './types.js';

type Factor = (F: Float32Array | Float64Array, o: number, k: number) => number;
type Solve = (F: Float32Array | Float64Array, o: number, k: number, bo: number) => void;

// The f32 and f64 kernels each get their own closure (makeFactor() / makeSolve() are called once per
// element type), so V8's type feedback stays monomorphic: one function body fed both array kinds runs
// markedly slower, which would flatter the wasm comparison.

/** Column by column, like the wasm kernel: one reciprocal per column, then L[i,j] for all rows below. */
const makeFactor = (): Factor => function factor(F, o, k) {
  for (let j = 0; j < k; j++) {
    const rj = o + j * k;
    let d = F[rj + j];
    for (let p = 0; p < j; p++) d -= F[rj + p] * F[rj + p];
    if (!(d > 0)) return j; // also catches NaN
    const l = Math.sqrt(d);
    F[rj + j] = l;
    const inv = 1 / l;
    for (let i = j + 1; i < k; i++) {
      const ri = o + i * k;
      let s = F[ri + j];
      for (let p = 0; p < j; p++) s -= F[ri + p] * F[rj + p];
      F[ri + j] = s * inv;
    }
  }
  return -1;
};

const makeSolve = (): Solve => function solve(F, o, k, bo) {
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
};

export function choleskyKernels(h: HeapViews): CholeskyKernels {
  const [factor32, factor64, solve32, solve64] = [makeFactor(), makeFactor(), makeSolve(), makeSolve()];
  return {
    choleskyF32: (A, k) => factor32(h.f32, A >> 2, k),
    choleskyF64: (A, k) => factor64(h.f64, A >> 3, k),
    choleskySolveF32: (L, k, b) => solve32(h.f32, L >> 2, k, b >> 2),
    choleskySolveF64: (L, k, b) => solve64(h.f64, L >> 3, k, b >> 3),
  };
}
