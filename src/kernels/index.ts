/**
 * The pure-JS backend: every kernel's twin, over the same heap layout as the WASM module. The WASM
 * exports satisfy the same `Kernels` type.
 */
import type { HeapViews } from '../runtime/heap.js';
import type { RuntimeKernels } from './types.js';
import { vectorKernels } from './vector.js';
import { csrKernels } from './csr.js';
import { denseKernels } from './dense.js';
import { choleskyKernels } from './cholesky.js';
import { topkKernels } from './topk.js';
import { lanczosKernels } from './lanczos.js';
import { bidiagKernels } from './bidiag.js';
import { alsKernels } from './als.js';
import { scoringKernels } from './scoring.js';

export function jsKernels(h: HeapViews) {
  const runtime: RuntimeKernels = { heapBase: () => 1024 };
  return {
    ...runtime,
    ...vectorKernels(h),
    ...csrKernels(h),
    ...denseKernels(h),
    ...choleskyKernels(h),
    ...topkKernels(h),
    ...lanczosKernels(h),
    ...bidiagKernels(h),
    ...alsKernels(h),
    ...scoringKernels(h),
  };
}

/** Every kernel, as implemented by both backends. */
export type Kernels = ReturnType<typeof jsKernels>;
export type * from './types.js';
