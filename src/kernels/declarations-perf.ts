/**
 * The kernel contract's block for issue 29's kernels: length-sorted sparse products (assembly/csr.ts,
 * csr-sort.ts), the f32 Gram (assembly/gram.ts), G's eigenbasis for the exact solve of short rows
 * (assembly/als-eig.ts) and the subspace solver (assembly/als-subspace.ts); twins in src/kernels/csr.ts,
 * csr-sort.ts, als.ts, als-eig.ts, als-subspace.ts. Part of KERNELS (src/kernels/declarations.ts, where
 * the argument kinds are explained), kept in its own file so that the table stays readable.
 * @module
 */
import { count, f32, f32OrNone, f64, flag, i32, i32OrNone, kernel, scalar, scratch, type KernelDecl } from './kinds.js';

/** k rounded up to a multiple of 4 (declarations.ts's rnd4; not imported, which would be a cycle). */
const rnd4 = (k: number): number => (k + 3) & ~3;

/** Rows the subspace kernel batches (BATCH in assembly/als-subspace.ts). */
const SUBSPACE_BATCH = 16;

/** The block size alsImplicitSubspace uses for `block` (a multiple of 4 in [4, kp]). */
export const subspaceBlock = (block: number, k: number): number => Math.min(Math.max(4, block & ~3), rnd4(k));

export const PERF_KERNELS = {
  /**
   * csrMvF64 over a CSR copy whose stored row i is the matrix's row rows[i] (i32): y[rows[i]] = row i's sum
   * for stored rows i in [r0, r1). (The SVD operator stores short, irregular rows by length: predictable loops.)
   */
  csrMvRowsF64: kernel(
    { indptr: i32, indices: i32, data: f32, rows: i32, x: f64, y: f64, r0: count, r1: count },
    { returns: 'void', rows: { r0: 'r0', r1: 'r1' } },
  ),
  /**
   * The rows of the nr × nc CSR matrix — or, with `transpose` ≠ 0, of its transpose — copied into (oIndptr,
   * oIndices, oData): stored by descending length when `sortRows` ≠ 0 (oRows[i] = the row stored at i; ties
   * in row order), else in row order (oRows, when given, gets the identity); entries of a row stay in
   * ascending column order.
   */
  csrReorder: kernel(
    {
      indptr: i32,
      indices: i32,
      data: f32,
      nr: count,
      nc: count,
      transpose: flag,
      sortRows: flag,
      oIndptr: i32,
      oIndices: i32,
      oData: f32,
      oRows: i32OrNone,
      scratch,
    },
    { returns: 'void', scratch: ({ nr, nc }: { nr: number; nc: number }) => 4 * (nr + nc + 2) },
  ),
  /**
   * alsGramBlocks summed in f32 within batches of 32 rows (the batch sums added in f64): twice the SIMD
   * width, ~1e-6 relative accuracy — for the solvers that read only G32 (CG, subspace). Same layout.
   */
  alsGramBlocks32: kernel(
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
    { returns: 'void', rows: { r0: 'b0', r1: 'b1' }, scratch: ({ k }: { k: number }) => 128 * rnd4(k) },
  ),
  /**
   * A = V·diag(w)·Vᵀ for the symmetric k×k f64 block A (kp stride; destroyed): eigenvectors as the columns
   * of V (kp×kp f64), eigenvalues in w (kp f64), zero padding (Householder tridiagonalization, implicit-shift
   * QR). Returns 1, or 0 if the QR iteration did not converge.
   */
  symEigF64: kernel(
    { A: f64, V: f64, w: f64, k: count, scratch },
    {
      returns: 'i32',
      scratch: ({ k }: { k: number }) => {
        const kp = rnd4(k);
        return 8 * (kp * kp + 4 * kp);
      },
    },
  ),
  /** Ye[i] = Vᵀ·y_i for rows i in [r0, r1) of Y (f32, row stride k); Ye f64 with row stride kp. */
  alsEigProject: kernel(
    { Y: f32, V: f64, Ye: f64, k: count, r0: count, r1: count },
    { returns: 'void', rows: { r0: 'r0', r1: 'r1' } },
  ),
  /**
   * Subspace implicit half-step after iALS++ (Rendle et al. 2021) for rows [r0, r1): one sweep of block
   * coordinate descent over blocks of `block` coordinates (rounded down to a multiple of 4, within [4, kp])
   * on A_u·x = b_u (as alsImplicitCg), warm-started from X's current row, the predictions on the row's
   * entries kept current between blocks. WASM works in f32 and batches rows (≤ 16 rows, ≤ batchNnz entries;
   * batchNnz ≥ the longest row) so that G's block rows are read once per batch (a block whose f32
   * factorisation meets a tiny pivot is solved in f64); the twin works in f64, row by row. `regRows` as in
   * alsImplicitCholesky. Returns a solver code.
   */
  alsImplicitSubspace: kernel(
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
      block: count,
      batchNnz: count,
      scratch,
      regRows: f32OrNone,
    },
    {
      returns: 'i32',
      rows: { r0: 'r0', r1: 'r1' },
      scratch: ({ k, block, batchNnz }: { k: number; block: number; batchNnz: number }) => {
        const b = subspaceBlock(block, k);
        const B = SUBSPACE_BATCH;
        return 4 * (B * rnd4(k) + B * b + batchNnz + b * b + 2 * b + 64 * b) + 8 * (b * b + 2 * b);
      },
    },
  ),
} satisfies Record<string, KernelDecl>;
