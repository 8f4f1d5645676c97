/**
 * The projected matrix B of the Lanczos bidiagonalization (A·P = Q·B) and its small SVD.
 *
 * B is upper bidiagonal (α on the diagonal, β above it) until the first restart; after one it starts
 * with an "arrow": diag(σ₀…σ_{l−1}) with the column ρ at index l, then bidiagonal. The bidiagonal case
 * uses the O(J²) routines of bidiag.ts; the arrow case (only after restarts, which the default subspace
 * makes rare) and any case those routines decline use one-sided Jacobi on the dense J×J matrix.
 * @module
 */
import type { Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';
import { bidiagValues, bidiagVectors } from './bidiag.js';
import { jacobiSVD } from './jacobi.js';

/** B's entries: arrow part [0, keep) and bidiagonal part [keep, J). */
export class Projected {
  readonly alpha: Float64Array;
  readonly beta: Float64Array;
  /** Arrow part after a restart: B[i,i] = sig[i], B[i,keep] = rho[i] for i < keep. */
  readonly sig: Float64Array;
  readonly rho: Float64Array;
  /** Norm of each row of B (the size of the rounding terms in the orthogonality estimates). */
  readonly rowNorm: Float64Array;
  keep = 0;

  /** @param work heap scratch of 3·capacity f64 for the QR kernel */
  constructor(
    capacity: number,
    readonly work: HeapArray<'f64'>,
  ) {
    this.alpha = new Float64Array(capacity);
    this.beta = new Float64Array(capacity);
    this.sig = new Float64Array(capacity);
    this.rho = new Float64Array(capacity);
    this.rowNorm = new Float64Array(capacity);
  }

  /** Set row j of the bidiagonal part. */
  setRow(j: number, alpha: number, beta: number): void {
    this.alpha[j] = alpha;
    this.beta[j] = beta;
    this.rowNorm[j] = Math.sqrt(alpha * alpha + beta * beta);
  }

  /** Restart: B ← [diag(σ) ρ] over the first `keep` rows. */
  setArrow(keep: number, s: Float64Array, rho: Float64Array): void {
    for (let i = 0; i < keep; i++) {
      this.sig[i] = s[i];
      this.rho[i] = rho[i];
      this.rowNorm[i] = Math.sqrt(s[i] * s[i] + rho[i] * rho[i]);
    }
    this.keep = keep;
  }

  /** Dense J×J row-major copy. */
  dense(J: number): Float64Array {
    const B = new Float64Array(J * J);
    for (let i = 0; i < this.keep; i++) {
      B[i * J + i] = this.sig[i];
      B[i * J + this.keep] = this.rho[i];
    }
    for (let j = this.keep; j < J; j++) {
      B[j * J + j] = this.alpha[j];
      if (j + 1 < J) B[j * J + j + 1] = this.beta[j];
    }
    return B;
  }
}

/** Ritz values, residual estimates, and (when asked) vectors of B for the leading triplets. */
export interface ProjectedSVD {
  /** Singular values of B, descending (all J of them). */
  s: Float64Array;
  /** |U_B[J−1, i]|: times the last β, the residual ‖Aᵀuᵢ − σᵢvᵢ‖ of Ritz triplet i. */
  bottom: Float64Array;
  /** Right / left singular vectors of B for the first `want` values, as rows of length J. */
  X?: Float64Array;
  Y?: Float64Array;
}

/**
 * SVD of B's leading J×J part: values and residual estimates always, singular vectors for (at least) the
 * `want` largest values when want > 0. `known` is an earlier call's result for the same J (its values are
 * reused). The dense path always returns all J vectors.
 */
export function projectedSVD(
  backend: Backend,
  B: Projected,
  J: number,
  want: number,
  known?: ProjectedSVD,
): ProjectedSVD {
  if (known?.X && known.X.length >= want * J) return known;
  if (B.keep === 0) {
    const vals = known ?? bidiagValues(backend, B.work, B.alpha, B.beta, J);
    if (vals) {
      if (want === 0) return vals;
      const vecs = bidiagVectors(B.alpha, B.beta, J, vals.s, want);
      if (vecs) return { ...vals, X: vecs.X, Y: vecs.Y };
    }
  }
  const svd = jacobiSVD(backend, B.dense(J), J, J);
  const bottom = new Float64Array(J);
  for (let i = 0; i < J; i++) bottom[i] = Math.abs(svd.Ut[i * J + J - 1]);
  return { s: svd.s, bottom, X: svd.Vt, Y: svd.Ut };
}

/**
 * When to look at the Ritz values next. A look is an O(J²) small SVD (≈ 40·J² ns, latency-bound Givens
 * rotations), comparable to several Lanczos steps once J is in the hundreds, so it is not done at every
 * step. From the largest residual r among the wanted triplets now and at the previous look, a geometric
 * rate predicts the steps still needed: when those steps cost less than a few looks, aim straight at the
 * predicted step; further out, halve the distance; far from convergence (no rate yet, or residuals not
 * falling) grow J by an eighth. `stepCost` / `checkCost` are rough cost models (same units) of one step
 * and of one look at this J. Depends only on the numbers, so a seed reproduces the same steps.
 */
export function nextCheck(
  J: number,
  r: number,
  prevJ: number,
  prevR: number,
  tol: number,
  stepCost: number,
  checkCost: number,
): number {
  const far = Math.max(1, Math.floor(J / 8));
  if (!(prevJ > 0) || !(r < prevR) || !(r > 0)) return J + far;
  const rate = Math.log(r / prevR) / (J - prevJ);
  const need = Math.log(tol / r) / rate;
  if (!Number.isFinite(need)) return J + far;
  const jump = need * stepCost <= 4 * checkCost ? Math.ceil(need) : Math.floor(need / 2);
  return J + Math.max(1, Math.min(far, jump));
}

/** Ritz triplets of the augmented matrix B̃ (see {@link augmentedSVD}). */
export interface AugmentedSVD {
  /** Singular values of B̃, descending (all J). */
  s: Float64Array;
  /** ‖A·vᵢ − σᵢ·uᵢ‖ of each Ritz triplet (Aᵀ·uᵢ = σᵢ·vᵢ holds by construction). */
  res: Float64Array;
  /** Right singular vectors (rows of length J + 1) and left ones (rows of length J), for `want` values. */
  X?: Float64Array;
  Y?: Float64Array;
}

/**
 * Ritz triplets from the J×(J+1) matrix B̃ = [B_J | β_{J−1}·e_{J−1}] once the next half-step (q_J, α_J
 * from A·p_J) is done, bidiagonal B only. With Aᵀ·Q_J = P_{J+1}·B̃ᵀ, the pair uᵢ = Q_J·yᵢ, vᵢ = P_{J+1}·xᵢ
 * (B̃ = Y·Σ·Xᵀ) has Aᵀuᵢ = σᵢvᵢ and A·vᵢ − σᵢuᵢ = α_J·xᵢ[J]·q_J, so its residual is
 * α_J·β_{J−1}·|Y[J−1, i]|/σᵢ: smaller than B_J's β_{J−1}·|U_B[J−1, i]| by α_J/σᵢ, one product later —
 * convergence is seen a step or more sooner (PROPACK also stops at an odd product count). B̃'s values and
 * left vectors are those of the J×J bidiagonal left after chasing β_{J−1} out by column rotations (O(J)).
 * Undefined when a wanted value is zero (the caller then uses B_J). `known` reuses an earlier call's values.
 */
export function augmentedSVD(
  backend: Backend,
  B: Projected,
  J: number,
  alphaNext: number,
  want: number,
  known?: AugmentedSVD,
): AugmentedSVD | undefined {
  const d = B.alpha.slice(0, J);
  const e = B.beta.slice(0, J);
  let g = e[J - 1];
  const betaLast = Math.abs(g);
  e[J - 1] = 0;
  for (let i = J - 1; i >= 0 && g !== 0; i--) {
    // Rotate columns i and J so that row i's entry in column J vanishes; row i − 1 gets the fill.
    const r = Math.hypot(d[i], g);
    const c = d[i] / r;
    const s = g / r;
    d[i] = r;
    if (i > 0) {
      g = -s * e[i - 1];
      e[i - 1] *= c;
    }
  }
  let s: Float64Array;
  let bottom: Float64Array;
  if (known) {
    s = known.s;
    bottom = new Float64Array(0);
  } else {
    const vals = bidiagValues(backend, B.work, d, e, J);
    if (!vals) return undefined;
    s = vals.s;
    bottom = vals.bottom;
  }
  for (let i = 0; i < Math.max(want, 1); i++) if (!(s[i] > 0)) return undefined;
  const res = known?.res ?? new Float64Array(J);
  if (!known) for (let i = 0; i < J; i++) res[i] = s[i] > 0 ? (alphaNext * betaLast * bottom[i]) / s[i] : Infinity;
  if (want === 0) return { s, res };
  let Y = bidiagVectors(d, e, J, s, want)?.Y;
  if (!Y) {
    const dense = new Float64Array(J * J);
    for (let i = 0; i < J; i++) {
      dense[i * J + i] = d[i];
      if (i + 1 < J) dense[i * J + i + 1] = e[i];
    }
    Y = jacobiSVD(backend, dense, J, J).Ut;
  }
  // xᵢ = B̃ᵀ·yᵢ/σᵢ.
  const X = new Float64Array(want * (J + 1));
  for (let i = 0; i < want; i++) {
    const y = Y.subarray(i * J, i * J + J);
    const x = X.subarray(i * (J + 1), (i + 1) * (J + 1));
    for (let c = 0; c < J; c++) x[c] = (B.alpha[c] * y[c] + (c > 0 ? B.beta[c - 1] * y[c - 1] : 0)) / s[i];
    x[J] = (B.beta[J - 1] * y[J - 1]) / s[i];
  }
  return { s, res, X, Y };
}
