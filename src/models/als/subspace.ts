/**
 * The subspace solver of ImplicitALS (`solver: 'ials++'`, after Rendle, Krichene, Zhang & Koren 2021):
 * one sweep of block coordinate descent per row and half-step, blocks of `blockSize` factors, the
 * predictions on the observed pairs kept current between blocks (assembly/als-subspace.ts). Per row it
 * costs about k² + n·k·b/2 — against k³/3 + n·k²/2 for the exact solve and 4·k² + 8·n·k for 3 CG steps —
 * so at large factor counts an iteration is several times cheaper, at a convergence per iteration close to
 * the exact solver's.
 * @module
 */
import type { KernelArgs } from '../../kernels/declarations.js';
import type { HeapRows, Workspace } from './solve.js';

/** The block size `blockSize: 0` (the default) picks for k factors. */
export function defaultBlock(k: number): number {
  return Math.min(k, 32);
}

/** Relative cost of a row with n entries (for splitting rows over threads). */
export const subspaceCost = (n: number, k: number, b: number): number => k * k + (n * k * b) / 2 + n * k + 1;

type Args = Omit<KernelArgs<'alsImplicitSubspace'>, 'r0' | 'r1' | 'scratch' | 'block' | 'batchNnz'>;

/** One half-step of the subspace solver over rows [0, rows) of `m`; returns the kernel's code. */
export function subspaceHalfStep(ws: Workspace, m: HeapRows, args: Args, rows: number, blockSize: number): number {
  const k = args.k;
  const b = blockSize > 0 ? Math.min(blockSize, k) : defaultBlock(k);
  // Batches hold up to 4 of the longest rows' entries (the scratch every layout reserves).
  const batchNnz = 4 * Math.max(1, ws.rowCapacity);
  return ws.solveRows('alsImplicitSubspace', { ...args, block: b, batchNnz }, m, rows, k, (n) => subspaceCost(n, k, b));
}
