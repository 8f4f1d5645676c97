import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { IdMap } from '../../src/data/idmap.js';
import { DisposedError, NotFittedError, ValidationError } from '../../src/errors.js';
import { FixtureModel, oracleTopN, rng } from './fixture-model.js';

/** Integer-valued factors make every f32 score exact, so rankings (and ties) must match exactly. */
function intFactors(rand: () => number, rows: number, dim: number): Float32Array {
  return Float32Array.from({ length: rows * dim }, () => Math.floor(rand() * 7) - 3);
}
function floatFactors(rand: () => number, rows: number, dim: number): Float32Array {
  return Float32Array.from({ length: rows * dim }, () => rand() * 2 - 1);
}
function randomInteractions(rand: () => number, users: number, items: number, perUser: number): SparseMatrix {
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < users; u++) {
    const k = Math.floor(rand() * perUser);
    for (let j = 0; j < k; j++) {
      rows.push(u);
      cols.push(Math.floor(rand() * items));
    }
  }
  return SparseMatrix.fromCOO({
    rows,
    cols,
    values: rows.map(() => 1 + Math.floor(rand() * 3)),
    shape: [users, items],
  });
}
const dotRow = (A: Float32Array, a: number, B: Float32Array, b: number, d: number) => {
  let s = 0;
  for (let p = 0; p < d; p++) s += A[a * d + p] * B[b * d + p];
  return s;
};
const rowOf = (m: SparseMatrix, u: number) => Array.from(m.row(u).indices);

for (const name of ['wasm', 'js'] as const) {
  describe(`serving on the ${name} backend`, () => {
    it('recommend equals a brute-force dense score + sort with the same filters (exact, with ties)', async () => {
      const backend = await init({ backend: name });
      const rand = rng(1);
      for (const dim of [1, 4, 13, 16]) {
        const U = 23;
        const I = 301;
        const X = intFactors(rand, U, dim);
        const Y = intFactors(rand, I, dim);
        const train = randomInteractions(rand, U, I, 40);
        const other = randomInteractions(rand, U, I, 20);
        const model = FixtureModel.fromFactors(backend, X, Y, dim, { train });
        const filterItems = [5, 7, 7, 300, 0];
        const candidates = Array.from({ length: 120 }, () => Math.floor(rand() * I));
        for (let u = 0; u < U; u++) {
          const score = (i: number) => dotRow(X, u, Y, i, dim);
          const cases: [Parameters<FixtureModel['recommend']>[1], Parameters<typeof oracleTopN>[3], number][] = [
            [{}, { exclude: rowOf(train, u) }, 10],
            [{ n: 25, filterAlreadyLiked: false }, {}, 25],
            [{ n: 15, filterItems }, { exclude: [...rowOf(train, u), ...filterItems] }, 15],
            [
              { n: 12, items: candidates, filterItems },
              { exclude: [...rowOf(train, u), ...filterItems], candidates },
              12,
            ],
            [{ n: 8, interactions: other }, { exclude: rowOf(other, u) }, 8],
            [{ n: 8, userItems: { indices: [3, 1, 2] } }, { exclude: [1, 2, 3] }, 8],
            [{ n: 1000, items: candidates }, { exclude: rowOf(train, u), candidates }, 1000],
            [{ n: 1000 }, { exclude: rowOf(train, u) }, 1000],
          ];
          for (const [opts, oracleOpts, n] of cases) {
            const got = model.recommend(u, opts);
            const want = oracleTopN(score, I, n, oracleOpts);
            expect(Array.from(got.items)).toEqual(want.items);
            expect(Array.from(got.scores)).toEqual(want.scores);
          }
        }
        model.dispose();
      }
    });

    it('recommend matches the oracle on float factors up to rounding', async () => {
      const backend = await init({ backend: name });
      const rand = rng(2);
      const dim = 37;
      const U = 10;
      const I = 997;
      const X = floatFactors(rand, U, dim);
      const Y = floatFactors(rand, I, dim);
      const train = randomInteractions(rand, U, I, 50);
      const model = FixtureModel.fromFactors(backend, X, Y, dim, { train });
      for (let u = 0; u < U; u++) {
        const got = model.recommend(u, { n: 20 });
        const want = oracleTopN((i) => dotRow(X, u, Y, i, dim), I, 20, { exclude: rowOf(train, u) });
        const liked = new Set(rowOf(train, u));
        for (let j = 0; j < got.items.length; j++) {
          expect(liked.has(got.items[j])).toBe(false);
          expect(got.scores[j]).toBeCloseTo(dotRow(X, u, Y, got.items[j], dim), 4);
          if (j > 0) expect(got.scores[j]).toBeLessThanOrEqual(got.scores[j - 1]);
        }
        expect(got.scores[19]).toBeGreaterThanOrEqual(want.scores[19] - 1e-4);
        expect(Array.from(got.items.slice(0, 5))).toEqual(want.items.slice(0, 5));
      }
      model.dispose();
    });

    it('recommendBatch equals per-user recommend calls, bit for bit', async () => {
      const backend = await init({ backend: name });
      const rand = rng(3);
      const dim = 21;
      const U = 150;
      const I = 777;
      const X = floatFactors(rand, U, dim);
      const Y = floatFactors(rand, I, dim);
      const train = randomInteractions(rand, U, I, 30);
      const model = FixtureModel.fromFactors(backend, X, Y, dim, { train });
      const users = Int32Array.from({ length: 131 }, () => Math.floor(rand() * U));
      const candidates = Array.from({ length: 60 }, () => Math.floor(rand() * I));
      const optionSets = [
        { n: 10 },
        { n: 7, filterItems: [1, 2, 3], filterAlreadyLiked: false },
        { n: 50, items: candidates, filterItems: candidates.slice(0, 5) },
      ];
      for (const opts of optionSets) {
        const batch = model.recommendBatch(users, opts);
        expect(batch.items.length).toBe(users.length * batch.n);
        for (let r = 0; r < users.length; r++) {
          const one = model.recommend(users[r], opts);
          expect(batch.counts[r]).toBe(one.items.length);
          expect(Array.from(batch.items.subarray(r * batch.n, r * batch.n + batch.counts[r]))).toEqual(
            Array.from(one.items),
          );
          expect(Array.from(batch.scores.subarray(r * batch.n, r * batch.n + batch.counts[r]))).toEqual(
            Array.from(one.scores),
          );
          for (let j = batch.counts[r]; j < batch.n; j++) {
            expect(batch.items[r * batch.n + j]).toBe(-1);
            expect(batch.scores[r * batch.n + j]).toBe(-Infinity);
          }
        }
      }
      // n larger than the candidates: capped at candidates minus the global filter.
      const small = model.recommendBatch([0, 1], {
        n: 100,
        items: [5, 6, 7, 8],
        filterItems: [6],
        filterAlreadyLiked: false,
      });
      expect(small.n).toBe(3);
      expect(model.recommendBatch([], { n: 5 }).items.length).toBe(0);
      model.dispose();
    });

    it('recalculateUser feeds recommend and recommendBatch', async () => {
      const backend = await init({ backend: name });
      const rand = rng(4);
      const dim = 8;
      const U = 30;
      const I = 200;
      const X = floatFactors(rand, U, dim);
      const Y = floatFactors(rand, I, dim);
      const train = randomInteractions(rand, U, I, 25);
      const model = FixtureModel.fromFactors(backend, X, Y, dim, { train });
      const newUser = { indices: [4, 9, 150], values: [3, 1, 2] };
      const x = model.recalculateUser(newUser);
      const got = model.recommend(0, { n: 10, userItems: newUser, recalculateUser: true });
      const want = oracleTopN((i) => dotRow(x, 0, Y, i, dim), I, 10, { exclude: newUser.indices });
      expect(Array.from(got.items)).toEqual(want.items);
      for (let j = 0; j < 10; j++) expect(got.scores[j]).toBeCloseTo(want.scores[j], 4);
      // A matrix of changed users; user indices beyond the model's users are fine when recalculating.
      const changed = randomInteractions(rand, U + 5, I, 25);
      const users = [U + 2, 3, 0];
      const batch = model.recommendBatch(users, { n: 6, interactions: changed, recalculateUser: true });
      users.forEach((u, r) => {
        const one = model.recommend(u, { n: 6, interactions: changed, recalculateUser: true });
        expect(Array.from(batch.items.subarray(r * 6, r * 6 + one.items.length))).toEqual(Array.from(one.items));
      });
      // Default interactions for recalculation: the training row.
      const fromTrain = model.recommend(5, { recalculateUser: true });
      const x5 = model.recalculateUser(train.row(5));
      expect(Array.from(fromTrain.items)).toEqual(
        oracleTopN((i) => dotRow(x5, 0, Y, i, dim), I, 10, { exclude: rowOf(train, 5) }).items,
      );
      model.dispose();
    });

    it('similarItems / similarUsers rank by cosine', async () => {
      const backend = await init({ backend: name });
      const rand = rng(5);
      const dim = 11;
      const U = 40;
      const I = 333;
      const X = floatFactors(rand, U, dim);
      const Y = floatFactors(rand, I, dim);
      Y.fill(0, 7 * dim, 8 * dim); // a zero item: cosine 0 with everything, no NaN
      const model = FixtureModel.fromFactors(backend, X, Y, dim);
      const cos = (A: Float32Array, a: number, b: number) =>
        dotRow(A, a, A, b, dim) / Math.sqrt(dotRow(A, a, A, a, dim) * dotRow(A, b, A, b, dim) || 1);
      for (const [fn, A, count] of [
        [
          (i: number, o: { n: number; filter?: number[]; among?: number[] }) =>
            model.similarItems(i, { n: o.n, filterItems: o.filter, items: o.among }),
          Y,
          I,
        ],
        [
          (i: number, o: { n: number; filter?: number[]; among?: number[] }) =>
            model.similarUsers(i, { n: o.n, filterUsers: o.filter, users: o.among }),
          X,
          U,
        ],
      ] as const) {
        for (const q of [0, 3, count - 1]) {
          const got = fn(q, { n: 12 });
          expect(got.items[0]).toBe(q);
          expect(got.scores[0]).toBeCloseTo(1, 5);
          const want = oracleTopN((i) => cos(A, q, i), count, 12);
          expect(Array.from(got.items.slice(0, 6))).toEqual(want.items.slice(0, 6));
          for (let j = 0; j < got.items.length; j++) expect(got.scores[j]).toBeCloseTo(cos(A, q, got.items[j]), 5);
          const filtered = fn(q, { n: 5, filter: [q], among: [1, 2, 3, q, 7, 9] });
          expect(Array.from(filtered.items)).toEqual(
            oracleTopN((i) => cos(A, q, i), count, 5, { exclude: [q], candidates: [1, 2, 3, q, 7, 9] }).items,
          );
        }
      }
      const zero = model.similarItems(7, { n: 3 });
      expect(Array.from(zero.scores)).toEqual([0, 0, 0]);
      model.dispose();
    });

    it('recommendById / similarItemsById speak original ids', async () => {
      const backend = await init({ backend: name });
      const rand = rng(6);
      const dim = 5;
      const X = intFactors(rand, 4, dim);
      const Y = intFactors(rand, 9, dim);
      const userIds = IdMap.from(['ann', 'bob', 'cy', 'dee']);
      const itemIds = IdMap.from([100, 101, 'x', 'y', 104, 105, 106, 107, 108]);
      const train = SparseMatrix.fromCOO({ rows: [1, 1], cols: [0, 2], shape: [4, 9] });
      const model = FixtureModel.fromFactors(backend, X, Y, dim, { train, userIds, itemIds });
      const byId = model.recommendById('bob', { n: 4, filterItems: ['y', 'unknown'] });
      const byIndex = model.recommend(1, { n: 4, filterItems: [3] });
      expect(Array.from(byId.items)).toEqual(Array.from(byIndex.items));
      expect(byId.ids).toEqual(Array.from(byIndex.items, (i) => itemIds.id(i)));
      const sim = model.similarItemsById('x', { n: 3, items: [100, 'x', 108] });
      expect(sim.ids[0]).toBe('x');
      expect(() => model.recommendById('zed')).toThrow(/unknown user id "zed"/);
      expect(() => model.similarItemsById('x', { items: ['nope'] })).toThrow(ValidationError);
      // Ids arriving as text (a server's query string) find numeric ids, in every id-taking argument.
      expect(model.similarItemsById('104', { n: 3, items: ['100', 'x', '108'] })).toEqual(
        model.similarItemsById(104, { n: 3, items: [100, 'x', 108] }),
      );
      expect(model.recommendById('bob', { n: 4, filterItems: ['y', '101'] })).toEqual(
        model.recommendById('bob', { n: 4, filterItems: ['y', 101] }),
      );
      const plain = FixtureModel.fromFactors(backend, X, Y, dim);
      expect(() => plain.recommendById('ann')).toThrow(/no id maps/);
      model.dispose();
      plain.dispose();
    });

    it('rejects bad input with clear errors', async () => {
      const backend = await init({ backend: name });
      const rand = rng(7);
      const model = FixtureModel.fromFactors(backend, floatFactors(rand, 5, 3), floatFactors(rand, 8, 3), 3);
      expect(() => model.recommend(5)).toThrow(/user index 5 is out of range \[0, 5\)/);
      expect(() => model.recommend(-1)).toThrow(ValidationError);
      expect(() => model.recommend(1.5)).toThrow(ValidationError);
      expect(() => model.recommend(0, { n: 0 })).toThrow(/n must be a positive integer, got 0/);
      expect(() => model.recommend(0, { n: -3 })).toThrow(ValidationError);
      expect(() => model.recommend(0, { n: 2.5 })).toThrow(ValidationError);
      expect(() => model.recommend(0, { filterItems: [8] })).toThrow(
        /filterItems\[0\] = 8 is not an index in \[0, 8\)/,
      );
      expect(() => model.recommend(0, { items: [0, -1] })).toThrow(ValidationError);
      expect(() =>
        model.recommend(0, { interactions: SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [5, 9] }) }),
      ).toThrow(/9 columns but the model has 8 items/);
      expect(() => model.recommend(0, { recalculateUser: true })).toThrow(/needs userItems/);
      expect(() => model.recommendBatch([0, 9])).toThrow(/users\[1\] = 9/);
      expect(() =>
        model.recommendBatch([0, 4], { interactions: SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [2, 8] }) }),
      ).toThrow(/user index 4 is out of range \[0, 2\)/);
      expect(() => model.recommendBatch([0], { userItems: { indices: [1] } })).toThrow(/a batch takes interactions/);
      expect(() => model.similarItems(8)).toThrow(/item index 8 is out of range/);
      expect(() => model.similarUsers(0, { n: 0 })).toThrow(ValidationError);
      expect(model.recommend(0, { n: 100 }).items.length).toBe(8); // n > candidates: all of them
      expect(model.recommend(0, { items: [] }).items.length).toBe(0);
      const unfitted = new FixtureModel();
      expect(() => unfitted.recommend(0)).toThrow(NotFittedError);
      expect(() => unfitted.recommendBatch([0])).toThrow(NotFittedError);
      expect(() => unfitted.similarItems(0)).toThrow(/not fitted/);
      expect(() => unfitted.save()).toThrow(NotFittedError);
      model.dispose();
      expect(() => model.recommend(0)).toThrow(DisposedError);
      expect(() => model.recommend(0)).toThrow(
        /TestFixture.recommend: this model was disposed .*create a new TestFixture/,
      );
      model.dispose(); // idempotent
    });

    it('keeps working when the heap grows between calls (scratch views re-taken)', async () => {
      const backend = await init({ backend: name });
      const rand = rng(8);
      const dim = 16;
      const X = floatFactors(rand, 20, dim);
      const Y = floatFactors(rand, 500, dim);
      const model = FixtureModel.fromFactors(backend, X, Y, dim);
      const before = model.recommend(3, { n: 10 });
      const big = backend.heap.allocArray('f32', backend.heap.byteLength / 2);
      const batch = model.recommendBatch(
        Int32Array.from({ length: 20 }, (_, i) => i),
        { n: 10 },
      );
      expect(Array.from(batch.items.subarray(30, 40))).toEqual(Array.from(before.items));
      big.free();
      model.dispose();
    });
  });
}
