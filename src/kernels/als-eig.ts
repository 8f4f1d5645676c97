/**
 * The twins of assembly/als-eig.ts (and the eigendecomposition of assembly/eigsolve.ts): the same
 * Householder tridiagonalization and implicit-shift QR in f64, in the same order of operations, and the
 * projection of the fixed rows into G's eigenbasis.
 */
import { rnd4, type TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';

const EPS = 2.220446049250313e-16;

/** Reduce A (k×k, stride kp, destroyed) to tridiagonal d, e with Qᵀ in E (as eigsolve.ts's tridiagonalize). */
function tridiagonalize(A: Float64Array, E: Float64Array, d: Float64Array, e: Float64Array, k: number, kp: number) {
  const p = new Float64Array(kp);
  const w = new Float64Array(kp);
  for (let j = 0; j < k - 2; j++) {
    const m = k - j - 1;
    const x = j * kp + j + 1;
    d[j] = A[j * kp + j];
    let nx = 0;
    for (let t = 0; t < m; t++) nx += A[x + t] * A[x + t];
    nx = Math.sqrt(nx);
    if (nx === 0) {
      e[j] = 0;
      continue;
    }
    const x0 = A[x];
    const alpha = x0 > 0 ? -nx : nx;
    e[j] = alpha;
    A[x] = x0 - alpha;
    const inv = 1 / Math.sqrt(2 * nx * (nx + Math.abs(x0)));
    for (let t = 0; t < m; t++) A[x + t] *= inv;
    const B = (j + 1) * kp + j + 1;
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let c = 0; c < m; c++) s += A[B + r * kp + c] * A[x + c];
      p[r] = s;
    }
    let K = 0;
    for (let t = 0; t < m; t++) K += A[x + t] * p[t];
    for (let r = 0; r < m; r++) w[r] = 2 * p[r] - 2 * K * A[x + r];
    for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) A[B + r * kp + c] -= A[x + r] * w[c] + w[r] * A[x + c];
  }
  if (k >= 2) {
    d[k - 2] = A[(k - 2) * kp + k - 2];
    e[k - 2] = A[(k - 2) * kp + k - 1];
  }
  d[k - 1] = A[(k - 1) * kp + k - 1];
  E.fill(0);
  for (let j = 0; j < k; j++) E[j * kp + j] = 1;
  for (let j = 0; j < k - 2; j++) {
    const m = k - j - 1;
    const v = j * kp + j + 1;
    if (e[j] === 0 && A[v] === 0) continue;
    p.fill(0);
    for (let r = 0; r < m; r++) for (let c = 0; c < kp; c++) p[c] += A[v + r] * E[(j + 1 + r) * kp + c];
    for (let r = 0; r < m; r++) for (let c = 0; c < kp; c++) E[(j + 1 + r) * kp + c] -= 2 * A[v + r] * p[c];
  }
}

/** Implicit-shift QR on (d, e), rotating E's rows (as eigsolve.ts's tridiagQR). */
function tridiagQR(d: Float64Array, e: Float64Array, E: Float64Array, k: number, kp: number): boolean {
  let m = k - 1;
  let steps = 0;
  const small = (i: number) => Math.abs(e[i]) <= EPS * (Math.abs(d[i]) + Math.abs(d[i + 1]));
  while (m > 0) {
    if (small(m - 1)) {
      e[m - 1] = 0;
      m--;
      continue;
    }
    let l = m - 1;
    while (l > 0 && !small(l - 1)) l--;
    if (++steps > 30 * k) return false;
    const em1 = e[m - 1];
    const half = (d[m - 1] - d[m]) * 0.5;
    const hyp = Math.sqrt(half * half + em1 * em1);
    const mu = d[m] - (em1 * em1) / (half + (half >= 0 ? hyp : -hyp));
    let x = d[l] - mu;
    let z = e[l];
    for (let i = l; i < m; i++) {
      const r = Math.sqrt(x * x + z * z);
      let c = 1;
      let s = 0;
      if (r !== 0) {
        c = x / r;
        s = -z / r;
      }
      if (i > l) e[i - 1] = r;
      const a = d[i];
      const b = e[i];
      const cc = d[i + 1];
      d[i] = c * c * a - 2 * c * s * b + s * s * cc;
      d[i + 1] = s * s * a + 2 * c * s * b + c * c * cc;
      const ei = c * s * (a - cc) + (c * c - s * s) * b;
      e[i] = ei;
      if (i < m - 1) {
        z = -s * e[i + 1];
        e[i + 1] = c * e[i + 1];
        x = ei;
      }
      for (let t = 0; t < kp; t++) {
        const ui = E[i * kp + t];
        const un = E[(i + 1) * kp + t];
        E[i * kp + t] = c * ui - s * un;
        E[(i + 1) * kp + t] = s * ui + c * un;
      }
    }
  }
  return true;
}

export function alsEigKernels(h: HeapViews): Pick<TwinKernels, 'symEigF64' | 'alsEigProject'> {
  return {
    symEigF64(A, V, w, k, scratch) {
      void scratch;
      const f64 = h.f64;
      const kp = rnd4(k);
      const a = f64.slice(A >>> 3, (A >>> 3) + kp * kp);
      const E = new Float64Array(kp * kp);
      const d = new Float64Array(kp);
      const e = new Float64Array(kp);
      tridiagonalize(a, E, d, e, k, kp);
      if (!tridiagQR(d, e, E, k, kp)) return 0;
      const v0 = V >>> 3;
      f64.fill(0, v0, v0 + kp * kp);
      for (let j = 0; j < k; j++) for (let r = 0; r < k; r++) f64[v0 + r * kp + j] = E[j * kp + r];
      f64.set(d, w >>> 3);
      return 1;
    },

    alsEigProject(Y, V, Ye, k, r0, r1) {
      const { f32, f64 } = h;
      const kp = rnd4(k);
      const v0 = V >>> 3;
      for (let r = r0; r < r1; r++) {
        const y = (Y >>> 2) + r * k;
        const o = (Ye >>> 3) + r * kp;
        for (let j = 0; j < kp; j++) {
          let s = 0;
          for (let a = 0; a < k; a++) s += f32[y + a] * f64[v0 + a * kp + j];
          f64[o + j] = s;
        }
      }
    },
  };
}
