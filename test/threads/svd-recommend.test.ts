// SVD (matrix–vector products split by rows) and recommendBatch (split by users) on 'wasm-threads' agree
// with the single-threaded backend: the SVD to 1e-12 (it is in fact bit-identical), the top-N exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, terminate } from '../../src/runtime/backend.js';
import { truncatedSVD } from '../../src/svd/truncated.js';
import { ImplicitALS } from '../../src/models/als/implicit.js';
import { rankingMetrics } from '../../src/eval/ranking.js';
import { forceParallel, restoreThresholds, sameBits, skewedMatrix } from './helpers.js';

const m = skewedMatrix(3, 400, 250);

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe("'wasm-threads' vs 'wasm'", () => {
  beforeAll(forceParallel);
  afterAll(async () => {
    restoreThresholds();
    await terminate();
  });

  for (const center of ['none', 'rows'] as const) {
    it(`truncatedSVD (center ${center}) equals the single-threaded result to 1e-12`, async () => {
      await init({ backend: 'wasm' });
      const a = await truncatedSVD(m, { k: 6, seed: 2, center });
      const be = await init({ backend: 'wasm-threads', threads: 2 });
      const before = be.pool!.stats.parallelJobs;
      const b = await truncatedSVD(m, { k: 6, seed: 2, center });
      expect(be.pool!.stats.parallelJobs - before).toBeGreaterThanOrEqual(b.matvecs);
      expect(b.matvecs).toBe(a.matvecs);
      expect(maxAbsDiff(a.s, b.s)).toBeLessThanOrEqual(1e-12 * a.s[0]);
      expect(maxAbsDiff(a.U, b.U)).toBeLessThanOrEqual(1e-12);
      expect(maxAbsDiff(a.V, b.V)).toBeLessThanOrEqual(1e-12);
    });
  }

  it('recommendBatch and rankingMetrics are identical', async () => {
    await init({ backend: 'wasm' });
    const a = await new ImplicitALS({ factors: 16, iterations: 2, seed: 1 }).fit(m);
    const be = await init({ backend: 'wasm-threads', threads: 2 });
    const b = await new ImplicitALS({ factors: 16, iterations: 2, seed: 1 }).fit(m);
    const users = Int32Array.from({ length: 300 }, (_, i) => (i * 7) % 400);
    const before = be.pool!.stats.parallelJobs;
    for (const opts of [
      { n: 10 },
      { n: 5, items: Array.from({ length: 120 }, (_, i) => 2 * i) },
      { n: 7, filterAlreadyLiked: false },
    ]) {
      const ra = a.recommendBatch(users, opts);
      const rb = b.recommendBatch(users, opts);
      expect(Array.from(rb.items)).toEqual(Array.from(ra.items));
      expect(sameBits(ra.scores, rb.scores)).toBe(true);
      expect(Array.from(rb.counts)).toEqual(Array.from(ra.counts));
    }
    expect(be.pool!.stats.parallelJobs - before).toBe(3);
    expect(rankingMetrics(b, m, m, { k: 5, batchSize: 100 })).toEqual(
      rankingMetrics(a, m, m, { k: 5, batchSize: 100 }),
    );
  });
});
