// Pure-JS twin of assembly/lanczos.ts: reorthogonalization against a row-major f64 basis block and
// rotation of a basis block (restart / Ritz vectors).
import type { HeapViews } from '../runtime/heap.js';

export interface LanczosKernels {
  /**
   * Classical Gram–Schmidt of `w` (n, f64) against the `count` orthonormal rows of `basis` (count×n
   * f64, row-major): c = basis·w, w ← w − basisᵀ·c; a second pass runs when the first left less than
   * `eta`·‖w‖ (DGKS "twice is enough"; eta ≥ 1 forces two passes, 0 one pass). `coef` must hold
   * 2·count f64: [0, count) receives the total coefficients removed, [count, 2·count) is scratch.
   * Returns ‖w‖ after.
   */
  reorthF64(basis: number, count: number, n: number, w: number, coef: number, eta: number): number;
  /**
   * out (kOut×n) = C (kOut×count) · basis (count×n), all row-major f64: out_r = Σ_i C[r,i]·basis_i.
   * `out` must not overlap `basis`.
   */
  combineF64(basis: number, count: number, n: number, C: number, kOut: number, out: number): void;
}

export function lanczosKernels(h: HeapViews): LanczosKernels {
  function norm(f: Float64Array, w: number, n: number): number {
    let s = 0;
    for (let j = 0; j < n; j++) s += f[w + j] * f[w + j];
    return Math.sqrt(s);
  }
  function pass(f: Float64Array, b: number, count: number, n: number, w: number, c: number): void {
    for (let i = 0; i < count; i++) {
      const bi = b + i * n;
      let s = 0;
      for (let j = 0; j < n; j++) s += f[bi + j] * f[w + j];
      f[c + i] = s;
    }
    for (let i = 0; i < count; i++) {
      const bi = b + i * n;
      const s = f[c + i];
      for (let j = 0; j < n; j++) f[w + j] -= s * f[bi + j];
    }
  }
  return {
    reorthF64(basis, count, n, w, coef, eta) {
      const f = h.f64;
      const b = basis >> 3;
      const wi = w >> 3;
      const c = coef >> 3;
      if (count <= 0) return norm(f, wi, n);
      const before = norm(f, wi, n);
      pass(f, b, count, n, wi, c);
      let after = norm(f, wi, n);
      if (after < eta * before) {
        pass(f, b, count, n, wi, c + count);
        for (let i = 0; i < count; i++) f[c + i] += f[c + count + i];
        after = norm(f, wi, n);
      }
      return after;
    },
    combineF64(basis, count, n, C, kOut, out) {
      const f = h.f64;
      const b = basis >> 3;
      const cm = C >> 3;
      const o = out >> 3;
      for (let r = 0; r < kOut; r++) {
        const orow = o + r * n;
        f.fill(0, orow, orow + n);
        for (let i = 0; i < count; i++) {
          const s = f[cm + r * count + i];
          const bi = b + i * n;
          for (let j = 0; j < n; j++) f[orow + j] += s * f[bi + j];
        }
      }
    },
  };
}
