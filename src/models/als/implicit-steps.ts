/**
 * ImplicitALS's kernel calls for one set of options and one confidence weighting: a half-iteration
 * (exact Cholesky, conjugate-gradient or subspace rows), the exact solve that fold-in and partial fits use,
 * one fit's solver state (FitSolver), the per-row λ of frequency scaling, and the full training objective.
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';
import { heapTranspose, type HeapTranspose } from '../../data/csr-heap.js';
import { rnd4 } from '../../kernels/declarations.js';
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import type { Weighting } from '../common/confidence.js';
import { EigenBasis, eigenCost, generalCost, NO_EIGEN, type EigenArgs } from './eig.js';
import { mapConfidence, type FitConfidence } from './fit-confidence.js';
import type { FittedImplicitALSOptions } from './options.js';
import { csrArgs, heapRows, type HeapRows, type Workspace } from './solve.js';
import { subspaceHalfStep } from './subspace.js';
import { regRowsOnHeap, rowPenalty, rowRegularization, type RegRows } from './weights.js';

/** Per-row λ_u of the rows of `m` on the heap (none with plain λ, which is on the Gram matrix). */
export function regRowsOn(o: FittedImplicitALSOptions, backend: Backend, m: SparseMatrix, w: Weighting): RegRows {
  const { regularization: lambda, frequencyScaling: nu } = o;
  return regRowsOnHeap(backend.heap, nu > 0 ? rowRegularization(m, w, lambda, nu) : undefined);
}

/** The confidence arguments every implicit kernel takes. */
function confidenceArgs(
  o: FittedImplicitALSOptions,
  w: Weighting,
): { k: number; alpha: number; eps: number; logConf: number } {
  return { k: o.factors, alpha: w.alpha, eps: w.epsilon, logConf: w.log ? 1 : 0 };
}

/**
 * Exact solve of every row of `m` into `out` given `fixed` (ws holds G = fixedᵀfixed + λ_G·I); returns the
 * kernel code.
 */
export function solveExact(
  o: FittedImplicitALSOptions,
  m: HeapRows,
  fixed: HeapArray<'f32'>,
  out: HeapArray<'f32'>,
  ws: Workspace,
  rows: number,
  w: Weighting,
  regRows: HeapArray<'f32'> | undefined,
  eig: EigenArgs = NO_EIGEN,
): number {
  const args = {
    ...csrArgs(m.csr),
    Y: fixed,
    G64: ws.G64,
    G32: ws.G32,
    X: out,
    ...confidenceArgs(o, w),
    regRows,
    ...eig,
  };
  const k = o.factors;
  const cost = (n: number) => (n <= eig.eigMax ? eigenCost(n, k) : generalCost(n, k));
  return ws.solveRows('alsImplicitCholesky', args, m, rows, k, cost);
}

/** One half-iteration: solve every row of `m` (rows × fixed-count) into `out` given `fixed`. */
export function halfStep(
  o: FittedImplicitALSOptions,
  m: HeapRows,
  fixed: HeapArray<'f32'>,
  out: HeapArray<'f32'>,
  ws: Workspace,
  rows: number,
  w: Weighting,
  regRows: HeapArray<'f32'> | undefined,
  eig?: EigenArgs,
): number {
  if (o.solver === 'cholesky') return solveExact(o, m, fixed, out, ws, rows, w, regRows, eig);
  const args = { ...csrArgs(m.csr), Y: fixed, G32: ws.G32, X: out, ...confidenceArgs(o, w), regRows };
  if (o.solver === 'ials++') return subspaceHalfStep(ws, m, args, rows, o.blockSize);
  return ws.solveRows('alsImplicitCg', { ...args, steps: o.cgSteps }, m, rows, o.factors);
}

/**
 * One fit's solver state: the matrix (moved into the heap: its one copy from now on) and its transpose,
 * built there for this fit only; the confidence mapped once per fit (fit-confidence.ts: with 'log', no
 * logarithm per read); G's eigenbasis for the exact solver's short rows (eig.ts); and the Gram's precision —
 * the solvers other than the exact one read only G32, which the f32 Gram gives at twice the speed.
 */
export class FitSolver {
  /** The user rows and item rows as the kernels read them (values mapped), and their weighting. */
  readonly users: HeapRows;
  readonly items: HeapRows;
  readonly weighting: Weighting;
  /** The user × item rows and their transpose as stored (for naming a failing row). */
  readonly userRows: HeapRows;
  readonly itemRows: HeapTranspose;
  readonly gram32: boolean;
  private readonly conf: FitConfidence;
  private readonly eigen: EigenBasis | undefined;

  constructor(
    private readonly o: FittedImplicitALSOptions,
    backend: Backend,
    Cui: SparseMatrix,
    w: Weighting,
  ) {
    const [nU, nI] = Cui.shape;
    this.userRows = heapRows(backend, Cui, true);
    this.itemRows = heapTranspose(backend, this.userRows.csr, nU, nI);
    try {
      this.conf = mapConfidence(backend.heap, this.userRows, this.itemRows, w);
    } catch (e) {
      this.itemRows.free();
      throw e;
    }
    ({ users: this.users, items: this.items, weighting: this.weighting } = this.conf);
    this.eigen = o.solver === 'cholesky' ? new EigenBasis(backend, o.factors) : undefined;
    this.gram32 = o.solver !== 'cholesky';
  }

  /** Solve the rows of `m` (this.users or this.items) into `out` against `fixed` (nFixed rows; G in ws). */
  half(
    m: HeapRows,
    fixed: HeapArray<'f32'>,
    nFixed: number,
    out: HeapArray<'f32'>,
    ws: Workspace,
    regRows: HeapArray<'f32'> | undefined,
  ): number {
    const eig = this.eigen?.prepare(ws, fixed, nFixed, m);
    return halfStep(this.o, m, fixed, out, ws, m.rows, this.weighting, regRows, eig);
  }

  free(): void {
    this.eigen?.free();
    this.conf.free();
    this.itemRows.free();
  }
}

/**
 * The full objective, with ws holding G = YᵀY + λ_G·I of the current Y; with frequency scaling, the
 * users' per-row λ on the heap and the items' as values.
 */
export function lossWith(
  o: FittedImplicitALSOptions,
  backend: Backend,
  Cui: HeapRows,
  X: HeapArray<'f32'>,
  Y: HeapArray<'f32'>,
  ws: Workspace,
  w: Weighting,
  regUsers: HeapArray<'f32'> | undefined,
  regItems: Float32Array | undefined,
): number {
  const k = o.factors;
  const args = {
    ...csrArgs(Cui.csr),
    X,
    Y,
    G64: ws.G64,
    r0: 0,
    r1: Cui.rows,
    ...confidenceArgs(o, w),
    scratch: ws.scratch,
    regRows: regUsers,
  };
  const rows = backend.kernels.call('alsImplicitLoss', args);
  if (regItems) return rows + rowPenalty(Y.view, k, regItems);
  // λ‖Y‖² = λ·trace(YᵀY) = λ·(trace(G) − kλ).
  const g = ws.G64.view;
  const kp = rnd4(k);
  let trace = 0;
  for (let a = 0; a < k; a++) trace += g[a * kp + a] - o.regularization;
  return rows + o.regularization * trace;
}
