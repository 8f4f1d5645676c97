/**
 * Restarted Golub–Kahan–Lanczos bidiagonalization for the k largest singular triplets (Baglama &
 * Reichel, "Augmented implicitly restarted Lanczos bidiagonalization methods", SIAM J. Sci. Comput.
 * 27(1), 2005 — the IRLBA method), in f64 with full reorthogonalization of both bases.
 *
 * One cycle extends P (right, n-vectors) and Q (left, m-vectors) to `d` vectors with
 *   A·P = Q·B,   Aᵀ·Q = P·Bᵀ + r·e_dᵀ,
 * B upper triangular (bidiagonal, plus one "arrow" column after a restart). The SVD of the small B
 * (one-sided Jacobi, exact to rounding) gives Ritz triplets; triplet i's residual is ‖r‖·|U_B[d−1,i]|
 * (A·v − σ·u is zero by construction). A restart keeps the best `keep` Ritz vectors plus r/‖r‖, which is
 * the augmented (thick) restart: B becomes diag(σ) with the column ρᵢ = ‖r‖·U_B[d−1,i].
 * @module
 */
import { AbortError } from '../errors.js';
import type { Backend } from '../runtime/backend.js';
import { Rng } from '../random.js';
import { jacobiSVD } from './jacobi.js';
import type { CenteredOperator } from './operator.js';
import type { SVDProgress } from './types.js';

export interface LanczosParams {
  k: number;
  tol: number;
  maxRestarts: number;
  /** Subspace size d, k ≤ d ≤ op.cols (d = op.cols gives the exact answer in one cycle). */
  d: number;
  seed: number;
  onProgress?: (p: SVDProgress) => void;
  signal?: AbortSignal;
}

/** Singular triplets in the operator's orientation, vectors as rows. */
export interface RawSVD {
  s: Float64Array;
  /** k×op.rows */
  Ut: Float64Array;
  /** k×op.cols */
  Vt: Float64Array;
  residuals: Float64Array;
  converged: boolean;
  restarts: number;
}

/** DGKS threshold: a second Gram–Schmidt pass when the first removed more than 1 − 1/√2 of the norm. */
const ETA = Math.SQRT1_2;
const EPS = 2.220446049250313e-16;

/** Yield to the event loop so an AbortSignal can fire (only when a signal was given). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

export async function lanczosSVD(backend: Backend, op: CenteredOperator, p: LanczosParams): Promise<RawSVD> {
  const { kernels: kern, heap } = backend;
  const m = op.rows;
  const n = op.cols;
  const { k, d, tol } = p;
  const rng = new Rng(p.seed);
  const scope = heap.scope();
  const alloc = (len: number) => scope.allocArray('f64', len);
  try {
    // P has d + 1 rows: the last holds the residual direction r/‖r‖ of a cycle.
    const P = alloc((d + 1) * n);
    const Q = alloc(d * m);
    const coef = alloc(2 * (d + 1));
    const tmp = alloc(d * Math.max(m, n));
    const C = alloc(d * d);
    const Pp = P.ptr;
    const Qp = Q.ptr;
    const pRow = (i: number) => Pp + i * n * 8;
    const qRow = (i: number) => Qp + i * m * 8;

    const B = new Float64Array(d * d);
    const rho = new Float64Array(d);
    let anorm = 0;
    const small = () => Math.max(anorm, Number.MIN_VALUE) * EPS * 64;

    /** Fill row `i` of a basis with a random unit vector orthogonal to rows 0..i-1; zero if impossible. */
    const randomOrth = (base: number, i: number, len: number): boolean => {
      const ptr = base + i * len * 8;
      for (let attempt = 0; attempt < 3; attempt++) {
        const v = heap.view('f64', ptr, len);
        for (let j = 0; j < len; j++) v[j] = rng.normal();
        const before = kern.call('nrm2F64', { x: ptr, n: len });
        const after = kern.call('reorthF64', { basis: base, count: i, n: len, w: ptr, coef: coef.ptr, eta: 2 });
        if (after > before * 1e-6) {
          kern.call('scalF64', { a: 1 / after, x: ptr, n: len });
          return true;
        }
      }
      heap.view('f64', ptr, len).fill(0);
      return false;
    };

    // Start vector: seeded Gaussian, unit norm.
    {
      const v = heap.view('f64', pRow(0), n);
      for (let j = 0; j < n; j++) v[j] = rng.normal();
      kern.call('scalF64', { a: 1 / kern.call('nrm2F64', { x: pRow(0), n }), x: pRow(0), n });
    }

    let start = 0;
    let restarts = 0;
    for (;;) {
      let betaLast = 0;
      for (let j = start; j < d; j++) {
        const pj = pRow(j);
        const qj = qRow(j);
        op.mv(pj, qj);
        if (j > 0) {
          if (j === start) {
            // First step after a restart: A·p = Σ ρᵢ·q̃ᵢ + α·q (the arrow column of B).
            for (let i = 0; i < start; i++) if (rho[i] !== 0) kern.call('axpyF64', { a: -rho[i], x: qRow(i), y: qj, n: m });
          } else {
            const beta = B[(j - 1) * d + j];
            if (beta !== 0) kern.call('axpyF64', { a: -beta, x: qRow(j - 1), y: qj, n: m });
          }
        }
        let alpha = j > 0 ? kern.call('reorthF64', { basis: Qp, count: j, n: m, w: qj, coef: coef.ptr, eta: ETA }) : kern.call('nrm2F64', { x: qj, n: m });
        if (alpha > anorm) anorm = alpha;
        if (!(alpha > small())) {
          // A·p_j lies in span(Q): continue with any new orthogonal direction (B gets a zero pivot).
          alpha = 0;
          randomOrth(Qp, j, m);
        } else {
          kern.call('scalF64', { a: 1 / alpha, x: qj, n: m });
        }
        B[j * d + j] = alpha;

        const pn = pRow(j + 1);
        op.mtv(qj, pn);
        if (alpha !== 0) kern.call('axpyF64', { a: -alpha, x: pj, y: pn, n });
        let beta = kern.call('reorthF64', { basis: Pp, count: j + 1, n, w: pn, coef: coef.ptr, eta: ETA });
        if (beta > anorm) anorm = beta;
        if (!(beta > small())) {
          beta = 0;
          // Invariant subspace found. When P already spans the whole space (d = n) nothing is left.
          if (j + 1 < n) randomOrth(Pp, j + 1, n);
          else heap.view('f64', pn, n).fill(0);
        } else {
          kern.call('scalF64', { a: 1 / beta, x: pn, n });
        }
        if (j < d - 1) B[j * d + j + 1] = beta;
        else betaLast = beta;
      }

      // Ritz triplets of the projected problem.
      const svd = jacobiSVD(backend, B, d, d);
      const s1 = svd.s[0];
      const residuals = new Float64Array(k);
      let nconv = 0;
      let maxRes = 0;
      for (let i = 0; i < k; i++) {
        const r = Math.abs(betaLast * svd.Ut[i * d + d - 1]);
        residuals[i] = s1 > 0 ? r / s1 : 0;
        if (residuals[i] <= tol) nconv++;
        if (residuals[i] > maxRes) maxRes = residuals[i];
      }
      const done = nconv === k || restarts >= p.maxRestarts;
      // Thick restart keeps k plus half of the rest of the subspace (more when several have converged,
      // as ARPACK does), which keeps the convergence of the wanted triplets from stalling.
      const keep = done ? k : Math.min(d - 1, k + Math.max(Math.floor((d - k) / 2), nconv));

      // Rotate the bases: first `keep` rows ← Ritz vectors.
      const rotate = (base: number, len: number, rows: Float64Array, count: number) => {
        C.view.set(rows.subarray(0, count * d));
        kern.call('combineF64', { basis: base, count: d, n: len, C: C.ptr, kOut: count, out: tmp.ptr });
        heap.view('f64', base, count * len).set(heap.view('f64', tmp.ptr, count * len));
      };
      rotate(Pp, n, svd.Vt, keep);
      rotate(Qp, m, svd.Ut, keep);

      if (done) {
        return {
          s: svd.s.slice(0, k),
          Ut: heap.view('f64', Qp, k * m).slice(),
          Vt: heap.view('f64', Pp, k * n).slice(),
          residuals,
          converged: nconv === k,
          restarts,
        };
      }

      // p_{keep} ← r/‖r‖ (row d), and B ← [diag(σ) ρ].
      heap.view('f64', pRow(keep), n).set(heap.view('f64', pRow(d), n));
      B.fill(0);
      for (let i = 0; i < keep; i++) {
        B[i * d + i] = svd.s[i];
        rho[i] = betaLast * svd.Ut[i * d + d - 1];
        B[i * d + keep] = rho[i];
      }
      start = keep;
      restarts++;
      p.onProgress?.({ restarts, matvecs: op.matvecs, converged: nconv, maxResidual: maxRes });
      if (p.signal) {
        await yieldToEventLoop();
        if (p.signal.aborted) throw new AbortError('truncatedSVD: aborted');
      }
    }
  } finally {
    scope.free();
  }
}
