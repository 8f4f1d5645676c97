/**
 * The pure-JS backend: every kernel's twin, over the same heap layout as the WASM module. The table is
 * typed by the declarations (src/kernels/declarations.ts) and checked against them like the WASM exports.
 */
import type { TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';
import { vectorKernels } from './vector.js';
import { csrKernels } from './csr.js';
import { csrSortKernels } from './csr-sort.js';
import { lanczosKernels } from './lanczos.js';
import { bidiagKernels } from './bidiag.js';
import { alsKernels } from './als.js';
import { alsEigKernels } from './als-eig.js';
import { alsSubspaceKernels } from './als-subspace.js';
import { scoringKernels } from './scoring.js';
import { bprKernels, bprSortKernels } from './bpr.js';
import { lmfKernels } from './lmf.js';

export function jsKernels(h: HeapViews): TwinKernels {
  return {
    heapBase: () => 1024,
    ...vectorKernels(h),
    ...csrKernels(h),
    ...csrSortKernels(h),
    ...lanczosKernels(h),
    ...bidiagKernels(h),
    ...alsKernels(h),
    ...alsEigKernels(h),
    ...alsSubspaceKernels(h),
    ...scoringKernels(h),
    ...bprKernels(h),
    ...bprSortKernels(h),
    ...lmfKernels(h),
  };
}
