/**
 * The kernel contract's block for the item–item models, ItemKNN and EASE (assembly/knn.ts, dense64.ts,
 * chol64.ts, ease.ts; twins src/kernels/knn.ts, dense64.ts, ease.ts): part of KERNELS
 * (src/kernels/declarations.ts, where the argument kinds are explained), kept in its own file so that the
 * table stays readable. Users × items matrices come both ways where a kernel walks them by items:
 * `u…` (users × items CSR) and `i…` (items × users CSR). The scoring kernels take an optional `colOf`
 * that maps a score vector's entries to result columns (candidate positions, −1: no candidate), so a
 * candidate subset costs no per-row exclusion list.
 * @module
 */
import { count, f32, f64, flag, i32, i32OrNone, kernel, scalar, scratch } from './kinds.js';

/** How a scoring kernel's pointers move per row when the pool splits its rows (count: nRows). */
const SCORE_ADVANCE = {
  // Without uRows, row r is the CSR's row r: its row pointer moves instead.
  uIndptr: (a: { uRows: unknown }) => (a.uRows ? 0 : 1),
  uRows: 1,
  excIndptr: 1,
  outIdx: (a: { k: number }) => a.k,
  outScores: (a: { k: number }) => a.k,
  outCounts: 1,
} as const;

export const ITEM_KERNELS = {
  // -- item kNN (assembly/knn.ts) ---------------------------------------------------------------------
  /**
   * Neighbours of items [r0, r1): s_j = Σ_{u ∈ users(i), ascending} W[u,j]·W[u,i] over the items j reached
   * (i included), the K best kept as implicit 0.7.3's TopK keeps them (candidates in reverse order of first
   * touch; a kept pair is displaced only by a strictly greater score, the least (score, index) pair
   * first), written to outIdx / outVal at i·K sorted by index; outCount[i] = how many. W both ways, data
   * f64. `positive` ≠ 0 promises every weight ≥ 1e-100 (first touches are then found without stamps).
   */
  knnNeighbors: kernel(
    {
      uIndptr: i32,
      uIndices: i32,
      uData: f64,
      iIndptr: i32,
      iIndices: i32,
      iData: f64,
      nItems: count,
      K: count,
      r0: count,
      r1: count,
      outIdx: i32,
      outVal: f64,
      outCount: i32,
      positive: flag,
      scratch,
    },
    {
      returns: 'void',
      rows: { r0: 'r0', r1: 'r1' },
      // Accumulator (f64), stamps and the touched list (i32) per item; the list has a spare slot.
      scratch: ({ nItems }: { nItems: number }) => 16 * nItems + 4,
    },
  ),
  /**
   * For each r in [0, nRows): user u = uRows[r] (none: u = r) of the users × items CSR (uData f32) scores
   * item j by Σ_{i ∈ items(u)} r_ui·S[i,j] (S: CSR, f64 values; sums in f64). Item j's result column is
   * colOf[j] (none: j; −1: no candidate), increasing in j. Candidates: the items reached, or with
   * `allItems` ≠ 0 every item, unreached ones scoring 0 (scanned in index order only while one can still
   * enter). Items excIdx[excIndptr[r] .. excIndptr[r+1]) (excIndptr none: none) and globalExc[0..nGlobal)
   * dropped. The k best (score descending, column ascending on ties, ranked in f64) to outIdx (i32) /
   * outScores (f32) at r·k, padded with -1 / -Infinity; outCounts[r] (when given) the count.
   */
  knnScoreTopk: kernel(
    {
      uIndptr: i32,
      uIndices: i32,
      uData: f32,
      uRows: i32OrNone,
      nRows: count,
      sIndptr: i32,
      sIndices: i32,
      sData: f64,
      nItems: count,
      colOf: i32OrNone,
      k: count,
      excIndptr: i32OrNone,
      excIdx: i32OrNone,
      globalExc: i32OrNone,
      nGlobal: count,
      allItems: flag,
      scratch,
      outIdx: i32,
      outScores: f32,
      outCounts: i32OrNone,
    },
    {
      returns: 'void',
      rows: { count: 'nRows', advance: SCORE_ADVANCE },
      // Accumulator (f64), stamps and the touched list (i32) per item, then the k-best heap's f64 keys.
      scratch: ({ nItems, k }: { nItems: number; k: number }) => 16 * nItems + 8 * k,
    },
  ),

  // -- dense f64 blocks of the Cholesky inverse (assembly/dense64.ts, assembly/chol64.ts) ----------------
  /**
   * C[i,j] (+)= α·Σ_p A[i,p]·B[j,p] for rows i in [r0, r1), j in [0, N); mode bits: 1 j ≤ i only, 2 sum
   * p ≤ i only, 4 overwrite C (else add), 8 entry (i, j) to C[j, i]. Row-major, leading dimensions in
   * elements; C must not overlap A or B. Each entry: lane 0 over even p, lane 1 over odd p, then lane 0 +
   * lane 1, then the odd tail — so the twin (and any split) gives the same bits.
   */
  gemmNtF64: kernel(
    {
      A: f64,
      lda: count,
      B: f64,
      ldb: count,
      C: f64,
      ldc: count,
      N: count,
      K: count,
      alpha: scalar,
      mode: flag,
      r0: count,
      r1: count,
    },
    { returns: 'void', rows: { r0: 'r0', r1: 'r1' } },
  ),
  /** In-place Cholesky of the nb × nb lower block at A (stride lda); returns -1 or the first non-positive pivot's row. */
  cholDiagF64: kernel({ A: f64, lda: count, nb: count }, { returns: 'i32' }),
  /** Rows [r0, r1) of the panel P (stride ldp): x ← x·L⁻ᵀ, L the nb × nb lower block at L (stride lda). */
  trsmRowsF64: kernel(
    { L: f64, lda: count, nb: count, P: f64, ldp: count, r0: count, r1: count },
    { returns: 'void', rows: { r0: 'r0', r1: 'r1' } },
  ),
  /**
   * Invert the nb × nb lower-triangular block at A (stride lda) in place; T (nb × nb, stride nb) receives
   * its transpose, zeros below the diagonal.
   */
  trtriDiagF64: kernel({ A: f64, lda: count, nb: count, T: f64 }, { returns: 'void' }),
  /** Rows a in [r0, r1): D[a] = A[a,a], A[c,a] = A[a,c] for c < a (the strict lower triangle mirrored up; n × n f64). */
  lowerToUpperF64: kernel(
    { A: f64, n: count, D: f64, r0: count, r1: count },
    { returns: 'void', rows: { r0: 'r0', r1: 'r1' } },
  ),
  /**
   * out (ib × K) = rows r of the upper-triangular U (stride ldu) with out[r,p] = 0 for p < r, D[r] at
   * p = r, U[r,p] beyond.
   */
  packTriRowsF64: kernel({ U: f64, ldu: count, D: f64, ib: count, K: count, out: f64 }, { returns: 'void' }),

  // -- EASE (assembly/ease.ts) -----------------------------------------------------------------------------
  /**
   * Rows [r0, r1) of G (n × n f64): Σ_{u ∈ users(i), ascending} x_ui·x_u + λ·e_i; X both ways, data f32
   * (products of f32 values are exact in f64, so G is exactly symmetric).
   */
  easeGram: kernel(
    {
      uIndptr: i32,
      uIndices: i32,
      uData: f32,
      iIndptr: i32,
      iIndices: i32,
      iData: f32,
      n: count,
      lambda: scalar,
      G: f64,
      r0: count,
      r1: count,
    },
    { returns: 'void', rows: { r0: 'r0', r1: 'r1' } },
  ),
  /** Rows [r0, r1) of B (n × n f32): −P[i,j]/P[j,j] off the diagonal, 0 on it; P symmetric, lower triangle stored (f64). */
  easeFinish: kernel(
    { P: f64, n: count, B: f32, r0: count, r1: count },
    { returns: 'void', rows: { r0: 'r0', r1: 'r1' } },
  ),
  /**
   * For each r in [0, nRows): user u = uRows[r] (none: r) scores s = Σ_{i ∈ items(u)} x_ui·B[m(i), :] (f32;
   * m = colMap, B's row of each item, −1 skips; none: identity). B's column c goes to result column
   * colOf[c] (none: c; −1: no candidate), increasing in c. B's columns excIdx[excIndptr[r] ..
   * excIndptr[r+1]) and globalExc[0..nGlobal) dropped; the k best (score descending, column ascending on
   * ties) to outIdx / outScores at r·k, padded with -1 / -Infinity; outCounts[r] (when given) the count.
   */
  easeScoreTopk: kernel(
    {
      B: f32,
      n: count,
      uIndptr: i32,
      uIndices: i32,
      uData: f32,
      uRows: i32OrNone,
      nRows: count,
      colMap: i32OrNone,
      colOf: i32OrNone,
      k: count,
      excIndptr: i32OrNone,
      excIdx: i32OrNone,
      globalExc: i32OrNone,
      nGlobal: count,
      scratch,
      outIdx: i32,
      outScores: f32,
      outCounts: i32OrNone,
    },
    {
      returns: 'void',
      rows: { count: 'nRows', advance: SCORE_ADVANCE },
      // One row of scores (f32).
      scratch: ({ n }: { n: number }) => 4 * n,
    },
  ),
  /**
   * EASE through the users (m < n): rows [r0, r1) of Zt (n × m f64), row j = Σ_{u ∈ users(j)} x_uj·w_u with
   * w_u column u of W = L⁻¹ given as row u of Wᵀ (diagonal D[u], strict upper triangle of the m × m Wt);
   * scale[j] = 1 / (1 − ‖row j‖²). Items × users CSR (iIndptr, iIndices, iData f32).
   */
  easeZ: kernel(
    {
      Wt: f64,
      m: count,
      D: f64,
      iIndptr: i32,
      iIndices: i32,
      iData: f32,
      Zt: f64,
      scale: f64,
      r0: count,
      r1: count,
    },
    { returns: 'void', rows: { r0: 'r0', r1: 'r1' } },
  ),
  /**
   * Rows [r0, r1): B[i,j] = z_i·z_j·scale[j], B[j,i] = z_i·z_j·scale[i] for j < i, B[i,i] = 0 (B n × n f32;
   * Zt n × m f64). Dot products in lane pairs as gemmNtF64's, so any split gives the same bits.
   */
  easeWoodburyB: kernel(
    { Zt: f64, m: count, n: count, scale: f64, B: f32, r0: count, r1: count },
    { returns: 'void', rows: { r0: 'r0', r1: 'r1' } },
  ),
} as const;
