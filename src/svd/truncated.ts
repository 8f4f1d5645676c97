/**
 * `truncatedSVD`: the public entry point — validation, orientation, centering, method dispatch and the
 * non-convergence warning.
 * @module
 */
import { SparseMatrix } from '../data/csr.js';
import { AbortError, OutOfMemoryError, ValidationError, formatBytes } from '../errors.js';
import { ensureBackend } from '../runtime/backend.js';
import { WASM32_MAX_BYTES } from '../runtime/heap.js';
import { lanczosSVD, type RawSVD } from './lanczos.js';
import { CenteredOperator, centeringMeans, type Centering } from './operator.js';
import { randomizedSVD } from './randomized.js';
import type { SVDResult, TruncatedSVDOptions } from './types.js';

const CENTERS = ['none', 'global', 'rows', 'cols', 'pca'] as const;

function intOption(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ValidationError(`truncatedSVD: ${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
  return v;
}

/**
 * Default largest Lanczos basis (vectors per side) before a restart: room for the unrestarted iteration
 * to converge — 10k, at least 200 (PROPACK's limit is 10k) — within about 1 GiB of basis vectors, never
 * below the restarted method's 2k + 16, and at most min(rows, cols). The basis only grows as far as
 * convergence needs.
 */
export function defaultSubspace(k: number, rows: number, cols: number): number {
  const budget = Math.floor(2 ** 30 / (8 * (rows + cols)));
  return Math.min(Math.min(rows, cols), Math.max(2 * k + 16, Math.min(Math.max(10 * k, 200), budget)));
}

/**
 * The k largest singular values and vectors of a sparse matrix: A ≈ U·diag(s)·Vᵀ.
 *
 * Default method: restarted Golub–Kahan–Lanczos bidiagonalization (IRLBA) in f64 with full
 * reorthogonalization; it iterates until every triplet's relative residual is below `tol`. The products
 * and the orthogonalization run in the active backend (WASM SIMD or JS). `method: 'randomized'` is the
 * faster, less accurate alternative.
 *
 * k may equal min(rows, cols) (a full SVD): the subspace then spans the whole space and one cycle is exact,
 * at O(min(rows, cols)² · (rows + cols)) cost — meant for small matrices.
 *
 * When the method does not converge within `maxRestarts`, the best approximations are returned with
 * `converged: false` and per-triplet `residuals`, and a warning is printed.
 *
 * @throws ValidationError for bad options, an empty matrix (no rows, columns or stored entries), non-finite
 *   stored values, or k outside [1, min(rows, cols)].
 * @throws AbortError when `signal` fires.
 *
 * @example
 * const { s, U, V } = await truncatedSVD(ratings, { k: 20 });
 */
export async function truncatedSVD(A: SparseMatrix, options: TruncatedSVDOptions): Promise<SVDResult> {
  if (!(A instanceof SparseMatrix)) throw new ValidationError('truncatedSVD: A must be a SparseMatrix (build one with SparseMatrix.fromCOO)');
  if (options === null || typeof options !== 'object') throw new ValidationError('truncatedSVD: expected an options object { k, ... }');
  const [rows, cols] = A.shape;
  if (rows === 0 || cols === 0) throw new ValidationError(`truncatedSVD: the matrix is empty (shape ${rows}×${cols}); it has no singular values`);
  if (A.nnz === 0) throw new ValidationError(`truncatedSVD: the ${rows}×${cols} matrix has no stored entries; all its singular values are 0`);
  const data = A.data;
  // x·0 is NaN exactly when x is not finite: one cheap pass, then a search only if something is wrong.
  let probe = 0;
  for (let i = 0; i < data.length; i++) probe += data[i] * 0;
  for (let i = 0; probe !== 0 && i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      let r = 0;
      while (A.indptr[r + 1] <= i) r++;
      throw new ValidationError(`truncatedSVD: the matrix has a non-finite value ${data[i]} at row ${r}, column ${A.indices[i]}; remove or impute it first`);
    }
  }
  const minDim = Math.min(rows, cols);
  const k = intOption('k', options.k, 1, minDim);
  const tol = options.tol ?? 1e-10;
  if (typeof tol !== 'number' || !(tol > 0 && tol < 1)) throw new ValidationError(`truncatedSVD: tol must be a number in (0, 1), got ${String(tol)}`);
  const maxRestarts = options.maxRestarts === undefined ? 1000 : intOption('maxRestarts', options.maxRestarts, 0);
  const center: Centering = options.center === true ? 'pca' : options.center === false || options.center === undefined ? 'none' : options.center;
  if (!(CENTERS as readonly string[]).includes(center)) {
    throw new ValidationError(`truncatedSVD: center must be one of ${CENTERS.map((c) => `'${c}'`).join(', ')} (or true for 'pca', false for 'none'), got ${JSON.stringify(options.center)}`);
  }
  const method = options.method ?? 'lanczos';
  if (method !== 'lanczos' && method !== 'randomized') {
    throw new ValidationError(`truncatedSVD: method must be 'lanczos' or 'randomized', got ${JSON.stringify(method)}`);
  }
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new ValidationError(`truncatedSVD: seed must be a finite number, got ${String(seed)}`);
  let d: number;
  if (options.subspace === undefined) d = defaultSubspace(k, rows, cols);
  else if (k === minDim) d = intOption('subspace', options.subspace, k, minDim);
  else d = intOption('subspace', options.subspace, k + 1, minDim);
  const oversample = options.oversample === undefined ? 10 : intOption('oversample', options.oversample, 0);
  const powerIterations = options.powerIterations === undefined ? 2 : intOption('powerIterations', options.powerIterations, 0);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new ValidationError('truncatedSVD: onProgress must be a function');
  const signal = options.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
    throw new ValidationError(`truncatedSVD: signal must be an AbortSignal, got ${String(signal)}`);
  }
  if (signal?.aborted) throw new AbortError('truncatedSVD: aborted before it started');

  const backend = await ensureBackend();
  // Refuse up front what cannot fit in wasm32 memory, rather than fail on an allocation part-way in.
  const need = workspaceBytes(A, method, k, d, oversample);
  const inUse = backend.heap.bytesInUse;
  if (need > WASM32_MAX_BYTES - inUse) {
    throw new OutOfMemoryError(
      need,
      inUse,
      `truncatedSVD (${method}, k=${k}${method === 'lanczos' ? `, subspace ${d}` : `, oversample ${oversample}`}) of a ${rows}×${cols} matrix needs ${formatBytes(need)} of f64 vectors and the matrix; lower k${method === 'lanczos' ? ' or subspace' : ' or oversample'}`,
    );
  }
  const means = centeringMeans(A, center);
  // Iterate with the smaller dimension on the right (P) side, so a subspace of min(rows, cols) spans it.
  const transposed = rows < cols;
  const op = new CenteredOperator(backend, A, center, means, transposed);
  let raw: RawSVD;
  try {
    raw =
      method === 'lanczos'
        ? await lanczosSVD(backend, op, { k, tol, maxRestarts, d, seed, onProgress: options.onProgress, signal })
        : await randomizedSVD(backend, op, { k, tol, oversample, powerIterations, seed, onProgress: options.onProgress, signal });
  } finally {
    op.dispose();
  }

  // Back to A's orientation.
  const [U, V] = transposed ? [raw.V, raw.U] : [raw.U, raw.V];
  if (!raw.converged && (method === 'lanczos' || options.tol !== undefined)) {
    let worst = 0;
    for (const r of raw.residuals) worst = Math.max(worst, r);
    console.warn(
      `lowrank truncatedSVD: not converged (${method}, k=${k}): largest relative residual ${worst.toExponential(2)} > tol ${tol}` +
        (method === 'lanczos' ? ` after ${raw.restarts} restarts; raise maxRestarts or subspace, or loosen tol` : '; raise powerIterations or use the lanczos method'),
    );
  }
  return {
    s: raw.s,
    U,
    V,
    converged: raw.converged,
    restarts: raw.restarts,
    matvecs: op.matvecs,
    residuals: raw.residuals,
    center,
    ...(means ? { means } : {}),
    method,
  };
}

/** Heap bytes a run needs: the method's f64 blocks (see lanczos.ts / randomized.ts), A and Aᵀ, centering vectors. */
function workspaceBytes(A: SparseMatrix, method: string, k: number, d: number, oversample: number): number {
  const m = Math.max(A.rows, A.cols);
  const n = Math.min(A.rows, A.cols);
  const l = Math.min(n, k + oversample);
  const vectors = method === 'lanczos' ? (d + 1) * n + d * m + 2 * (d + 1) + d * m + d * d : l * m + l * n + 2 * l + l * m + l * l;
  const matrix = 4 * (A.rows + A.cols + 2) + 16 * A.nnz;
  return 8 * vectors + matrix + 8 * (A.rows + A.cols);
}
