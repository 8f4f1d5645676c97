/**
 * The kernel contract, declared once: every kernel's name, its arguments by name in call order, whether
 * it returns a value, and how the worker pool may split it by rows. The WASM module's exports are checked
 * against this table when a backend is instantiated (src/runtime/bind.ts), the JS twins (src/kernels/)
 * are typed by it, and callers go through src/runtime/runner.ts with named arguments.
 *
 * Conventions. Pointer arguments are byte offsets into the backend's heap (unsigned, up to 4 GiB; 16-byte
 * aligned when they came from `Heap.alloc`); lengths are element counts. Matrices are row-major; a CSR
 * matrix is `indptr` (i32, rows + 1), `indices` (i32, sorted within a row), `data` (f32). Kernels never
 * allocate. k×k Gram blocks have row stride kp = k rounded up to a multiple of 4, zero-padded.
 * ALS solver codes: -1 success; r ≥ 0 row r's system is singular / not positive definite; -(r + 2) row
 * r's solution is not finite.
 *
 * Splitting. `rows: { r0, r1 }` names a kernel's half-open row range: the pool runs it on sub-ranges.
 * `rows: { count }` names a row count: a chunk [r0, r1) gets count = r1 − r0 and the caller says how many
 * bytes each per-row pointer moves per row. `scratch` names the per-thread scratch pointer (thread t gets
 * scratch + t·stride). Each split computes every row exactly as one call does, so results do not depend
 * on the thread count.
 * @module
 */

/** One kernel's declaration. */
export interface KernelDecl {
  /** Argument names, in call order. */
  readonly args: readonly string[];
  /** The kernel returns a number (a norm, a count, a solver code); otherwise nothing. */
  readonly returns: boolean;
  /** How the kernel can be split by rows (absent: it is only ever called whole). */
  readonly rows?: { readonly r0: string; readonly r1: string } | { readonly count: string };
  /** The per-thread scratch pointer argument. */
  readonly scratch?: string;
}

export const KERNELS = {
  // -- level 1 (assembly/vector.ts) ------------------------------------------------------------------
  /** Σ x[i]·y[i] over f64 vectors. */
  dotF64: { args: ['x', 'y', 'n'], returns: true },
  /** y ← a·x + y (f64). */
  axpyF64: { args: ['a', 'x', 'y', 'n'], returns: false },
  /** x ← a·x (f64). */
  scalF64: { args: ['a', 'x', 'n'], returns: false },
  /** ‖x‖₂ of an f64 vector. */
  nrm2F64: { args: ['x', 'n'], returns: true },

  // -- sparse (assembly/csr.ts) ------------------------------------------------------------------------
  /** y[r] = Σ_j A[r,j]·x[j] for rows r in [r0, r1); x and y f64, values f32, sums in f64. */
  csrMvF64: { args: ['indptr', 'indices', 'data', 'x', 'y', 'r0', 'r1'], returns: false, rows: { r0: 'r0', r1: 'r1' } },

  // -- Lanczos (assembly/lanczos.ts) -------------------------------------------------------------------
  /**
   * Classical Gram–Schmidt of `w` (n, f64) against the `count` orthonormal rows of `basis` (count×n f64):
   * c = basis·w, w ← w − basisᵀ·c; a second pass runs when the first left less than `eta`·‖w‖ (DGKS;
   * eta ≥ 1 forces two passes, 0 one pass). `coef` holds 2·count f64: [0, count) receives the total
   * coefficients removed, [count, 2·count) is scratch. Returns ‖w‖ after.
   */
  reorthF64: { args: ['basis', 'count', 'n', 'w', 'coef', 'eta'], returns: true },
  /** One classical Gram–Schmidt pass: coef[0, count) = basis·w, then w ← w − basisᵀ·coef (n, f64). */
  gsPassF64: { args: ['basis', 'count', 'n', 'w', 'coef'], returns: false },
  /**
   * out = acc·out + C·B, columns [c0, c1) of the product only: B (count×len) row-major f64 basis vectors,
   * C (rows×count, row stride ldc) f64 coefficients; out rows×len row-major, or len×rows (vectors as
   * columns) when `trans` ≠ 0; acc 0 (overwrite) or 1 (add). Each output entry is the sequential sum over
   * the basis rows (so accumulating over consecutive blocks of rows gives the same result as one call).
   * `out` must not overlap B or C.
   */
  gemmAccF64: { args: ['B', 'count', 'len', 'C', 'ldc', 'rows', 'out', 'acc', 'trans', 'c0', 'c1'], returns: false },
  /**
   * One-sided (Hestenes) Jacobi sweeps for a small SVD. W (n rows × m) holds the matrix's columns as
   * rows; V (n×n) accumulates the rotations; nrm (n) holds the squared row norms of W, kept current. A
   * pair is rotated when |w_p·w_q| > thresh·‖w_p‖‖w_q‖. Cyclic sweeps until one rotates nothing, at most
   * maxSweeps; returns the sweeps run.
   */
  jacobiSweepsF64: { args: ['W', 'V', 'nrm', 'm', 'n', 'maxSweeps', 'thresh'], returns: true },

  // -- bidiagonal SVD (assembly/bidiag.ts) -------------------------------------------------------------
  /**
   * Singular values of the n×n upper bidiagonal B (diagonal d, superdiagonal e; f64 arrays of n entries,
   * e[n−1] unused) by implicit-shift QR (Golub–Kahan: Wilkinson shift from the trailing 2×2 of BᵀB, bulge
   * chasing, zero diagonal entries rotated out). On return d holds the values (unsorted, take |d|) and
   * r[i] = U_B[n−1, i] for value d[i] (r is initialised by the kernel). Off-diagonal entries below
   * eps·max(|dᵢ| + |eᵢ|) count as zero. d, e, r are overwritten. Returns the QR sweeps used, or −1 when
   * more than maxSweeps were needed.
   */
  bidiagQrF64: { args: ['d', 'e', 'r', 'n', 'maxSweeps'], returns: true },

  // -- ALS (assembly/gram.ts, assembly/als.ts, assembly/als-cg.ts) -------------------------------------
  /**
   * G ← YᵀY + λI in two steps, for Y n × k (row stride `stride` floats, f32), accumulated in f64: blocks
   * [b0, b1) of blockRows rows of Y, each block's lower triangle of Σ y_i·y_iᵀ into its own kp × kp f64
   * block P64 + b·8·kp² (split over threads by blocks: no re-reading Y per thread); alsGramReduce then sums
   * the blocks in order. scratch: 256·kp bytes per thread.
   */
  alsGramBlocks: {
    args: ['Y', 'n', 'k', 'stride', 'blockRows', 'P64', 'b0', 'b1', 'scratch'],
    returns: false,
    rows: { r0: 'b0', r1: 'b1' },
    scratch: 'scratch',
  },
  /** G64 ← Σ_b P_b (block order) + λI, mirrored; G32 ← f32(G64) when ≠ 0. */
  alsGramReduce: { args: ['k', 'lambda', 'nb', 'P64', 'G64', 'G32'], returns: false },
  /**
   * Exact implicit (HKV 2008) half-step for rows [r0, r1): x_u = A_u⁻¹·b_u, A_u = G + Σ_{i∈I_u}
   * (c_ui − 1)·y_i·y_iᵀ, b_u = Σ c_ui·p_ui·y_i, c = 1 + α|r| (logConf 0) or 1 + α·log(1 + |r|/ε)
   * (logConf 1), p = 1 if r > 0 else 0; G = YᵀY + λI from alsGramReduce. Empty rows get zeros. WASM factors in
   * f32 (blocked rank-n updates, blocked Cholesky) with one f64 refinement step; the twin works in f64.
   * `regRows`: 0, or f32 per row (indexed by the absolute row r) added to the diagonal of row r's A_u — a
   * per-row λ on top of G's (frequency-scaled regularization). With V ≠ 0 (G = V·diag(lam)·Vᵀ from
   * symEigF64, Ye the fixed rows from alsEigProject), WASM solves rows with ≤ eigMax entries, all c > 1,
   * exactly in f64 through the Woodbury identity in G's eigenbasis (O(k² + n²k) a row; the twin ignores
   * V, lam, Ye, eigMax). scratch: 8·(kp² + 4·kp) + 4·(kp² + 5·kp) + 8·(2·kp + m + m·kp + m²) + 256·kp +
   * 4·maxRowNnz bytes, m = eigMax when V ≠ 0, else 0. Returns a solver code.
   */
  alsImplicitCholesky: {
    args: [
      'indptr',
      'indices',
      'data',
      'Y',
      'G64',
      'G32',
      'X',
      'r0',
      'r1',
      'k',
      'alpha',
      'eps',
      'logConf',
      'scratch',
      'regRows',
      'V',
      'lam',
      'Ye',
      'eigMax',
    ],
    returns: true,
    rows: { r0: 'r0', r1: 'r1' },
    scratch: 'scratch',
  },
  /**
   * Conjugate-gradient implicit half-step (Takács et al. 2011): `steps` f32 CG steps on A_u·x = b_u
   * warm-started from X's current row, A_u·p = G·p + Σ (c − 1)(y_iᵀp)·y_i. G32 from alsGramReduce. A row stops
   * once ‖res‖² < 1e-20. WASM runs eight rows at a time (G·[p₁…p₈] as one register-blocked product); a
   * row's result does not depend on its neighbours. scratch: 4·32·kp + 256 bytes.
   * `regRows` as in alsImplicitCholesky (A_u·p gains regRows[r]·p).
   * Returns a solver code.
   */
  alsImplicitCg: {
    args: [
      'indptr',
      'indices',
      'data',
      'Y',
      'G32',
      'X',
      'r0',
      'r1',
      'k',
      'alpha',
      'eps',
      'logConf',
      'steps',
      'scratch',
      'regRows',
    ],
    returns: true,
    rows: { r0: 'r0', r1: 'r1' },
    scratch: 'scratch',
  },
  /**
   * Σ_{u∈[r0,r1)} [x_uᵀ·G·x_u + Σ_{i∈I_u} (c(p − s)² − s²)], s = x_uᵀy_i, G = YᵀY + λI (f64). Plus
   * λ‖Y‖² this is the full implicit objective; with `regRows` ≠ 0 each row adds regRows[r]·‖x_r‖².
   * scratch: 8·kp bytes.
   */
  alsImplicitLoss: {
    args: [
      'indptr',
      'indices',
      'data',
      'X',
      'Y',
      'G64',
      'r0',
      'r1',
      'k',
      'alpha',
      'eps',
      'logConf',
      'scratch',
      'regRows',
    ],
    returns: true,
    rows: { r0: 'r0', r1: 'r1' },
    scratch: 'scratch',
  },
  /**
   * Explicit (ALS-WR) half-step for rows [r0, r1): per row minimise Σ_i (t_ui − wᵀz_i)² + λ·m_u·‖w‖²,
   * m_u = n_u if `weighted` else 1, in f64. F: the fixed side, X: the side solved, both row stride `dim`.
   * biasMode 0: dim = k, z = F_i, t = r, out = w. biasMode 1 (users; item rows [y, b_i, 1]): z = [y_i, 1],
   * t = r − μ − b_i, out = [w₀..w_{k−1}, 1, w_k + μ]. biasMode 2 (items; user rows [x, 1, b_u + μ]):
   * z = [x_u, 1], t = r − (b_u + μ), out = [w₀..w_{k−1}, w_k, 1]. Empty rows: zero factors and bias.
   * WASM forms and factors the system in f32 (blocked) with one f64 refinement step (f64 fallback for
   * tiny pivots); the twin works in f64; both reach f64-solve accuracy. scratch: 12·dp² + 176·dp bytes,
   * dp = kp of k + 1. Returns a solver code.
   */
  alsExplicit: {
    args: [
      'indptr',
      'indices',
      'data',
      'F',
      'X',
      'dim',
      'r0',
      'r1',
      'k',
      'lambda',
      'weighted',
      'biasMode',
      'mu',
      'scratch',
    ],
    returns: true,
    rows: { r0: 'r0', r1: 'r1' },
    scratch: 'scratch',
  },

  // -- issue 29 (perf): length-sorted sparse products (assembly/csr.ts, csr-sort.ts), the f32 Gram
  // (assembly/gram.ts), G's eigenbasis for the exact solve of short rows (assembly/als-eig.ts) and the
  // subspace solver (assembly/als-subspace.ts) ----------------------------------------------------------
  /**
   * csrMvF64 over a CSR copy whose stored row i is the matrix's row rows[i] (i32): y[rows[i]] = row i's sum
   * for stored rows i in [r0, r1). (The SVD operator stores short, irregular rows by length: predictable loops.)
   */
  csrMvRowsF64: {
    args: ['indptr', 'indices', 'data', 'rows', 'x', 'y', 'r0', 'r1'],
    returns: false,
    rows: { r0: 'r0', r1: 'r1' },
  },
  /**
   * The rows of the nr × nc CSR matrix — or, with `transpose` ≠ 0, of its transpose — copied into (oIndptr,
   * oIndices, oData): stored by descending length when `sortRows` ≠ 0 (oRows[i] = the row stored at i; ties
   * in row order), else in row order (oRows, when ≠ 0, gets the identity); entries of a row stay in ascending
   * column order. scratch: 4·(n + m + 2) bytes, n = transpose ? nc : nr, m = transpose ? nr : nc.
   */
  csrReorder: {
    args: [
      'indptr',
      'indices',
      'data',
      'nr',
      'nc',
      'transpose',
      'sortRows',
      'oIndptr',
      'oIndices',
      'oData',
      'oRows',
      'scratch',
    ],
    returns: false,
  },
  /**
   * alsGramBlocks summed in f32 within batches of 32 rows (the batch sums added in f64): twice the SIMD
   * width, ~1e-6 relative accuracy — for the solvers that read only G32 (CG, subspace). Same layout.
   * scratch: 128·kp bytes per thread.
   */
  alsGramBlocks32: {
    args: ['Y', 'n', 'k', 'stride', 'blockRows', 'P64', 'b0', 'b1', 'scratch'],
    returns: false,
    rows: { r0: 'b0', r1: 'b1' },
    scratch: 'scratch',
  },
  /**
   * A = V·diag(w)·Vᵀ for the symmetric k×k f64 block A (kp stride; destroyed): eigenvectors as the columns
   * of V (kp×kp f64), eigenvalues in w (kp f64), zero padding (Householder tridiagonalization, implicit-shift
   * QR). scratch: 8·(kp² + 4·kp) bytes. Returns 1, or 0 if the QR iteration did not converge.
   */
  symEigF64: { args: ['A', 'V', 'w', 'k', 'scratch'], returns: true },
  /** Ye[i] = Vᵀ·y_i for rows i in [r0, r1) of Y (f32, row stride k); Ye f64 with row stride kp. */
  alsEigProject: { args: ['Y', 'V', 'Ye', 'k', 'r0', 'r1'], returns: false, rows: { r0: 'r0', r1: 'r1' } },

  /**
   * Subspace implicit half-step after iALS++ (Rendle et al. 2021) for rows [r0, r1): one sweep of block
   * coordinate descent over blocks of `block` coordinates (a multiple of 4) on A_u·x = b_u (as
   * alsImplicitCg), warm-started from X's current row, the predictions on the row's entries kept current
   * between blocks. WASM works in f32 and batches rows (≤ 16 rows, ≤ batchNnz entries; batchNnz ≥ the longest
   * row) so that G's block rows are read once per batch; the twin works in f64, row by row. scratch:
   * 4·(16·kp + 16·b + batchNnz + b² + 2·b + 64·b) + 8·(b² + 2·b) bytes (a block whose f32 factorisation meets
   * a tiny pivot is solved in f64). `regRows` as in alsImplicitCholesky. Returns a solver code.
   */
  alsImplicitSubspace: {
    args: [
      'indptr',
      'indices',
      'data',
      'Y',
      'G32',
      'X',
      'r0',
      'r1',
      'k',
      'alpha',
      'eps',
      'logConf',
      'block',
      'batchNnz',
      'scratch',
      'regRows',
    ],
    returns: true,
    rows: { r0: 'r0', r1: 'r1' },
    scratch: 'scratch',
  },

  // -- serving (assembly/scoring.ts) -------------------------------------------------------------------
  /**
   * For each r in [0, nRows): scores[c] = X[xRows[r]]·Y[yRows[c]] for c in [0, nCols) (xRows / yRows = 0
   * mean the identity; rows are `dim` floats), `blockRows` rows at a time into `scratch` (blockRows ×
   * nCols f32). Columns excIdx[excIndptr[r] .. excIndptr[r+1]) (excIndptr = 0: none), globalExc[0..nGlobal)
   * and NaN scores are dropped, and the k best — score descending, column ascending on ties — go to outIdx
   * (i32) / outScores (f32) at offset r·k, padded with column -1 and score -Infinity; outCounts[r] (i32,
   * if non-zero) receives the count. A row's result does not depend on the rows beside it.
   */
  scoreTopkF32: {
    args: [
      'X',
      'xRows',
      'nRows',
      'Y',
      'yRows',
      'nCols',
      'dim',
      'k',
      'excIndptr',
      'excIdx',
      'globalExc',
      'nGlobal',
      'scratch',
      'blockRows',
      'outIdx',
      'outScores',
      'outCounts',
    ],
    returns: false,
    rows: { count: 'nRows' },
    scratch: 'scratch',
  },
  /**
   * out (m × cols) = the first `cols` of each row of A (rows `stride` floats apart) divided by its norm;
   * all-zero rows stay zero. Dot products of the output rows are cosines.
   */
  normalizeRowsF32: { args: ['A', 'm', 'stride', 'cols', 'out'], returns: false },

  // -- runtime (assembly/runtime.ts) -------------------------------------------------------------------
  /** First byte the JS allocator may use (the end of the module's static data). */
  heapBase: { args: [], returns: true },
} as const satisfies Record<string, KernelDecl>;

/** The name of a declared kernel. */
export type KernelName = keyof typeof KERNELS;
type Decl<K extends KernelName> = (typeof KERNELS)[K];
/** The argument names of kernel K. */
export type ArgName<K extends KernelName> = Decl<K>['args'][number];
/** Kernel K's arguments by name. */
export type KernelArgs<K extends KernelName> = { readonly [N in ArgName<K>]: number };
type Numbers<T extends readonly unknown[]> = { -readonly [I in keyof T]: number };
/** Kernel K as a positional function (what WASM exports and the twins implement). */
export type KernelFn<K extends KernelName> = (
  ...args: Numbers<Decl<K>['args']>
) => Decl<K>['returns'] extends true ? number : void;
/** Every declared kernel, positional: the backend's raw table (src/runtime/ and tests only). */
export type Kernels = { readonly [K in KernelName]: KernelFn<K> };
/** What the pure-JS backend implements: every kernel (each has a twin). */
export type TwinKernels = Kernels;
/** Kernels that can be split by rows. */
export type RowKernel = { [K in KernelName]: Decl<K> extends { rows: object } ? K : never }[KernelName];
/** The row arguments of a row kernel (filled in by the runner). */
export type RowArgName<K extends RowKernel> = Extract<
  Decl<K>['rows'] extends { r0: infer A; r1: infer B } ? A | B : Decl<K>['rows'] extends { count: infer C } ? C : never,
  ArgName<K>
>;

/** k rounded up to a multiple of 4: the row stride kp of the kernels' k×k blocks. */
export const rnd4 = (k: number): number => (k + 3) & ~3;

/** The declaration of `name` (typed loosely, for the runtime's generic code). */
export function declOf(name: string): KernelDecl | undefined {
  return Object.prototype.hasOwnProperty.call(KERNELS, name)
    ? (KERNELS as Record<string, KernelDecl>)[name]
    : undefined;
}
