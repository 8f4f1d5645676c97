// Factors from the 'wasm-threads' backend must be bit-identical to the single-threaded 'wasm' backend
// (each row's solve reads only the previous half-iteration's factors; YᵀY is split by entries).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, terminate } from '../../src/runtime/backend.js';
import { defaultThreads, sharedMemoryAvailable } from '../../src/runtime/threads.js';
import { ImplicitALS } from '../../src/models/als/implicit.js';
import { ALS } from '../../src/models/als/explicit.js';
import { forceParallel, restoreThresholds, sameBits, skewedMatrix } from './helpers.js';

const m = skewedMatrix(11, 500, 300);

async function fitBoth<T extends { userFactors: Float32Array; itemFactors: Float32Array }>(
  make: () => T & { fit(x: unknown): Promise<unknown> },
) {
  await init({ backend: 'wasm' });
  const a = make();
  await a.fit(m);
  const b3 = await init({ backend: 'wasm-threads', threads: 2 });
  const before = b3.pool!.stats.parallelJobs;
  const b = make();
  await b.fit(m);
  return { a, b, parallelJobs: b3.pool!.stats.parallelJobs - before };
}

describe('ALS factors: 1 thread vs 2 threads', () => {
  beforeAll(forceParallel);
  afterAll(async () => {
    restoreThresholds();
    await terminate();
  });

  for (const solver of ['cholesky', 'cg'] as const) {
    it(`ImplicitALS (${solver}) is bit-identical`, async () => {
      const { a, b, parallelJobs } = await fitBoth(
        () => new ImplicitALS({ factors: 24, iterations: 3, seed: 5, solver, alpha: 2 }),
      );
      expect(parallelJobs).toBeGreaterThanOrEqual(12); // 3 iterations × (2 Grams + 2 half-steps)
      expect(sameBits(a.userFactors, b.userFactors)).toBe(true);
      expect(sameBits(a.itemFactors, b.itemFactors)).toBe(true);
    });
  }

  it('the default init() runs every core and gives the same bits as init({ threads: 1 })', async () => {
    await init({ threads: 1 });
    const a = new ImplicitALS({ factors: 20, iterations: 2, seed: 4 });
    await a.fit(m);
    const d = await init();
    // Node: every logical CPU; a browser: hardwareConcurrency, when the page is cross-origin isolated.
    const cores = sharedMemoryAvailable() ? await defaultThreads() : 1;
    expect(d.name).toBe(cores > 1 ? 'wasm-threads' : 'wasm');
    if (cores > 1) expect(d.pool!.threads).toBe(cores);
    const b = new ImplicitALS({ factors: 20, iterations: 2, seed: 4 });
    await b.fit(m);
    expect(sameBits(a.userFactors, b.userFactors)).toBe(true);
    expect(sameBits(a.itemFactors, b.itemFactors)).toBe(true);
  });

  it('explicit ALS (biases, weighted λ) is bit-identical', async () => {
    const { a, b, parallelJobs } = await fitBoth(() => new ALS({ factors: 12, iterations: 3, seed: 9 }));
    expect(parallelJobs).toBeGreaterThanOrEqual(6);
    expect(sameBits(a.userFactors, b.userFactors)).toBe(true);
    expect(sameBits(a.itemFactors, b.itemFactors)).toBe(true);
    expect(sameBits(a.userBiases, b.userBiases)).toBe(true);
  });
});
