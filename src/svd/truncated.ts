/**
 * `truncatedSVD`: the public entry point — validation, orientation, centering, method dispatch and the
 * non-convergence warning.
 * @module
 */
import { SparseMatrix } from '../data/csr.js';
import { AbortError, OutOfMemoryError, ValidationError, formatBytes } from '../errors.js';
import { ensureBackend } from '../runtime/backend.js';
import { WASM32_MAX_BYTES } from '../runtime/heap.js';
import { OptionReader } from '../options.js';
import { lanczosSVD, type RawSVD } from './lanczos.js';
import { CenteredOperator, centeringMeans, type Centering } from './operator.js';
import { randomizedSVD } from './randomized.js';
import type { SVDResult, TruncatedSVDOptions } from './types.js';

const CENTERS = ['none', 'global', 'rows', 'cols', 'pca'] as const;
const OPTION_KEYS = [
  'k',
  'tol',
  'maxRestarts',
  'center',
  'method',
  'seed',
  'subspace',
  'oversample',
  'powerIterations',
  'onProgress',
  'signal',
];

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
 * Default method: Golub–Kahan–Lanczos bidiagonalization in f64 (lanczos.ts), grown without restarts as
 * PROPACK does, with one-sided reorthogonalization (the short side fully, the long side when Larsen's
 * estimate asks); it iterates until every triplet's relative residual ‖Aᵀu − σv‖ or ‖Av − σu‖ is below
 * `tol`·σ₁, and restarts only if the basis reaches `subspace` vectors. The products and the
 * orthogonalization run in the active backend (WASM SIMD or JS). `method: 'randomized'` is the faster,
 * less accurate alternative.
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
  if (!(A instanceof SparseMatrix))
    throw new ValidationError('truncatedSVD: A must be a SparseMatrix (build one with SparseMatrix.fromCOO)');
  // k has no default, so omitting the options (undefined or null alike) is an error here.
  if (options == null) throw new ValidationError('truncatedSVD: expected an options object { k, ... }');
  const r = new OptionReader('truncatedSVD', options, OPTION_KEYS);
  const [rows, cols] = A.shape;
  if (rows === 0 || cols === 0)
    throw new ValidationError(`truncatedSVD: the matrix is empty (shape ${rows}×${cols}); it has no singular values`);
  if (A.nnz === 0)
    throw new ValidationError(
      `truncatedSVD: the ${rows}×${cols} matrix has no stored entries; all its singular values are 0`,
    );
  const { indptr, indices, data } = A.arrays();
  // x·0 is NaN exactly when x is not finite: one cheap pass, then a search only if something is wrong.
  let probe = 0;
  for (let i = 0; i < data.length; i++) probe += data[i] * 0;
  for (let i = 0; probe !== 0 && i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      let r = 0;
      while (indptr[r + 1] <= i) r++;
      throw new ValidationError(
        `truncatedSVD: the matrix has a non-finite value ${data[i]} at row ${r}, column ${indices[i]}; remove or impute it first`,
      );
    }
  }
  const minDim = Math.min(rows, cols);
  const k = r.int('k', undefined, 1, minDim);
  const tol = r.between('tol', 1e-10, 0, 1);
  const maxRestarts = r.int('maxRestarts', 1000, 0);
  // true is PCA's centering, false none.
  const rawCenter = r.raw('center');
  const center: Centering =
    rawCenter === true ? 'pca' : rawCenter === false ? 'none' : r.oneOf('center', 'none', CENTERS);
  const method = r.oneOf('method', 'lanczos', ['lanczos', 'randomized'] as const);
  const seed = r.seed();
  // The subspace holds k plus at least one more vector, unless it is the whole space.
  const d =
    options.subspace === undefined
      ? defaultSubspace(k, rows, cols)
      : r.int('subspace', undefined, k === minDim ? k : k + 1, minDim);
  const oversample = r.int('oversample', 10, 0);
  const powerIterations = r.int('powerIterations', 2, 0);
  r.fn('onProgress');
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
        : await randomizedSVD(backend, op, {
            k,
            tol,
            oversample,
            powerIterations,
            seed,
            onProgress: options.onProgress,
            signal,
          });
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
        (method === 'lanczos'
          ? ` after ${raw.restarts} restarts; raise maxRestarts or subspace, or loosen tol`
          : '; raise powerIterations or use the lanczos method'),
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

/** Heap bytes a run needs: the method's f64 blocks (see lanczos.ts / randomized.ts), A and its copies, centering vectors. */
function workspaceBytes(A: SparseMatrix, method: string, k: number, d: number, oversample: number): number {
  const m = Math.max(A.rows, A.cols);
  const n = Math.min(A.rows, A.cols);
  const l = Math.min(n, k + oversample);
  const vectors =
    method === 'lanczos' ? (d + 1) * n + d * m + 2 * (d + 1) + d * m + d * d : l * m + l * n + 2 * l + l * m + l * l;
  // A, and Aᵀ or length-sorted copies of both sides (operator.ts): at most 24 bytes an entry, 8 a row.
  const matrix = 8 * (A.rows + A.cols + 2) + 24 * A.nnz;
  return 8 * vectors + matrix + 8 * (A.rows + A.cols);
}
