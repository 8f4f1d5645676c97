// Pure-JS twin of assembly/csr.ts. Placeholder until the kernels work fills it in.
import type { HeapViews } from '../runtime/heap.js';
import type { CsrKernels } from './types.js';

export function csrKernels(h: HeapViews): CsrKernels {
  void h;
  return {} as never; // placeholder
}
