// ItemKNN's similarity, EASE's fit and both models' batch scoring on 'wasm-threads' (every job split):
// the same bits as the single-threaded 'wasm' backend.
import { afterAll, describe, expect, it } from 'vitest';
import { init, terminate, type Backend } from '../../src/runtime/backend.js';
import { fitSimilarity, freeSimilarity } from '../../src/models/item-knn/similarity.js';
import { fitEase } from '../../src/models/ease/fit.js';
import { easeScore, knnScore } from '../models/item-scoring.js';
import type { SparseMatrix } from '../../src/data/csr.js';
import { forceParallel, restoreThresholds, sameBits, skewedMatrix } from './helpers.js';

afterAll(async () => {
  restoreThresholds();
  await terminate();
});

async function run(b: Backend, X: SparseMatrix) {
  const S = fitSimilarity(b, X, { neighbors: 15, weighting: 'bm25', k1: 1.2, b: 0.75 });
  const knn = knnScore(b, S, X, 10);
  const sim = { indptr: S.indptr.toArray(), indices: S.indices.toArray(), data: S.data.toArray() };
  freeSimilarity(S);
  // 150 items: three Cholesky blocks, with a partial one.
  const fit = await fitEase(b, X, { lambda: 3, path: 'items' });
  const ease = easeScore(b, fit, X, 10);
  const B = fit.B.toArray();
  fit.B.free();
  // Through the users (Woodbury): 100 users for 150 items.
  const fitU = await fitEase(b, X.sliceRows(0, 100), { lambda: 3, path: 'users' });
  const BU = fitU.B.toArray();
  fitU.B.free();
  return { sim, knn, B, BU, ease };
}

describe('item–item models on threads', () => {
  it('give the bits of one thread', async () => {
    const X = skewedMatrix(11, 300, 150);
    const one = await run(await init({ backend: 'wasm' }), X);
    forceParallel();
    const two = await run(await init({ threads: 2 }), X);
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
