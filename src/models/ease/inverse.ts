/**
 * The inverse of a symmetric positive definite matrix in place, by blocked Cholesky in f64: G = L·Lᵀ
 * (right-looking, LAPACK's potrf), W = L⁻¹ (trtri), P = Wᵀ·W (lauum) — n³ flops in all, a third of
 * them in each step, against 2⅔·n³ for numpy's LU-based `inv`. Only the lower triangle of the input is
 * read and of the output written; the upper triangle of the array is scratch (W = L⁻¹ moves there for
 * the last step, so every product reads contiguous rows). Each step's bulk is a matrix product split over
 * the worker pool by output rows (or columns), every entry computed with the same operations whatever the
 * split, so the result has the same bits for every thread count.
 * @module
 */
import { ModelFitError } from '../../errors.js';
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray, HeapSlice } from '../../runtime/heap.js';
import type { KernelRunner } from '../../runtime/runner.js';

/** An n × n row-major f64 matrix in the heap, or its part from an entry on (what a kernel's pointer takes). */
type F64 = HeapArray<'f64'> | HeapSlice<'f64'>;

/** Called between blocks of a long inverse: yields to the event loop and throws if the fit was aborted. */
export type Checkpoint = () => Promise<void>;
const noPause: Checkpoint = () => Promise.resolve();

/** Block size: the panel width of each step (64 f64 = one 512-byte row of a panel). */
export const BLOCK = 64;

/** gemmNtF64 mode bits. */
const LOWER = 1;
const TRI_K = 2;
const OVERWRITE = 4;
const TRANS_C = 8;

/**
 * Row boundaries of [0, n) in about 4·threads ranges of equal cost, cut at multiples of `align` (so a
 * kernel's tiles start on the same rows whatever the split; the bits do not depend on it either way).
 */
export function alignedBounds(n: number, threads: number, cost: (r: number) => number, align: number): Int32Array {
  const chunks = Math.max(1, 4 * threads);
  let total = 0;
  for (let r = 0; r < n; r++) total += cost(r);
  const cuts = [0];
  let acc = 0;
  for (let r = 0; r < n; r++) {
    acc += cost(r);
    const next = cuts.length * (total / chunks);
    if (acc >= next && cuts.length < chunks) {
      const at = Math.min(n, Math.ceil((r + 1) / align) * align);
      if (at > cuts[cuts.length - 1] && at < n) cuts.push(at);
    }
  }
  cuts.push(n);
  return Int32Array.from(cuts);
}

/** The n × n row-major f64 matrix A from entry (r, c) on: a kernel's pointer to a block of it. */
const at = (A: HeapArray<'f64'>, n: number, r: number, c: number): HeapSlice<'f64'> => A.subarray(r * n + c);

/** Right-looking blocked Cholesky: the lower triangle of A becomes L. Throws when A is not positive definite. */
async function potrf(run: KernelRunner, A: HeapArray<'f64'>, n: number, pause: Checkpoint): Promise<void> {
  for (let k0 = 0; k0 < n; k0 += BLOCK) {
    await pause();
    const nb = Math.min(BLOCK, n - k0);
    const k1 = k0 + nb;
    const bad = run.call('cholDiagF64', { A: at(A, n, k0, k0), lda: n, nb });
    if (bad >= 0)
      throw new ModelFitError(
        `EASE: the Gram matrix plus λI is not positive definite (pivot ${k0 + bad}); use a larger regularization`,
      );
    const m = n - k1;
    if (m === 0) break;
    run.runRows(
      'trsmRowsF64',
      { L: at(A, n, k0, k0), lda: n, nb, P: at(A, n, k1, k0), ldp: n },
      { rows: m, work: (m * nb * nb) / 2, unit: 'flops', split: (t) => alignedBounds(m, t, () => 1, 4) },
    );
    // A22 ← A22 − L21·L21ᵀ (lower triangle).
    run.runRows(
      'gemmNtF64',
      {
        A: at(A, n, k1, k0),
        lda: n,
        B: at(A, n, k1, k0),
        ldb: n,
        C: at(A, n, k1, k1),
        ldc: n,
        N: m,
        K: nb,
        alpha: -1,
        mode: LOWER,
      },
      { rows: m, work: (m * m * nb) / 2, unit: 'flops', split: (t) => alignedBounds(m, t, (r) => r + 1, 4) },
    );
  }
}

/** W = L⁻¹ in place (lower), last block first: W21 = −W22·L21·W11. `T` holds BLOCK², `St` BLOCK·n f64. */
async function trtri(
  run: KernelRunner,
  A: HeapArray<'f64'>,
  n: number,
  T: F64,
  St: F64,
  pause: Checkpoint,
): Promise<void> {
  const last = Math.floor((n - 1) / BLOCK) * BLOCK;
  for (let j0 = last; j0 >= 0; j0 -= BLOCK) {
    await pause();
    const jb = Math.min(BLOCK, n - j0);
    const j1 = j0 + jb;
    const m = n - j1;
    run.call('trtriDiagF64', { A: at(A, n, j0, j0), lda: n, nb: jb, T });
    if (m === 0) continue;
    // St = (L21·W11)ᵀ: row q = Σ_p W11[p,q]·L21[·,p] (T = W11ᵀ).
    run.runRows(
      'gemmNtF64',
      { A: T, lda: jb, B: at(A, n, j1, j0), ldb: n, C: St, ldc: m, N: m, K: jb, alpha: 1, mode: OVERWRITE },
      { rows: jb, work: jb * jb * m, unit: 'flops', split: (t) => alignedBounds(jb, t, () => 1, 4) },
    );
    // W21 = −W22·(L21·W11): row i sums over W22's row up to its diagonal.
    run.runRows(
      'gemmNtF64',
      {
        A: at(A, n, j1, j1),
        lda: n,
        B: St,
        ldb: m,
        C: at(A, n, j1, j0),
        ldc: n,
        N: jb,
        K: m,
        alpha: -1,
        mode: TRI_K | OVERWRITE,
      },
      { rows: m, work: (m * m * jb) / 2, unit: 'flops', split: (t) => alignedBounds(m, t, (r) => r + 1, 4) },
    );
  }
}

/** W (lower) moves to the strict upper triangle as Wᵀ, its diagonal to `D`: the lower triangle is free. */
function moveUp(run: KernelRunner, A: HeapArray<'f64'>, n: number, D: F64): void {
  run.runRows(
    'lowerToUpperF64',
    { A, n, D },
    { rows: n, work: (n * n) / 2, unit: 'nnz', split: (t) => alignedBounds(n, t, (r) => r + 1, 32) },
  );
}

/**
 * P = Wᵀ·W with every product in dot form, from U = Wᵀ in the strict upper triangle and its diagonal in
 * `D` (moveUp): block row [i0, i1) of P is rows i0.. of U against rows
 * 0..i1 of U over columns k ≥ i0, from a packed copy of U's block rows with zeros left of the diagonal
 * (P[a,c] = Σ_{k ≥ a} U[a,k]·U[c,k]). `D` holds n f64, `Up` BLOCK·n.
 */
async function lauum(
  run: KernelRunner,
  A: HeapArray<'f64'>,
  n: number,
  D: HeapArray<'f64'>,
  Up: F64,
  pause: Checkpoint,
): Promise<void> {
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    await pause();
    const ib = Math.min(BLOCK, n - i0);
    const K = n - i0;
    run.call('packTriRowsF64', { U: at(A, n, i0, i0), ldu: n, D: D.subarray(i0), ib, K, out: Up });
    const rows = { rows: ib, unit: 'flops' as const, split: (t: number) => alignedBounds(ib, t, () => 1, 4) };
    if (i0 > 0) {
      // Columns c < i0: rows of U above the block, from column i0 (their k < i0 part meets the zeros). U's
      // rows are the long operand (streamed once, split over threads), the panel the short one (re-read
      // from cache); entry (c, a) goes to P[i0 + a, c].
      run.runRows(
        'gemmNtF64',
        {
          A: at(A, n, 0, i0),
          lda: n,
          B: Up,
          ldb: K,
          C: at(A, n, i0, 0),
          ldc: n,
          N: ib,
          K,
          alpha: 1,
          mode: OVERWRITE | TRANS_C,
        },
        { rows: i0, unit: 'flops', work: ib * i0 * K, split: (t) => alignedBounds(i0, t, () => 1, 4) },
      );
    }
    run.runRows(
      'gemmNtF64',
      { A: Up, lda: K, B: Up, ldb: K, C: at(A, n, i0, i0), ldc: n, N: ib, K, alpha: 1, mode: LOWER | OVERWRITE },
      { ...rows, work: (ib * ib * K) / 2 },
    );
  }
}

/** A = L·Lᵀ factored and W = L⁻¹ formed, in place, W ending as Wᵀ in the strict upper triangle, diagonal in D. */
async function factorInverse(
  backend: Backend,
  A: HeapArray<'f64'>,
  n: number,
  D: F64,
  pause: Checkpoint,
): Promise<void> {
  const run = backend.kernels;
  const scope = backend.heap.scope();
  try {
    const T = scope.allocArray('f64', BLOCK * BLOCK);
    const panel = scope.allocArray('f64', BLOCK * n);
    await potrf(run, A, n, pause);
    await trtri(run, A, n, T, panel, pause);
    moveUp(run, A, n, D);
  } finally {
    scope.free();
  }
}

/**
 * For the n × n f64 matrix A (symmetric positive definite; only its lower triangle is read): W = L⁻¹ of
 * its Cholesky factor L, as Wᵀ in the strict upper triangle with the diagonal of W in D (n f64) — the
 * rows of Wᵀ are W's columns. Throws a ModelFitError when A is not positive definite.
 */
export async function inverseCholeskyFactor(
  backend: Backend,
  A: HeapArray<'f64'>,
  n: number,
  D: HeapArray<'f64'>,
  pause: Checkpoint = noPause,
): Promise<void> {
  if (A.length < n * n || D.length < n) throw new RangeError(`inverseCholeskyFactor: arrays too short for n = ${n}`);
  if (n > 0) await factorInverse(backend, A, n, D, pause);
}

/**
 * Replace the lower triangle of the n × n f64 matrix `A` (symmetric positive definite; only its lower
 * triangle is read) by the lower triangle of its inverse. Throws a ModelFitError when A is not positive
 * definite.
 */
export async function invertSpd(
  backend: Backend,
  A: HeapArray<'f64'>,
  n: number,
  pause: Checkpoint = noPause,
): Promise<void> {
  if (A.length < n * n)
    throw new RangeError(`invertSpd: the array holds ${A.length} entries, ${n}×${n} needs ${n * n}`);
  if (n === 0) return;
  const scope = backend.heap.scope();
  try {
    const D = scope.allocArray('f64', n);
    const panel = scope.allocArray('f64', BLOCK * n);
    await factorInverse(backend, A, n, D, pause);
    await lauum(backend.kernels, A, n, D, panel, pause);
  } finally {
    scope.free();
  }
}
