// Pure-JS twin of assembly/lanczos.ts (kernels specific to this algorithm). Empty until that work lands.
import type { HeapViews } from '../runtime/heap.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LanczosKernels {}

export function lanczosKernels(h: HeapViews): LanczosKernels {
  void h;
  return {};
}
