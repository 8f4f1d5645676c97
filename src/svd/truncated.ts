/**
 * `truncatedSVD`: the public entry point — validation, orientation, centering, method dispatch and the
 * non-convergence warning.
 * @module
 */
import { SparseMatrix } from '../data/csr.js';
import { OutOfMemoryError, ValidationError, formatBytes } from '../errors.js';
import { throwIfAborted } from '../tasks.js';
import { ensureBackend, type Backend } from '../runtime/backend.js';
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
  checkEntries(A);
  const o = resolveOptions(r, A);
  throwIfAborted(o.signal, 'truncatedSVD: aborted before it started');
  const backend = await ensureBackend();
  checkHeapRoom(backend, A, o);
  const means = centeringMeans(A, o.center);
  // Iterate with the smaller dimension on the right (P) side, so a subspace of min(rows, cols) spans it.
  const transposed = A.rows < A.cols;
  const op = new CenteredOperator(backend, A, o.center, means, transposed);
  const { k, tol, seed, signal } = o;
  const onProgress = options.onProgress;
  let raw: RawSVD;
  try {
    raw =
      o.method === 'lanczos'
        ? await lanczosSVD(backend, op, { k, tol, maxRestarts: o.maxRestarts, d: o.d, seed, onProgress, signal })
        : await randomizedSVD(backend, op, {
            k,
            tol,
            oversample: o.oversample,
            powerIterations: o.powerIterations,
            seed,
            onProgress,
            signal,
          });
  } finally {
    op.dispose();
  }
  // Back to A's orientation.
  const [U, V] = transposed ? [raw.V, raw.U] : [raw.U, raw.V];
  if (!raw.converged && (o.method === 'lanczos' || options.tol !== undefined)) warnNotConverged(raw, o);
  return {
    s: raw.s,
    U,
    V,
    converged: raw.converged,
    restarts: raw.restarts,
    matvecs: op.matvecs,
    residuals: raw.residuals,
    center: o.center,
    ...(means ? { means } : {}),
    method: o.method,
  };
}

/** The options of one run, checked against the matrix, with their defaults. */
interface Resolved {
  k: number;
  tol: number;
  maxRestarts: number;
  center: Centering;
  method: 'lanczos' | 'randomized';
  seed: number;
  d: number;
  oversample: number;
  powerIterations: number;
  signal: AbortSignal | undefined;
}

function resolveOptions(r: OptionReader, A: SparseMatrix): Resolved {
  const [rows, cols] = A.shape;
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
    r.raw('subspace') === undefined
      ? defaultSubspace(k, rows, cols)
      : r.int('subspace', undefined, k === minDim ? k : k + 1, minDim);
  const oversample = r.int('oversample', 10, 0);
  const powerIterations = r.int('powerIterations', 2, 0);
  r.fn('onProgress');
  return { k, tol, maxRestarts, center, method, seed, d, oversample, powerIterations, signal: r.signal() };
}

/** A matrix with singular values to find: not empty, stored entries finite. */
function checkEntries(A: SparseMatrix): void {
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
}

/** Refuse up front what cannot fit in wasm32 memory, rather than fail on an allocation part-way in. */
function checkHeapRoom(backend: Backend, A: SparseMatrix, o: Resolved): void {
  const need = workspaceBytes(A, o.method, o.k, o.d, o.oversample);
  const inUse = backend.heap.bytesInUse;
  if (need > WASM32_MAX_BYTES - inUse) {
    const lanczos = o.method === 'lanczos';
    throw new OutOfMemoryError(
      need,
      inUse,
      `truncatedSVD (${o.method}, k=${o.k}${lanczos ? `, subspace ${o.d}` : `, oversample ${o.oversample}`}) of a ${A.rows}×${A.cols} matrix needs ${formatBytes(need)} of f64 vectors and the matrix; lower k${lanczos ? ' or subspace' : ' or oversample'}`,
    );
  }
}

function warnNotConverged(raw: RawSVD, o: Resolved): void {
  let worst = 0;
  for (const r of raw.residuals) worst = Math.max(worst, r);
  console.warn(
    `lowrank truncatedSVD: not converged (${o.method}, k=${o.k}): largest relative residual ${worst.toExponential(2)} > tol ${o.tol}` +
      (o.method === 'lanczos'
        ? ` after ${raw.restarts} restarts; raise maxRestarts or subspace, or loosen tol`
        : '; raise powerIterations or use the lanczos method'),
  );
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
