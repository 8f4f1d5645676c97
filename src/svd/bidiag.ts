/**
 * SVD of the small upper bidiagonal matrix B (diagonal d, superdiagonal e) that Golub–Kahan–Lanczos
 * builds, in O(n²) instead of the O(n³) of a dense method:
 *
 * - {@link bidiagValues}: all singular values by implicit-shift QR (Golub & Kahan 1965; Golub & Van Loan,
 *   Matrix Computations, §8.6.2: Wilkinson shift from the trailing 2×2 of BᵀB, bulge chasing, zero-diagonal
 *   deflation; the `bidiagQrF64` kernel), carrying along only the last row of the left singular vectors —
 *   the numbers the Lanczos residual estimates need (‖Aᵀuᵢ − σᵢvᵢ‖ = β·|U_B[n−1, i]|). O(n) per sweep,
 *   about two sweeps per value.
 * - {@link bidiagVectors}: singular vectors for the k largest values only, by inverse iteration on the
 *   Golub–Kahan tridiagonal [[0, B], [Bᵀ, 0]] (perfect shuffle: zero diagonal, off-diagonal d₀, e₀, d₁, …),
 *   whose eigenvalues are ±σᵢ with eigenvectors (vᵢ, uᵢ)/√2 interleaved. Close values are kept orthogonal
 *   by Gram–Schmidt within their cluster (as LAPACK's dstein). O(n·k) plus O(n·c²) per cluster of c.
 *   The result is verified (residuals and orthogonality); on failure the caller uses a dense method.
 * @module
 */

import type { Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';

const EPS = 2.220446049250313e-16;

/** Singular values with the last row of U_B, sorted descending. */
export interface BidiagValues {
  /** All n singular values, descending. */
  s: Float64Array;
  /** bottom[i] = |U_B[n−1, i]| for the i-th value of `s`. */
  bottom: Float64Array;
}

/**
 * All singular values of the n×n upper bidiagonal B = diag(d) + superdiag(e) (inputs not modified) and
 * the last row of its left singular vectors, by the `bidiagQrF64` kernel over heap scratch `work` (3n
 * f64). Undefined if the QR iteration does not converge (never seen; the caller then uses a dense method).
 */
export function bidiagValues(
  backend: Backend,
  work: HeapArray<'f64'>,
  d: Float64Array,
  e: Float64Array,
  n: number,
): BidiagValues | undefined {
  const [dh, eh, rh] = [0, 1, 2].map((i) => work.subarray(i * n, (i + 1) * n));
  dh.view.set(d.subarray(0, n));
  eh.view.set(e.subarray(0, n));
  if (backend.kernels.call('bidiagQrF64', { d: dh, e: eh, r: rh, n, maxSweeps: 40 * n + 100 }) < 0) return undefined;
  const vals = dh.view.slice();
  const rows = rh.view.slice();
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
    vals[i] = Math.abs(vals[i]);
  }
  order.sort((a, b) => vals[b] - vals[a] || a - b);
  const s = new Float64Array(n);
  const bottom = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s[i] = vals[order[i]];
    bottom[i] = Math.abs(rows[order[i]]);
  }
  return { s, bottom };
}

/** Singular vectors of B for its k largest singular values, as rows (vector i at i·n). */
export interface BidiagVectors {
  /** k×n: right singular vectors vᵢ of B. */
  X: Float64Array;
  /** k×n: left singular vectors uᵢ of B. */
  Y: Float64Array;
}

/**
 * Singular vectors of B for the singular values s[0..k) (descending, as from {@link bidiagValues}), by
 * inverse iteration on the Golub–Kahan tridiagonal. Returns undefined when a check fails (a wanted value
 * too close to zero for the ±σ pairs to separate, or vectors not accurate/orthogonal to 1e-12); the
 * caller then falls back to a dense SVD.
 */
export function bidiagVectors(
  d: Float64Array,
  e: Float64Array,
  n: number,
  s: Float64Array,
  k: number,
): BidiagVectors | undefined {
  const N = 2 * n;
  const s1 = s[0];
  if (!(s1 > 0)) return undefined;
  // ±σ separate only when σ is well above the rounding level of T.
  if (s[k - 1] <= 1e-6 * s1) return undefined;
  const f = new Float64Array(Math.max(N - 1, 1)); // off-diagonal of T
  for (let i = 0; i < n; i++) {
    f[2 * i] = d[i];
    if (i < n - 1) f[2 * i + 1] = e[i];
  }
  const X = new Float64Array(k * n);
  const Y = new Float64Array(k * n);
  const Z = new Float64Array(k * N); // eigenvectors of T, for the cluster Gram–Schmidt
  const lu = new TridiagonalLU(N);
  // Inverse iteration alone gives vectors orthogonal to about eps·‖T‖/gap: values closer than `loose` get
  // a Gram–Schmidt pass within their group at the end; (nearly) equal ones, closer than `tight`, at every
  // iteration and with slightly different shifts, so that their iterations diverge (as dstein does).
  const loose = 1e-3 * s1;
  const tight = 1e-10 * s1;
  const pert = 10 * EPS * s1;
  let looseStart = 0;
  let tightStart = 0;
  let shift = 0;
  let seed = 0x9e3779b9;
  for (let i = 0; i < k; i++) {
    if (i === 0 || s[i - 1] - s[i] >= loose) looseStart = i;
    if (i > 0 && s[i - 1] - s[i] < tight) {
      shift = Math.min(shift, s[i]) - pert;
    } else {
      tightStart = i;
      shift = s[i];
    }
    lu.factor(f, shift, 2 * EPS * s1);
    const z = Z.subarray(i * N, i * N + N);
    for (let j = 0; j < N; j++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
      z[j] = (seed >>> 0) / 4294967296 - 0.5;
    }
    for (let it = 0; it < 5; it++) {
      lu.solve(z);
      orthogonalizeTo(Z, N, z, tightStart, i);
      const nrm = normalize(z);
      if (!(nrm > 0)) return undefined;
      // Converged once a solve grows the iterate by ~1/(eps·‖T‖); one more round for safety.
      if (it >= 1 && nrm > 1 / (1e3 * EPS * s1)) break;
    }
    // Twice is enough.
    for (let pass = 0; pass < 2 && looseStart < i; pass++) {
      orthogonalizeTo(Z, N, z, looseStart, i);
      normalize(z);
    }
    if (!splitPair(z, n, X.subarray(i * n, i * n + n), Y.subarray(i * n, i * n + n))) return undefined;
  }
  return verify(d, e, n, s, k, X, Y) ? { X, Y } : undefined;
}

/** z ← z minus its projections on the rows [from, to) of Z (rows of N). */
function orthogonalizeTo(Z: Float64Array, N: number, z: Float64Array, from: number, to: number): void {
  for (let c = from; c < to; c++) {
    const zc = Z.subarray(c * N, c * N + N);
    let dot = 0;
    for (let j = 0; j < N; j++) dot += zc[j] * z[j];
    for (let j = 0; j < N; j++) z[j] -= dot * zc[j];
  }
}

/** z ← z/‖z‖; returns ‖z‖. */
function normalize(z: Float64Array): number {
  let nrm = 0;
  for (let j = 0; j < z.length; j++) nrm += z[j] * z[j];
  nrm = Math.sqrt(nrm);
  for (let j = 0; j < z.length; j++) z[j] /= nrm;
  return nrm;
}

/**
 * An eigenvector z of the Golub–Kahan tridiagonal split into v (even positions) → x and u (odd) → y, each
 * normalised; false when z is a ±σ mix, not a singular pair.
 */
function splitPair(z: Float64Array, n: number, x: Float64Array, y: Float64Array): boolean {
  let nv = 0;
  let nu = 0;
  for (let j = 0; j < n; j++) {
    nv += z[2 * j] * z[2 * j];
    nu += z[2 * j + 1] * z[2 * j + 1];
  }
  nv = Math.sqrt(nv);
  nu = Math.sqrt(nu);
  if (!(nv > 0.5 && nu > 0.5)) return false;
  for (let j = 0; j < n; j++) {
    x[j] = z[2 * j] / nv;
    y[j] = z[2 * j + 1] / nu;
  }
  return true;
}

/** ‖B·x − σ·y‖, ‖Bᵀ·y − σ·x‖ ≤ 1e-12·σ₁ and |xᵢ·xⱼ|, |yᵢ·yⱼ| ≤ 1e-12 (i ≠ j). */
function verify(
  d: Float64Array,
  e: Float64Array,
  n: number,
  s: Float64Array,
  k: number,
  X: Float64Array,
  Y: Float64Array,
): boolean {
  const tol = 1e-12 * s[0];
  for (let i = 0; i < k; i++) {
    const x = i * n;
    let r1 = 0;
    let r2 = 0;
    for (let j = 0; j < n; j++) {
      const bx = d[j] * X[x + j] + (j < n - 1 ? e[j] * X[x + j + 1] : 0);
      const bty = d[j] * Y[x + j] + (j > 0 ? e[j - 1] * Y[x + j - 1] : 0);
      r1 += (bx - s[i] * Y[x + j]) ** 2;
      r2 += (bty - s[i] * X[x + j]) ** 2;
    }
    if (!(Math.sqrt(r1) <= tol && Math.sqrt(r2) <= tol)) return false;
  }
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let ox = 0;
      let oy = 0;
      for (let j = 0; j < n; j++) {
        ox += X[a * n + j] * X[b * n + j];
        oy += Y[a * n + j] * Y[b * n + j];
      }
      if (!(Math.abs(ox) <= 1e-12 && Math.abs(oy) <= 1e-12)) return false;
    }
  }
  return true;
}

/**
 * LU factorisation with partial pivoting of T − λI for the symmetric tridiagonal T with zero diagonal and
 * off-diagonal f (as LAPACK's dgttrf), and solves with it (dgtts2). Zero pivots are replaced by `tiny`.
 */
class TridiagonalLU {
  private readonly dl: Float64Array; // multipliers
  private readonly u0: Float64Array; // U's diagonal
  private readonly u1: Float64Array; // first superdiagonal
  private readonly u2: Float64Array; // second superdiagonal (fill-in from pivoting)
  private readonly swap: Uint8Array;

  constructor(private readonly N: number) {
    this.dl = new Float64Array(N);
    this.u0 = new Float64Array(N);
    this.u1 = new Float64Array(N);
    this.u2 = new Float64Array(N);
    this.swap = new Uint8Array(N);
  }

  factor(f: Float64Array, lambda: number, tiny: number): void {
    const { N, dl, u0, u1, u2, swap } = this;
    for (let i = 0; i < N; i++) {
      u0[i] = -lambda;
      u1[i] = i < N - 1 ? f[i] : 0;
      u2[i] = 0;
    }
    for (let i = 0; i < N - 1; i++) {
      const sub = f[i]; // T[i+1, i]
      if (Math.abs(u0[i]) >= Math.abs(sub)) {
        swap[i] = 0;
        if (u0[i] === 0) u0[i] = tiny;
        const l = sub / u0[i];
        dl[i] = l;
        u0[i + 1] -= l * u1[i];
      } else {
        // Swap rows i and i+1.
        swap[i] = 1;
        const l = u0[i] / sub;
        dl[i] = l;
        u0[i] = sub;
        const t = u1[i];
        u1[i] = u0[i + 1];
        u0[i + 1] = t - l * u0[i + 1];
        if (i < N - 2) {
          u2[i] = u1[i + 1];
          u1[i + 1] = -l * u1[i + 1];
        }
      }
    }
    if (u0[N - 1] === 0) u0[N - 1] = tiny;
  }

  solve(b: Float64Array): void {
    const { N, dl, u0, u1, u2, swap } = this;
    for (let i = 0; i < N - 1; i++) {
      if (swap[i] === 0) {
        b[i + 1] -= dl[i] * b[i];
      } else {
        const t = b[i];
        b[i] = b[i + 1];
        b[i + 1] = t - dl[i] * b[i];
      }
    }
    b[N - 1] /= u0[N - 1];
    if (N > 1) b[N - 2] = (b[N - 2] - u1[N - 2] * b[N - 1]) / u0[N - 2];
    for (let i = N - 3; i >= 0; i--) b[i] = (b[i] - u1[i] * b[i + 1] - u2[i] * b[i + 2]) / u0[i];
  }
}
