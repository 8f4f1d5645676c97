/**
 * The kernel contract. The WASM module's exports and the pure-JS twins both implement it, with the same
 * names and signatures. Every pointer argument is a byte offset into the active backend's heap
 * (16-byte aligned when it came from `Heap.alloc`); lengths are element counts. Kernels never allocate.
 *
 * Matrices are row-major. CSR matrices are three arrays: `indptr` (i32, rows+1), `indices` (i32, nnz,
 * sorted within a row), `data` (f32, nnz).
 */
export interface VectorKernels {
  /** Σ x[i]·y[i] over f32 vectors. */
  dotF32(x: number, y: number, n: number): number;
  /** f64 variant of `dotF32` (Σ x[i]·y[i]). */
  dotF64(x: number, y: number, n: number): number;
  /** y ← a·x + y */
  axpyF32(a: number, x: number, y: number, n: number): void;
  /** f64 variant of `axpyF32` (y ← a·x + y). */
  axpyF64(a: number, x: number, y: number, n: number): void;
  /** x ← a·x */
  scalF32(a: number, x: number, n: number): void;
  /** f64 variant of `scalF32` (x ← a·x). */
  scalF64(a: number, x: number, n: number): void;
  /** ‖x‖₂ */
  nrm2F32(x: number, n: number): number;
  /** f64 variant of `nrm2F32` (‖x‖₂). */
  nrm2F64(x: number, n: number): number;
}

export interface CsrKernels {
  /** y[r] = Σ_j A[r,j]·x[j] for rows r in [r0, r1); x and y f32. */
  csrMvF32(indptr: number, indices: number, data: number, x: number, y: number, r0: number, r1: number): void;
  /** Same with f64 x and y (values stay f32, products accumulated in f64). */
  csrMvF64(indptr: number, indices: number, data: number, x: number, y: number, r0: number, r1: number): void;
  /** y[j] += Σ_{r in [r0,r1)} A[r,j]·x[r] (Aᵀ·x restricted to a row range; y is not cleared). */
  csrMtvF32(indptr: number, indices: number, data: number, x: number, y: number, r0: number, r1: number): void;
  /** f64 variant of `csrMtvF32` (y += Aᵀ·x over a row range). */
  csrMtvF64(indptr: number, indices: number, data: number, x: number, y: number, r0: number, r1: number): void;
}

export interface DenseKernels {
  /** G (k×k, full symmetric) = XᵀX for X row-major n×k, f32; accumulation in f32 lanes. */
  gramF32(X: number, n: number, k: number, G: number): void;
  /** y (m) = alpha·A·x + beta·y for A row-major m×n. beta = 0 ignores y's old contents (even NaN). */
  gemvF32(A: number, m: number, n: number, x: number, y: number, alpha: number, beta: number): void;
  /** f64 variant of `gemvF32`. */
  gemvF64(A: number, m: number, n: number, x: number, y: number, alpha: number, beta: number): void;
  /** y (n) = alpha·Aᵀ·x + beta·y for A row-major m×n. */
  gemvTF32(A: number, m: number, n: number, x: number, y: number, alpha: number, beta: number): void;
  /** f64 variant of `gemvTF32`. */
  gemvTF64(A: number, m: number, n: number, x: number, y: number, alpha: number, beta: number): void;
}

export interface CholeskyKernels {
  /**
   * In-place Cholesky A = L·Lᵀ of a row-major k×k SPD matrix; L is written to the lower triangle (the
   * strict upper triangle is left as it was). Returns -1 on success, or the index of the first pivot that
   * is not positive (the matrix is then partly overwritten and must not be used).
   */
  choleskyF32(A: number, k: number): number;
  /** f64 variant of `choleskyF32`. */
  choleskyF64(A: number, k: number): number;
  /** Solve L·Lᵀ·x = b in place (b ← x) given the factor from `cholesky*`. */
  choleskySolveF32(L: number, k: number, b: number): void;
  /** f64 variant of `choleskySolveF32`. */
  choleskySolveF64(L: number, k: number, b: number): void;
}

export interface TopkKernels {
  /**
   * The k largest of scores[0..n) (f32), excluding the indices in `exclude` (i32, sorted ascending,
   * nExclude of them) and any NaN score. Writes up to k (index, score) pairs in descending score order,
   * ties broken by lower index, to outIdx (i32) / outScores (f32); returns how many were written
   * (min(k, candidates)). O(n log k).
   */
  topkF32(scores: number, n: number, k: number, exclude: number, nExclude: number, outIdx: number, outScores: number): number;
}

export interface RuntimeKernels {
  /** First byte the JS allocator may use (the end of the module's static data). */
  heapBase(): number;
}
