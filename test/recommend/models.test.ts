// The serving contract on the real models: save → load gives identical recommendations, batch equals
// per-user calls, and recommend(..., { recalculateUser }) uses the model's own fold-in.
import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { ALS, ImplicitALS } from '../../src/models/als/index.js';
import { PureSVD } from '../../src/models/puresvd/puresvd.js';
import { loadModel } from '../../src/models/load.js';
import { FactorModel } from '../../src/models/common/factor-model.js';
import { rng } from './fixture-model.js';

function data(seed: number, users: number, items: number, perUser: number): SparseMatrix {
  const rand = rng(seed);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let u = 0; u < users; u++) {
    for (let j = 0; j < perUser; j++) {
      rows.push(u);
      cols.push(Math.floor(items * rand() ** 1.5));
      vals.push(1 + Math.floor(rand() * 5));
    }
  }
  return SparseMatrix.fromCOO({ rows, cols, values: vals, shape: [users, items], duplicates: 'last' });
}

type Maker = [string, () => FactorModel & { fit(m: SparseMatrix): Promise<unknown> }];
const makers: Maker[] = [
  ['ImplicitALS', () => new ImplicitALS({ factors: 6, iterations: 3, seed: 1 })],
  ['ALS', () => new ALS({ factors: 6, iterations: 3, seed: 1 })],
  ['PureSVD', () => new PureSVD({ factors: 6 })],
];

for (const name of ['wasm', 'js'] as const) {
  describe(`real models on the ${name} backend`, () => {
    for (const [type, make] of makers) {
      it(`${type}: save → load round trip, batch = per-user, fold-in recommend`, async () => {
        await init({ backend: name });
        const R = data(21, 60, 80, 8);
        const model = make();
        await model.fit(R);
        expect(model.modelType).toBe(type);
        const users = Int32Array.from({ length: 60 }, (_, i) => i);
        const batch = model.recommendBatch(users, { n: 10 });
        for (const u of [0, 17, 59]) {
          const one = model.recommend(u, { n: 10 });
          expect(Array.from(batch.items.subarray(u * batch.n, u * batch.n + batch.counts[u]))).toEqual(
            Array.from(one.items),
          );
          const liked = new Set(R.row(u).indices);
          for (const i of one.items) expect(liked.has(i)).toBe(false);
        }
        const bytes = model.save();
        const back = loadModel(bytes);
        expect(back).toBeInstanceOf(model.constructor);
        expect(back.options).toEqual(model.options);
        const again = back.recommendBatch(users, { n: 10 });
        expect(again.items).toEqual(batch.items);
        expect(again.scores).toEqual(batch.scores);
        expect(back.similarItems(5, { n: 6 })).toEqual(model.similarItems(5, { n: 6 }));
        expect(back.save()).toEqual(bytes);
        const newUser = { indices: [1, 4, 9, 30], values: [5, 1, 3, 2] };
        const x = model.recalculateUser(newUser);
        expect(x.length).toBeGreaterThan(0);
        const folded = model.recommend(0, { n: 10, userItems: newUser, recalculateUser: true });
        expect(folded.items.length).toBe(10);
        for (const i of newUser.indices) expect(Array.from(folded.items)).not.toContain(i);
        expect(back.recommend(0, { n: 10, userItems: newUser, recalculateUser: true })).toEqual(folded);
        model.dispose();
        back.dispose();
      });
    }
  });
}
