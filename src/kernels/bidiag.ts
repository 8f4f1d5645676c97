// Pure-JS twin of assembly/bidiag.ts: singular values of a small upper bidiagonal matrix by implicit-shift
// QR, carrying along the last row of the left singular vectors.
import type { TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';

// Over 80 lines: the twin table of one kernel, which is long itself (below).
export function bidiagKernels(h: HeapViews): Pick<TwinKernels, 'bidiagQrF64'> {
  return {
    // Over 80 lines: follows assembly/bidiag.ts statement by statement (deflation, the Wilkinson shift,
    // the bulge chase), so that it stays the oracle of the WASM kernel.
    bidiagQrF64(d, e, r, n, maxSweeps) {
      const f = h.f64;
      const di = d >>> 3;
      const ei = e >>> 3;
      const ri = r >>> 3;
      let norm = 0;
      for (let i = 0; i < n; i++) {
        f[ri + i] = 0;
        norm = Math.max(norm, Math.abs(f[di + i]) + (i < n - 1 ? Math.abs(f[ei + i]) : 0));
      }
      if (n > 0) f[ri + n - 1] = 1;
      const thresh = 2.220446049250313e-16 * norm;
      let gc = 1;
      let gs = 0;
      let gr = 0;
      const givens = (y: number, z: number) => {
        if (z === 0) {
          gc = 1;
          gs = 0;
          gr = y;
        } else {
          const hy = Math.sqrt(y * y + z * z);
          gc = y / hy;
          gs = z / hy;
          gr = hy;
        }
      };
      let hi = n - 1;
      let sweeps = 0;
      while (hi > 0) {
        if (Math.abs(f[ei + hi - 1]) <= thresh) {
          f[ei + hi - 1] = 0;
          hi--;
          continue;
        }
        let lo = hi - 1;
        while (lo > 0 && Math.abs(f[ei + lo - 1]) > thresh) lo--;
        if (lo > 0) f[ei + lo - 1] = 0;
        if (++sweeps > maxSweeps) return -1;
        let zero = -1;
        for (let i = lo; i <= hi; i++) {
          if (Math.abs(f[di + i]) <= thresh) {
            zero = i;
            break;
          }
        }
        if (zero >= 0) {
          f[di + zero] = 0;
          if (zero < hi) {
            let g = f[ei + zero];
            f[ei + zero] = 0;
            for (let j = zero + 1; j <= hi && g !== 0; j++) {
              givens(f[di + j], g);
              f[di + j] = gr;
              if (j < hi) {
                const ej = f[ei + j];
                g = -gs * ej;
                f[ei + j] = gc * ej;
              }
              const rj = f[ri + j];
              const rz = f[ri + zero];
              f[ri + j] = gc * rj + gs * rz;
              f[ri + zero] = -gs * rj + gc * rz;
            }
          } else {
            let g = f[ei + hi - 1];
            f[ei + hi - 1] = 0;
            for (let j = hi - 1; j >= lo && g !== 0; j--) {
              givens(f[di + j], g);
              f[di + j] = gr;
              if (j > lo) {
                const ej = f[ei + j - 1];
                g = -gs * ej;
                f[ei + j - 1] = gc * ej;
              }
            }
          }
          continue;
        }
        const dh1 = f[di + hi - 1];
        const eh1 = f[ei + hi - 1];
        const eh2 = hi - 1 > lo ? f[ei + hi - 2] : 0;
        const a = dh1 * dh1 + eh2 * eh2;
        const b = dh1 * eh1;
        const c = f[di + hi] * f[di + hi] + eh1 * eh1;
        const t = (a - c) / 2;
        const mu = t === 0 ? c - Math.abs(b) : c - (b * b) / (t + (t > 0 ? 1 : -1) * Math.sqrt(t * t + b * b));
        let y = f[di + lo] * f[di + lo] - mu;
        let z = f[di + lo] * f[ei + lo];
        for (let k = lo; k < hi; k++) {
          givens(y, z);
          if (k > lo) f[ei + k - 1] = gr;
          const dk = f[di + k];
          let ek = f[ei + k];
          let dk1 = f[di + k + 1];
          const nd = gc * dk + gs * ek;
          ek = -gs * dk + gc * ek;
          z = gs * dk1;
          dk1 = gc * dk1;
          givens(nd, z);
          const ne = gc * ek + gs * dk1;
          dk1 = -gs * ek + gc * dk1;
          ek = ne;
          f[di + k] = gr;
          f[di + k + 1] = dk1;
          f[ei + k] = ek;
          const rk = f[ri + k];
          const rk1 = f[ri + k + 1];
          f[ri + k] = gc * rk + gs * rk1;
          f[ri + k + 1] = -gs * rk + gc * rk1;
          if (k < hi - 1) {
            const e1 = f[ei + k + 1];
            z = gs * e1;
            f[ei + k + 1] = gc * e1;
            y = ek;
          }
        }
      }
      return sweeps;
    },
  };
}
