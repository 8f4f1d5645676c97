// Shared helpers for the kernel tests: a seeded PRNG, random inputs, backend setup, tolerant comparisons.
import { expect } from 'vitest';
import { getBackend, init, type Backend } from '../../src/runtime/backend.js';

export const BACKENDS = ['wasm', 'js'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Sizes that hit empty input, every SIMD tail length, and the unrolled main loops. */
export const SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 33, 64, 65, 127, 1000, 1031];

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randArray(rng: () => number, n: number, lo = -1, hi = 1): number[] {
  return Array.from({ length: n }, () => lo + (hi - lo) * rng());
}

export function randInt(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

export async function useBackend(name: BackendName): Promise<Backend> {
  await init({ backend: name });
  return getBackend();
}

/** Row-major n×k matrix as nested arrays from a flat array. */
export function rows(flat: ArrayLike<number>, m: number, n: number): number[][] {
  return Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => flat[i * n + j]));
}

/** |got[i] − want[i]| ≤ atol + rtol·|want[i]| (or ≤ tol[i] when an array of bounds is given). */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol = 0, what = ''): void {
  expect(got.length, `${what} length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const bound = atol + rtol * Math.abs(want[i]);
    if (!(Math.abs(got[i] - want[i]) <= bound)) {
      expect.fail(`${what}[${i}]: got ${got[i]}, want ${want[i]} (bound ${bound})`);
    }
  }
}

export interface Csr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
}

/** Random CSR with sorted unique column indices; `pEmpty` of the rows are empty; row lengths vary. */
export function randomCsr(rng: () => number, nRows: number, nCols: number, maxPerRow: number, pEmpty = 0.2): Csr {
  const indptr = new Int32Array(nRows + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let r = 0; r < nRows; r++) {
    if (rng() >= pEmpty && nCols > 0) {
      const m = randInt(rng, 1, Math.min(maxPerRow, nCols));
      const set = new Set<number>();
      while (set.size < m) set.add(Math.floor(rng() * nCols));
      for (const c of [...set].sort((a, b) => a - b)) {
        idx.push(c);
        val.push(2 * rng() - 1);
      }
    }
    indptr[r + 1] = idx.length;
  }
  return { rows: nRows, cols: nCols, indptr, indices: Int32Array.from(idx), data: Float32Array.from(val) };
}

/** Run the same computation on both backends (for wasm-vs-twin comparisons). */
export async function onBoth<T>(fn: (b: Backend) => T): Promise<Record<BackendName, T>> {
  const out = {} as Record<BackendName, T>;
  for (const name of BACKENDS) out[name] = fn(await useBackend(name));
  return out;
}
