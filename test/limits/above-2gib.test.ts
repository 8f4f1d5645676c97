// Exact above 2 GiB: the core computations run once low in the heap and once with every allocation at or
// above 2 GiB (Heap.reserveBelow takes every free byte below; those pages are never written, so the test
// costs address space, not memory), and must agree bit for bit — on 'wasm' and on 'wasm-threads' (pool
// restarted so its control block lies high too). Offsets past 2^31 are where signed arithmetic (`>> 3`,
// i32 pointers) breaks: before the fix truncatedSVD returned s = [0, 0, 0] here and recommend garbage.
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { init, terminate } from '../../src/runtime/backend.js';
import { synthetic } from '../../src/data/synthetic.js';
import { ImplicitALS, ALS } from '../../src/models/als/index.js';
import { truncatedSVD } from '../../src/svd/index.js';
import { PureSVD } from '../../src/models/puresvd/puresvd.js';
import { loadModel } from '../../src/models/load.js';
import type { FactorModel } from '../../src/models/common/factor-model.js';
import { rankingMetrics, trainTestSplit } from '../../src/eval/index.js';

const TWO_GIB = 2 ** 31;
const sha = (a: ArrayBufferView) =>
  createHash('sha256')
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex')
    .slice(0, 16);

/** Everything the core suite computes, hashed. Fresh matrices each time, so their heap copies move too. */
async function core(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const data = () => synthetic({ users: 1200, items: 400, rank: 5, density: 0.12, seed: 5 }).matrix;
  for (const method of ['lanczos', 'randomized'] as const) {
    for (const center of ['none', 'rows'] as const) {
      const d = data();
      const r = await truncatedSVD(d, { k: 4, seed: 9, method, center });
      out[`svd.${method}.${center}`] = sha(r.s) + sha(r.U) + sha(r.V);
      d.dispose();
    }
  }
  // Large enough (480k entries) for the SVD's products to be split over the pool on 'wasm-threads'.
  const big = synthetic({ users: 4000, items: 1000, rank: 5, density: 0.12, seed: 6 }).matrix;
  const r = await truncatedSVD(big, { k: 4, seed: 9 });
  out['svd.large'] = sha(r.s) + sha(r.U) + sha(r.V);
  big.dispose();
  const models: [string, () => FactorModel][] = [
    ['implicit-cg', () => new ImplicitALS({ factors: 8, iterations: 3, seed: 1, calculateTrainingLoss: true })],
    ['implicit-cholesky', () => new ImplicitALS({ factors: 8, iterations: 3, seed: 1, solver: 'cholesky' })],
    ['als', () => new ALS({ factors: 6, iterations: 3, seed: 1 })],
    ['puresvd', () => new PureSVD({ factors: 6, seed: 2 })],
  ];
  const users = Array.from({ length: 400 }, (_, i) => i);
  for (const [name, make] of models) {
    const m = data();
    const model: FactorModel = await (make() as ImplicitALS).fit(m);
    const add = (what: string, ...a: ArrayBufferView[]) => (out[`${name}.${what}`] = a.map(sha).join(''));
    const rec = model.recommend(3, { n: 10 });
    add('recommend', rec.items, rec.scores);
    const batch = model.recommendBatch(users, { n: 10 });
    add('recommendBatch', batch.items, batch.scores);
    const sim = model.similarItems(5, { n: 10 });
    add('similarItems', sim.items, sim.scores);
    const simU = model.similarUsers(5, { n: 10 });
    add('similarUsers', simU.items, simU.scores);
    const folded = model.recommend(7, { n: 10, recalculateUser: true });
    add('fold-in', folded.items, folded.scores, model.recalculateUser(m.row(7)));
    const bytes = model.save();
    add('save', bytes);
    const loaded = loadModel(bytes);
    const again = loaded.recommendBatch(users.slice(0, 50), { n: 5 });
    add('load', again.items, again.scores);
    loaded.dispose();
    if (model instanceof ImplicitALS) {
      out[`${name}.loss`] = String(model.loss());
      out[`${name}.explain`] = JSON.stringify(model.explain(2, 9));
      model.partialFitUsers([1, 1300], [m.row(2), m.row(3)]);
      add('partialFitUsers', model.userFactors);
    }
    if (model instanceof ALS) add('predict', model.predict([0, 1, 2], [3, 4, 5]));
    model.dispose();
    m.dispose();
  }
  const { train, test } = trainTestSplit(data(), { testFraction: 0.2, seed: 3 });
  const model = await new ImplicitALS({ factors: 8, iterations: 2, seed: 1 }).fit(train);
  out.rankingMetrics = JSON.stringify(rankingMetrics(model, train, test, { k: 10 }));
  model.dispose();
  train.dispose();
  test.dispose();
  return out;
}

describe.each(['wasm', 'wasm-threads'] as const)('every offset past 2 GiB (%s)', (name) => {
  it('the core suite gives bit-identical results low in the heap and above 2 GiB', async () => {
    const b = await init({ backend: name, threads: name === 'wasm-threads' ? 2 : undefined });
    const low = await core();
    const release = b.heap.reserveBelow(TWO_GIB + (16 << 20));
    try {
      if (b.pool) {
        await b.pool.dispose();
        await b.pool.start();
      }
      const probe = b.heap.alloc(16);
      expect(probe).toBeGreaterThanOrEqual(TWO_GIB);
      b.heap.free(probe);
      const jobs = b.pool?.stats.parallelJobs ?? 0;
      const high = await core();
      expect(high).toEqual(low);
      // On 'wasm-threads' the ALS half-steps, YᵀY, SVD products and batches ran on the pool, high too.
      if (b.pool) expect(b.pool.stats.parallelJobs).toBeGreaterThan(jobs + 50);
    } finally {
      release();
    }
  }, 120_000);
});

afterAll(() => terminate());
