/**
 * The eigenbasis path of the exact implicit solver: once per half-step, when the rows it would serve save
 * more than it costs, G = V·Λ·Vᵀ (symEigF64) and the fixed side's rows projected into it (alsEigProject);
 * alsImplicitCholesky then solves each row with at most `eigMax` entries in O(k² + n²·k) instead of
 * O(n·k² + k³) — with frequency-scaled (per-row) λ as with plain λ (assembly/eigsolve.ts).
 * @module
 */
import { OutOfMemoryError } from '../../errors.js';
import type { Backend } from '../../runtime/backend.js';
import { rnd4 } from '../../kernels/declarations.js';
import type { HeapArray } from '../../runtime/heap.js';
import { uniformBounds } from '../../runtime/parallel.js';
import type { HeapRows, Workspace } from './solve.js';

/** The eigenbasis arguments of alsImplicitCholesky (none: the path is off). */
export interface EigenArgs {
  V?: HeapArray<'f64'>;
  lam?: HeapArray<'f64'>;
  Ye?: HeapArray<'f64'>;
  eigMax: number;
}

export const NO_EIGEN: EigenArgs = { eigMax: 0 };

/** Most entries a row may have to take the path (its n×n Woodbury system lives in each thread's scratch). */
const EIG_MAX_CAP = 256;

/**
 * Cost models of one row with n entries, in SIMD operations: the general path — f32 rank-n update (n·k²/2
 * over 4 lanes), f32 Cholesky (k³/3 over 4 lanes), the f64 refinement — and the eigenbasis path — x = V·z
 * (k² over 2 lanes), M (n²·k/2 over 2 lanes), its Cholesky (n³/6), the rest — counted twice: the cutoff
 * it gives was the fastest in a same-run sweep of the factor (0.5: 1.15–1.24× slower, 2: 0.96–0.98×, 3 and
 * 5: within ±5 %; factors 64 on the five sets of bench/lib/sets.mjs).
 */
export const generalCost = (n: number, k: number): number => (n * k * k) / 8 + (k * k * k) / 12 + n * k + k * k;
export const eigenCost = (n: number, k: number): number =>
  2 * ((k * k) / 2 + (n * n * k) / 4 + n * k + (n * n * n) / 6);

/** The largest row length for which the eigenbasis path is the cheaper one (0: none). */
export function eigenCutoff(k: number): number {
  let n = 0;
  while (n < EIG_MAX_CAP && eigenCost(n + 1, k) < generalCost(n + 1, k)) n++;
  return n;
}

/** The heap blocks of the path. */
interface Blocks {
  A: HeapArray<'f64'>;
  V: HeapArray<'f64'>;
  lam: HeapArray<'f64'>;
  work: HeapArray<'f64'>;
  Ye: HeapArray<'f64'>;
}

/** G's eigenbasis for one fit: heap blocks sized for k and the larger side, reused every half-step. */
export class EigenBasis {
  private A: HeapArray<'f64'> | undefined;
  private V: HeapArray<'f64'> | undefined;
  private lam: HeapArray<'f64'> | undefined;
  private work: HeapArray<'f64'> | undefined;
  private Ye: HeapArray<'f64'> | undefined;
  private readonly kp: number;
  /** The row-length cutoff for this k. */
  readonly cutoff: number;
  private failed = false;

  constructor(
    private readonly backend: Backend,
    private readonly k: number,
  ) {
    this.kp = rnd4(k);
    this.cutoff = eigenCutoff(k);
  }

  /**
   * The arguments for solving the rows of `m` against `fixed` (nFixed × k, f32), G in `ws`: the path when
   * it pays (and the heap has room), else NO_EIGEN. Grows the workspace's scratch for the path's rows.
   */
  prepare(ws: Workspace, fixed: HeapArray<'f32'>, nFixed: number, m: HeapRows): EigenArgs {
    const { k, cutoff } = this;
    if (cutoff === 0 || this.failed) return NO_EIGEN;
    const ip = m.indptr;
    let saved = 0;
    let longest = 0;
    for (let r = 0; r < m.rows; r++) {
      const n = ip[r + 1] - ip[r];
      if (n === 0 || n > cutoff) continue;
      saved += generalCost(n, k) - eigenCost(n, k);
      if (n > longest) longest = n;
    }
    // The decomposition (≈ 4·k³ operations, one thread) and the projection (nFixed·k²/2).
    if (saved < 1.2 * (4 * k * k * k + (nFixed * k * k) / 2)) return NO_EIGEN;
    let blocks: Blocks;
    try {
      blocks = this.ensure(nFixed);
      ws.reserveEigen(longest);
    } catch (e) {
      if (!(e instanceof OutOfMemoryError)) throw e;
      this.failed = true; // no room for the projected rows: the general path for this fit
      return NO_EIGEN;
    }
    const { A, V, lam, work, Ye } = blocks;
    A.view.set(ws.G64.view);
    const kern = this.backend.kernels;
    if (kern.call('symEigF64', { A, V, w: lam, k, scratch: work }) !== 1) return NO_EIGEN;
    kern.runRows(
      'alsEigProject',
      { Y: fixed, V, Ye, k },
      {
        rows: nFixed,
        work: (nFixed * k * k) / 2,
        unit: 'flops',
        split: (t) => uniformBounds(nFixed, Math.max(64, Math.ceil(nFixed / (8 * t)))),
      },
    );
    return { V, lam, Ye, eigMax: longest };
  }

  private ensure(nFixed: number): Blocks {
    const heap = this.backend.heap;
    const kp = this.kp;
    this.A ??= heap.allocArray('f64', kp * kp);
    this.V ??= heap.allocArray('f64', kp * kp);
    this.lam ??= heap.allocArray('f64', kp);
    this.work ??= heap.allocArray('f64', kp * kp + 4 * kp);
    if (!this.Ye || this.Ye.length < nFixed * kp) {
      this.Ye?.free();
      this.Ye = undefined;
      this.Ye = heap.allocArray('f64', nFixed * kp);
    }
    return { A: this.A, V: this.V, lam: this.lam, work: this.work, Ye: this.Ye };
  }

  free(): void {
    for (const a of [this.A, this.V, this.lam, this.work, this.Ye]) a?.free();
    this.A = this.V = this.lam = this.work = this.Ye = undefined;
  }
}
