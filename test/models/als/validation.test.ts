// fit(train, { validation }): the metric reported per iteration equals the evaluation module's own number
// for the same factors, and early stopping keeps the best evaluation's factors (= a fresh fit stopped there).
import { describe, expect, it } from 'vitest';
import { init } from '../../../src/runtime/backend.js';
import { ImplicitALS, ALS } from '../../../src/models/als/index.js';
import type { IterationInfo } from '../../../src/models/als/index.js';
import { trainTestSplit, rankingMetrics, rmse } from '../../../src/eval/index.js';
import { ValidationError } from '../../../src/errors.js';
import { randomMatrix } from './helpers.js';

for (const name of ['wasm', 'js'] as const) {
  describe(`fit with validation (${name})`, () => {
    const data = randomMatrix(11, 60, 50, 0.15, (r) => 1 + Math.floor(r.next() * 5));
    const { train, test } = trainTestSplit(data, { testFraction: 0.25, seed: 3 });

    it('ImplicitALS reports ndcg@10 every iteration, equal to rankingMetrics on the fitted model', async () => {
      await init({ backend: name });
      const seen: IterationInfo[] = [];
      const model = await new ImplicitALS({ factors: 6, iterations: 4, seed: 2 }).fit(train, {
        validation: { data: test, metric: 'ndcg@10' },
        onIteration: (i) => seen.push(i),
      });
      expect(seen.map((i) => i.validation?.metric)).toEqual(['ndcg@10', 'ndcg@10', 'ndcg@10', 'ndcg@10']);
      expect(seen[3].validation!.value).toBe(rankingMetrics(model, train, test, { k: 10 }).ndcg);
    });

    it('every = 3 evaluates iterations 3 and 6 and always the last', async () => {
      await init({ backend: name });
      const seen: IterationInfo[] = [];
      await new ImplicitALS({ factors: 4, iterations: 7, seed: 2 }).fit(train, {
        validation: { data: test, every: 3 },
        onIteration: (i) => seen.push(i),
      });
      expect(seen.filter((i) => i.validation).map((i) => i.iteration)).toEqual([2, 5, 6]);
    });

    it('with patience, the model keeps the best evaluation’s factors (a fresh fit stopped there)', async () => {
      await init({ backend: name });
      const values: number[] = [];
      const model = await new ALS({ factors: 8, iterations: 12, regularization: 0.01, biases: false, seed: 5 }).fit(
        train,
        {
          validation: { data: test, metric: 'rmse', patience: 1 },
          onIteration: (i) => values.push(i.validation!.value),
        },
      );
      const best = values.indexOf(Math.min(...values));
      expect(values.length).toBeLessThanOrEqual(12);
      if (values.length < 12) expect(values.length).toBe(best + 2); // stopped one evaluation after the best
      const fresh = await new ALS({
        factors: 8,
        iterations: best + 1,
        regularization: 0.01,
        biases: false,
        seed: 5,
      }).fit(train);
      expect(Array.from(model.userFactors)).toEqual(Array.from(fresh.userFactors));
      expect(Array.from(model.itemFactors)).toEqual(Array.from(fresh.itemFactors));
      expect(rmse(model, test, { train }).value).toBeCloseTo(values[best], 6);
    });

    it('ALS with biases reports the same rmse as rmse() on the result', async () => {
      await init({ backend: name });
      let last = NaN;
      const model = await new ALS({ factors: 4, iterations: 3, seed: 1 }).fit(train, {
        validation: { data: test, metric: 'rmse' },
        onIteration: (i) => (last = i.validation!.value),
      });
      expect(last).toBe(rmse(model, test, { train }).value);
    });

    it('a validation matrix of another shape is refused before training', async () => {
      await init({ backend: name });
      const model = new ImplicitALS({ factors: 4, iterations: 2 });
      await expect(model.fit(train, { validation: { data: randomMatrix(1, 10, 10, 0.5) } })).rejects.toThrow(
        ValidationError,
      );
      expect(model.isFitted).toBe(false);
    });
  });
}
