// BPR through the model contract (test/models/contract.ts) and its own guarantees: the result depends on
// the seed and `blocks` only, and quality holds across block counts.
import { describe, expect, it } from 'vitest';
import { init, terminate } from '../../../src/runtime/backend.js';
import { BPR } from '../../../src/models/bpr/index.js';
import { rankingMetrics } from '../../../src/eval/index.js';
import { contractSuite } from '../contract.js';
import { groupedMatrix, holdOut } from '../helpers.js';
import { forceParallel, restoreThresholds, sameBits } from '../../threads/helpers.js';
import { ModelFitError } from '../../../src/errors.js';

contractSuite('BPR', BPR, { factors: 8, iterations: 4, blocks: 4 }, 9);

describe('BPR: blocks', () => {
  it('another block count gives other factors, and precision within noise (seeds 1–3)', async () => {
    await init({ backend: 'wasm' });
    const m = groupedMatrix(9, 300, 120, 4, 10);
    const [train, test] = holdOut(m, 2);
    const p: Record<number, number[]> = { 1: [], 4: [] };
    for (const seed of [1, 2, 3]) {
      for (const blocks of [1, 4]) {
        const model = await new BPR({ seed, blocks }).fit(train);
        p[blocks].push(rankingMetrics(model, train, test, { k: 10 }).precision);
      }
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    expect(Math.abs(mean(p[1]) - mean(p[4]))).toBeLessThan(0.04);
    const a = await new BPR({ seed: 1, blocks: 2, iterations: 2 }).fit(train);
    const b = await new BPR({ seed: 1, blocks: 3, iterations: 2 }).fit(train);
    expect(sameBits(a.itemFactors, b.itemFactors)).toBe(false);
  });

  it('the user bias column is 1 and unseen items keep zero factors only until sampled as negatives', async () => {
    await init({ backend: 'wasm' });
    const m = groupedMatrix(2, 50, 40, 2, 6);
    const model = await new BPR({ factors: 4, iterations: 2, seed: 1 }).fit(m);
    const X = model.userFactors;
    for (let u = 0; u < 50; u++) expect(X[u * 5 + 4]).toBe(1);
  });

  it('a diverging fit throws ModelFitError naming learningRate, and the model keeps its previous state', async () => {
    await init({ backend: 'wasm' });
    const m = groupedMatrix(2, 50, 40, 2, 6);
    const model = await new BPR({ factors: 4, iterations: 2, seed: 1 }).fit(m);
    const bad = new BPR({ factors: 4, iterations: 20, learningRate: 1e4, regularization: 0.05, seed: 1 });
    await expect(bad.fit(m)).rejects.toThrow(ModelFitError);
    await expect(bad.fit(m)).rejects.toThrow(/learningRate/);
    expect(bad.isFitted).toBe(false);
    expect(model.isFitted).toBe(true);
  });

  it('3 threads (one call per inner step, as with more threads than groups) give the bits of 1 and 2', async () => {
    const m = groupedMatrix(3, 120, 70, 3, 8);
    await init({ backend: 'wasm' });
    const a = await new BPR({ factors: 6, iterations: 3, seed: 4 }).fit(m);
    forceParallel();
    try {
      for (const threads of [2, 3]) {
        const t = await init({ backend: 'wasm-threads', threads });
        const jobs = () => t.pool?.stats.parallelJobs ?? 0;
        const before = jobs();
        const b = await new BPR({ factors: 6, iterations: 3, seed: 4 }).fit(m);
        // 2 threads: one call per super-step (2 per epoch); 3: one per inner step (8 per epoch).
        expect(jobs() - before).toBeGreaterThanOrEqual(threads === 2 ? 6 : 24);
        expect(sameBits(a.userFactors, b.userFactors)).toBe(true);
        expect(sameBits(a.itemFactors, b.itemFactors)).toBe(true);
      }
    } finally {
      restoreThresholds();
      await terminate();
      await init({ backend: 'wasm' });
    }
  });
});
