// Pure-JS twin of assembly/vector.ts. Placeholder until the kernels work fills it in.
import type { HeapViews } from '../runtime/heap.js';
import type { VectorKernels } from './types.js';

export function vectorKernels(h: HeapViews): VectorKernels {
  void h;
  return {} as never; // placeholder
}
