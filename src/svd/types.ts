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
   * Lanczos subspace size (ARPACK's `ncv`): Krylov vectors kept per side between restarts, k < subspace ≤
   * min(rows, cols). Larger means fewer restarts and matvecs but more orthogonalization work and memory
   * ((rows + cols)·subspace f64). Default `min(min(rows, cols), max(2k + 16, 40))`.
   */
  subspace?: number;
  /**
   * Implicit centering, applied inside the products so the matrix is never densified:
   * `'none'` (default); `'global'` subtracts the mean of the stored values; `'rows'` / `'cols'` subtract
   * each row's / column's mean of stored values. As with irlba, the mean is subtracted from every entry,
   * the implicit zeros too — this is the SVD of the dense centered matrix (PCA), not of "observed entries
   * minus their mean". Offered because it is asked for; for ratings with many missing entries, prefer
   * `'none'` or explicit biases (ALS).
   */
  center?: Centering;
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
  /** The centering used, and the means it subtracted (1 value for 'global', rows or cols values otherwise). */
  center: Centering;
  means?: Float64Array;
  method: SVDMethod;
}
