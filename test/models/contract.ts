// The model contract every SGD model here must keep, run for BPR and LogisticMF: reproducible fits
// (seed → bits, whatever the backend's thread count), the JS twin agreeing with WASM, fit options
// (onIteration, validation with early stopping, abort), serving by index and id, save/load, fold-in, and
// ranking above popularity on data with structure.
import { afterAll, describe, expect, it } from 'vitest';
import { init, terminate } from '../../src/runtime/backend.js';
import { loadModel } from '../../src/models/index.js';
import type { FactorModel } from '../../src/models/common/factor-model.js';
import { Interactions } from '../../src/data/interactions.js';
import { rankingMetrics } from '../../src/eval/index.js';
import { AbortError, ValidationError } from '../../src/errors.js';
import { forceParallel, restoreThresholds, sameBits } from '../threads/helpers.js';
import { groupedMatrix, holdOut, maxAbsDiff, popularity } from './helpers.js';

interface SgdModel extends FactorModel {
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly options: Record<string, unknown> & { seed: number; iterations: number };
  fit(m: unknown, o?: unknown): Promise<this>;
}
type Ctor = new (o?: Record<string, unknown>) => SgdModel;

/** The contract suite for `Model`, fitted with `small` (few factors and iterations) in the fast tests. */
export function contractSuite(name: string, Model: Ctor, small: Record<string, unknown>, dim: number): void {
  const m = groupedMatrix(7, 200, 90, 3, 10);

  describe(`${name}: reproducible`, () => {
    afterAll(async () => {
      restoreThresholds();
      await terminate();
    });

    it('the same seed gives the same bits; another seed other factors', async () => {
      await init({ backend: 'wasm' });
      const a = await new Model({ ...small, seed: 3 }).fit(m);
      const b = await new Model({ ...small, seed: 3 }).fit(m);
      const c = await new Model({ ...small, seed: 4 }).fit(m);
      expect(sameBits(a.userFactors, b.userFactors)).toBe(true);
      expect(sameBits(a.itemFactors, b.itemFactors)).toBe(true);
      expect(sameBits(a.itemFactors, c.itemFactors)).toBe(false);
      expect(a.userFactors.length).toBe(200 * dim);
    });

    it("'wasm-threads' with 2 threads (every step split) gives the bits of 'wasm'", async () => {
      await init({ backend: 'wasm' });
      const a = await new Model({ ...small, seed: 5 }).fit(m);
      const t = await init({ backend: 'wasm-threads', threads: 2 });
      forceParallel();
      const jobs = () => t.pool?.stats.parallelJobs ?? 0;
      const before = jobs();
      const b = await new Model({ ...small, seed: 5 }).fit(m);
      const c = await new Model({ ...small, seed: 5 }).fit(m);
      restoreThresholds();
      expect(jobs() - before).toBeGreaterThanOrEqual(2 * (small.iterations as number));
      expect(sameBits(a.userFactors, b.userFactors)).toBe(true);
      expect(sameBits(a.itemFactors, b.itemFactors)).toBe(true);
      expect(sameBits(b.itemFactors, c.itemFactors)).toBe(true);
      await init({ backend: 'wasm' });
    });

    it("the 'js' backend (the twins) agrees with 'wasm' to rounding", async () => {
      await init({ backend: 'wasm' });
      const a = await new Model({ ...small, iterations: 3, seed: 6 }).fit(m);
      await init({ backend: 'js' });
      const b = await new Model({ ...small, iterations: 3, seed: 6 }).fit(m);
      expect(maxAbsDiff(a.itemFactors, b.itemFactors)).toBeLessThan(1e-4);
      expect(maxAbsDiff(a.userFactors, b.userFactors)).toBeLessThan(1e-4);
      await init({ backend: 'wasm' });
    });
  });

  describe(`${name}: fit options, serving, persistence`, () => {
    it('onIteration once per iteration; validation with patience stops early and keeps the best', async () => {
      await init({ backend: 'wasm' });
      const [train, test] = holdOut(m, 1);
      const seen: number[] = [];
      const vals: number[] = [];
      const model = await new Model({ ...small, iterations: 40, seed: 2 }).fit(train, {
        onIteration: (i: { iteration: number; validation?: { value: number } }) => {
          seen.push(i.iteration);
          if (i.validation) vals.push(i.validation.value);
        },
        validation: { data: test, metric: 'precision@10', patience: 2 },
      });
      expect(seen[0]).toBe(0);
      expect(seen).toEqual(seen.map((_, i) => i));
      expect(vals.length).toBe(seen.length);
      const best = Math.max(...vals);
      expect(rankingMetrics(model, train, test, { k: 10 }).precision).toBeCloseTo(best, 10);
    });

    it('an aborted fit throws AbortError and leaves the fitted model as it was', async () => {
      await init({ backend: 'wasm' });
      const model = await new Model({ ...small, seed: 1 }).fit(m);
      const before = model.itemFactors;
      const ac = new AbortController();
      const p = model.fit(m, { onIteration: () => ac.abort(), signal: ac.signal });
      await expect(p).rejects.toBeInstanceOf(AbortError);
      expect(sameBits(model.itemFactors, before)).toBe(true);
    });

    it('save → loadModel keeps the class, options, factors and recommendations', async () => {
      await init({ backend: 'wasm' });
      const model = await new Model({ ...small, seed: 8 }).fit(m);
      const loaded = loadModel(model.save()) as SgdModel;
      expect(loaded).toBeInstanceOf(Model);
      expect(loaded.options).toEqual(model.options);
      expect(sameBits(loaded.userFactors, model.userFactors)).toBe(true);
      expect(sameBits(loaded.itemFactors, model.itemFactors)).toBe(true);
      expect(loaded.recommend(4, { n: 7 })).toEqual(model.recommend(4, { n: 7 }));
      const row = { indices: [1, 5, 9, 30] };
      expect(sameBits(loaded.recalculateUser(row), model.recalculateUser(row))).toBe(true);
      const batch = model.recommendBatch([0, 3, 5], { n: 5 });
      expect(batch.items.subarray(5, 10)).toEqual(model.recommend(3, { n: 5 }).items);
    });

    it('similarItems ranks by the cosine of the latent factors (bias columns left out)', async () => {
      await init({ backend: 'wasm' });
      const model = await new Model({ ...small, seed: 2 }).fit(m);
      const Y = model.itemFactors;
      const k = model.options.factors as number;
      const cos = (a: number, b: number) => {
        let d = 0;
        let na = 0;
        let nb = 0;
        for (let c = 0; c < k; c++) {
          d += Y[a * dim + c] * Y[b * dim + c];
          na += Y[a * dim + c] ** 2;
          nb += Y[b * dim + c] ** 2;
        }
        return d / Math.sqrt(na * nb);
      };
      const r = model.similarItems(3, { n: 5 });
      expect(r.items[0]).toBe(3);
      for (let q = 0; q < 5; q++) expect(r.scores[q]).toBeCloseTo(cos(3, r.items[q]), 4);
    });

    it('fits Interactions and serves by id', async () => {
      await init({ backend: 'wasm' });
      const data = Interactions.fromRows([
        ['ann', 'x', 3],
        ['ann', 'y', 1],
        ['bob', 'y', 2],
        ['bob', 'z', 5],
        ['cat', 'x', 1],
      ]);
      const model = await new Model({ ...small, factors: 2, seed: 1 }).fit(data);
      const r = model.recommendById('cat', { n: 2 });
      expect(r.ids.length).toBe(2);
      expect(r.ids).not.toContain('x');
      expect(model.similarItemsById('x', { n: 1 }).ids).toEqual(['x']);
    });

    it('rejects unknown and out-of-range options with the option named', () => {
      expect(() => new Model({ factorz: 3 })).toThrow(ValidationError);
      expect(() => new Model({ factors: 0 })).toThrow(/factors/);
      expect(() => new Model({ learningRate: 0 })).toThrow(/learningRate/);
      expect(() => new Model({ iterations: -1 })).toThrow(/iterations/);
    });
  });

  describe(`${name}: quality`, () => {
    it('ranks held-out items above popularity (precision@10) on grouped data; fold-in ranks near the fitted rows', async () => {
      await init({ backend: 'wasm' });
      // 4 taste groups, 90 % of each user's items in its group: popularity gets 0.36, ImplicitALS 0.44–0.46
      // (seeds 1–3), BPR 0.42–0.43, LogisticMF 0.43–0.45.
      const [train, test] = holdOut(groupedMatrix(7, 300, 120, 4, 10, 0.9), 3);
      const model = await new Model({ seed: 1 }).fit(train);
      const ours = rankingMetrics(model, train, test, { k: 10 }).precision;
      const pop = rankingMetrics(popularity(train), train, test, { k: 10 }).precision;
      expect(ours).toBeGreaterThan(1.1 * pop);
      // Fold every user in from its training row: the lists stay about as good.
      let hits = 0;
      let users = 0;
      for (let u = 0; u < train.rows; u++) {
        const want = test.row(u).indices;
        if (want.length === 0) continue;
        users++;
        const got = model.recommend(u, { n: 10, interactions: train, recalculateUser: true }).items;
        if (Array.from(got).some((i) => want.includes(i))) hits++;
      }
      expect(hits / users).toBeGreaterThan(ours * 0.8);
    });
  });
}
