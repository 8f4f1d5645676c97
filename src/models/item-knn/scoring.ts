/**
 * ItemKNN's scores: r_u·S for a batch of users' rows (knnScoreTopk: sparse accumulation over the rows'
 * neighbours, the k best per user in f64), users split over the worker pool. Each user's result is
 * computed alone, so it depends neither on the batch nor on the thread count.
 * @module
 */
import type { Backend } from '../../runtime/backend.js';
import type { HeapScope } from '../../runtime/heap.js';
import { scoreSplit, type RowsCall } from '../common/item-scoring.js';
import type { KnnSimilarity } from './similarity.js';

/**
 * Run knnScoreTopk for `call`'s rows against S. `allItems`: every item is a candidate, unreached ones
 * scoring 0 (what the model serves); else only the items the rows reach (what implicit returns).
 */
export function knnScoreRows(
  backend: Backend,
  S: KnnSimilarity,
  call: RowsCall,
  scope: HeapScope,
  allItems: boolean,
): void {
  const n = S.items;
  const scratch = scope.allocArray('u8', backend.kernels.scratchFor('knnScoreTopk', { nItems: n, k: call.k }));
  // Work: each stored entry of a row reaches its item's neighbours (about nnz(S)/n of them).
  let entries = 0;
  for (const c of call.rowNnz) entries += c;
  const work = entries * (S.nnz / Math.max(1, n)) + call.nRows * call.k;
  const { rowNnz: _, nRows, ...args } = call;
  backend.kernels.runRows(
    'knnScoreTopk',
    { ...args, sIndptr: S.indptr, sIndices: S.indices, sData: S.data, nItems: n, allItems: allItems ? 1 : 0, scratch },
    { rows: nRows, work, unit: 'nnz', split: scoreSplit(nRows) },
  );
}
