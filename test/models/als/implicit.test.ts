// ImplicitALS model: options, determinism, loss, solvers, backends, errors, cancellation, serving helpers.
import { describe, expect, it } from 'vitest';
import { init } from '../../../src/runtime/backend.js';
import { SparseMatrix } from '../../../src/data/csr.js';
import { AbortError, ModelFitError, NotFittedError, ValidationError } from '../../../src/errors.js';
import { ImplicitALS } from '../../../src/models/als/index.js';
import { confidenceScaleOf, implicitLossDense, implicitRowOracle, randomMatrix, relErr } from './helpers.js';

/** lowrank 0.1's weighting: c = 1 + α·r and plain λ, which the closed-form oracles below assume. */
const PLAIN = { confidence: 'linear', scaleConfidence: false, frequencyScaling: 0 } as const;
const counts = (seed: number, rows = 40, cols = 30, density = 0.15) =>
  randomMatrix(seed, rows, cols, density, (r) => 1 + Math.floor(r.next() * 4));

describe('ImplicitALS options', () => {
  it('fills defaults and returns them', () => {
    const o = new ImplicitALS({ seed: 3 }).options;
    expect(o).toEqual({
      factors: 'auto',
      regularization: 'auto',
      alpha: 'auto',
      confidence: 'log',
      epsilon: 1,
      scaleConfidence: true,
      frequencyScaling: 1,
      iterations: 15,
      solver: 'cg',
      cgSteps: 3,
      blockSize: 0,
      seed: 3,
      calculateTrainingLoss: false,
    });
    expect(typeof new ImplicitALS().options.seed).toBe('number');
  });
  it.each([
    [{ factors: 0 }, /factors must be an integer in \[1, 4096\] or 'auto', got 0/],
    [{ factors: 'many' }, /factors must be an integer in \[1, 4096\] or 'auto', got "many"/],
    [{ regularization: 'auto ' }, /regularization must be a finite number ≥ 0 or 'auto'/],
    [{ factors: -3 }, /factors/],
    [{ factors: 2.5 }, /factors/],
    [{ regularization: -0.1 }, /regularization must be a finite number ≥ 0/],
    [{ alpha: NaN }, /alpha must be a finite number/],
    [{ solver: 'lu' }, /solver must be 'cg', 'cholesky' or 'ials\+\+', got "lu"/],
    [{ confidence: 'sqrt' }, /confidence must be 'linear' or 'log'/],
    [{ epsilon: 0 }, /epsilon must be a finite number > 0/],
    [{ frequencyScaling: -1 }, /frequencyScaling must be a finite number ≥ 0/],
    [{ frequencyScaling: 2.5 }, /frequencyScaling must be a finite number in \[0, 2\], got 2.5/],
    [{ scaleConfidence: 1 }, /scaleConfidence must be true or false/],
    [{ cgSteps: 0 }, /cgSteps/],
    [{ iterations: -1 }, /iterations/],
    [{ seed: Infinity }, /seed/],
    [{ factor: 10 }, /unknown option "factor"/],
  ])('rejects %o', (opts, msg) => {
    expect(() => new ImplicitALS(opts as never)).toThrow(ValidationError);
    expect(() => new ImplicitALS(opts as never)).toThrow(msg);
  });
  it('rejects a non-matrix input and bad fit options', async () => {
    await init({ backend: 'js' });
    await expect(new ImplicitALS().fit([[1]] as never)).rejects.toThrow(ValidationError);
    await expect(new ImplicitALS().fit(counts(1), { onIteration: 3 } as never)).rejects.toThrow(
      /onIteration must be a function/,
    );
  });
  it('throws NotFittedError before fit', () => {
    expect(() => new ImplicitALS().userFactors).toThrow(NotFittedError);
  });
});

for (const name of ['wasm', 'js'] as const) {
  describe(`ImplicitALS (${name})`, () => {
    it('same seed ⇒ identical factors; another seed differs', async () => {
      await init({ backend: name });
      const m = counts(2);
      const fit = async (seed: number) =>
        (await new ImplicitALS({ factors: 8, iterations: 3, seed }).fit(m)).userFactors;
      const a = await fit(7);
      expect(await fit(7)).toEqual(a);
      expect(await fit(8)).not.toEqual(a);
    });

    for (const weighting of ['plain', 'scaled'] as const) {
      it(`Cholesky: loss never increases, onIteration reports each iteration, final loss = dense objective (${weighting})`, async () => {
        await init({ backend: name });
        const m = counts(3);
        const reports: { iteration: number; loss?: number; seconds: number }[] = [];
        // plain: HKV with plain λ and c = 1 + α·r; scaled: the defaults' log confidence over its mean and λ·(Σc)^ν
        const opts =
          weighting === 'plain'
            ? { ...PLAIN, alpha: 5, regularization: 0.1 }
            : { alpha: 3, regularization: 0.2, frequencyScaling: 0.7 };
        const model = new ImplicitALS({
          factors: 6,
          iterations: 8,
          solver: 'cholesky',
          calculateTrainingLoss: true,
          seed: 1,
          ...opts,
        });
        await model.fit(m, { onIteration: (r) => reports.push(r) });
        expect(reports.map((r) => r.iteration)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
        for (const r of reports) expect(r.seconds).toBeGreaterThanOrEqual(0);
        for (let i = 1; i < reports.length; i++)
          expect(reports[i].loss!).toBeLessThanOrEqual(reports[i - 1].loss! * (1 + 1e-9));
        expect(reports[reports.length - 1].loss!).toBeLessThan(reports[0].loss!);
        const p =
          weighting === 'plain'
            ? { lambda: 0.1, alpha: 5 }
            : { lambda: 0.2, alpha: 3, log: true, scale: confidenceScaleOf(m, { log: true }), nu: 0.7 };
        const dense = implicitLossDense(model.userFactors, model.itemFactors, m, 6, p);
        expect(Math.abs(reports[reports.length - 1].loss! - dense) / dense).toBeLessThan(1e-6);
        expect(Math.abs(model.loss() - dense) / dense).toBeLessThan(1e-6);
      });
    }

    it('CG converges towards the Cholesky solution; loss is reported without calculateTrainingLoss only when asked', async () => {
      await init({ backend: name });
      const m = counts(4);
      const seen: (number | undefined)[] = [];
      const cg = await new ImplicitALS({ factors: 6, iterations: 15, seed: 2, alpha: 5, regularization: 0.1 }).fit(m, {
        onIteration: (r) => seen.push(r.loss),
      });
      expect(seen.every((l) => l === undefined)).toBe(true);
      const ch = await new ImplicitALS({
        factors: 6,
        iterations: 15,
        seed: 2,
        alpha: 5,
        regularization: 0.1,
        solver: 'cholesky',
      }).fit(m);
      expect(Math.abs(cg.loss() - ch.loss()) / ch.loss()).toBeLessThan(0.05);
    });

    it('recalculateUser equals the dense closed-form solution to 1e-5; empty rows get zero factors', async () => {
      await init({ backend: name });
      const m = randomMatrix(5, 30, 25, 0.2, (r) => 1 + Math.floor(r.next() * 4));
      const model = await new ImplicitALS({
        ...PLAIN,
        factors: 8,
        iterations: 2,
        alpha: 4,
        regularization: 0.05,
        seed: 3,
        confidence: 'log',
        epsilon: 2,
      }).fit(m);
      const Y = model.itemFactors;
      const row = { indices: [1, 4, 7, 20], values: [3, 1, -2, 5] };
      const want = implicitRowOracle(Y, 25, 8, row.indices, row.values, { lambda: 0.05, alpha: 4, log: true, eps: 2 });
      expect(relErr(model.recalculateUser(row), want)).toBeLessThan(1e-5);
      // the defaults: confidence scaled by the training data's mean log value, λ_u = λ·(Σ c)^ν, with the
      // λ and α derived from the data (the fitted model's options show them)
      const d = await new ImplicitALS({ factors: 8, iterations: 2, seed: 3 }).fit(m);
      const { regularization, alpha, frequencyScaling } = d.options as unknown as { [k: string]: number };
      const pd = {
        lambda: regularization,
        alpha,
        log: true,
        scale: confidenceScaleOf(m, { log: true }),
        nu: frequencyScaling,
      };
      expect(
        relErr(d.recalculateUser(row), implicitRowOracle(d.itemFactors, 25, 8, row.indices, row.values, pd)),
      ).toBeLessThan(1e-5);
      expect(Array.from(model.recalculateUser({ indices: [] }))).toEqual(new Array(8).fill(0));
      expect(() => model.recalculateUser({ indices: [25] })).toThrow(/outside \[0, 25\)/);
      // a matrix with empty rows and columns
      const e = SparseMatrix.fromCOO({ rows: [0, 0, 2, 2, 3], cols: [0, 2, 2, 3, 0], shape: [5, 6] });
      for (const solver of ['cg', 'cholesky'] as const) {
        const z = await new ImplicitALS({ factors: 3, iterations: 3, seed: 1, solver }).fit(e);
        expect(Array.from(z.userFactors.subarray(3, 6))).toEqual([0, 0, 0]);
        expect(Array.from(z.userFactors.subarray(12, 15))).toEqual([0, 0, 0]);
        expect(Array.from(z.itemFactors.subarray(3, 6))).toEqual([0, 0, 0]);
        expect(Array.from(z.itemFactors.subarray(15, 18))).toEqual([0, 0, 0]);
        expect(z.userFactors.every(Number.isFinite)).toBe(true);
      }
    });

    it('ModelFitError for factors > items with λ = 0, and for exploding values', async () => {
      await init({ backend: name });
      const m = counts(6, 10, 5, 0.5);
      await expect(new ImplicitALS({ factors: 8, regularization: 0, iterations: 2 }).fit(m)).rejects.toThrow(
        ModelFitError,
      );
      await expect(new ImplicitALS({ factors: 8, regularization: 0, iterations: 2 }).fit(m)).rejects.toThrow(
        /factors \(8\) exceed the number of items \(5\)/,
      );
      const big = randomMatrix(7, 10, 12, 0.5, () => 3e38);
      for (const solver of ['cg', 'cholesky'] as const) {
        const err = await new ImplicitALS({ factors: 4, alpha: 3e38, iterations: 2, solver, seed: 1 })
          .fit(big)
          .catch((e) => e);
        expect(err).toBeInstanceOf(ModelFitError);
        expect(err.message).toMatch(/(user|item) \d+ \(\d+ interactions\).*(exploded|exploding)/);
      }
    });

    it('abort stops within one iteration and keeps the previously fitted factors', async () => {
      await init({ backend: name });
      const m = counts(8);
      const model = await new ImplicitALS({ factors: 4, iterations: 2, seed: 1 }).fit(m);
      const before = model.userFactors;
      const ctl = new AbortController();
      let calls = 0;
      const p = model.fit(counts(9), {
        signal: ctl.signal,
        onIteration: () => {
          calls++;
          ctl.abort();
        },
      });
      await expect(p).rejects.toThrow(AbortError);
      expect(calls).toBe(1);
      expect(model.userFactors).toEqual(before);
      // aborted from a timer while the fit yields between iterations
      const ctl2 = new AbortController();
      let n = 0;
      const p2 = new ImplicitALS({ factors: 4, iterations: 1000, seed: 1 }).fit(m, {
        signal: ctl2.signal,
        onIteration: () => n++,
      });
      setTimeout(() => ctl2.abort(), 5);
      await expect(p2).rejects.toThrow(AbortError);
      expect(n).toBeLessThan(1000);
      const ctl3 = new AbortController();
      ctl3.abort();
      await expect(new ImplicitALS().fit(m, { signal: ctl3.signal })).rejects.toThrow(AbortError);
    });

    it('explain: contributions sum to the score x_uᵀy_i of the recalculated user', async () => {
      await init({ backend: name });
      const m = counts(10);
      const model = await new ImplicitALS({ factors: 5, iterations: 4, alpha: 3, seed: 4 }).fit(m);
      const u = 3;
      const row = m.row(u);
      const ex = model.explain(u, 7, { n: 100 });
      const x = model.recalculateUser({ indices: row.indices, values: row.values });
      const Y = model.itemFactors;
      let s = 0;
      for (let a = 0; a < 5; a++) s += x[a] * Y[7 * 5 + a];
      expect(ex.score).toBeCloseTo(s, 5);
      const sum = ex.contributions.scores.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(ex.score, 5);
      expect(ex.contributions.items.length).toBe(row.indices.length);
      for (let i = 1; i < ex.contributions.scores.length; i++)
        expect(ex.contributions.scores[i]).toBeLessThanOrEqual(ex.contributions.scores[i - 1]);
      const top2 = model.explain(u, 7, { userItems: { indices: row.indices, values: row.values }, n: 2 });
      expect(top2.contributions.items.length).toBe(Math.min(2, row.indices.length));
      expect(top2.score).toBeCloseTo(ex.score, 5);
    });

    it('partialFitUsers / partialFitItems recompute and grow', async () => {
      await init({ backend: name });
      const m = counts(11, 20, 15, 0.2);
      const model = await new ImplicitALS({
        ...PLAIN,
        factors: 4,
        iterations: 3,
        seed: 5,
        regularization: 0.1,
        alpha: 2,
      }).fit(m);
      const newRow = { indices: [0, 3, 9], values: [2, 1, 1] };
      const want = model.recalculateUser(newRow);
      model.partialFitUsers([2, 22], [newRow, newRow]);
      expect(model.userCount).toBe(23);
      const X = model.userFactors;
      expect(relErr(X.subarray(8, 12), want)).toBeLessThan(1e-6);
      expect(relErr(X.subarray(88, 92), want)).toBeLessThan(1e-6);
      expect(Array.from(X.subarray(84, 88))).toEqual([0, 0, 0, 0]); // user 21: grown, no data
      const train = (model as unknown as { trainMatrix: SparseMatrix }).trainMatrix;
      expect(train.shape).toEqual([23, 15]);
      expect(Array.from(train.row(2).indices)).toEqual([0, 3, 9]);
      expect(Array.from(train.row(5).indices)).toEqual(Array.from(m.row(5).indices));
      // a new item liked by users 0 and 4: its factor is the exact solve against X
      model.partialFitItems([15], [{ indices: [0, 4], values: [1, 3] }]);
      expect(model.itemCount).toBe(16);
      const Xall = model.userFactors;
      const wantItem = implicitRowOracle(Xall, 23, 4, [0, 4], [1, 3], { lambda: 0.1, alpha: 2 });
      expect(relErr(model.itemFactors.subarray(60, 64), wantItem)).toBeLessThan(1e-5);
      const t2 = (model as unknown as { trainMatrix: SparseMatrix }).trainMatrix;
      expect(t2.shape).toEqual([23, 16]);
      expect(t2.transpose().row(15).indices).toEqual(Int32Array.of(0, 4));
      // recalculateUser sees the new item factors
      expect(model.recalculateUser({ indices: [15] }).some((v) => v !== 0)).toBe(true);
    });
  });
}

describe('ImplicitALS backends agree', () => {
  for (const solver of ['cg', 'cholesky'] as const) {
    it(`wasm and js factors agree to 1e-3 after one iteration (${solver})`, async () => {
      const m = counts(12, 60, 50, 0.1);
      const opts = { factors: 16, iterations: 1, seed: 9, solver };
      await init({ backend: 'wasm' });
      const w = await new ImplicitALS(opts).fit(m);
      await init({ backend: 'js' });
      const j = await new ImplicitALS(opts).fit(m);
      expect(relErr(w.userFactors, j.userFactors)).toBeLessThan(1e-3);
      expect(relErr(w.itemFactors, j.itemFactors)).toBeLessThan(1e-3);
    });
  }
});
