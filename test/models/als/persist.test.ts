// ALS models through the shared serving/persistence layer: save → load round trips, Interactions input.
import { describe, expect, it } from 'vitest';
import { init } from '../../../src/runtime/backend.js';
import { ALS, ImplicitALS } from '../../../src/models/als/index.js';
import { FactorModel } from '../../../src/models/common/factor-model.js';
import { Interactions } from '../../../src/data/interactions.js';
import { randomMatrix } from './helpers.js';

describe('ALS models: persistence and ids', () => {
  it('ImplicitALS save → load keeps options, factors and recalculateUser', async () => {
    await init({ backend: 'wasm' });
    const m = randomMatrix(1, 30, 20, 0.2, (r) => 1 + Math.floor(r.next() * 3));
    const model = await new ImplicitALS({
      factors: 6,
      iterations: 3,
      seed: 2,
      solver: 'cholesky',
      confidence: 'log',
    }).fit(m);
    const loaded = FactorModel.load(model.save()) as ImplicitALS;
    expect(loaded).toBeInstanceOf(ImplicitALS);
    expect(loaded.options).toEqual(model.options);
    expect(loaded.userFactors).toEqual(model.userFactors);
    expect(loaded.itemFactors).toEqual(model.itemFactors);
    const row = { indices: [1, 5, 9], values: [2, 1, 3] };
    expect(loaded.recalculateUser(row)).toEqual(model.recalculateUser(row));
    expect(loaded.recommend(3, { n: 5 }).items).toEqual(model.recommend(3, { n: 5 }).items);
  });

  it('ALS save → load keeps μ, biases and the clipping range', async () => {
    await init({ backend: 'wasm' });
    const m = randomMatrix(2, 30, 20, 0.3, (r) => 1 + Math.floor(r.next() * 5));
    const model = await new ALS({ factors: 4, iterations: 3, seed: 1 }).fit(m);
    const loaded = ALS.load(model.save());
    expect(loaded.globalMean).toBe(model.globalMean);
    expect(loaded.ratingRange).toEqual(model.ratingRange);
    expect(loaded.userBiases).toEqual(model.userBiases);
    expect(loaded.predict([0, 1, 2], [3, 4, 5])).toEqual(model.predict([0, 1, 2], [3, 4, 5]));
    // biases are not part of cosine similarity, but are part of the score
    expect(loaded.similarItems(0, { n: 3 }).items).toEqual(model.similarItems(0, { n: 3 }).items);
  });

  it('fits from Interactions and keeps the id maps', async () => {
    await init({ backend: 'js' });
    const data = Interactions.fromRows([
      ['ann', 'x', 3],
      ['ann', 'y', 1],
      ['bob', 'y', 2],
      ['bob', 'z', 5],
      ['cat', 'x', 1],
    ]);
    const model = await new ImplicitALS({ factors: 2, iterations: 2, seed: 1 }).fit(data);
    expect(model.userIds?.size).toBe(3);
    expect(model.itemIds?.size).toBe(3);
    const r = model.recommendById('cat', { n: 2 });
    expect(r.ids.length).toBe(2);
    expect(r.ids).not.toContain('x');
  });
});
