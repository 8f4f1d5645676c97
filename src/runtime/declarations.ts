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
   * f32 (blocked rank-n updates, blocked Cholesky) with one f64 refinement step (rows with ≤ 12 entries
   * via Woodbury in f64 in calls of ≥ 64 rows); the twin works in f64. scratch: 8·(kp² + 4·kp) +
   * 4·(kp² + 5·kp) + 8·(kp² + 24·kp + 156) + 256·kp + 4·maxRowNnz bytes. `regRows`: 0, or f32 per row
   * (indexed by the absolute row r) added to the diagonal of row r's A_u — a per-row λ on top of G's
   * (frequency-scaled regularization); WASM then skips the Woodbury path, whose G⁻¹ all rows share.
   * Returns a solver code.
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
    ],
    returns: true,
    rows: { r0: 'r0', r1: 'r1' },
    scratch: 'scratch',
  },
  /**
   * Conjugate-gradient implicit half-step (Takács et al. 2011): `steps` f32 CG steps on A_u·x = b_u
   * warm-started from X's current row, A_u·p = G·p + Σ (c − 1)(y_iᵀp)·y_i. G32 from alsGramReduce. A row stops
   * once ‖res‖² < 1e-20. WASM runs four rows at a time (G·[p₁…p₄] as one register-blocked product); a
   * row's result does not depend on its neighbours. scratch: 4·(16·kp + 4·maxRowNnz) + 128 bytes.
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

  // == Item–item models (#28): self-contained block, carried over as is when the contract moves ==========
  // -- item kNN (assembly/knn.ts) ---------------------------------------------------------------------
  /**
   * Neighbours of items [r0, r1): s_j = Σ_{u ∈ users(i), ascending} W[u,j]·W[u,i] over the items j reached
   * (i included), the K best kept as implicit 0.7.3's TopK keeps them (candidates in reverse order of first
   * touch; a kept pair is displaced only by a strictly greater score, the least (score, index) pair
   * first), written to outIdx (i32) / outVal (f64) at i·K sorted by index; outCount[i] = how many. W both
   * ways: users × items (uIndptr, uIndices, uData) and items × users (iIndptr, iIndices, iData), data f64.
   * positive ≠ 0 promises every weight ≥ 1e-100 (first touches are then found without stamps).
   * scratch: 16·nItems + 4 bytes (the touched list has a spare slot).
   */
  knnNeighbors: {
    args: [
      'uIndptr',
      'uIndices',
      'uData',
      'iIndptr',
      'iIndices',
      'iData',
      'nItems',
      'K',
      'r0',
      'r1',
      'outIdx',
      'outVal',
      'outCount',
      'positive',
      'scratch',
    ],
    returns: false,
    rows: { r0: 'r0', r1: 'r1' },
    scratch: 'scratch',
  },
  /**
   * For each r in [0, nRows): user u = uRows[r] (uRows = 0: u = r) of the users × items CSR (uData f32)
   * scores item j by Σ_{i ∈ items(u)} r_ui·S[i,j] (S: CSR, f64 values; sums in f64). Candidates: the items
   * reached, or all items (unreached scoring 0) when allItems ≠ 0; excIdx[excIndptr[r] .. excIndptr[r+1])
   * (excIndptr = 0: none) and globalExc[0..nGlobal) dropped. The k best (score descending, item ascending
   * on ties, ranked in f64) to outIdx (i32) / outScores (f32) at r·k, padded with -1 / -Infinity;
   * outCounts[r] (if non-zero) the count. scratch: 16·nItems + 8·k bytes.
   */
  knnScoreTopk: {
    args: [
      'uIndptr',
      'uIndices',
      'uData',
      'uRows',
      'nRows',
      'sIndptr',
      'sIndices',
      'sData',
      'nItems',
      'k',
      'excIndptr',
      'excIdx',
      'globalExc',
      'nGlobal',
      'allItems',
      'scratch',
      'outIdx',
      'outScores',
      'outCounts',
    ],
    returns: false,
    rows: { count: 'nRows' },
    scratch: 'scratch',
  },

  // -- dense f64 blocks of the Cholesky inverse (assembly/dense64.ts, assembly/chol64.ts) ----------------
  /**
   * C[i,j] (+)= α·Σ_p A[i,p]·B[j,p] for rows i in [r0, r1), j in [0, N); mode bits: 1 j ≤ i only, 2 sum
   * p ≤ i only, 4 overwrite C (else add), 8 entry (i, j) to C[j, i]. Row-major, leading dimensions in
   * elements; C must not overlap A or B. Each entry: lane 0 over even p, lane 1 over odd p, then lane 0 + lane 1, then the odd tail.
   */
  gemmNtF64: {
    args: ['A', 'lda', 'B', 'ldb', 'C', 'ldc', 'N', 'K', 'alpha', 'mode', 'r0', 'r1'],
    returns: false,
    rows: { r0: 'r0', r1: 'r1' },
  },
  /** In-place Cholesky of the nb × nb lower block at A (stride lda); returns -1 or the first non-positive pivot's row. */
  cholDiagF64: { args: ['A', 'lda', 'nb'], returns: true },
  /** Rows [r0, r1) of the panel P (stride ldp): x ← x·L⁻ᵀ, L the nb × nb lower block at L (stride lda). */
  trsmRowsF64: { args: ['L', 'lda', 'nb', 'P', 'ldp', 'r0', 'r1'], returns: false, rows: { r0: 'r0', r1: 'r1' } },
  /** Invert the nb × nb lower-triangular block at A in place; T (nb × nb, stride nb) receives its transpose, zeros below the diagonal. */
  trtriDiagF64: { args: ['A', 'lda', 'nb', 'T'], returns: false },

  /** Rows a in [r0, r1): D[a] = A[a,a], A[c,a] = A[a,c] for c < a (the strict lower triangle mirrored up; n × n f64). */
  lowerToUpperF64: { args: ['A', 'n', 'D', 'r0', 'r1'], returns: false, rows: { r0: 'r0', r1: 'r1' } },
  /** out (ib × K) = rows r of the upper-triangular U (stride ldu) with out[r,p] = 0 for p < r, D[r] at p = r, U[r,p] beyond. */
  packTriRowsF64: { args: ['U', 'ldu', 'D', 'ib', 'K', 'out'], returns: false },

  // -- EASE (assembly/ease.ts) -----------------------------------------------------------------------------
  /** Rows [r0, r1) of G (n × n f64): Σ_{u ∈ users(i), ascending} x_ui·x_u + λ·e_i; X both ways, data f32. */
  easeGram: {
    args: ['uIndptr', 'uIndices', 'uData', 'iIndptr', 'iIndices', 'iData', 'n', 'lambda', 'G', 'r0', 'r1'],
    returns: false,
    rows: { r0: 'r0', r1: 'r1' },
  },
  /** Rows [r0, r1) of B (n × n f32): −P[i,j]/P[j,j] off the diagonal, 0 on it; P symmetric, lower triangle stored (f64). */
  easeFinish: { args: ['P', 'n', 'B', 'r0', 'r1'], returns: false, rows: { r0: 'r0', r1: 'r1' } },
  /**
   * For each r in [0, nRows): user u = uRows[r] (0: r) scores s = Σ_{i ∈ items(u)} x_ui·B[m(i), :] (f32;
   * m = colMap, i32 per item, -1 skips; colMap = 0: identity); B's columns excIdx[excIndptr[r] ..
   * excIndptr[r+1]) and globalExc[0..nGlobal) dropped; the k best (score descending, column ascending on
   * ties) to outIdx / outScores at r·k, padded with -1 / -Infinity; outCounts[r] the count. scratch: 4·n bytes.
   */
  easeScoreTopk: {
    args: [
      'B',
      'n',
      'uIndptr',
      'uIndices',
      'uData',
      'uRows',
      'nRows',
      'colMap',
      'k',
      'excIndptr',
      'excIdx',
      'globalExc',
      'nGlobal',
      'scratch',
      'outIdx',
      'outScores',
      'outCounts',
    ],
    returns: false,
    rows: { count: 'nRows' },
    scratch: 'scratch',
  },
  /**
   * EASE through the users (m < n): rows [r0, r1) of Zt (n × m f64), row j = Σ_{u ∈ users(j)} x_uj·w_u with
   * w_u column u of W = L⁻¹ given as row u of Wᵀ (diagonal D[u], strict upper triangle of the m × m Wt);
   * scale[j] = 1 / (1 − ‖row j‖²). Items × users CSR (iIndptr, iIndices, iData f32).
   */
  easeZ: {
    args: ['Wt', 'm', 'D', 'iIndptr', 'iIndices', 'iData', 'Zt', 'scale', 'r0', 'r1'],
    returns: false,
    rows: { r0: 'r0', r1: 'r1' },
  },
  /** Rows [r0, r1): B[i,j] = z_i·z_j·scale[j], B[j,i] = z_i·z_j·scale[i] for j < i, B[i,i] = 0 (B n × n f32; Zt n × m f64). */
  easeWoodburyB: { args: ['Zt', 'm', 'n', 'scale', 'B', 'r0', 'r1'], returns: false, rows: { r0: 'r0', r1: 'r1' } },
  // == end of the item–item block =======================================================================
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
