/**
 * The kernel contract, declared once: every kernel's name, its arguments by name in call order with their
 * kinds, what it returns, how the worker pool may split it by rows, and the scratch it needs (the SGD
 * models' block is in declarations-sgd.ts, in the same form: src/kernels/kinds.ts). The WASM
 * modules' exports are checked against this table when a backend is instantiated (src/runtime/bind.ts)
 * and, parameter by parameter, against the AssemblyScript and JS-twin sources by test/arch; callers go
 * through src/runtime/runner.ts with named arguments, passing heap arrays (never byte offsets).
 *
 * Argument kinds. A pointer (`f32`, `f64`, `i32`; `…OrNone` when 0 means "none") takes a heap array or a
 * part of one (a row), of that element kind; the runner passes its byte offset (unsigned, up to 4 GiB).
 * `count` is an integer (a length, dimension, stride, row bound, index or key), `flag` an integer mode switch,
 * `scalar` a float, `scratch` a heap block for the kernel's working memory. Matrices are row-major; a CSR
 * matrix is `indptr` (i32, rows + 1), `indices` (i32, sorted within a row), `data` (f32). Kernels never
 * allocate. k×k Gram blocks have row stride kp = k rounded up to a multiple of 4, zero-padded.
 * ALS solver codes: -1 success; r ≥ 0 row r's system is singular / not positive definite; -(r + 2) row
 * r's solution is not finite.
 *
 * Splitting. `rows: { r0, r1 }` names a kernel's half-open row range: the pool runs it on sub-ranges.
 * `rows: { count }` names a row count: a chunk [r0, r1) gets count = r1 − r0, and each pointer named in
 * `advance` moves by that many elements per row (when it is given). `scratch` is the bytes one thread's
 * scratch needs (thread t gets the block at t times that, rounded up to 64 bytes). Each split computes
 * every row exactly as one call does, so results do not depend on the thread count.
 * @module
 */
import {
  count,
  f32,
  f32OrNone,
  f64,
  f64OrNone,
  flag,
  i32,
  i32OrNone,
  kernel,
  scalar,
  scratch,
  type KernelDecl,
  type NamesOf,
} from './kinds.js';
import { SGD_KERNELS } from './declarations-sgd.js';
import { PERF_KERNELS } from './declarations-perf.js';
import type { ElementKind, HeapRef } from './types.js';

export type { ArgKind, KernelDecl, PointerKind, ReturnKind, SizeArgs } from './kinds.js';

/** k rounded up to a multiple of 4: the row stride kp of the kernels' k×k blocks. */
export const rnd4 = (k: number): number => (k + 3) & ~3;

export const KERNELS = {
  // -- level 1 (assembly/vector.ts) ------------------------------------------------------------------
  /** Σ x[i]·y[i] over f64 vectors. */
  dotF64: kernel({ x: f64, y: f64, n: count }, { returns: 'f64' }),
  /** y ← a·x + y (f64). */
  axpyF64: kernel({ a: scalar, x: f64, y: f64, n: count }, { returns: 'void' }),
  /** x ← a·x (f64). */
  scalF64: kernel({ a: scalar, x: f64, n: count }, { returns: 'void' }),
  /** ‖x‖₂ of an f64 vector. */
  nrm2F64: kernel({ x: f64, n: count }, { returns: 'f64' }),

  // -- sparse (assembly/csr.ts) ------------------------------------------------------------------------
  /** y[r] = Σ_j A[r,j]·x[j] for rows r in [r0, r1); x and y f64, values f32, sums in f64. */
  csrMvF64: kernel(
    { indptr: i32, indices: i32, data: f32, x: f64, y: f64, r0: count, r1: count },
    { returns: 'void', rows: { r0: 'r0', r1: 'r1' } },
  ),

  // -- Lanczos (assembly/lanczos.ts) -------------------------------------------------------------------
  /**
   * Classical Gram–Schmidt of `w` (n, f64) against the `count` orthonormal rows of `basis` (count×n f64):
   * c = basis·w, w ← w − basisᵀ·c; a second pass runs when the first left less than `eta`·‖w‖ (DGKS;
   * eta ≥ 1 forces two passes, 0 one pass). `coef` holds 2·count f64: [0, count) receives the total
   * coefficients removed, [count, 2·count) is scratch. Returns ‖w‖ after.
   */
  reorthF64: kernel({ basis: f64, count: count, n: count, w: f64, coef: f64, eta: scalar }, { returns: 'f64' }),
  /** One classical Gram–Schmidt pass: coef[0, count) = basis·w, then w ← w − basisᵀ·coef (n, f64). */
  gsPassF64: kernel({ basis: f64, count: count, n: count, w: f64, coef: f64 }, { returns: 'void' }),
  /**
   * out = acc·out + C·B, columns [c0, c1) of the product only: B (count×len) row-major f64 basis vectors,
   * C (rows×count, row stride ldc) f64 coefficients; out rows×len row-major, or len×rows (vectors as
   * columns) when `trans` ≠ 0; acc 0 (overwrite) or 1 (add). Each output entry is the sequential sum over
   * the basis rows (so accumulating over consecutive blocks of rows gives the same result as one call).
   * `out` must not overlap B or C.
   */
  gemmAccF64: kernel(
    {
      B: f64,
      count: count,
      len: count,
      C: f64,
      ldc: count,
      rows: count,
      out: f64,
      acc: flag,
      trans: flag,
      c0: count,
      c1: count,
    },
    { returns: 'void' },
  ),
  /**
   * One-sided (Hestenes) Jacobi sweeps for a small SVD. W (n rows × m) holds the matrix's columns as
   * rows; V (n×n) accumulates the rotations; nrm (n) holds the squared row norms of W, kept current. A
   * pair is rotated when |w_p·w_q| > thresh·‖w_p‖‖w_q‖. Cyclic sweeps until one rotates nothing, at most
   * maxSweeps; returns the sweeps run.
   */
  jacobiSweepsF64: kernel(
    { W: f64, V: f64, nrm: f64, m: count, n: count, maxSweeps: count, thresh: scalar },
    { returns: 'i32' },
  ),

  // -- bidiagonal SVD (assembly/bidiag.ts) -------------------------------------------------------------
  /**
   * Singular values of the n×n upper bidiagonal B (diagonal d, superdiagonal e; f64 arrays of n entries,
   * e[n−1] unused) by implicit-shift QR (Golub–Kahan: Wilkinson shift from the trailing 2×2 of BᵀB, bulge
   * chasing, zero diagonal entries rotated out). On return d holds the values (unsorted, take |d|) and
   * r[i] = U_B[n−1, i] for value d[i] (r is initialised by the kernel). Off-diagonal entries below
   * eps·max(|dᵢ| + |eᵢ|) count as zero. d, e, r are overwritten. Returns the QR sweeps used, or −1 when
   * more than maxSweeps were needed.
   */
  bidiagQrF64: kernel({ d: f64, e: f64, r: f64, n: count, maxSweeps: count }, { returns: 'i32' }),

  // -- ALS (assembly/gram.ts, assembly/als.ts, assembly/als-cg.ts) -------------------------------------
  /**
   * G ← YᵀY + λI in two steps, for Y n × k (row stride `stride` floats, f32), accumulated in f64: blocks
   * [b0, b1) of blockRows rows of Y, each block's lower triangle of Σ y_i·y_iᵀ into its own kp × kp f64
   * block P64 + b·8·kp² (split over threads by blocks: no re-reading Y per thread); alsGramReduce then sums
   * the blocks in order.
   */
  alsGramBlocks: kernel(
    {
      Y: f32,
      n: count,
      k: count,
      stride: count,
      blockRows: count,
      P64: f64,
      b0: count,
      b1: count,
      scratch,
    },
    { returns: 'void', rows: { r0: 'b0', r1: 'b1' }, scratch: ({ k }: { k: number }) => 256 * rnd4(k) },
  ),
  /** G64 ← Σ_b P_b (block order) + λI, mirrored; G32 ← f32(G64) when given. */
  alsGramReduce: kernel(
    { k: count, lambda: scalar, nb: count, P64: f64, G64: f64, G32: f32OrNone },
    { returns: 'void' },
  ),
  /**
   * Exact implicit (HKV 2008) half-step for rows [r0, r1): x_u = A_u⁻¹·b_u, A_u = G + Σ_{i∈I_u}
   * (c_ui − 1)·y_i·y_iᵀ, b_u = Σ c_ui·p_ui·y_i, c = 1 + α|r| (logConf 0) or 1 + α·log(1 + |r|/ε)
   * (logConf 1), p = 1 if r > 0 else 0; G = YᵀY + λI from alsGramReduce. Empty rows get zeros. WASM factors in
   * f32 (blocked rank-n updates, blocked Cholesky) with one f64 refinement step; the twin works in f64.
   * `regRows`: none, or f32 per row (indexed by the absolute row r) added to the diagonal of row r's A_u —
   * a per-row λ on top of G's (frequency-scaled regularization). With V given (G = V·diag(lam)·Vᵀ from
   * symEigF64, Ye the fixed rows from alsEigProject), WASM solves rows with ≤ eigMax entries, all c > 1,
   * exactly in f64 through the Woodbury identity in G's eigenbasis (O(k² + n²k) a row; the twin ignores
   * V, lam, Ye, eigMax). Returns a solver code.
   */
  alsImplicitCholesky: kernel(
    {
      indptr: i32,
      indices: i32,
      data: f32,
      Y: f32,
      G64: f64,
      G32: f32,
      X: f32,
      r0: count,
      r1: count,
      k: count,
      alpha: scalar,
      eps: scalar,
      logConf: flag,
      scratch,
      regRows: f32OrNone,
      V: f64OrNone,
      lam: f64OrNone,
      Ye: f64OrNone,
      eigMax: count,
    },
    {
      returns: 'i32',
      rows: { r0: 'r0', r1: 'r1' },
      scratch: ({ k, V, eigMax }: { k: number; V: unknown; eigMax: number }, longestRow: number) => {
        const kp = rnd4(k);
        const m = V ? eigMax : 0;
        return (
          8 * (kp * kp + 4 * kp) +
          4 * (kp * kp + 5 * kp) +
          8 * (2 * kp + m + m * kp + m * m) +
          256 * kp +
          4 * longestRow
        );
      },
    },
  ),
  /**
   * Conjugate-gradient implicit half-step (Takács et al. 2011): `steps` f32 CG steps on A_u·x = b_u
   * warm-started from X's current row, A_u·p = G·p + Σ (c − 1)(y_iᵀp)·y_i. G32 from alsGramReduce. A row stops
   * once ‖res‖² < 1e-20. WASM runs eight rows at a time (G·[p₁…p₈] as one register-blocked product); a
   * row's result does not depend on its neighbours. `regRows` as in alsImplicitCholesky (A_u·p gains
   * regRows[r]·p). Returns a solver code.
   */
  alsImplicitCg: kernel(
    {
      indptr: i32,
      indices: i32,
      data: f32,
      Y: f32,
      G32: f32,
      X: f32,
      r0: count,
      r1: count,
      k: count,
      alpha: scalar,
      eps: scalar,
      logConf: flag,
      steps: count,
      scratch,
      regRows: f32OrNone,
    },
    {
      returns: 'i32',
      rows: { r0: 'r0', r1: 'r1' },
      scratch: ({ k }: { k: number }) => 4 * 32 * rnd4(k) + 256,
    },
  ),
  /**
   * Σ_{u∈[r0,r1)} [x_uᵀ·G·x_u + Σ_{i∈I_u} (c(p − s)² − s²)], s = x_uᵀy_i, G = YᵀY + λI (f64). Plus
   * λ‖Y‖² this is the full implicit objective; with `regRows` each row adds regRows[r]·‖x_r‖².
   */
  alsImplicitLoss: kernel(
    {
      indptr: i32,
      indices: i32,
      data: f32,
      X: f32,
      Y: f32,
      G64: f64,
      r0: count,
      r1: count,
      k: count,
      alpha: scalar,
      eps: scalar,
      logConf: flag,
      scratch,
      regRows: f32OrNone,
    },
    { returns: 'f64', rows: { r0: 'r0', r1: 'r1' }, scratch: ({ k }: { k: number }) => 8 * rnd4(k) },
  ),
  /**
   * Explicit (ALS-WR) half-step for rows [r0, r1): per row minimise Σ_i (t_ui − wᵀz_i)² + λ·m_u·‖w‖²,
   * m_u = n_u if `weighted` else 1, in f64. F: the fixed side, X: the side solved, both row stride `dim`.
   * biasMode 0: dim = k, z = F_i, t = r, out = w. biasMode 1 (users; item rows [y, b_i, 1]): z = [y_i, 1],
   * t = r − μ − b_i, out = [w₀..w_{k−1}, 1, w_k + μ]. biasMode 2 (items; user rows [x, 1, b_u + μ]):
   * z = [x_u, 1], t = r − (b_u + μ), out = [w₀..w_{k−1}, w_k, 1]. Empty rows: zero factors and bias.
   * WASM forms and factors the system in f32 (blocked) with one f64 refinement step (f64 fallback for
   * tiny pivots); the twin works in f64; both reach f64-solve accuracy. Scratch: dp = kp of k + 1.
   * Returns a solver code.
   */
  alsExplicit: kernel(
    {
      indptr: i32,
      indices: i32,
      data: f32,
      F: f32,
      X: f32,
      dim: count,
      r0: count,
      r1: count,
      k: count,
      lambda: scalar,
      weighted: flag,
      biasMode: flag,
      mu: scalar,
      scratch,
    },
    {
      returns: 'i32',
      rows: { r0: 'r0', r1: 'r1' },
      scratch: ({ k }: { k: number }) => {
        const dp = rnd4(k + 1);
        return 12 * dp * dp + 176 * dp;
      },
    },
  ),

  // -- serving (assembly/scoring.ts) -------------------------------------------------------------------
  /**
   * For each r in [0, nRows): scores[c] = X[xRows[r]]·Y[yRows[c]] for c in [0, nCols) (xRows / yRows none
   * mean the identity; rows are `dim` floats), `blockRows` rows at a time into `scratch` (blockRows ×
   * nCols f32). Columns excIdx[excIndptr[r] .. excIndptr[r+1]) (excIndptr none: no per-row exclusions),
   * globalExc[0..nGlobal) and NaN scores are dropped, and the k best — score descending, column ascending
   * on ties — go to outIdx (i32) / outScores (f32) at offset r·k, padded with column -1 and score
   * -Infinity; outCounts[r] (when given) receives the count. A row's result does not depend on the rows
   * beside it.
   */
  scoreTopkF32: kernel(
    {
      X: f32,
      xRows: i32OrNone,
      nRows: count,
      Y: f32,
      yRows: i32OrNone,
      nCols: count,
      dim: count,
      k: count,
      excIndptr: i32OrNone,
      excIdx: i32OrNone,
      globalExc: i32,
      nGlobal: count,
      scratch,
      blockRows: count,
      outIdx: i32,
      outScores: f32,
      outCounts: i32OrNone,
    },
    {
      returns: 'void',
      rows: {
        count: 'nRows',
        // X is read through xRows when given (then it stays put), else row by row.
        advance: {
          X: (a) => (a.xRows ? 0 : a.dim),
          xRows: 1,
          excIndptr: 1,
          outIdx: (a) => a.k,
          outScores: (a) => a.k,
          outCounts: 1,
        },
      },
      scratch: ({ blockRows, nCols }: { blockRows: number; nCols: number }) => 4 * blockRows * nCols,
    },
  ),
  /**
   * out (m × cols) = the first `cols` of each row of A (rows `stride` floats apart) divided by its norm;
   * all-zero rows stay zero. Dot products of the output rows are cosines.
   */
  normalizeRowsF32: kernel({ A: f32, m: count, stride: count, cols: count, out: f32 }, { returns: 'void' }),

  // -- BPR and LogisticMF (assembly/bpr.ts, assembly/lmf.ts): declared in declarations-sgd.ts -----------
  ...SGD_KERNELS,

  // -- issue 29: sorted sparse products, f32 Gram, eigenbasis, subspace solver: declarations-perf.ts ----
  ...PERF_KERNELS,

  // -- runtime (assembly/runtime.ts) -------------------------------------------------------------------
  /** First byte the JS allocator may use (the end of the module's static data). */
  heapBase: kernel({}, { returns: 'usize' }),
} satisfies Record<string, KernelDecl>;

/** The name of a declared kernel. */
export type KernelName = keyof typeof KERNELS;
type Decl<K extends KernelName> = (typeof KERNELS)[K];
type ArgsOf<K extends KernelName> = Decl<K>['args'];
/** The argument names of kernel K. */
export type ArgName<K extends KernelName> = keyof ArgsOf<K> & string;
/** What an argument of kind T takes. */
type ValueOf<T> = T extends { kind: 'ptr'; elem: infer E extends ElementKind }
  ? HeapRef<E>
  : T extends { kind: 'scratch' }
    ? HeapRef
    : number;
type OptionalName<K extends KernelName> = NamesOf<ArgsOf<K>, { optional: true }>;
/** Kernel K's arguments by name: heap arrays (or rows of them) for pointers, numbers for the rest. */
export type KernelArgs<K extends KernelName> = {
  readonly [N in Exclude<ArgName<K>, OptionalName<K>>]: ValueOf<ArgsOf<K>[N]>;
} & { readonly [N in OptionalName<K>]?: ValueOf<ArgsOf<K>[N]> };
/** What kernel K returns. */
export type KernelResult<K extends KernelName> = Decl<K>['returns'] extends 'void' ? void : number;
/** Kernel K as a positional function of numbers (what WASM exports and the twins implement). */
export type KernelFn<K extends KernelName> = (...args: number[]) => KernelResult<K>;
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
/** Kernels that take scratch. */
export type ScratchKernel = { [K in KernelName]: Decl<K> extends { scratch: object } ? K : never }[KernelName];
/** What kernel K's scratch size depends on. */
export type ScratchSizing<K extends ScratchKernel> = Parameters<Decl<K>['scratch']>[0];

/** The stride of scratch blocks between threads: sizes rounded up to a multiple of 64 bytes (a cache line). */
const SCRATCH_ALIGN = 64;

/**
 * Bytes one thread's scratch takes for kernel K called with `sizing` (its arguments, or the ones the size
 * depends on) over rows of at most `longestRow` stored entries, rounded up to the 64-byte stride between
 * threads: the one definition of every kernel's scratch size.
 */
export function scratchBytes<K extends ScratchKernel>(kernel: K, sizing: ScratchSizing<K>, longestRow = 0): number {
  const bytes = (KERNELS[kernel].scratch as (a: ScratchSizing<K>, longestRow: number) => number)(sizing, longestRow);
  return Math.ceil(bytes / SCRATCH_ALIGN) * SCRATCH_ALIGN;
}

/** The declaration of `name` (typed loosely, for the runtime's generic code). */
export function declOf(name: string): KernelDecl | undefined {
  return Object.prototype.hasOwnProperty.call(KERNELS, name)
    ? (KERNELS as Record<string, KernelDecl>)[name]
    : undefined;
}
