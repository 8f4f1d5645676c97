// Pure-JS twins of assembly/dense64.ts and assembly/chol64.ts: the blocks of the Cholesky inverse. Dot
// products split into even and odd terms as the WASM lanes do, so without fused multiply–add the twins
// give the kernels' bits.
import type { TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';

const LOWER = 1;
const TRI_K = 2;
const OVERWRITE = 4;
const TRANS_C = 8;

/** Σ x[p]·y[p], p < n (element offsets into D): even terms and odd terms apart, then added, then the tail. */
function dot(D: Float64Array, x: number, y: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let p = 0;
  for (; p + 2 <= n; p += 2) {
    s0 += D[x + p] * D[y + p];
    s1 += D[x + p + 1] * D[y + p + 1];
  }
  let s = s0 + s1;
  if (p < n) s += D[x + p] * D[y + p];
  return s;
}

// Over 80 lines: the table of the f64 dense twins, one entry per kernel (each entry is measured on its own).
export function dense64Kernels(
  h: HeapViews,
): Pick<
  TwinKernels,
  'gemmNtF64' | 'cholDiagF64' | 'trsmRowsF64' | 'trtriDiagF64' | 'lowerToUpperF64' | 'packTriRowsF64'
> {
  return {
    gemmNtF64(A, lda, B, ldb, C, ldc, N, K, alpha, mode, r0, r1) {
      const D = h.f64;
      const a = A >>> 3;
      const b = B >>> 3;
      const c = C >>> 3;
      for (let i = r0; i < r1; i++) {
        const Ni = mode & LOWER ? Math.min(N, i + 1) : N;
        const Ki = mode & TRI_K ? Math.min(K, i + 1) : K;
        for (let j = 0; j < Ni; j++) {
          const s = dot(D, a + i * lda, b + j * ldb, Ki);
          const o = mode & TRANS_C ? c + j * ldc + i : c + i * ldc + j;
          D[o] = mode & OVERWRITE ? alpha * s : D[o] + alpha * s;
        }
      }
    },

    cholDiagF64(A, lda, nb) {
      const D = h.f64;
      const a = A >>> 3;
      for (let i = 0; i < nb; i++) {
        const ri = a + i * lda;
        for (let j = 0; j < i; j++) {
          const rj = a + j * lda;
          D[ri + j] = (D[ri + j] - dot(D, ri, rj, j)) / D[rj + j];
        }
        const d = D[ri + i] - dot(D, ri, ri, i);
        if (!(d > 0) || !Number.isFinite(d)) return i;
        D[ri + i] = Math.sqrt(d);
      }
      return -1;
    },

    trsmRowsF64(L, lda, nb, P, ldp, r0, r1) {
      const D = h.f64;
      const l = L >>> 3;
      const pp = P >>> 3;
      for (let r = r0; r < r1; r++) {
        const x = pp + r * ldp;
        for (let q = 0; q < nb; q++) {
          const lq = l + q * lda;
          D[x + q] = (D[x + q] - dot(D, x, lq, q)) / D[lq + q];
        }
      }
    },

    trtriDiagF64(A, lda, nb, T) {
      const D = h.f64;
      const a = A >>> 3;
      const t = T >>> 3;
      for (let j = 0; j < nb; j++) {
        const tj = t + j * nb;
        D.fill(0, tj, tj + j);
        D[tj + j] = 1 / D[a + j * lda + j];
        for (let i = j + 1; i < nb; i++) {
          const li = a + i * lda;
          D[tj + i] = -dot(D, li + j, tj + j, i - j) / D[li + i];
        }
      }
      for (let i = 0; i < nb; i++) for (let j = 0; j <= i; j++) D[a + i * lda + j] = D[t + j * nb + i];
    },

    lowerToUpperF64(A, n, D, r0, r1) {
      const M = h.f64;
      const a = A >>> 3;
      const d = D >>> 3;
      for (let i = r0; i < r1; i++) {
        M[d + i] = M[a + i * n + i];
        for (let c = 0; c < i; c++) M[a + c * n + i] = M[a + i * n + c];
      }
    },

    packTriRowsF64(U, ldu, D, ib, K, out) {
      const M = h.f64;
      const u = U >>> 3;
      const d = D >>> 3;
      const o = out >>> 3;
      for (let r = 0; r < ib; r++)
        for (let p = 0; p < K; p++) M[o + r * K + p] = p < r ? 0 : p === r ? M[d + r] : M[u + r * ldu + p];
    },
  };
}
