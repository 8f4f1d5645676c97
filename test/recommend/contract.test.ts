// The recommender contract (src/recommend/base.ts) without factors: a test-only model that scores a user as
// r_u·B from a dense item × item matrix B in the heap (as EASE would; B here is item co-occurrence with a
// zero diagonal), implementing only what a model implements — scoreTopK, similarItemsTopK, saveParts /
// loadParts — and passing the serving checks every model gets from the base: filters, candidates, batches
// equal to single calls, ids at the edges, save/load round trips, lifecycle, and a clear error for user
// similarity it does not have. Scores are checked against a brute-force oracle.
import { describe, expect, it } from 'vitest';
import { init, type Backend } from '../../src/runtime/backend.js';
import type { HeapArray } from '../../src/runtime/heap.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { Interactions } from '../../src/data/interactions.js';
import type { IdMap } from '../../src/data/idmap.js';
import { DisposedError, NotFittedError, NotSupportedError } from '../../src/errors.js';
import { RecommenderBase } from '../../src/recommend/base.js';
import { loadModel } from '../../src/models/load.js';
import { inconsistent, type LoadedParts, type ModelParts } from '../../src/recommend/codec.js';
import { ModelMemory } from '../../src/recommend/memory.js';
import { registerModel } from '../../src/recommend/registry.js';
import type { ScoreRequest, SimilarRequest } from '../../src/recommend/requests.js';
import { selectTopK } from '../../src/recommend/selection.js';
import type { BatchRecommendation, UserItems } from '../../src/recommend/types.js';
import { oracleTopN, rng } from './fixture-model.js';

/** The model's heap memory: B (items × items, f32) and the number of users it was fitted on. */
class ItemMatrix extends ModelMemory {
  constructor(
    backend: Backend,
    readonly B: HeapArray<'f32'>,
    readonly items: number,
    readonly users: number,
  ) {
    super(backend);
  }
  get userCount(): number {
    return this.users;
  }
  get itemCount(): number {
    return this.items;
  }
  protected release(): void {
    this.B.free();
  }
  protected releaseReplaced(next: ModelMemory): void {
    if (!(next instanceof ItemMatrix && next.B === this.B)) this.B.free();
  }
}

class DenseItemModel extends RecommenderBase {
  readonly modelType = 'TestDenseItem';
  static override readonly heapArrays = ['B'];

  constructor(private readonly opts: { shrink?: number } = {}) {
    super();
  }
  get options(): object {
    return { ...this.opts };
  }

  async fit(data: SparseMatrix | Interactions): Promise<this> {
    this.checkNotDisposed('fit');
    const backend = await init({ backend: currentBackend });
    const m = data instanceof SparseMatrix ? data : data.matrix;
    const n = m.cols;
    const B = backend.heap.allocArray('f32', n * n);
    const b = B.view;
    for (let u = 0; u < m.rows; u++) {
      const { indices, values } = m.row(u);
      for (let p = 0; p < indices.length; p++)
        for (let q = 0; q < indices.length; q++) if (p !== q) b[indices[p] * n + indices[q]] += values[p] * values[q];
    }
    const ids = data instanceof SparseMatrix ? {} : { users: data.users as IdMap, items: data.items as IdMap };
    this.adoptFitted(new ItemMatrix(backend, B, n, m.rows), m, ids.users, ids.items);
    return this;
  }

  private get state(): ItemMatrix {
    return this.memory('scores') as ItemMatrix;
  }

  /** Row r of the result: Σ_j v_j·B[j, c] over the user's interactions, for every candidate column c. */
  protected scoreTopK(request: ScoreRequest): BatchRecommendation {
    const { B, items } = this.state;
    const b = B.view;
    const rows = request.users.length;
    const scores = new Float32Array(rows * request.cols);
    for (let r = 0; r < rows; r++) {
      const ui: UserItems = request.userItems(r) ?? { indices: [] };
      for (let c = 0; c < request.cols; c++) {
        const item = request.candidates ? request.candidates[c] : c;
        let s = 0;
        for (let p = 0; p < ui.indices.length; p++) s += (ui.values?.[p] ?? 1) * b[ui.indices[p] * items + item];
        scores[r * request.cols + c] = s;
      }
    }
    return selectTopK(scores, rows, request);
  }

  protected similarItemsTopK(request: SimilarRequest): BatchRecommendation {
    const { B, items } = this.state;
    const row = B.view.subarray(request.index * items, (request.index + 1) * items);
    const scores = Float32Array.from({ length: request.cols }, (_, c) => row[request.candidates?.[c] ?? c]);
    return selectTopK(scores, 1, request);
  }

  protected saveParts(): ModelParts {
    const { B, items, users } = this.state;
    return { header: { items, users }, arrays: [['B', B.view]] };
  }

  protected loadParts(backend: Backend, parts: LoadedParts): void {
    const { items, users } = parts.header as { items: number; users: number };
    const B = parts.arrays.get('B');
    if (!(B && 'heap' in B && B.length === items * items))
      throw inconsistent(this.modelType, `B must hold ${items}² values`);
    this.useMemory(new ItemMatrix(backend, B, items, users));
  }
}
registerModel('TestDenseItem', DenseItemModel);

let currentBackend: 'wasm' | 'js' = 'wasm';

function data(seed: number, users: number, items: number, perUser: number): SparseMatrix {
  const rand = rng(seed);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let u = 0; u < users; u++) {
    for (let j = 0; j < perUser; j++) {
      rows.push(u);
      cols.push(Math.floor(items * rand() ** 1.5));
      vals.push(1 + Math.floor(rand() * 3));
    }
  }
  return SparseMatrix.fromCOO({ rows, cols, values: vals, shape: [users, items], duplicates: 'last' });
}

for (const name of ['wasm', 'js'] as const) {
  describe(`a model scoring from an item × item matrix, through RecommenderBase (${name})`, () => {
    it('recommends what the oracle ranks, with every filter the base offers', async () => {
      currentBackend = name;
      await init({ backend: name });
      const R = data(3, 30, 25, 6);
      const model = await new DenseItemModel().fit(R);
      const dense = R.toDense();
      // r_u·B with B[j, i] = Σ_v r_vj·r_vi (j ≠ i): integers, exact in f32 and f64 alike.
      const score = (u: number, i: number) => {
        let s = 0;
        for (let u2 = 0; u2 < 30; u2++)
          for (let j = 0; j < 25; j++) if (j !== i) s += dense[u * 25 + j] * dense[u2 * 25 + j] * dense[u2 * 25 + i];
        return s;
      };
      for (const u of [0, 7, 29]) {
        const liked = R.row(u).indices;
        const want = oracleTopN((i) => score(u, i), 25, 5, { exclude: liked });
        const got = model.recommend(u, { n: 5 });
        expect(Array.from(got.items)).toEqual(want.items);
        expect(Array.from(got.scores)).toEqual(want.scores.map(Math.fround));
        const cands = [1, 3, 5, 7, 9, 11, 13];
        const filt = [3, 9];
        const w2 = oracleTopN((i) => score(u, i), 25, 3, { exclude: [...liked, ...filt], candidates: cands });
        expect(Array.from(model.recommend(u, { n: 3, items: cands, filterItems: filt }).items)).toEqual(w2.items);
        const w3 = oracleTopN((i) => score(u, i), 25, 4);
        expect(Array.from(model.recommend(u, { n: 4, filterAlreadyLiked: false }).items)).toEqual(w3.items);
      }
      // A new user scored straight from their interactions.
      const fresh = { indices: [2, 4], values: [1, 3] };
      const r = model.recommend(0, { n: 3, userItems: fresh, recalculateUser: true });
      for (const i of r.items) expect(fresh.indices).not.toContain(i);
      model.dispose();
    });

    it('batches equal single calls; similar items by the matrix; no similar users', async () => {
      currentBackend = name;
      await init({ backend: name });
      const R = data(5, 40, 30, 5);
      const model = await new DenseItemModel().fit(R);
      const users = Int32Array.from({ length: 40 }, (_, i) => 39 - i);
      const batch = model.recommendBatch(users, { n: 6, filterItems: [0, 1] });
      for (let r = 0; r < users.length; r++) {
        const one = model.recommend(users[r], { n: 6, filterItems: [0, 1] });
        expect(Array.from(batch.items.subarray(r * batch.n, r * batch.n + batch.counts[r]))).toEqual(
          Array.from(one.items),
        );
      }
      const sim = model.similarItems(4, { n: 5, filterItems: [4] });
      const B = (model as unknown as { state: ItemMatrix }).state.B.toArray();
      expect(Array.from(sim.items)).toEqual(oracleTopN((i) => B[4 * 30 + i], 30, 5, { exclude: [4] }).items);
      expect(() => model.similarUsers(0)).toThrow(NotSupportedError);
      expect(() => model.similarUsers(0)).toThrow(
        /TestDenseItem\.similarUsers: TestDenseItem learns no user similarity/,
      );
      model.dispose();
    });

    it('ids at the edges, save → load round trip, lifecycle', async () => {
      currentBackend = name;
      await init({ backend: name });
      const R = data(9, 20, 15, 4);
      const coo = R.toCOO();
      const inter = Interactions.fromRows(
        Array.from(coo.rows, (u, p) => ({ user: `u${u}`, item: `i${coo.cols[p]}`, value: coo.values[p] })),
      );
      const model = await new DenseItemModel({ shrink: 2 }).fit(inter);
      const byId = model.recommendById('u3', { n: 4, filterItems: ['i1'] });
      const u3 = inter.users.index('u3');
      const byIndex = model.recommend(u3, { n: 4, filterItems: [inter.items.index('i1')] });
      expect(byId.items).toEqual(byIndex.items);
      expect(byId.ids).toEqual(Array.from(byIndex.items, (i) => inter.items.id(i)));
      expect(model.similarItemsById('i2', { n: 3 }).items).toEqual(
        model.similarItems(inter.items.index('i2'), { n: 3 }).items,
      );

      const bytes = model.save();
      const back = loadModel(bytes);
      expect(back).toBeInstanceOf(DenseItemModel);
      expect(back.options).toEqual({ shrink: 2 });
      expect(back.recommendById('u3', { n: 4, filterItems: ['i1'] })).toEqual(byId);
      expect(back.recommendBatch([0, 1, 2], { n: 5 })).toEqual(model.recommendBatch([0, 1, 2], { n: 5 }));
      expect(back.save()).toEqual(bytes);
      // Saved without interactions, it knows no user's row: every score is 0 unless userItems are given.
      const bare = DenseItemModel.load(model.save({ includeInteractions: false }));
      expect(Array.from(bare.recommend(0, { n: 3 }).scores)).toEqual([0, 0, 0]);
      const row = inter.matrix.row(u3);
      expect(bare.recommend(u3, { n: 4, userItems: row })).toEqual(model.recommend(u3, { n: 4 }));
      bare.dispose();
      // A FactorModel class refuses it; a corrupt part is a ModelFormatError from the model's own check.
      const { FactorModel } = await import('../../src/models/common/factor-model.js');
      expect(() => FactorModel.load(bytes)).toThrow(/holds a TestDenseItem model, not FactorModel/);
      expect(() => new DenseItemModel().recommend(0)).toThrow(NotFittedError);
      model.dispose();
      expect(model.isDisposed).toBe(true);
      expect(() => model.recommend(0)).toThrow(DisposedError);
      back.dispose();
    });
  });
}
