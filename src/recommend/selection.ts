/**
 * Top-k selection over scores a model computed itself (an item–item model's r_u·S in JS, say): the request's
 * exclusions and NaN scores dropped, the k best columns of each row kept — score descending, column
 * ascending on ties — and padded with column -1 / score -Infinity, exactly as the fused factor kernel does
 * (it is the same selection: the kernels' top-k helper).
 * @module
 */
import { topk } from '../kernels/topk.js';
import type { BatchRecommendation } from './types.js';

/** What selection reads of a ScoreRequest or SimilarRequest. */
export interface Selection {
  readonly cols: number;
  readonly k: number;
  /** Per-row excluded columns, CSR over the rows (ScoreRequest only). */
  readonly excludeIndptr?: Int32Array;
  readonly excludeIndices?: Int32Array;
  readonly excludeAll: Int32Array;
}

/**
 * The k best columns of each of the `rows` rows of `scores` (rows × request.cols, row-major; not modified),
 * in the shape `scoreTopK` returns.
 */
export function selectTopK(scores: Float32Array, rows: number, request: Selection): BatchRecommendation {
  const { cols, k } = request;
  const items = new Int32Array(rows * k);
  const out = new Float32Array(rows * k);
  const counts = new Int32Array(rows);
  // topk reads the scores and writes the kept ones into the same array: one buffer, the row then k slots.
  const work = new Float32Array(cols + k);
  for (let r = 0; r < rows; r++) {
    work.set(scores.subarray(r * cols, (r + 1) * cols));
    if (request.excludeIndptr && request.excludeIndices) {
      for (let p = request.excludeIndptr[r]; p < request.excludeIndptr[r + 1]; p++)
        work[request.excludeIndices[p]] = NaN;
    }
    for (const c of request.excludeAll) work[c] = NaN;
    const idx = items.subarray(r * k, (r + 1) * k);
    const n = topk(work, idx, 0, cols, k, 0, cols);
    out.set(work.subarray(cols, cols + k), r * k);
    for (let j = n; j < k; j++) {
      idx[j] = -1;
      out[r * k + j] = -Infinity;
    }
    counts[r] = n;
  }
  return { items, scores: out, n: k, counts };
}
