// Quality on the shared public datasets (skipped when ../shared/data is absent): ML-100k test RMSE for
// ALS and Last.fm-2k precision@10 for ImplicitALS, with small local metric implementations.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { ALS, ImplicitALS } from '../../src/als/index.js';
import { LASTFM, ML, parse, precisionAtK, split } from './datasets.js';

describe.skipIf(!existsSync(ML))('ALS on MovieLens 100k', () => {
  it('test RMSE ≤ 0.91 on an 80/20 random split (defaults: 50 factors, λ 0.1, ALS-WR, biases)', async () => {
    await init({ backend: 'wasm' });
    const [train, test] = split(parse(ML, false), 42);
    const model = await new ALS({ seed: 1 }).fit(train);
    const users = new Int32Array(test.nnz);
    for (let r = 0; r < test.rows; r++) users.fill(r, test.indptr[r], test.indptr[r + 1]);
    const pred = model.predict(users, test.indices);
    let se = 0;
    for (let n = 0; n < test.nnz; n++) se += (pred[n] - test.data[n]) ** 2;
    const rmse = Math.sqrt(se / test.nnz);
    console.log(`ML-100k ALS test RMSE ${rmse.toFixed(4)} (train ${train.nnz}, test ${test.nnz})`);
    expect(rmse).toBeLessThanOrEqual(0.91);
  });
});

describe.skipIf(!existsSync(LASTFM))('ImplicitALS on Last.fm 2k', () => {
  for (const solver of ['cg', 'cholesky'] as const) {
    it(`precision@10 ≥ 0.19 (64 factors, λ 0.01, α 40, 15 iterations, binarised, ${solver})`, async () => {
      await init({ backend: 'wasm' });
      const [train, test] = split(parse(LASTFM, true), 42, 1);
      const model = await new ImplicitALS({ factors: 64, regularization: 0.01, alpha: 40, iterations: 15, seed: 1, solver }).fit(train);
      const p = precisionAtK(model.userFactors, model.itemFactors, 64, train, test, 10);
      console.log(`Last.fm-2k ImplicitALS (${solver}) precision@10 ${p.toFixed(4)}`);
      expect(p).toBeGreaterThanOrEqual(0.19);
    });
  }
});
