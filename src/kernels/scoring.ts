// Pure-JS twin of assembly/scoring.ts (kernels specific to this algorithm). Empty until that work lands.
import type { HeapViews } from '../runtime/heap.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ScoringKernels {}

export function scoringKernels(h: HeapViews): ScoringKernels {
  void h;
  return {};
}
