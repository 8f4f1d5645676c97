// Pure-JS twin of assembly/bidiag.ts: singular values of a small upper bidiagonal matrix by implicit-shift
// QR, carrying along the last row of the left singular vectors.
import type { TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';

export function bidiagKernels(h: HeapViews): Pick<TwinKernels, 'bidiagQrF64'> {
  return {
    bidiagQrF64(dp, ep, rp, n, maxSweeps) {
      const f = h.f64;
      const d = dp >>> 3;
      const e = ep >>> 3;
      const r = rp >>> 3;
      let norm = 0;
      for (let i = 0; i < n; i++) {
        f[r + i] = 0;
        norm = Math.max(norm, Math.abs(f[d + i]) + (i < n - 1 ? Math.abs(f[e + i]) : 0));
      }
      if (n > 0) f[r + n - 1] = 1;
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
        if (Math.abs(f[e + hi - 1]) <= thresh) {
          f[e + hi - 1] = 0;
          hi--;
          continue;
        }
        let lo = hi - 1;
        while (lo > 0 && Math.abs(f[e + lo - 1]) > thresh) lo--;
        if (lo > 0) f[e + lo - 1] = 0;
        if (++sweeps > maxSweeps) return -1;
        let zero = -1;
        for (let i = lo; i <= hi; i++) {
          if (Math.abs(f[d + i]) <= thresh) {
            zero = i;
            break;
          }
        }
        if (zero >= 0) {
          f[d + zero] = 0;
          if (zero < hi) {
            let g = f[e + zero];
            f[e + zero] = 0;
            for (let j = zero + 1; j <= hi && g !== 0; j++) {
              givens(f[d + j], g);
              f[d + j] = gr;
              if (j < hi) {
                const ej = f[e + j];
                g = -gs * ej;
                f[e + j] = gc * ej;
              }
              const rj = f[r + j];
              const rz = f[r + zero];
              f[r + j] = gc * rj + gs * rz;
              f[r + zero] = -gs * rj + gc * rz;
            }
          } else {
            let g = f[e + hi - 1];
            f[e + hi - 1] = 0;
            for (let j = hi - 1; j >= lo && g !== 0; j--) {
              givens(f[d + j], g);
              f[d + j] = gr;
              if (j > lo) {
                const ej = f[e + j - 1];
                g = -gs * ej;
                f[e + j - 1] = gc * ej;
              }
            }
          }
          continue;
        }
        const dh1 = f[d + hi - 1];
        const eh1 = f[e + hi - 1];
        const eh2 = hi - 1 > lo ? f[e + hi - 2] : 0;
        const a = dh1 * dh1 + eh2 * eh2;
        const b = dh1 * eh1;
        const c = f[d + hi] * f[d + hi] + eh1 * eh1;
        const t = (a - c) / 2;
        const mu = t === 0 ? c - Math.abs(b) : c - (b * b) / (t + (t > 0 ? 1 : -1) * Math.sqrt(t * t + b * b));
        let y = f[d + lo] * f[d + lo] - mu;
        let z = f[d + lo] * f[e + lo];
        for (let k = lo; k < hi; k++) {
          givens(y, z);
          if (k > lo) f[e + k - 1] = gr;
          const dk = f[d + k];
          let ek = f[e + k];
          let dk1 = f[d + k + 1];
          const nd = gc * dk + gs * ek;
          ek = -gs * dk + gc * ek;
          z = gs * dk1;
          dk1 = gc * dk1;
          givens(nd, z);
          const ne = gc * ek + gs * dk1;
          dk1 = -gs * ek + gc * dk1;
          ek = ne;
          f[d + k] = gr;
          f[d + k + 1] = dk1;
          f[e + k] = ek;
          const rk = f[r + k];
          const rk1 = f[r + k + 1];
          f[r + k] = gc * rk + gs * rk1;
          f[r + k + 1] = -gs * rk + gc * rk1;
          if (k < hi - 1) {
            const e1 = f[e + k + 1];
            z = gs * e1;
            f[e + k + 1] = gc * e1;
            y = ek;
          }
        }
      }
      return sweeps;
    },
  };
}
