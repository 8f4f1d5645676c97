// The evaluation functions against lowrank's real models (synthetic data, both backends): the ranking the
// models produce through recommendBatch (one WASM/JS kernel call per batch) must give the same metrics
// as a brute-force ranking of the same factors.
import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { ImplicitALS } from '../../src/models/als/implicit.js';
import { ALS } from '../../src/models/als/explicit.js';
import { SparseMatrix } from '../../src/data/csr.js';
import {
  crossValidate,
  leaveKOut,
  makeValidator,
  rankingMetrics,
  ratingMetrics,
  trainTestSplit,
} from '../../src/eval/index.js';
import { TableModel } from './fakes.js';

/** Four-cluster planted data: users of cluster c mostly like items of cluster c; ratings 1..5. */
function planted(users: number, items: number, seed: number): SparseMatrix {
  let s = seed;
  const rnd = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const r: number[] = [],
    c: number[] = [],
    v: number[] = [];
  for (let u = 0; u < users; u++)
    for (let i = 0; i < items; i++) {
      const same = u % 4 === i % 4;
      if (rnd() < (same ? 0.5 : 0.03)) {
        r.push(u);
        c.push(i);
        v.push(same ? 4 + Math.round(rnd()) : 1 + Math.round(rnd()));
      }
    }
  return SparseMatrix.fromCOO({ rows: r, cols: c, values: v, shape: [users, items] });
}

function randomModel(users: number, items: number): TableModel {
  let s = 99;
  return new TableModel(
    Array.from({ length: users }, () => Array.from({ length: items }, () => (s = (s * 48271) % 2147483647))),
  );
}

function dotTable(X: Float32Array, Y: Float32Array, users: number, items: number): number[][] {
  const d = X.length / users;
  return Array.from({ length: users }, (_, u) =>
    Array.from({ length: items }, (_, i) => {
      let s = 0;
      for (let f = 0; f < d; f++) s += X[u * d + f] * Y[i * d + f];
      return s;
    }),
  );
}

for (const backend of ['wasm', 'js'] as const) {
  describe(`evaluation with real models (${backend})`, () => {
    const m = planted(80, 60, 7);
    it('ImplicitALS: rankingMetrics through recommendBatch equals a brute-force ranking of its factors', async () => {
      await init({ backend });
      const { train, test } = trainTestSplit(m, { testFraction: 0.25, seed: 1 });
      const model = await new ImplicitALS({ factors: 6, iterations: 6, seed: 3 }).fit(train);
      const oracle = new TableModel(dotTable(model.userFactors, model.itemFactors, 80, 60));
      for (const k of [1, 5, 20]) {
        const a = rankingMetrics(model, train, test, { k, batchSize: 17 });
        const b = rankingMetrics(oracle, train, test, { k });
        for (const key of Object.keys(b) as (keyof typeof b)[]) expect(a[key], `${key}@${k}`).toBeCloseTo(b[key], 9);
      }
      // The planted structure is found: clearly better than a random ranking (within a cluster items are
      // interchangeable, so the ceiling is low: precision@5 ≈ 0.2).
      const r = rankingMetrics(model, train, test, { k: 5 });
      const chance = rankingMetrics(randomModel(80, 60), train, test, { k: 5 });
      expect(r.precision).toBeGreaterThan(1.5 * chance.precision);
      expect(r.ndcg).toBeGreaterThan(1.5 * chance.ndcg);
      expect(r.auc).toBeGreaterThan(chance.auc);
      const v = makeValidator({ data: test, metric: 'precision@5' }, train)(model);
      expect(v).toEqual({ metric: 'precision@5', value: r.precision, higherIsBetter: true });
      model.dispose();
    });
    it('ALS: rmse/mae from predict, with the unseen report; leave-one-out ranking runs', async () => {
      await init({ backend });
      const { train, test } = trainTestSplit(m, { testFraction: 0.2, seed: 2 });
      const model = await new ALS({ factors: 8, iterations: 10, regularization: 0.1, biases: false, seed: 1 }).fit(
        train,
      );
      const r = ratingMetrics(model, test, { train });
      const users = new Int32Array(test.nnz);
      for (let u = 0; u < test.rows; u++) users.fill(u, test.indptr[u], test.indptr[u + 1]);
      const pred = model.predict(users, test.indices);
      let se = 0;
      for (let p = 0; p < test.nnz; p++) se += (test.data[p] - pred[p]) ** 2;
      expect(r.rmse).toBeCloseTo(Math.sqrt(se / test.nnz), 6);
      expect(ratingMetrics(pred, test).rmse).toBeCloseTo(r.rmse, 12);
      // Better than predicting the train mean for everything.
      let mu = 0;
      for (const x of train.data) mu += x;
      mu /= train.nnz;
      expect(r.rmse).toBeLessThan(ratingMetrics(new Float32Array(test.nnz).fill(mu), test).rmse);
      const loo = leaveKOut(m, { k: 1, seed: 0 });
      const m2 = await new ALS({ factors: 4, iterations: 4, seed: 1 }).fit(loo.train);
      expect(rankingMetrics(m2, loo.train, loo.test, { k: 10 }).users).toBe(loo.test.nnz);
      model.dispose();
      m2.dispose();
    });
    it('crossValidate with an ImplicitALS factory', async () => {
      await init({ backend });
      const cv = await crossValidate((train) => new ImplicitALS({ factors: 4, iterations: 3, seed: 1 }).fit(train), m, {
        folds: 3,
        metrics: ['ndcg@5', 'auc@5'],
        seed: 1,
      });
      expect(cv.folds).toHaveLength(3);
      const chance = await crossValidate(() => randomModel(80, 60), m, { folds: 3, metrics: ['ndcg@5'], seed: 1 });
      expect(cv.mean['ndcg@5']).toBeGreaterThan(1.5 * chance.mean['ndcg@5']);
      expect(cv.std['ndcg@5']).toBeLessThan(cv.mean['ndcg@5'] / 2);
    });
  });
}
