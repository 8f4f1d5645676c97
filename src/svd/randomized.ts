/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp, "Finding structure with randomness", SIAM Review
 * 53(2), 2011, algorithms 4.4 + 5.1): sample the range of A with k + oversample Gaussian vectors, sharpen
 * it with power iterations (re-orthonormalizing after every product, which keeps small singular
 * directions from being lost in rounding), then take the exact SVD of the projection.
 *
 * A fixed amount of work: faster than Lanczos for loose accuracy, but it does not iterate to a tolerance;
 * the residuals it reports are computed explicitly (k extra products).
 * @module
 */
import { throwIfAborted, yieldToEventLoop } from '../tasks.js';
import type { Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';
import { Rng } from '../random.js';
import { jacobiSVD } from './jacobi.js';
import type { CenteredOperator } from './operator.js';
import type { RawSVD } from './lanczos.js';
import type { SVDProgress } from './types.js';

export interface RandomizedParams {
  k: number;
  tol: number;
  oversample: number;
  powerIterations: number;
  seed: number;
  onProgress?: (p: SVDProgress) => void;
  signal?: AbortSignal;
}

export async function randomizedSVD(backend: Backend, op: CenteredOperator, p: RandomizedParams): Promise<RawSVD> {
  const m = op.rows;
  const n = op.cols;
  const k = p.k;
  const l = Math.min(n, k + p.oversample);
  const rng = new Rng(p.seed);
  const scope = backend.heap.scope();
  const alloc = (len: number) => scope.allocArray('f64', len);
  try {
    const Y = alloc(l * m); // range samples (rows are vectors)
    const Z = alloc(l * n); // co-range samples
    const qr = new BlockQR(backend, rng, alloc(2 * l), l);
    const yRow = (i: number) => Y.row(i, m);
    const zRow = (i: number) => Z.row(i, n);
    const check = async (iter: number) => {
      p.onProgress?.({ restarts: iter, matvecs: op.matvecs, converged: 0, maxResidual: NaN });
      if (p.signal) {
        await yieldToEventLoop();
        throwIfAborted(p.signal, 'truncatedSVD: aborted');
      }
    };
    {
      const v = Z.view;
      for (let j = 0; j < v.length; j++) v[j] = rng.normal();
    }
    for (let i = 0; i < l; i++) op.mv(zRow(i), yRow(i));
    qr.orthonormalize(Y, m);
    for (let it = 0; it < p.powerIterations; it++) {
      for (let i = 0; i < l; i++) op.mtv(yRow(i), zRow(i));
      qr.orthonormalize(Z, n);
      for (let i = 0; i < l; i++) op.mv(zRow(i), yRow(i));
      qr.orthonormalize(Y, m);
      await check(it + 1);
    }
    // Bᵀ = Aᵀ·Y = W·R (QR), so B = Rᵀ·Wᵀ and A ≈ Y·B = (Y·Ũ)·Σ·(W·Ṽ)ᵀ with Rᵀ = Ũ·Σ·Ṽᵀ.
    for (let i = 0; i < l; i++) op.mtv(yRow(i), zRow(i));
    qr.orthonormalize(Z, n);
    const R = qr.R;
    const Rt = new Float64Array(l * l);
    for (let a = 0; a < l; a++) for (let b = 0; b < l; b++) Rt[a * l + b] = R[b * l + a];
    const svd = jacobiSVD(backend, Rt, l, l);
    const C = alloc(l * l);
    const tmp = alloc(l * Math.max(m, n));
    const U = rotate(backend, Y, l, m, svd.Ut, k, C, tmp);
    const V = rotate(backend, Z, l, n, svd.Vt, k, C, tmp);
    const s = svd.s.slice(0, k);
    const residuals = residualsOf(op, Y, Z, { s, U, V });
    let converged = true;
    for (let i = 0; i < k; i++) if (!(residuals[i] <= p.tol)) converged = false;
    return { s, U, V, residuals, converged, restarts: p.powerIterations };
  } finally {
    scope.free();
  }
}

/** Orthonormalization of the rows of a block in place (CGS2), recording R; dependent rows → random directions. */
class BlockQR {
  /** R[j*l + i]: the upper triangular factor of the last orthonormalization. */
  readonly R: Float64Array;

  constructor(
    private readonly backend: Backend,
    private readonly rng: Rng,
    private readonly coef: HeapArray<'f64'>,
    private readonly l: number,
  ) {
    this.R = new Float64Array(l * l);
  }

  orthonormalize(block: HeapArray<'f64'>, len: number): void {
    const { R, l, coef } = this;
    const kern = this.backend.kernels;
    R.fill(0);
    for (let i = 0; i < l; i++) {
      const w = block.row(i, len);
      const before = kern.call('nrm2F64', { x: w, n: len });
      let nrm = kern.call('reorthF64', { basis: block, count: i, n: len, w, coef, eta: 2 });
      const c = coef.view;
      for (let j = 0; j < i; j++) R[j * l + i] = c[j];
      if (!(nrm > before * 1e-12) || nrm === 0) {
        // Rank-deficient sample: R gets a zero pivot, the basis a random new direction.
        nrm = 0;
        const v = w.view;
        for (let j = 0; j < len; j++) v[j] = this.rng.normal();
        const r = kern.call('reorthF64', { basis: block, count: i, n: len, w, coef, eta: 2 });
        if (r > 0) kern.call('scalF64', { a: 1 / r, x: w, n: len });
        else w.view.fill(0);
      } else {
        kern.call('scalF64', { a: 1 / nrm, x: w, n: len });
      }
      R[i * l + i] = nrm;
    }
  }
}

/** The k combinations `rows` (k×l) of the l rows of `block` (vectors of `len`), as columns (len×k). */
function rotate(
  backend: Backend,
  block: HeapArray<'f64'>,
  l: number,
  len: number,
  rows: Float64Array,
  k: number,
  C: HeapArray<'f64'>,
  tmp: HeapArray<'f64'>,
): Float64Array {
  C.view.set(rows.subarray(0, k * l));
  backend.kernels.call('gemmAccF64', {
    B: block,
    count: l,
    len,
    C,
    ldc: l,
    rows: k,
    out: tmp,
    acc: 0,
    trans: 1,
    c0: 0,
    c1: len,
  });
  return tmp.view.slice(0, k * len);
}

/**
 * Residuals. Aᵀ·uᵢ = Aᵀ·Y·ũᵢ = W·R·ũᵢ = σᵢ·vᵢ holds by construction (up to rounding), so only
 * ‖A·vᵢ − σᵢ·uᵢ‖ needs computing: k products, with Z row 0 / Y row 0 as scratch.
 */
function residualsOf(
  op: CenteredOperator,
  Y: HeapArray<'f64'>,
  Z: HeapArray<'f64'>,
  { s, U, V }: { s: Float64Array; U: Float64Array; V: Float64Array },
): Float64Array {
  const m = op.rows;
  const n = op.cols;
  const k = s.length;
  const residuals = new Float64Array(k);
  const s1 = s[0];
  for (let i = 0; i < k; i++) {
    const z = Z.row(0, n).view;
    for (let j = 0; j < n; j++) z[j] = V[j * k + i];
    op.mv(Z.row(0, n), Y.row(0, m));
    const y = Y.row(0, m).view;
    let r1 = 0;
    for (let j = 0; j < m; j++) {
      const e = y[j] - s[i] * U[j * k + i];
      r1 += e * e;
    }
    residuals[i] = s1 > 0 ? Math.sqrt(r1) / s1 : 0;
  }
  return residuals;
}
