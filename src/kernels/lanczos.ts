// Pure-JS twin of assembly/lanczos.ts: reorthogonalization against a row-major f64 basis block, linear
// combinations of basis vectors (Ritz vectors, restarts), and one-sided Jacobi sweeps.
import type { TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';

// Over 80 lines: the table of the Lanczos twins, one entry per kernel (each entry is measured on its own).
export function lanczosKernels(
  h: HeapViews,
): Pick<TwinKernels, 'reorthF64' | 'gsPassF64' | 'gemmAccF64' | 'jacobiSweepsF64'> {
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
      const b = basis >>> 3;
      const wi = w >>> 3;
      const c = coef >>> 3;
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
    gsPassF64(basis, count, n, w, coef) {
      pass(h.f64, basis >>> 3, count, n, w >>> 3, coef >>> 3);
    },
    gemmAccF64(B, count, len, C, ldc, rows, out, acc, trans, c0, c1) {
      const f = h.f64;
      const b = B >>> 3;
      const cm = C >>> 3;
      const o = out >>> 3;
      for (let r = 0; r < rows; r++) {
        const crow = cm + r * ldc;
        for (let j = c0; j < c1; j++) {
          const at = trans !== 0 ? o + j * rows + r : o + r * len + j;
          let s = acc !== 0 ? f[at] : 0;
          for (let i = 0; i < count; i++) s += f[crow + i] * f[b + i * len + j];
          f[at] = s;
        }
      }
    },
    jacobiSweepsF64(W, V, nrm, m, n, maxSweeps, thresh) {
      const f = h.f64;
      const w0 = W >>> 3;
      const v0 = V >>> 3;
      const nr = nrm >>> 3;
      let sweeps = 0;
      while (sweeps < maxSweeps) {
        sweeps++;
        let rotated = false;
        for (let p = 0; p < n - 1; p++) {
          const wp = w0 + p * m;
          const vp = v0 + p * n;
          for (let q = p + 1; q < n; q++) {
            const a = f[nr + p];
            const b = f[nr + q];
            if (a === 0 || b === 0) continue;
            const wq = w0 + q * m;
            let g = 0;
            for (let r = 0; r < m; r++) g += f[wp + r] * f[wq + r];
            if (Math.abs(g) <= thresh * Math.sqrt(a * b)) continue;
            rotated = true;
            const zeta = (b - a) / (2 * g);
            const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
            const c = 1 / Math.sqrt(1 + t * t);
            const s = c * t;
            let na = 0;
            let nb = 0;
            for (let r = 0; r < m; r++) {
              const x = f[wp + r];
              const y = f[wq + r];
              const x2 = c * x - s * y;
              const y2 = s * x + c * y;
              f[wp + r] = x2;
              f[wq + r] = y2;
              na += x2 * x2;
              nb += y2 * y2;
            }
            f[nr + p] = na;
            f[nr + q] = nb;
            const vq = v0 + q * n;
            for (let r = 0; r < n; r++) {
              const x = f[vp + r];
              const y = f[vq + r];
              f[vp + r] = c * x - s * y;
              f[vq + r] = s * x + c * y;
            }
          }
        }
        if (!rotated) break;
      }
      return sweeps;
    },
  };
}
