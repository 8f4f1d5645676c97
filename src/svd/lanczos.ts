/**
 * Golub–Kahan–Lanczos bidiagonalization for the k largest singular triplets of the operator A (m×n,
 * m ≥ n: the short side is P's), in f64:
 *
 *   A·p_j = α_j·q_j + β_{j−1}·q_{j−1},   Aᵀ·q_j = α_j·p_j + β_j·p_{j+1},
 *
 * so A·P = Q·B with B upper bidiagonal, and the Ritz triplet i of B = U_B·Σ·V_Bᵀ has the residual
 * ‖Aᵀuᵢ − σᵢvᵢ‖ = β_{J−1}·|U_B[J−1, i]| (A·vᵢ − σᵢuᵢ is zero by construction).
 *
 * - **Grows without restarting** (as PROPACK's lansvd): no Krylov information is thrown away, so it needs
 *   the fewest products; it looks at the Ritz values from time to time (projected.ts: bidiagonal QR,
 *   O(J²)) and forms Ritz vectors once, at the end. Only when the basis reaches `d` vectors does it
 *   restart (Baglama & Reichel's augmented restart, keeping the best Ritz vectors).
 * - **One-sided reorthogonalization** (Simon & Zha, SIAM J. Sci. Comput. 21(6), 2000): the short-side
 *   basis P is kept orthogonal to working precision by Gram–Schmidt at every step; the long side Q only
 *   when Larsen's ω-recurrence (PROPACK) estimates that its orthogonality has decayed past √ε, which with
 *   P orthogonal is rare. Work per step is then O(n·J) on the short side instead of O((m + n)·J).
 * @module
 */
import { AbortError } from '../errors.js';
import type { Backend } from '../runtime/backend.js';
import { Rng } from '../random.js';
import { KrylovBasis } from './basis.js';
import type { CenteredOperator } from './operator.js';
import { augmentedSVD, nextCheck, Projected, projectedSVD, type AugmentedSVD, type ProjectedSVD } from './projected.js';
import type { SVDProgress } from './types.js';

export interface LanczosParams {
  k: number;
  tol: number;
  maxRestarts: number;
  /** Largest basis (vectors per side) before a restart, k < d ≤ op.cols (k = d = op.cols: a full SVD). */
  d: number;
  seed: number;
  onProgress?: (p: SVDProgress) => void;
  signal?: AbortSignal;
}

/** Singular triplets in the operator's orientation, vectors as columns. */
export interface RawSVD {
  s: Float64Array;
  /** op.rows×k row-major (column i is uᵢ) */
  U: Float64Array;
  /** op.cols×k row-major (column i is vᵢ) */
  V: Float64Array;
  residuals: Float64Array;
  converged: boolean;
  restarts: number;
}

const EPS = 2.220446049250313e-16;
/** Orthogonality level that triggers reorthogonalizing Q (PROPACK's δ). */
const DELTA = Math.sqrt(EPS);

/** Vectors per Gram–Schmidt block: about 256 KiB (re-read from cache), a power of two ≥ 4. */
const blockFor = (len: number) => Math.max(4, 2 ** Math.floor(Math.log2(32768 / len)));
/** Vectors per heap allocation: up to 128 (fewer, longer passes when forming Ritz vectors), ≤ 64 MiB. */
const chunkFor = (len: number) => Math.max(blockFor(len), Math.min(128, 2 ** Math.floor(Math.log2((1 << 23) / len))));
/** Vectors in the first chunk: a power of two near 4k, within [block, chunk]. */
const firstFor = (len: number, k: number) =>
  Math.min(chunkFor(len), Math.max(blockFor(len), 2 ** Math.ceil(Math.log2(4 * k))));

/** Yield to the event loop so an AbortSignal can fire (only when a signal was given). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );
}

export async function lanczosSVD(backend: Backend, op: CenteredOperator, p: LanczosParams): Promise<RawSVD> {
  const { kernels: kern, heap } = backend;
  const m = op.rows;
  const n = op.cols;
  const { k, tol } = p;
  let cap = p.d;
  const rng = new Rng(p.seed);
  const scope = heap.scope();
  try {
    // First chunks of about 4k vectors (k = 10 converges in 2k–5k steps on recommendation data).
    const P = new KrylovBasis(backend, scope, n, cap + 1, chunkFor(n), blockFor(n), firstFor(n, k));
    const Q = new KrylovBasis(backend, scope, m, cap, chunkFor(m), blockFor(m), firstFor(m, k));
    const coef = scope.allocArray('f64', Math.max(P.block, Q.block)).ptr;
    const B = new Projected(cap, scope.allocArray('f64', 3 * cap).ptr);
    /** mu[i] ≈ q_{j−1}·q_i (i < j − 1): Larsen's estimate of Q's loss of orthogonality. */
    const mu = new Float64Array(cap);
    const eps1 = (Math.sqrt(m) * EPS) / 2;
    let forceQ = false;
    let anorm = 0;
    const small = () => Math.max(anorm, Number.MIN_VALUE) * EPS * 64;

    /** Vector i of a basis ← a random unit vector orthogonal to vectors [0, i); zero if impossible. */
    const randomOrth = (basis: KrylovBasis, i: number): boolean => {
      const ptr = basis.ptr(i);
      for (let attempt = 0; attempt < 3; attempt++) {
        const v = heap.view('f64', ptr, basis.len);
        for (let t = 0; t < basis.len; t++) v[t] = rng.normal();
        const before = kern.call('nrm2F64', { x: ptr, n: basis.len });
        const after = basis.orthogonalize(ptr, i, coef, true);
        if (after > before * 1e-6) {
          kern.call('scalF64', { a: 1 / after, x: ptr, n: basis.len });
          return true;
        }
      }
      heap.view('f64', ptr, basis.len).fill(0);
      return false;
    };

    /** First half of Lanczos step j: q_j and α_j from p_j (returns α_j). */
    const stepA = (j: number): number => {
      const pj = P.ptr(j);
      const qj = Q.ptr(j);
      op.mv(pj, qj);
      const arrow = j > 0 && j === B.keep;
      if (arrow) {
        // First step after a restart: A·p = Σ ρᵢ·q̃ᵢ + α·q (the arrow column of B).
        for (let i = 0; i < j; i++)
          if (B.rho[i] !== 0) kern.call('axpyF64', { a: -B.rho[i], x: Q.ptr(i), y: qj, n: m });
      } else if (j > 0 && B.beta[j - 1] !== 0) {
        kern.call('axpyF64', { a: -B.beta[j - 1], x: Q.ptr(j - 1), y: qj, n: m });
      }
      let alpha = kern.call('nrm2F64', { x: qj, n: m });
      let reorth = j > 0 && (forceQ || arrow);
      if (j > 0 && !reorth) reorth = updateMu(j, alpha) > DELTA;
      if (reorth) {
        alpha = Q.orthogonalize(qj, j, coef);
        mu.fill(eps1, 0, j);
        forceQ = !forceQ;
      }
      if (alpha > anorm) anorm = alpha;
      if (!(alpha > small())) {
        // A·p_j lies in span(Q): continue with any new orthogonal direction (B gets a zero pivot).
        alpha = 0;
        randomOrth(Q, j);
        mu.fill(eps1, 0, j);
      } else {
        kern.call('scalF64', { a: 1 / alpha, x: qj, n: m });
      }
      return alpha;
    };

    /** Second half of step j: p_{j+1} and β_j from q_j. */
    const stepB = (j: number, alpha: number) => {
      const pj = P.ptr(j);
      const qj = Q.ptr(j);
      const pn = P.ptr(j + 1);
      op.mtv(qj, pn);
      if (alpha !== 0) kern.call('axpyF64', { a: -alpha, x: pj, y: pn, n });
      let beta = P.orthogonalize(pn, j + 1, coef);
      if (beta > anorm) anorm = beta;
      if (!(beta > small())) {
        beta = 0;
        // Invariant subspace found. When P already spans the whole space (j + 1 = n) nothing is left.
        if (j + 1 < n) randomOrth(P, j + 1);
        else heap.view('f64', pn, n).fill(0);
      } else {
        kern.call('scalF64', { a: 1 / beta, x: pn, n });
      }
      B.setRow(j, alpha, beta);
    };

    /**
     * mu ← estimates of q_j·q_i (i < j) for the q_j about to be normalized by alpha, from the recurrence
     * α_j·μ_{j,i} = α_i·ν_{j,i} + β_i·ν_{j,i+1} − β_{j−1}·μ_{j−1,i} + rounding, where ν (P's
     * orthogonality) is at rounding level because P is fully reorthogonalized. Returns max |μ|.
     */
    const updateMu = (j: number, alpha: number): number => {
      if (!(alpha > 0)) return Infinity;
      const bprev = B.beta[j - 1];
      const local = eps1 * (Math.sqrt(alpha * alpha + bprev * bprev) + anorm);
      const rowNorm = B.rowNorm;
      let worst = 0;
      for (let i = 0; i < j - 1; i++) {
        const t = -bprev * mu[i];
        const d = local + 2 * eps1 * rowNorm[i];
        const v = (t + (t < 0 ? -d : d)) / alpha;
        mu[i] = v;
        if (Math.abs(v) > worst) worst = Math.abs(v);
      }
      const v = (local + 2 * eps1 * rowNorm[j - 1]) / alpha;
      mu[j - 1] = v;
      return Math.max(worst, v);
    };

    // Start vector: seeded uniform [0, 1) entries, unit norm. For the nonnegative matrices of
    // recommendation it leans towards the (nonnegative) leading singular vectors, saving a step or two.
    P.ensure(2);
    Q.ensure(1);
    {
      const v = heap.view('f64', P.ptr(0), n);
      for (let t = 0; t < n; t++) v[t] = rng.next();
      kern.call('scalF64', { a: 1 / kern.call('nrm2F64', { x: P.ptr(0), n }), x: P.ptr(0), n });
    }

    let restarts = 0;
    let j = 0;
    let prevJ = 0;
    let prevR = Infinity;
    let check = Math.min(cap, k + 1);
    let augmented = true;
    for (;;) {
      // Extend the basis to `cap` vectors, looking at the Ritz values on the way (bidiagonal B only).
      let found: ProjectedSVD | undefined;
      let J = j;
      for (; j < cap; j++) {
        if (!P.ensure(j + 2) || !Q.ensure(j + 1)) {
          // The heap cannot grow further: restart with what there is (k + 1 vectors at least).
          if (j <= k) throw new Error(`truncatedSVD: out of memory after ${j} Lanczos vectors (k = ${k})`);
          cap = j;
          break;
        }
        const alpha = stepA(j);
        if (augmented && B.keep === 0 && j >= check && j >= k) {
          // Look at B̃ = [B_j | β_{j−1}e]: its triplets' residuals are known after this half-step.
          const aug = augmentedSVD(backend, B, j, alpha, 0);
          if (aug && aug.s[k - 1] > small()) {
            const { nconv, worst } = assessResiduals(aug.s, aug.res, k, tol);
            await progress(restarts, nconv, worst);
            if (nconv === k) return finishAugmented(j, alpha, aug);
            const stepCost = 0.6 * op.nnz + n * j + 2 * m;
            check = Math.min(cap, nextCheck(j, worst, prevJ, prevR, tol, stepCost, 40 * j * j));
            prevJ = j;
            prevR = worst;
          } else {
            // A wanted value of B̃ is zero (rank-deficient A): look at B_J instead from now on.
            augmented = false;
          }
        }
        stepB(j, alpha);
        J = j + 1;
        if (augmented || B.keep > 0 || J < check || J === cap) continue;
        const svd = projectedSVD(backend, B, J, 0);
        const { nconv, worst } = assess(svd, B.beta[J - 1], k, tol);
        await progress(restarts, nconv, worst);
        if (nconv === k) {
          found = svd;
          j++;
          break;
        }
        // Cost models in ns (measured orders of magnitude): a step is two sparse products, Gram–Schmidt
        // on the short side and a few passes over the long one; a look is the QR of B.
        const stepCost = 0.6 * op.nnz + n * J + 2 * m;
        check = Math.min(cap, nextCheck(J, worst, prevJ, prevR, tol, stepCost, 40 * J * J));
        prevJ = J;
        prevR = worst;
      }
      if (found === undefined) J = cap;
      const betaLast = B.beta[J - 1];
      // (After a restart B is dense: its SVD comes with all vectors at once.)
      const svd = found ?? projectedSVD(backend, B, J, B.keep > 0 ? J : 0);
      const { nconv, worst } = assess(svd, betaLast, k, tol);
      const done = nconv === k || restarts >= p.maxRestarts;
      // Thick restart keeps k plus half of the rest of the subspace (more when several have converged,
      // as ARPACK does), which keeps the convergence of the wanted triplets from stalling.
      const keep = done ? k : Math.min(J - 1, k + Math.max(Math.floor((J - k) / 2), nconv));
      const vec = projectedSVD(backend, B, J, keep, svd);
      const X = vec.X as Float64Array;
      const Y = vec.Y as Float64Array;

      if (done) {
        const U = ritz(Q, Y, keep, J, true);
        const V = ritz(P, X, keep, J, true);
        const residuals = new Float64Array(k);
        for (let i = 0; i < k; i++) residuals[i] = vec.s[0] > 0 ? (Math.abs(betaLast) * vec.bottom[i]) / vec.s[0] : 0;
        return { s: vec.s.slice(0, k), U, V, residuals, converged: nconv === k, restarts };
      }

      // Rotate the bases: first `keep` vectors ← Ritz vectors; p_keep ← r/‖r‖ (vector J of P); and
      // B ← [diag(σ) ρ] with ρᵢ = β·U_B[J−1, i].
      for (const [basis, W] of [
        [P, X],
        [Q, Y],
      ] as const) {
        const rotated = ritz(basis, W, keep, J, false);
        const f = heap.refresh().f64;
        for (let i = 0; i < keep; i++) f.set(rotated.subarray(i * basis.len, (i + 1) * basis.len), basis.ptr(i) >>> 3);
      }
      P.copy(J, keep);
      const rho = new Float64Array(keep);
      for (let i = 0; i < keep; i++) rho[i] = betaLast * Y[i * J + J - 1];
      B.setArrow(keep, vec.s, rho);
      mu.fill(eps1);
      j = keep;
      restarts++;
      await progress(restarts, nconv, worst);
    }

    /** The result from B̃'s Ritz triplets after the half-step j (k converged). */
    function finishAugmented(J: number, alphaNext: number, aug: AugmentedSVD): RawSVD {
      const vec = augmentedSVD(backend, B, J, alphaNext, k, aug) as AugmentedSVD;
      const U = ritz(Q, vec.Y as Float64Array, k, J, true);
      const V = ritz(P, vec.X as Float64Array, k, J + 1, true);
      const residuals = new Float64Array(k);
      for (let i = 0; i < k; i++) residuals[i] = vec.res[i] / vec.s[0];
      return { s: vec.s.slice(0, k), U, V, residuals, converged: true, restarts };
    }

    /** Rows of W (count×J) combined with the basis: count Ritz vectors, as rows or as columns. */
    function ritz(basis: KrylovBasis, W: Float64Array, count: number, J: number, asColumns: boolean): Float64Array {
      const inner = heap.scope();
      try {
        const C = inner.allocArray('f64', count * J);
        C.view.set(W.subarray(0, count * J));
        const out = inner.allocArray('f64', count * basis.len);
        basis.combine(C.ptr, count, J, out.ptr, asColumns);
        return out.toArray();
      } finally {
        inner.free();
      }
    }

    async function progress(restartsSoFar: number, converged: number, maxResidual: number): Promise<void> {
      p.onProgress?.({ restarts: restartsSoFar, matvecs: op.matvecs, converged, maxResidual });
      if (p.signal) {
        await yieldToEventLoop();
        if (p.signal.aborted) throw new AbortError('truncatedSVD: aborted');
      }
    }
  } finally {
    scope.free();
  }
}

/** How many of the k wanted triplets have residual res[i] ≤ tol·σ₁, and the largest relative residual. */
function assessResiduals(s: Float64Array, res: Float64Array, k: number, tol: number): { nconv: number; worst: number } {
  let nconv = 0;
  let worst = 0;
  for (let i = 0; i < k; i++) {
    const r = res[i] / s[0];
    if (r <= tol) nconv++;
    if (!(r <= worst)) worst = r;
  }
  return { nconv, worst };
}

/** How many of the k wanted Ritz triplets meet tol, and the largest relative residual among them. */
function assess(svd: ProjectedSVD, betaLast: number, k: number, tol: number): { nconv: number; worst: number } {
  const s1 = svd.s[0];
  let nconv = 0;
  let worst = 0;
  for (let i = 0; i < k; i++) {
    const r = s1 > 0 ? (Math.abs(betaLast) * svd.bottom[i]) / s1 : 0;
    if (r <= tol) nconv++;
    if (r > worst) worst = r;
  }
  return { nconv, worst };
}
