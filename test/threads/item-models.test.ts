// ItemKNN's similarity, EASE's fit and both models' batch scoring on 'wasm-threads' (every job split):
// the same bits as the single-threaded 'wasm' backend.
import { afterAll, describe, expect, it } from 'vitest';
import { init, terminate, type Backend } from '../../src/runtime/backend.js';
import { fitSimilarity, freeSimilarity } from '../../src/models/item-knn/similarity.js';
import { fitEase } from '../../src/models/ease/fit.js';
import { easeScore, knnScore } from '../../src/models/item-scoring.js';
import type { SparseMatrix } from '../../src/data/csr.js';
import { forceParallel, restoreThresholds, sameBits, skewedMatrix } from './helpers.js';

afterAll(async () => {
  restoreThresholds();
  await terminate();
});

function run(b: Backend, X: SparseMatrix) {
  const rows = { indptr: b.heap.copyIn(X.indptr), indices: b.heap.copyIn(X.indices), data: b.heap.copyIn(X.data) };
  const job = { users: undefined, nRows: X.rows, k: 10, excIndptr: X.indptr, excIdx: X.indices };
  const S = fitSimilarity(b, X, { neighbors: 15, weighting: 'bm25', k1: 1.2, b: 0.75 });
  const knn = knnScore(b, S, rows, job);
  const sim = { indptr: S.indptr.toArray(), indices: S.indices.toArray(), data: S.data.toArray() };
  freeSimilarity(S);
  // 150 items: three Cholesky blocks, with a partial one.
  const fit = fitEase(b, X, { lambda: 3, path: 'items' });
  const ease = easeScore(b, fit, rows, job);
  const B = fit.B.toArray();
  fit.B.free();
  // Through the users (Woodbury): 100 users for 150 items.
  const fitU = fitEase(b, X.sliceRows(0, 100), { lambda: 3, path: 'users' });
  const BU = fitU.B.toArray();
  fitU.B.free();
  for (const a of Object.values(rows)) a.free();
  return { sim, knn, B, BU, ease };
}

describe('item–item models on threads', () => {
  it('give the bits of one thread', async () => {
    const X = skewedMatrix(11, 300, 150);
    const one = run(await init({ backend: 'wasm' }), X);
    forceParallel();
    const two = run(await init({ threads: 2 }), X);
    restoreThresholds();
    expect(Array.from(two.sim.indices)).toEqual(Array.from(one.sim.indices));
    expect(sameBits(two.sim.data, one.sim.data)).toBe(true);
    expect(sameBits(two.B, one.B)).toBe(true);
    expect(sameBits(two.BU, one.BU)).toBe(true);
    for (const r of ['knn', 'ease'] as const) {
      expect(Array.from(two[r].items), r).toEqual(Array.from(one[r].items));
      expect(sameBits(two[r].scores, one[r].scores), r).toBe(true);
    }
  });
});
