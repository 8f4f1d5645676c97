// BPR and LogisticMF exact above 2 GiB (as test/limits/above-2gib.test.ts does for the ALS and SVD core):
// the same fits, serving, fold-in and save run low in the heap and with every allocation at or above
// 2 GiB, and must agree bit for bit, on 'wasm' and on 'wasm-threads' (the epochs split over the pool).
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { init, terminate } from '../../src/runtime/backend.js';
import { synthetic } from '../../src/data/synthetic.js';
import { BPR } from '../../src/models/bpr/index.js';
import { LogisticMF } from '../../src/models/lmf/index.js';
import { loadModel } from '../../src/models/index.js';
import type { FactorModel } from '../../src/models/common/factor-model.js';
import { forceParallel, restoreThresholds } from '../threads/helpers.js';

const TWO_GIB = 2 ** 31;
const sha = (a: ArrayBufferView) =>
  createHash('sha256')
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex')
    .slice(0, 16);

async function core(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const models: [string, () => BPR | LogisticMF][] = [
    ['bpr', () => new BPR({ factors: 10, iterations: 3, seed: 1 })],
    ['lmf', () => new LogisticMF({ factors: 7, iterations: 3, seed: 1 })],
  ];
  for (const [name, make] of models) {
    const m = synthetic({ users: 600, items: 300, rank: 5, density: 0.08, implicit: true, seed: 5 }).matrix;
    const model: FactorModel = await make().fit(m);
    const add = (what: string, ...a: ArrayBufferView[]) => {
      out[`${name}.${what}`] = a.map(sha).join('');
    };
    add('factors', (model as BPR).userFactors, (model as BPR).itemFactors);
    const batch = model.recommendBatch(
      Array.from({ length: 200 }, (_, i) => i),
      { n: 10 },
    );
    add('recommendBatch', batch.items, batch.scores);
    add('fold-in', model.recalculateUser(m.row(7)));
    const loaded = loadModel(model.save());
    add('load', loaded.recommend(3, { n: 10 }).items);
    loaded.dispose();
    model.dispose();
  }
  return out;
}

describe.each(['wasm', 'wasm-threads'] as const)('BPR and LogisticMF past 2 GiB (%s)', (name) => {
  it('fit, serving, fold-in and save give the same bits low in the heap and above 2 GiB', async () => {
    const b = await init({ backend: name, threads: name === 'wasm-threads' ? 2 : undefined });
    forceParallel();
    try {
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
        expect(await core()).toEqual(low);
        if (b.pool) expect(b.pool.stats.parallelJobs).toBeGreaterThan(jobs + 12);
      } finally {
        release();
      }
    } finally {
      restoreThresholds();
    }
  }, 120_000);
});

afterAll(() => terminate());
