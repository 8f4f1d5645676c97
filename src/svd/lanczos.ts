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
import { throwIfAborted, yieldToEventLoop } from '../tasks.js';
import type { Backend } from '../runtime/backend.js';
import type { HeapArray, HeapScope } from '../runtime/heap.js';
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

export async function lanczosSVD(backend: Backend, op: CenteredOperator, p: LanczosParams): Promise<RawSVD> {
  const scope = backend.heap.scope();
  try {
    return await new LanczosRun(backend, op, p, scope).run();
  } finally {
    scope.free();
  }
}

/** One run of the method: the two bases, the projected matrix B and the recurrences' state. */
class LanczosRun {
  private readonly m: number;
  private readonly n: number;
  private readonly k: number;
  private readonly tol: number;
  /** Largest basis before a restart (lowered when the heap cannot grow further). */
  private cap: number;
  private readonly rng: Rng;
  private readonly P: KrylovBasis;
  private readonly Q: KrylovBasis;
  private readonly coef: HeapArray<'f64'>;
  private readonly B: Projected;
  /** mu[i] ≈ q_{j−1}·q_i (i < j − 1): Larsen's estimate of Q's loss of orthogonality. */
  private readonly mu: Float64Array;
  private readonly eps1: number;
  private forceQ = false;
  private anorm = 0;
  // The iteration: restarts so far, the next step j, when to look at the Ritz values next.
  private restarts = 0;
  private j = 0;
  private prevJ = 0;
  private prevR = Infinity;
  private check: number;
  private augmented = true;

  constructor(
    private readonly backend: Backend,
    private readonly op: CenteredOperator,
    private readonly p: LanczosParams,
    scope: HeapScope,
  ) {
    this.m = op.rows;
    this.n = op.cols;
    this.k = p.k;
    this.tol = p.tol;
    this.cap = p.d;
    this.rng = new Rng(p.seed);
    // First chunks of about 4k vectors (k = 10 converges in 2k–5k steps on recommendation data).
    const { n, m, k } = this;
    this.P = new KrylovBasis(backend, scope, n, this.cap + 1, chunkFor(n), blockFor(n), firstFor(n, k));
    this.Q = new KrylovBasis(backend, scope, m, this.cap, chunkFor(m), blockFor(m), firstFor(m, k));
    this.coef = scope.allocArray('f64', Math.max(this.P.block, this.Q.block));
    this.B = new Projected(this.cap, scope.allocArray('f64', 3 * this.cap));
    this.mu = new Float64Array(this.cap);
    this.eps1 = (Math.sqrt(this.m) * EPS) / 2;
    this.check = Math.min(this.cap, this.k + 1);
  }

  private small(): number {
    return Math.max(this.anorm, Number.MIN_VALUE) * EPS * 64;
  }

  async run(): Promise<RawSVD> {
    this.startVector();
    for (;;) {
      const grown = await this.grow();
      if ('s' in grown) return grown;
      const done = await this.cycle(grown.found, grown.J);
      if (done) return done;
    }
  }

  /**
   * Start vector: seeded uniform [0, 1) entries, unit norm. For the nonnegative matrices of
   * recommendation it leans towards the (nonnegative) leading singular vectors, saving a step or two.
   */
  private startVector(): void {
    const { P, Q, n } = this;
    const kern = this.backend.kernels;
    P.ensure(2);
    Q.ensure(1);
    const p0 = P.vector(0);
    const v = p0.view;
    for (let t = 0; t < n; t++) v[t] = this.rng.next();
    kern.call('scalF64', { a: 1 / kern.call('nrm2F64', { x: p0, n }), x: p0, n });
  }

  /**
   * Extend the basis towards `cap` vectors, looking at the Ritz values on the way (bidiagonal B only).
   * Returns the result when the augmented look converged, else where the cycle ended: the projected SVD
   * that converged (`found`, after J vectors), or J = cap.
   */
  private async grow(): Promise<RawSVD | { found?: ProjectedSVD; J: number }> {
    const { P, Q, B, k } = this;
    for (; this.j < this.cap; this.j++) {
      const j = this.j;
      if (!P.ensure(j + 2) || !Q.ensure(j + 1)) {
        // The heap cannot grow further: restart with what there is (k + 1 vectors at least).
        if (j <= k) throw new Error(`truncatedSVD: out of memory after ${j} Lanczos vectors (k = ${k})`);
        this.cap = j;
        break;
      }
      const alpha = this.stepA(j);
      if (this.augmented && B.keep === 0 && j >= this.check && j >= k) {
        const done = await this.lookAugmented(j, alpha);
        if (done) return done;
      }
      this.stepB(j, alpha);
      const J = j + 1;
      if (this.augmented || B.keep > 0 || J < this.check || J === this.cap) continue;
      const svd = projectedSVD(this.backend, B, J, 0);
      const { nconv, worst } = assess(svd, B.beta[J - 1], k, this.tol);
      await this.progress(nconv, worst);
      if (nconv === k) {
        this.j++;
        return { found: svd, J };
      }
      this.nextLook(J, worst);
    }
    return { J: this.cap };
  }

  /** Look at B̃ = [B_j | β_{j−1}e]: its triplets' residuals are known after the half-step j. */
  private async lookAugmented(j: number, alpha: number): Promise<RawSVD | undefined> {
    const { k } = this;
    const aug = augmentedSVD(this.backend, this.B, j, alpha, 0);
    if (aug && aug.s[k - 1] > this.small()) {
      const { nconv, worst } = assessResiduals(aug.s, aug.res, k, this.tol);
      await this.progress(nconv, worst);
      if (nconv === k) return this.finishAugmented(j, alpha, aug);
      this.nextLook(j, worst);
    } else {
      // A wanted value of B̃ is zero (rank-deficient A): look at B_J instead from now on.
      this.augmented = false;
    }
    return undefined;
  }

  /**
   * When to look next. Cost models in ns (measured orders of magnitude): a step is two sparse products,
   * Gram–Schmidt on the short side and a few passes over the long one; a look is the QR of B.
   */
  private nextLook(J: number, worst: number): void {
    const stepCost = 0.6 * this.op.nnz + this.n * J + 2 * this.m;
    this.check = Math.min(this.cap, nextCheck(J, worst, this.prevJ, this.prevR, this.tol, stepCost, 40 * J * J));
    this.prevJ = J;
    this.prevR = worst;
  }

  /** The end of a cycle of J vectors: the result, or a restart keeping the best Ritz vectors. */
  private async cycle(found: ProjectedSVD | undefined, J: number): Promise<RawSVD | undefined> {
    const { B, k } = this;
    const betaLast = B.beta[J - 1];
    // (After a restart B is dense: its SVD comes with all vectors at once.)
    const svd = found ?? projectedSVD(this.backend, B, J, B.keep > 0 ? J : 0);
    const { nconv, worst } = assess(svd, betaLast, k, this.tol);
    const done = nconv === k || this.restarts >= this.p.maxRestarts;
    // Thick restart keeps k plus half of the rest of the subspace (more when several have converged,
    // as ARPACK does), which keeps the convergence of the wanted triplets from stalling.
    const keep = done ? k : Math.min(J - 1, k + Math.max(Math.floor((J - k) / 2), nconv));
    const vec = projectedSVD(this.backend, B, J, keep, svd);
    const X = vec.X as Float64Array;
    const Y = vec.Y as Float64Array;
    if (done) {
      const U = this.ritz(this.Q, Y, keep, J, true);
      const V = this.ritz(this.P, X, keep, J, true);
      const residuals = new Float64Array(k);
      for (let i = 0; i < k; i++) residuals[i] = vec.s[0] > 0 ? (Math.abs(betaLast) * vec.bottom[i]) / vec.s[0] : 0;
      return { s: vec.s.slice(0, k), U, V, residuals, converged: nconv === k, restarts: this.restarts };
    }
    // Rotate the bases: first `keep` vectors ← Ritz vectors; p_keep ← r/‖r‖ (vector J of P); and
    // B ← [diag(σ) ρ] with ρᵢ = β·U_B[J−1, i].
    for (const [basis, W] of [
      [this.P, X],
      [this.Q, Y],
    ] as const) {
      const rotated = this.ritz(basis, W, keep, J, false);
      for (let i = 0; i < keep; i++) basis.vector(i).view.set(rotated.subarray(i * basis.len, (i + 1) * basis.len));
    }
    this.P.copy(J, keep);
    const rho = new Float64Array(keep);
    for (let i = 0; i < keep; i++) rho[i] = betaLast * Y[i * J + J - 1];
    B.setArrow(keep, vec.s, rho);
    this.mu.fill(this.eps1);
    this.j = keep;
    this.restarts++;
    await this.progress(nconv, worst);
    return undefined;
  }

  /** Vector i of a basis ← a random unit vector orthogonal to vectors [0, i); zero if impossible. */
  private randomOrth(basis: KrylovBasis, i: number): boolean {
    const kern = this.backend.kernels;
    const vec = basis.vector(i);
    for (let attempt = 0; attempt < 3; attempt++) {
      const v = vec.view;
      for (let t = 0; t < basis.len; t++) v[t] = this.rng.normal();
      const before = kern.call('nrm2F64', { x: vec, n: basis.len });
      const after = basis.orthogonalize(vec, i, this.coef, true);
      if (after > before * 1e-6) {
        kern.call('scalF64', { a: 1 / after, x: vec, n: basis.len });
        return true;
      }
    }
    vec.view.fill(0);
    return false;
  }

  /** First half of Lanczos step j: q_j and α_j from p_j (returns α_j). */
  private stepA(j: number): number {
    const { P, Q, B, mu, m } = this;
    const kern = this.backend.kernels;
    const pj = P.vector(j);
    const qj = Q.vector(j);
    this.op.mv(pj, qj);
    const arrow = j > 0 && j === B.keep;
    if (arrow) {
      // First step after a restart: A·p = Σ ρᵢ·q̃ᵢ + α·q (the arrow column of B).
      for (let i = 0; i < j; i++)
        if (B.rho[i] !== 0) kern.call('axpyF64', { a: -B.rho[i], x: Q.vector(i), y: qj, n: m });
    } else if (j > 0 && B.beta[j - 1] !== 0) {
      kern.call('axpyF64', { a: -B.beta[j - 1], x: Q.vector(j - 1), y: qj, n: m });
    }
    let alpha = kern.call('nrm2F64', { x: qj, n: m });
    let reorth = j > 0 && (this.forceQ || arrow);
    if (j > 0 && !reorth) reorth = this.updateMu(j, alpha) > DELTA;
    if (reorth) {
      alpha = Q.orthogonalize(qj, j, this.coef);
      mu.fill(this.eps1, 0, j);
      this.forceQ = !this.forceQ;
    }
    if (alpha > this.anorm) this.anorm = alpha;
    if (!(alpha > this.small())) {
      // A·p_j lies in span(Q): continue with any new orthogonal direction (B gets a zero pivot).
      alpha = 0;
      this.randomOrth(Q, j);
      mu.fill(this.eps1, 0, j);
    } else {
      kern.call('scalF64', { a: 1 / alpha, x: qj, n: m });
    }
    return alpha;
  }

  /** Second half of step j: p_{j+1} and β_j from q_j. */
  private stepB(j: number, alpha: number): void {
    const { P, Q, n } = this;
    const kern = this.backend.kernels;
    const pj = P.vector(j);
    const qj = Q.vector(j);
    const pn = P.vector(j + 1);
    this.op.mtv(qj, pn);
    if (alpha !== 0) kern.call('axpyF64', { a: -alpha, x: pj, y: pn, n });
    let beta = P.orthogonalize(pn, j + 1, this.coef);
    if (beta > this.anorm) this.anorm = beta;
    if (!(beta > this.small())) {
      beta = 0;
      // Invariant subspace found. When P already spans the whole space (j + 1 = n) nothing is left.
      if (j + 1 < n) this.randomOrth(P, j + 1);
      else pn.view.fill(0);
    } else {
      kern.call('scalF64', { a: 1 / beta, x: pn, n });
    }
    this.B.setRow(j, alpha, beta);
  }

  /**
   * mu ← estimates of q_j·q_i (i < j) for the q_j about to be normalized by alpha, from the recurrence
   * α_j·μ_{j,i} = α_i·ν_{j,i} + β_i·ν_{j,i+1} − β_{j−1}·μ_{j−1,i} + rounding, where ν (P's
   * orthogonality) is at rounding level because P is fully reorthogonalized. Returns max |μ|.
   */
  private updateMu(j: number, alpha: number): number {
    if (!(alpha > 0)) return Infinity;
    const { mu, eps1 } = this;
    const bprev = this.B.beta[j - 1];
    const local = eps1 * (Math.sqrt(alpha * alpha + bprev * bprev) + this.anorm);
    const rowNorm = this.B.rowNorm;
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
  }

  /** The result from B̃'s Ritz triplets after the half-step j (k converged). */
  private finishAugmented(J: number, alphaNext: number, aug: AugmentedSVD): RawSVD {
    const { k } = this;
    const vec = augmentedSVD(this.backend, this.B, J, alphaNext, k, aug) as AugmentedSVD;
    const U = this.ritz(this.Q, vec.Y as Float64Array, k, J, true);
    const V = this.ritz(this.P, vec.X as Float64Array, k, J + 1, true);
    const residuals = new Float64Array(k);
    for (let i = 0; i < k; i++) residuals[i] = vec.res[i] / vec.s[0];
    return { s: vec.s.slice(0, k), U, V, residuals, converged: true, restarts: this.restarts };
  }

  /** Rows of W (count×J) combined with the basis: count Ritz vectors, as rows or as columns. */
  private ritz(basis: KrylovBasis, W: Float64Array, count: number, J: number, asColumns: boolean): Float64Array {
    const inner = this.backend.heap.scope();
    try {
      const C = inner.allocArray('f64', count * J);
      C.view.set(W.subarray(0, count * J));
      const out = inner.allocArray('f64', count * basis.len);
      basis.combine(C, count, J, out, asColumns);
      return out.toArray();
    } finally {
      inner.free();
    }
  }

  private async progress(converged: number, maxResidual: number): Promise<void> {
    const p = this.p;
    p.onProgress?.({ restarts: this.restarts, matvecs: this.op.matvecs, converged, maxResidual });
    // Yield so an AbortSignal can fire (only when one was given).
    if (p.signal) {
      await yieldToEventLoop();
      throwIfAborted(p.signal, 'truncatedSVD: aborted');
    }
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
