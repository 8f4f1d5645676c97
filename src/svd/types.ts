/**
 * Options and result of {@link truncatedSVD}.
 * @module
 */
import type { Centering } from './operator.js';

export type { Centering };

/** Which algorithm {@link truncatedSVD} runs. */
export type SVDMethod = 'lanczos' | 'randomized';

/** Reported after every restart (Lanczos) or power iteration (randomized). */
export interface SVDProgress {
  /** Restarts (Lanczos) or power iterations (randomized) done so far. */
  restarts: number;
  /** Matrix–vector products so far (each A·x or Aᵀ·y counts one). */
  matvecs: number;
  /** How many of the k wanted triplets currently meet `tol` (Lanczos only; 0 for randomized). */
  converged: number;
  /** Largest relative residual among the k wanted triplets (NaN while unknown). */
  maxResidual: number;
}

/** Options of {@link truncatedSVD}. */
export interface TruncatedSVDOptions {
  /** Number of singular triplets, 1 ≤ k ≤ min(rows, cols). Required. */
  k: number;
  /**
   * Convergence tolerance on the relative residual max(‖A·vᵢ − σᵢuᵢ‖, ‖Aᵀ·uᵢ − σᵢvᵢ‖) / σ₁ of every
   * wanted triplet. Default `1e-10`. With the randomized method it is only compared against (the method
   * does not iterate to it).
   */
  tol?: number;
  /** Lanczos restarts before giving up with `converged: false`. Default `1000`. */
  maxRestarts?: number;
  /**
   * Largest Lanczos basis (Krylov vectors per side), k < subspace ≤ min(rows, cols). The basis grows one
   * vector per step until every wanted triplet converges, so usually the method never reaches this size;
   * if it does, it restarts keeping the best Ritz vectors (fewer vectors: less memory, more products).
   * Memory is at most (rows + cols)·subspace f64. Default min(min(rows, cols), max(2k + 16, min(max(10k,
   * 200), ⌊2³⁰ / (8·(rows + cols))⌋))): 10k vectors (at least 200) within about 1 GiB.
   */
  subspace?: number;
  /**
   * Implicit centering, applied inside the products so the matrix is never densified (the mean is
   * subtracted from every entry, the implicit zeros too, as irlba's `center` does: this is the SVD of the
   * dense centered matrix):
   * - `true` or `'pca'`: subtract each column's mean over all rows (zeros included) — PCA of the rows,
   *   as scikit-learn's `PCA` centers;
   * - `'global'`: the mean of the stored values; `'rows'` / `'cols'`: each row's / column's mean of its
   *   stored values;
   * - `false` or `'none'` (default).
   * For ratings with many missing entries the stored-value means ('rows', 'cols') make the implicit zeros
   * large negative entries; prefer `'none'` or explicit biases (ALS) there.
   */
  center?: Centering | boolean;
  /** Seed of the random start vector(s). Default `0`. */
  seed?: number;
  /**
   * `'lanczos'` (default): restarted Golub–Kahan–Lanczos bidiagonalization (Baglama–Reichel augmented
   * restart) — converges to `tol`. `'randomized'`: Halko–Martinsson–Tropp range finder with power
   * iterations — a fixed amount of work, faster for loose accuracy, less accurate (check `residuals`).
   */
  method?: SVDMethod;
  /** Randomized only: extra sample vectors beyond k. Default `10`. */
  oversample?: number;
  /**
   * Randomized only: power iterations (each one Aᵀ then A product per sample vector). Default `2`. Total
   * products: (k + oversample)·(2·powerIterations + 2) + k.
   */
  powerIterations?: number;
  /** Called after every restart / power iteration. */
  onProgress?: (progress: SVDProgress) => void;
  /** Cancels the computation between restarts; the promise rejects with an `AbortError`. */
  signal?: AbortSignal;
}

/** A truncated SVD A ≈ U·diag(s)·Vᵀ (of the centered matrix when `center` is not `'none'`). */
export interface SVDResult {
  /** k singular values, descending. */
  s: Float64Array;
  /** Left singular vectors, rows×k row-major (column i is uᵢ). */
  U: Float64Array;
  /** Right singular vectors, cols×k row-major (column i is vᵢ). */
  V: Float64Array;
  /** Whether every triplet met `tol`. When false a warning was also printed (Lanczos, or an explicit tol). */
  converged: boolean;
  /** Lanczos restarts (randomized: power iterations). */
  restarts: number;
  /** Matrix–vector products (each A·x or Aᵀ·y counts one). */
  matvecs: number;
  /**
   * Per triplet, max(‖A·vᵢ − σᵢuᵢ‖, ‖Aᵀ·uᵢ − σᵢvᵢ‖) / σ₁ (0 when σ₁ = 0). Lanczos reports the
   * recurrence's estimate, which equals the true residual up to rounding; randomized computes
   * ‖A·vᵢ − σᵢuᵢ‖ (its other residual is zero by construction).
   */
  residuals: Float64Array;
  /** The centering used (`true` is reported as 'pca'), and the means it subtracted (1 value for 'global', one per row for 'rows', one per column otherwise). */
  center: Centering;
  means?: Float64Array;
  method: SVDMethod;
}
