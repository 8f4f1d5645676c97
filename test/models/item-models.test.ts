// The recommender contract for the item–item models, ItemKNN and EASE: scores equal to a dense oracle
// built from the model's own S / B (r_u·S, x_u·B), liked items left out, batches = single calls, a new
// user scored from their items = the same user fitted, explanations that sum to the score, serving by id,
// similarItems, similarUsers unsupported, save → loadModel, dispose, tune() and ranking above popularity.
import { afterAll, describe, expect, it } from 'vitest';
import { init, terminate } from '../../src/runtime/backend.js';
import { EASE, ItemKNN, loadModel } from '../../src/models/index.js';
import { Interactions } from '../../src/data/interactions.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { rankingMetrics, tune } from '../../src/eval/index.js';
import { DisposedError, NotSupportedError, OutOfMemoryError, ValidationError } from '../../src/errors.js';
import { groupedMatrix, holdOut, popularity } from './helpers.js';

afterAll(async () => {
  await terminate();
});

type ItemModel = ItemKNN | EASE;

/** The model's item × item weights as a dense matrix (S for ItemKNN, B for EASE over every item). */
function dense(model: ItemModel, items: number): Float64Array {
  const W = new Float64Array(items * items);
  if (model instanceof ItemKNN) {
    const S = model.similarity;
    for (let i = 0; i < items; i++)
      for (let p = S.indptr[i]; p < S.indptr[i + 1]; p++) W[i * items + S.indices[p]] = S.data[p];
  } else {
    const B = model.weights;
    const at = model.fittedItems;
    const n = at.length;
    for (let a = 0; a < n; a++) for (let c = 0; c < n; c++) W[at[a] * items + at[c]] = B[a * n + c];
  }
  return W;
}

/** A user's scores Σ_i r_ui·W[i, j] from their row. */
function scoresOf(W: Float64Array, items: number, row: { indices: ArrayLike<number>; values: ArrayLike<number> }) {
  const s = new Float64Array(items);
  for (let q = 0; q < row.indices.length; q++)
    for (let j = 0; j < items; j++) s[j] += row.values[q] * W[row.indices[q] * items + j];
  return s;
}

const MODELS: [string, () => ItemModel][] = [
  ['ItemKNN cosine', () => new ItemKNN({ neighbors: 15, weighting: 'cosine' })],
  ['ItemKNN tfidf', () => new ItemKNN()],
  ['ItemKNN bm25', () => new ItemKNN({ neighbors: 30, weighting: 'bm25', k1: 1.5, b: 0.5 })],
  ['ItemKNN none', () => new ItemKNN({ neighbors: 10, weighting: 'none' })],
  ['EASE', () => new EASE()],
  ['EASE λ = 20, 50 items', () => new EASE({ regularization: 20, maxItems: 50 })],
];

describe.each(MODELS)('%s: the recommender contract', (_name, make) => {
  const X = groupedMatrix(5, 150, 80, 3, 10);

  it('recommend = the dense oracle of its own weights, liked items left out; batch = single calls', async () => {
    await init({ backend: 'wasm' });
    const model = await make().fit(X);
    const W = dense(model, 80);
    for (const u of [0, 7, 42, 149]) {
      const row = X.row(u);
      const s = scoresOf(W, 80, row);
      const liked = new Set(row.indices);
      const r = model.recommend(u, { n: 10 });
      expect(r.items.length).toBe(10);
      for (let t = 0; t < 10; t++) {
        expect(liked.has(r.items[t])).toBe(false);
        expect(Math.abs(r.scores[t] - s[r.items[t]])).toBeLessThan(1e-5 * (1 + Math.abs(s[r.items[t]])));
        if (t > 0) expect(r.scores[t]).toBeLessThanOrEqual(r.scores[t - 1]);
      }
      // Nothing left out scores above the last one kept (to f32 rounding).
      const last = r.scores[9];
      for (let j = 0; j < 80; j++) if (!liked.has(j) && !r.items.includes(j)) expect(s[j]).toBeLessThan(last + 1e-5);
    }
    const batch = model.recommendBatch([3, 9, 3], { n: 6 });
    expect(Array.from(batch.items.subarray(6, 12))).toEqual(Array.from(model.recommend(9, { n: 6 }).items));
    expect(Array.from(batch.items.subarray(12, 18))).toEqual(Array.from(batch.items.subarray(0, 6)));
    model.dispose();
  });

  it('a new user scored from their items is the fitted user; filterItems and items are honoured', async () => {
    await init({ backend: 'wasm' });
    const model = await make().fit(X);
    const row = X.row(11);
    const folded = model.recommendForItems({ indices: row.indices, values: row.values }, { n: 8 });
    expect(folded).toEqual(model.recommend(11, { n: 8 }));
    const asMatrix = model.recommend(0, { n: 8, interactions: X.sliceRows(11, 12) });
    expect(asMatrix).toEqual(folded);
    const top = model.recommend(11, { n: 3 }).items;
    const filtered = model.recommend(11, { n: 3, filterItems: [top[0]] });
    expect(Array.from(filtered.items)).not.toContain(top[0]);
    const among = model.recommend(11, { n: 3, items: [top[2], top[1], 79] });
    expect(Array.from(among.items).slice(0, 2)).toEqual([top[1], top[2]]);
    model.dispose();
  });

  it('explain: the contributions are the liked items’ terms and sum to the score', async () => {
    await init({ backend: 'wasm' });
    const model = await make().fit(X);
    const r = model.recommend(20, { n: 3 });
    for (let t = 0; t < 3; t++) {
      const e = model.explain(20, r.items[t], { n: 100 });
      expect(Math.abs(e.score - r.scores[t])).toBeLessThan(1e-5 * (1 + Math.abs(e.score)));
      let sum = 0;
      for (const c of e.contributions.scores) sum += c;
      expect(sum).toBeCloseTo(e.score, 4);
      const liked = new Set(X.row(20).indices);
      for (const i of e.contributions.items) expect(liked.has(i)).toBe(true);
      const two = model.explain(20, r.items[t], { n: 2 });
      expect(Array.from(two.contributions.items)).toEqual(Array.from(e.contributions.items.subarray(0, 2)));
    }
    const fresh = model.explain(0, r.items[0], { userItems: X.row(20) });
    expect(fresh.score).toBeCloseTo(model.explain(20, r.items[0]).score, 10);
    expect(() => model.explain(20, 80)).toThrow(ValidationError);
    expect(() => model.explain(20, 0, { n: 0 })).toThrow(/n must be a positive integer/);
    model.dispose();
  });

  it('similarItems ranks by the item’s own row of S / B; similarUsers is not supported', async () => {
    await init({ backend: 'wasm' });
    const model = await make().fit(X);
    const W = dense(model, 80);
    const q = 4;
    const r = model.similarItems(q, { n: 5, filterItems: [q] });
    for (let t = 0; t < r.items.length; t++) {
      expect(r.items[t]).not.toBe(q);
      expect(r.scores[t]).toBeCloseTo(W[q * 80 + r.items[t]], 5);
    }
    expect(() => model.similarUsers(0)).toThrow(NotSupportedError);
    model.dispose();
  });

  it('save → loadModel keeps class, options, weights and recommendations; dispose ends it', async () => {
    await init({ backend: 'wasm' });
    const model = await make().fit(X);
    const loaded = loadModel(model.save());
    expect(loaded.modelType).toBe(model.modelType);
    expect(loaded.options).toEqual(model.options);
    expect(loaded.recommend(17, { n: 9 })).toEqual(model.recommend(17, { n: 9 }));
    expect(loaded.similarItems(2, { n: 4 })).toEqual(model.similarItems(2, { n: 4 }));
    const bare = loadModel(model.save({ includeInteractions: false }));
    expect(bare.recommend(17, { n: 9, interactions: X })).toEqual(model.recommend(17, { n: 9 }));
    model.dispose();
    expect(() => model.recommend(0)).toThrow(DisposedError);
    loaded.dispose();
    bare.dispose();
  });
});

describe('ItemKNN and EASE by id, on the JS backend, in tune() and against popularity', () => {
  const data = Interactions.fromRows([
    ['ann', 'x', 3],
    ['ann', 'y', 1],
    ['bob', 'y', 2],
    ['bob', 'z', 5],
    ['cat', 'x', 1],
    ['cat', 'w', 2],
    ['dan', 'w', 1],
    ['dan', 'z', 1],
  ]);

  it.each([
    ['ItemKNN', () => new ItemKNN({ weighting: 'cosine' })],
    ['EASE', () => new EASE({ regularization: 1 })],
  ] as const)('%s serves by id', async (_n, make) => {
    await init({ backend: 'wasm' });
    const model = await make().fit(data);
    const r = model.recommendById('cat', { n: 2 });
    expect(r.ids).not.toContain('x');
    expect(r.ids).not.toContain('w');
    const e = model.explainById('cat', r.ids[0], { n: 5 });
    expect(e.contributions.ids.every((id) => id === 'x' || id === 'w')).toBe(true);
    expect(model.recommendForItemsById({ ids: ['x', 'w'], values: [1, 2] }, { n: 2 })).toEqual(r);
    expect(model.similarItemsById('y', { n: 1, filterItems: ['y'] }).ids.length).toBe(1);
    expect(() => model.recommendById('eve')).toThrow(/eve/);
    model.dispose();
  });

  it("the 'js' backend (the twins) serves the same lists as 'wasm'", async () => {
    const X = groupedMatrix(8, 120, 60, 3, 9);
    for (const make of [() => new ItemKNN({ weighting: 'bm25' }), () => new EASE()]) {
      await init({ backend: 'wasm' });
      const a = await make().fit(X);
      const want = a.recommendBatch([0, 5, 77], { n: 10 });
      await init({ backend: 'js' });
      const b = await make().fit(X);
      const got = b.recommendBatch([0, 5, 77], { n: 10 });
      for (let t = 0; t < want.scores.length; t++)
        expect(Math.abs(got.scores[t] - want.scores[t])).toBeLessThan(1e-4 * (1 + Math.abs(want.scores[t])));
      a.dispose();
      b.dispose();
    }
    await init({ backend: 'wasm' });
  });

  it('rank held-out items above popularity; tune() searches their spaces', async () => {
    await init({ backend: 'wasm' });
    const [train, test] = holdOut(groupedMatrix(7, 300, 120, 4, 10, 0.9), 3);
    const pop = rankingMetrics(popularity(train), train, test, { k: 10 }).precision;
    for (const Model of [ItemKNN, EASE]) {
      const model = await new Model().fit(train);
      expect(rankingMetrics(model, train, test, { k: 10 }).precision).toBeGreaterThan(1.05 * pop);
      model.dispose();
      const t = await tune(Model, train, { trials: 3, seed: 1 });
      expect(Object.keys(t.best).sort()).toEqual(Object.keys(Model.tuneSpace).sort());
    }
  });

  it('reject bad options naming them; EASE says the largest maxItems that fits', async () => {
    expect(() => new ItemKNN({ neighbours: 3 } as never)).toThrow(ValidationError);
    expect(() => new ItemKNN({ neighbors: 0 })).toThrow(/neighbors/);
    expect(() => new ItemKNN({ weighting: 'idf' as never })).toThrow(/weighting/);
    expect(() => new ItemKNN({ b: 2 })).toThrow(/\bb\b/);
    expect(() => new EASE({ regularization: -1 })).toThrow(/regularization/);
    expect(() => new EASE({ regularization: 1, regularizationScale: 2 })).toThrow(/not both/);
    await init({ backend: 'wasm' });
    const Y = SparseMatrix.fromCOO({ rows: [0, 1], cols: [0, 39_999], values: [1, 1], shape: [2, 40_000] });
    const p = new EASE({ maxItems: 40_000 }).fit(Y);
    await expect(p).rejects.toBeInstanceOf(OutOfMemoryError);
    await expect(new EASE({ maxItems: 40_000 }).fit(Y)).rejects.toThrow(/pass maxItems: \d+/);
  });
});
