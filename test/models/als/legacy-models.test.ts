// Model files saved before the defaults of issue 17 (test/fixtures/models, written by main 0566217) keep
// loading with the behaviour they were saved with: the same recommendations, fold-in, explanation and loss,
// and options that show lowrank 0.1's weighting (plain λ, unscaled linear confidence). The files are passed
// as Node Buffers, as readFileSync returns them (a Buffer's slice() is a view into a shared pool).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { init } from '../../../src/runtime/backend.js';
import { ALS, ImplicitALS } from '../../../src/models/als/index.js';
import { loadModel } from '../../../src/models/load.js';

const dir = new URL('../../fixtures/models/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('legacy-expected.json', dir), 'utf8'));
const close = (got: ArrayLike<number>, want: number[]) => {
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 5);
};

for (const backend of ['wasm', 'js'] as const) {
  describe(`model files from before issue 17 (${backend})`, () => {
    it('ImplicitALS: options, recommend, fold-in, explain and loss as when saved', async () => {
      await init({ backend });
      const want = expected['implicit-als'];
      const model = loadModel(readFileSync(new URL('legacy-implicit-als.lrk', dir))) as ImplicitALS;
      expect(model).toBeInstanceOf(ImplicitALS);
      // (options added since, e.g. blockSize, take their defaults)
      expect(model.options).toEqual({ ...want.options, scaleConfidence: false, frequencyScaling: 0, blockSize: 0 });
      const rec = model.recommend(2, { n: 5 });
      expect(Array.from(rec.items)).toEqual(want.recommend.items);
      close(rec.scores, want.recommend.scores);
      const folded = model.recommend(0, { userItems: expected.liked, recalculateUser: true, n: 5 });
      expect(Array.from(folded.items)).toEqual(want.foldIn.items);
      close(folded.scores, want.foldIn.scores);
      expect(model.explain(2, rec.items[0]).score).toBeCloseTo(want.explainScore, 5);
      expect(model.loss() / want.loss).toBeCloseTo(1, 6);
      // saved again, it keeps that behaviour
      const again = loadModel(model.save()) as ImplicitALS;
      expect(again.options).toEqual(model.options);
      close(again.recommend(0, { userItems: expected.liked, recalculateUser: true, n: 5 }).scores, want.foldIn.scores);
    });

    it('ALS: options, recommend and fold-in as when saved', async () => {
      await init({ backend });
      const want = expected.als;
      const model = loadModel(readFileSync(new URL('legacy-als.lrk', dir))) as ALS;
      expect(model.options).toEqual(want.options);
      const rec = model.recommend(2, { n: 5 });
      expect(Array.from(rec.items)).toEqual(want.recommend.items);
      close(rec.scores, want.recommend.scores);
      const folded = model.recommend(0, { userItems: expected.liked, recalculateUser: true, n: 5 });
      expect(Array.from(folded.items)).toEqual(want.foldIn.items);
      close(folded.scores, want.foldIn.scores);
    });

    it('a model saved today round-trips its fitted confidence scale and frequency scaling', async () => {
      await init({ backend });
      const m = (await import('./helpers.js')).communityMatrix(4, { users: 60, items: 40, perUser: 8 });
      const model = await new ImplicitALS({ factors: 6, iterations: 3, seed: 1 }).fit(m);
      const row = { indices: [1, 5, 9], values: [3, 1, 20] };
      const back = loadModel(model.save()) as ImplicitALS;
      expect(back.options).toEqual(model.options);
      expect(Array.from(back.recalculateUser(row))).toEqual(Array.from(model.recalculateUser(row)));
      expect(back.explain(0, 2).score).toBeCloseTo(model.explain(0, 2).score, 6);
    });
  });
}
