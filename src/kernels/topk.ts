// Pure-JS twin of assembly/topk.ts. Placeholder until the kernels work fills it in.
import type { HeapViews } from '../runtime/heap.js';
import type { TopkKernels } from './types.js';

export function topkKernels(h: HeapViews): TopkKernels {
  void h;
  return {} as never; // placeholder
}
