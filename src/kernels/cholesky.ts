// Pure-JS twin of assembly/cholesky.ts. Placeholder until the kernels work fills it in.
import type { HeapViews } from '../runtime/heap.js';
import type { CholeskyKernels } from './types.js';

export function choleskyKernels(h: HeapViews): CholeskyKernels {
  void h;
  return {} as never; // placeholder
}
