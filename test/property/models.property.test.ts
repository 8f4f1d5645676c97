// Properties of the models on arbitrary small inputs (fast-check): save → load is the identity; recommend never
// returns a filtered item; ranking metrics stay in [0, 1]; fitting arbitrary small non-negative matrices never
// yields NaN (it succeeds with finite factors or throws a LowrankError). Sizes and iterations are tiny so 200
// runs per property stay fast.
import { beforeAll, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { LowrankError } from '../../src/errors.js';
import { init, type BackendName } from '../../src/runtime/backend.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { IdMap } from '../../src/data/idmap.js';
import { ImplicitALS, ALS } from '../../src/models/als/index.js';
import { PureSVD } from '../../src/models/puresvd/puresvd.js';
import { loadModel } from '../../src/models/load.js';
import type { FactorModel } from '../../src/models/common/factor-model.js';
import { rankingMetrics, trainTestSplit } from '../../src/eval/index.js';
import { params } from './runs.js';

beforeAll(async () => {
  await init({ backend: 'js' });
  await init({ backend: 'wasm' });
});

/** A small users × items matrix; every user has at least one entry; values ≥ 0 (0 is stored). */
const matrix = (maxValue: number) =>
  fc
    .record({ users: fc.integer({ min: 1, max: 7 }), items: fc.integer({ min: 1, max: 7 }) })
    .chain(({ users, items }) =>
      fc
        .array(
          fc.tuple(
            fc.integer({ min: 0, max: users - 1 }),
            fc.integer({ min: 0, max: items - 1 }),
            fc.double({ min: 0, max: maxValue, noNaN: true }),
          ),
          { minLength: users, maxLength: 3 * users * items },
        )
        .map((e) => {
          // Row u always gets an entry (the first `users` tuples are moved to row u).
          const rows = e.map((t, j) => (j < users ? j : t[0]));
          return SparseMatrix.fromCOO({
            rows,
            cols: e.map((t) => t[1]),
            values: e.map((t) => t[2]),
            shape: [users, items],
          });
        }),
    );

const modelSpec = fc.oneof(
  fc.record({
    kind: fc.constant('ImplicitALS' as const),
    factors: fc.integer({ min: 1, max: 4 }),
    iterations: fc.integer({ min: 0, max: 3 }),
    solver: fc.constantFrom('cg', 'cholesky'),
    confidence: fc.constantFrom('linear', 'log'),
    regularization: fc.constantFrom(0.01, 0.1, 1),
    alpha: fc.constantFrom(0, 1, 40),
    seed: fc.integer({ min: 0, max: 1e6 }),
  }),
  fc.record({
    kind: fc.constant('ALS' as const),
    factors: fc.integer({ min: 1, max: 4 }),
    iterations: fc.integer({ min: 0, max: 3 }),
    biases: fc.boolean(),
    weightedRegularization: fc.boolean(),
    regularization: fc.constantFrom(0.01, 0.1, 1),
    seed: fc.integer({ min: 0, max: 1e6 }),
  }),
  fc.record({
    kind: fc.constant('PureSVD' as const),
    factors: fc.integer({ min: 1, max: 4 }),
    center: fc.constantFrom('none', 'global', 'rows', 'cols'),
    method: fc.constantFrom('lanczos', 'randomized'),
    seed: fc.integer({ min: 0, max: 1e6 }),
  }),
);
type Spec = typeof modelSpec extends fc.Arbitrary<infer T> ? T : never;

function build(
  spec: Spec,
  m: SparseMatrix,
): FactorModel & { fit(m: SparseMatrix | { matrix: SparseMatrix }): Promise<FactorModel> } {
  const { kind, ...o } = spec;
  if (kind === 'PureSVD')
    return new PureSVD({ ...(o as object), factors: Math.min(spec.factors, m.rows, m.cols), tol: 1e-8 });
  if (kind === 'ALS') return new ALS(o as object);
  return new ImplicitALS(o as object);
}

const backend = fc.constantFrom<BackendName>('wasm', 'js');

test.prop([matrix(5), modelSpec, backend, fc.boolean(), fc.boolean()], params('save → load is identity'))(
  'save → load is the identity on arbitrary small models',
  async (m, spec, b, withIds, includeInteractions) => {
    await init({ backend: b });
    const input = withIds
      ? {
          matrix: m,
          users: IdMap.from(Array.from({ length: m.rows }, (_, i) => `u${i}`)),
          items: IdMap.from(Array.from({ length: m.cols }, (_, i) => 100 + i)),
        }
      : m;
    const model = await build(spec, m).fit(input);
    const bytes = model.save({ includeInteractions });
    const back = loadModel(bytes);
    expect(back.modelType).toBe(model.modelType);
    expect(back.constructor).toBe(model.constructor);
    expect((back as unknown as { options: object }).options).toEqual((model as unknown as { options: object }).options);
    expect(back.userCount).toBe(model.userCount);
    expect(back.itemCount).toBe(model.itemCount);
    expect(back.userIds?.ids()).toEqual(model.userIds?.ids());
    expect(back.itemIds?.ids()).toEqual(model.itemIds?.ids());
    // Same factors bit for bit, so the same answers; and saving again gives the same bytes.
    expect(back.save({ includeInteractions })).toEqual(bytes);
    const n = model.itemCount;
    for (let u = 0; u < model.userCount; u++) {
      const opts = includeInteractions ? { n } : { n, interactions: m };
      expect(back.recommend(u, opts)).toEqual(model.recommend(u, opts));
    }
    expect(back.similarItems(0, { n })).toEqual(model.similarItems(0, { n }));
    model.dispose();
    back.dispose();
  },
);

test.prop(
  [
    matrix(5),
    modelSpec,
    fc.array(fc.nat(), { maxLength: 6 }),
    fc.option(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), { nil: undefined }),
    fc.integer({ min: 1, max: 9 }),
    fc.boolean(),
    backend,
  ],
  params('recommend never returns a filtered item'),
)(
  'recommend / recommendBatch never return a filtered, already-liked or non-candidate item',
  async (m, spec, rawFilter, rawItems, n, recalc, b) => {
    await init({ backend: b });
    const model = await build(spec, m).fit(m);
    const I = m.cols;
    const filterItems = rawFilter.map((x) => x % I);
    const items = rawItems?.map((x) => x % I);
    const banned = (u: number) => new Set([...filterItems, ...m.row(u).indices]);
    for (let u = 0; u < m.rows; u++) {
      const r = model.recommend(u, { n, filterItems, items, ...(recalc ? { recalculateUser: true } : {}) });
      expect(new Set(r.items).size).toBe(r.items.length);
      for (const it of r.items) {
        expect(banned(u).has(it)).toBe(false);
        if (items) expect(items).toContain(it);
      }
      for (const s of r.scores) expect(Number.isFinite(s)).toBe(true);
      // Everything allowed is returned when n covers it.
      const allowed = new Set((items ?? Array.from({ length: I }, (_, i) => i)).filter((i) => !banned(u).has(i)));
      expect(r.items.length).toBe(Math.min(n, allowed.size));
    }
    const users = Array.from({ length: m.rows }, (_, u) => u);
    const batch = model.recommendBatch(users, { n, filterItems, items });
    for (let u = 0; u < m.rows; u++) {
      const row = batch.items.subarray(u * batch.n, u * batch.n + batch.counts[u]);
      for (const it of row) expect(banned(u).has(it)).toBe(false);
      for (const it of batch.items.subarray(u * batch.n + batch.counts[u], (u + 1) * batch.n)) expect(it).toBe(-1);
    }
    model.dispose();
  },
);

/** A ranking model stub answering with an arbitrary (duplicate-free) list per user, padded with -1. */
const stubLists = fc.array(fc.array(fc.nat(), { maxLength: 12 }), { minLength: 1, maxLength: 10 });

test.prop(
  [
    matrix(3),
    fc.integer({ min: 1, max: 10 }),
    fc.oneof(
      stubLists.map((l) => ({ lists: l })),
      modelSpec.map((s) => ({ spec: s })),
    ),
    fc.integer({ min: 0, max: 1e6 }),
  ],
  params('metrics stay in [0, 1]'),
)('ranking metrics stay in [0, 1] for real models and arbitrary (padded) lists', async (m, k, who, seed) => {
  await init({ backend: 'wasm' });
  if (m.nnz < 2) return;
  const { train, test: held } = trainTestSplit(m, { testFraction: 0.5, seed });
  if (held.nnz === 0) return;
  let model: Parameters<typeof rankingMetrics>[0];
  if ('spec' in who) {
    if (who.spec.kind === 'PureSVD' && train.nnz === 0) return;
    model = await build(who.spec, train).fit(train);
  } else {
    const I = m.cols;
    model = {
      itemCount: I,
      recommendBatch: (users: ArrayLike<number>, o: { n: number }) => {
        const items = new Int32Array(users.length * o.n).fill(-1);
        for (let j = 0; j < users.length; j++) {
          const list = [...new Set(who.lists[users[j] % who.lists.length].map((x) => x % I))].slice(0, o.n);
          items.set(list, j * o.n);
        }
        return { items, scores: new Float32Array(items.length), n: o.n };
      },
    };
  }
  const r = rankingMetrics(model, train, held, { k });
  for (const key of ['precision', 'recall', 'map', 'ndcg', 'auc', 'hitRate', 'coverage'] as const) {
    expect(r[key], key).toBeGreaterThanOrEqual(0);
    expect(r[key], key).toBeLessThanOrEqual(1 + 1e-12);
  }
});

test.prop([matrix(1e6), modelSpec, backend], params('fitting small non-negative matrices never yields NaN'))(
  'fitting arbitrary small non-negative matrices never yields NaN: finite factors and scores, or a LowrankError',
  async (m, spec, b) => {
    await init({ backend: b });
    const model = build(spec, m);
    try {
      await model.fit(m);
    } catch (e) {
      expect(e).toBeInstanceOf(LowrankError);
      return;
    }
    const f = model as unknown as { userFactors: Float32Array; itemFactors: Float32Array };
    for (const x of f.userFactors) expect(Number.isFinite(x)).toBe(true);
    for (const x of f.itemFactors) expect(Number.isFinite(x)).toBe(true);
    for (let u = 0; u < m.rows; u++)
      for (const s of model.recommend(u, { n: m.cols, filterAlreadyLiked: false }).scores)
        expect(Number.isFinite(s)).toBe(true);
    model.dispose();
  },
);
