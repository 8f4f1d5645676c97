// The item–item models' batch scoring as the model classes run it (scoreRows over a ScoreRequest), for
// tests that score many users of a matrix with their own items left out.
import type { SparseMatrix } from '../../src/data/csr.js';
import type { Backend } from '../../src/runtime/backend.js';
import type { ScoreRequest } from '../../src/recommend/requests.js';
import type { BatchRecommendation } from '../../src/recommend/types.js';
import { scoreRows } from '../../src/models/common/item-scoring.js';
import { knnScoreRows } from '../../src/models/item-knn/scoring.js';
import { easeScoreRows } from '../../src/models/ease/scoring.js';
import type { KnnSimilarity } from '../../src/models/item-knn/similarity.js';
import type { EaseFit } from '../../src/models/ease/fit.js';

/** A request scoring `users` (default every row) of X from their rows, each leaving out its own items. */
export function rowsRequest(X: SparseMatrix, k: number, users?: Int32Array): ScoreRequest {
  const us = users ?? Int32Array.from({ length: X.rows }, (_, i) => i);
  const excludeIndptr = new Int32Array(us.length + 1);
  const exc: number[] = [];
  us.forEach((u, r) => {
    exc.push(...X.row(u).indices);
    excludeIndptr[r + 1] = exc.length;
  });
  return {
    where: 'test',
    users: us,
    userItems: (r) => X.row(us[r]),
    recalculate: false,
    candidates: undefined,
    cols: X.cols,
    k,
    excludeIndptr,
    excludeIndices: Int32Array.from(exc),
    excludeAll: new Int32Array(0),
  };
}

/** ItemKNN's r_u·S, the k best per user; `allItems`: unreached items are candidates scoring 0. */
export function knnScore(
  b: Backend,
  S: KnnSimilarity,
  X: SparseMatrix,
  k: number,
  users?: Int32Array,
  allItems = false,
): BatchRecommendation {
  return scoreRows(b, rowsRequest(X, k, users), { size: S.items }, (call, scope) =>
    knnScoreRows(b, S, call, scope, allItems),
  );
}

/** EASE's x_u·B (B over every item), the k best per user. */
export function easeScore(
  b: Backend,
  fit: EaseFit,
  X: SparseMatrix,
  k: number,
  users?: Int32Array,
): BatchRecommendation {
  return scoreRows(b, rowsRequest(X, k, users), { size: fit.n }, (call, scope) =>
    easeScoreRows(b, fit.B, fit.n, undefined, call, scope),
  );
}
