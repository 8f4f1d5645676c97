// Pure-JS twin of assembly/als.ts (kernels specific to this algorithm). Empty until that work lands.
import type { HeapViews } from '../runtime/heap.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AlsKernels {}

export function alsKernels(h: HeapViews): AlsKernels {
  void h;
  return {};
}
