/**
 * EASE's scores: x_u·B for a batch of users' rows (easeScoreTopk: the rows of B a user's items select,
 * summed in f32 SIMD lanes, then a top-k), users split over the worker pool. Each user's result is
 * computed alone, so it depends neither on the batch nor on the thread count.
 * @module
 */
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray, HeapScope } from '../../runtime/heap.js';
import { scoreSplit, type RowsCall } from '../common/item-scoring.js';

/**
 * Run easeScoreTopk for `call`'s rows against B (n × n f32). `colMap`: B's row of each item (−1: not
 * fitted), when B covers only some items.
 */
export function easeScoreRows(
  backend: Backend,
  B: HeapArray<'f32'>,
  n: number,
  colMap: HeapArray<'i32'> | undefined,
  call: RowsCall,
  scope: HeapScope,
): void {
  const scratch = scope.allocArray('u8', backend.kernels.scratchFor('easeScoreTopk', { n }));
  // Work: a row of B per stored entry, plus the top-k pass over n scores.
  let entries = 0;
  for (const c of call.rowNnz) entries += c;
  const work = (entries + call.nRows) * n;
  const { rowNnz: _, nRows, ...args } = call;
  backend.kernels.runRows(
    'easeScoreTopk',
    { ...args, B, n, colMap, scratch },
    { rows: nRows, work, unit: 'nnz', split: scoreSplit(nRows) },
  );
}
