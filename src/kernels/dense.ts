// Pure-JS twin of assembly/dense.ts. Placeholder until the kernels work fills it in.
import type { HeapViews } from '../runtime/heap.js';
import type { DenseKernels } from './types.js';

export function denseKernels(h: HeapViews): DenseKernels {
  void h;
  return {} as never; // placeholder
}
