/**
 * ImplicitALS's kernel calls for one set of options and one confidence weighting: a half-iteration
 * (exact Cholesky or conjugate-gradient rows), the exact solve that fold-in and partial fits use, the
 * per-row λ of frequency scaling, and the full training objective.
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';
import { rnd4 } from '../../kernels/declarations.js';
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import type { Weighting } from '../common/confidence.js';
import type { FittedImplicitALSOptions } from './options.js';
import { csrArgs, type HeapRows, type Workspace } from './solve.js';
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
): number {
  const args = {
    ...csrArgs(m.csr),
    Y: fixed,
    G64: ws.G64,
    G32: ws.G32,
    X: out,
    ...confidenceArgs(o, w),
    regRows,
  };
  return ws.solveRows('alsImplicitCholesky', args, m, rows, o.factors);
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
): number {
  if (o.solver === 'cholesky') return solveExact(o, m, fixed, out, ws, rows, w, regRows);
  const args = {
    ...csrArgs(m.csr),
    Y: fixed,
    G32: ws.G32,
    X: out,
    ...confidenceArgs(o, w),
    steps: o.cgSteps,
    regRows,
  };
  return ws.solveRows('alsImplicitCg', args, m, rows, o.factors);
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
