// tune(): option validation, grid order and completeness, the seeded random search (defaults first, every
// point inside the space, same seed ⇒ same trials), iterations chosen by early stopping (a refit with the
// chosen settings reproduces the trial's value), k folds, rmse for ALS, PureSVD, abort and onTrial.
import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { synthetic } from '../../src/data/synthetic.js';
import { ImplicitALS, ALS } from '../../src/models/als/index.js';
import { PureSVD } from '../../src/models/puresvd/puresvd.js';
import { BPR } from '../../src/models/bpr/index.js';
import { LogisticMF } from '../../src/models/lmf/index.js';
import { AbortError, ValidationError } from '../../src/errors.js';
import { rankingMetrics, trainTestSplit, tune, defaultSpace, type TrialResult } from '../../src/eval/index.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { VALIDATION_USERS, validationSplit } from '../../src/eval/tune.js';

const counts = () => synthetic({ users: 150, items: 100, density: 0.08, implicit: true, seed: 5 }).matrix;
const ratings = () => synthetic({ users: 150, items: 100, density: 0.08, seed: 6 }).matrix;

describe('tune: validation', () => {
  it.each([
    [{ trials: 3, grid: true }, /trials .* or grid: true, not both/],
    [{ folds: 3, validation: 0.2 }, /validation or folds, not both/],
    [
      { space: { factors: { min: 2, max: 8 } }, grid: true },
      /grid needs a list of values for every option; factors is a range/,
    ],
    [{ space: { rank: [2, 4] } }, /ImplicitALS has no option "rank" to search/],
    [{ space: { factors: [] } }, /space.factors is an empty list/],
    [{ space: { regularization: { min: 0, max: 1, log: true } } }, /log range, so min must be > 0/],
    [{ space: { factors: { min: 8, max: 2 } } }, /finite min ≤ max/],
    [{ space: { factors: [0, 4] } }, /rejected a point of the space .*factors/],
    [{ space: { factors: [4] }, fixed: { factors: 8 } }, /both searched \(space\) and fixed/],
    [{ metric: 'ndgc@10' }, /unknown metric/],
    [{ validation: 1.5 }, /fraction in \(0, 1\)/],
    [{ folds: 1 }, /folds must be an integer in \[2/],
    [{ trials: 0 }, /trials must be an integer/],
    [{ maxIterations: 0 }, /maxIterations/],
    [{ budget: 3 }, /unknown option "budget"/],
    [{ onTrial: 3 }, /onTrial must be a function/],
    [{ timeLimit: 0 }, /timeLimit must be a positive number of seconds/],
    [{ timeLimit: Infinity }, /timeLimit must be a positive number of seconds/],
    [{ prune: 'yes' }, /prune must be true or false/],
    [{ space: { alpha: { min: 0.5, max: 2, relative: true, factor: 2 } } }, /unknown key "factor"/],
  ])('rejects %o', async (options, msg) => {
    await init({ backend: 'js' });
    const p = tune(ImplicitALS, counts(), options as never);
    await expect(p).rejects.toThrow(ValidationError);
    await expect(tune(ImplicitALS, counts(), options as never)).rejects.toThrow(msg);
  });
  it('rejects bad data and a validation matrix of another shape', async () => {
    await expect(tune(ImplicitALS, [[1]] as never)).rejects.toThrow(/data must be a SparseMatrix or Interactions/);
    const other = SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [3, 3] });
    await expect(tune(ImplicitALS, counts(), { validation: other })).rejects.toThrow(
      /validation is 3×3 but data is 150×100/,
    );
  });
  it('has a default space for each model', () => {
    expect(Object.keys(defaultSpace(ImplicitALS)!)).toEqual(['factors', 'regularization', 'alpha']);
    expect(Object.keys(defaultSpace(ALS)!)).toEqual(['factors', 'regularization']);
    expect(Object.keys(defaultSpace(PureSVD)!)).toEqual(['factors']);
  });
});

describe('tune: search', () => {
  it('grid: every combination once, in order; best is the argmax; PureSVD has no iterations', async () => {
    await init({ backend: 'wasm' });
    const seen: number[] = [];
    const r = await tune(PureSVD, counts(), {
      space: { factors: [2, 4, 8], center: ['none', 'rows'] },
      grid: true,
      metric: 'precision@10',
      onTrial: (t, p) => seen.push(p.done),
    });
    expect(r.results.map((t) => [t.params.factors, t.params.center])).toEqual([
      [2, 'none'],
      [2, 'rows'],
      [4, 'none'],
      [4, 'rows'],
      [8, 'none'],
      [8, 'rows'],
    ]);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    const best = r.results.reduce((a, b) => (b.value > a.value ? b : a));
    expect(r.bestTrial).toBe(best);
    expect(r.best).toEqual(best.params);
    expect('iterations' in r.best).toBe(false);
    expect(r.metric).toBe('precision@10');
    // the value is the metric of that model on the split tune made (validation 0.2, seed 0)
    const { train, test } = trainTestSplit(counts(), { testFraction: 0.2, seed: 0 });
    const m = await new PureSVD(r.best).fit(train);
    expect(rankingMetrics(m, train, test, { k: 10 }).precision).toBeCloseTo(best.value, 12);
  });

  it('random search: defaults first, points inside the space, same seed ⇒ same trials', async () => {
    await init({ backend: 'wasm' });
    const space = {
      factors: { min: 4, max: 32, log: true, integer: true },
      regularization: { min: 0.01, max: 10, log: true },
      confidence: ['linear', 'log'],
    };
    const run = () => tune(ImplicitALS, counts(), { space, trials: 8, seed: 3, maxIterations: 6, metric: 'ndcg@10' });
    const a = await run();
    expect(a.results.length).toBe(8);
    // the first trial is the model's defaults for this data ('auto' settings derived from it)
    const d = new ImplicitALS().optionsFor(counts());
    expect(a.results[0].params).toMatchObject({ factors: 32, confidence: d.confidence });
    expect(a.results[0].params.regularization).toBeCloseTo(d.regularization, 12);
    for (const t of a.results) {
      const p = t.params as {
        factors: number;
        regularization: number;
        confidence: string;
        iterations: number;
        seed: number;
      };
      expect(Number.isInteger(p.factors) && p.factors >= 4 && p.factors <= 32).toBe(true);
      expect(p.regularization).toBeGreaterThanOrEqual(0.01);
      expect(p.regularization).toBeLessThanOrEqual(10);
      expect(['linear', 'log']).toContain(p.confidence);
      expect(p.seed).toBe(3);
      expect(Number.isInteger(p.iterations) && p.iterations >= 1 && p.iterations <= 6).toBe(true);
    }
    const b = await run();
    expect(b.results.map((t) => t.params)).toEqual(a.results.map((t) => t.params));
    expect(b.results.map((t) => t.value)).toEqual(a.results.map((t) => t.value));
  });

  it('iterations by early stopping: refitting with best reproduces the best trial value', async () => {
    await init({ backend: 'wasm' });
    const data = counts();
    const r = await tune(ImplicitALS, data, {
      space: { regularization: [0.3, 3] },
      grid: true,
      maxIterations: 12,
      patience: 2,
      metric: 'ndcg@10',
    });
    const it = r.best.iterations as number;
    expect(it).toBeGreaterThanOrEqual(1);
    expect(it).toBeLessThanOrEqual(12);
    const { train, test } = trainTestSplit(data, { testFraction: 0.2, seed: 0 });
    const m = await new ImplicitALS(r.best).fit(train);
    expect(rankingMetrics(m, train, test, { k: 10 }).ndcg).toBeCloseTo(r.bestTrial.value, 10);
  });

  it('ALS defaults to rmse (lower is better) and folds average over k fits', async () => {
    await init({ backend: 'wasm' });
    const r = await tune(ALS, ratings(), {
      space: { regularization: [0.03, 0.3] },
      grid: true,
      folds: 3,
      maxIterations: 5,
    });
    expect(r.metric).toBe('rmse');
    expect(r.higherIsBetter).toBe(false);
    for (const t of r.results) {
      expect(t.foldValues!.length).toBe(3);
      expect(t.value).toBeCloseTo(t.foldValues!.reduce((a, b) => a + b) / 3, 12);
    }
    expect(r.bestTrial.value).toBe(Math.min(...r.results.map((t) => t.value)));
  });

  it('a held-out matrix as validation; a failing trial is recorded, not fatal', async () => {
    await init({ backend: 'wasm' });
    const { train, test } = trainTestSplit(counts(), { testFraction: 0.25, seed: 9 });
    // λ = 0 with more factors than items is singular: that trial fails with the model's message
    const r = await tune(ImplicitALS, train, {
      validation: test,
      space: { factors: [4, 120], regularization: [0] },
      fixed: { frequencyScaling: 0 },
      grid: true,
      maxIterations: 3,
    });
    const failed = r.results.find((t) => t.params.factors === 120)!;
    expect(failed.error).toMatch(/factors \(120\) exceed the number of items/);
    expect(Number.isNaN(failed.value)).toBe(true);
    expect(r.best.factors).toBe(4);
  });

  it('abort: AbortError during the search', async () => {
    await init({ backend: 'wasm' });
    const ctl = new AbortController();
    const trials: TrialResult[] = [];
    const p = tune(ImplicitALS, counts(), {
      trials: 10,
      maxIterations: 3,
      signal: ctl.signal,
      onTrial: (t) => {
        trials.push(t);
        if (trials.length === 2) ctl.abort();
      },
    });
    await expect(p).rejects.toThrow(AbortError);
    expect(trials.length).toBe(2);
  });
});

describe('tune: budget, pruning and progress', () => {
  it('timeLimit: the running trial stops at its first evaluation past the limit; best so far returned', async () => {
    await init({ backend: 'wasm' });
    const data = counts();
    const progress: { done: number; total: number; seconds: number; timeLimit?: number }[] = [];
    const r = await tune(ImplicitALS, data, {
      timeLimit: 1e-6,
      maxIterations: 10,
      onTrial: (_t, p) => progress.push(p),
    });
    expect(r.timedOut).toBe(true);
    expect(r.results.length).toBe(1);
    expect(r.results[0].stopped).toBe('timeLimit');
    expect(r.best.iterations).toBe(1);
    expect(progress).toHaveLength(1);
    expect(progress[0]).toMatchObject({ done: 1, total: Infinity, timeLimit: 1e-6 });
    expect(progress[0].seconds).toBeGreaterThan(0);
    // the value is that of a fit with the iterations it kept
    const { train, test } = trainTestSplit(data, { testFraction: 0.2, seed: 0 });
    const m = await new ImplicitALS(r.best).fit(train);
    expect(rankingMetrics(m, train, test, { k: 10 }).ndcg).toBeCloseTo(r.bestTrial.value, 10);
  });

  it('without a time limit every trial runs and the search is not timed out', async () => {
    await init({ backend: 'wasm' });
    const r = await tune(ImplicitALS, counts(), { trials: 3, maxIterations: 3, seed: 2 });
    expect(r.timedOut).toBe(false);
    expect(r.results.length).toBe(3);
    expect(r.results.every((t) => t.stopped !== 'timeLimit')).toBe(true);
  });

  it('prune: a trial far behind the best one stops early; the best is the same as without pruning', async () => {
    await init({ backend: 'wasm' });
    const data = counts();
    // λ 30 with ν = 1 shrinks every factor to nothing: far behind the defaults' curve from the start.
    const space = { regularization: [0.1, 30] };
    const run = (prune: boolean) =>
      tune(ImplicitALS, data, { space, grid: true, maxIterations: 12, patience: 20, prune, metric: 'ndcg@10' });
    const [on, off] = [await run(true), await run(false)];
    expect(on.results[1].stopped).toBe('pruned');
    expect(on.results[1].value).toBeLessThan(0.95 * on.results[0].value);
    expect(off.results[1].stopped).toBeUndefined();
    expect(on.best).toEqual(off.best);
    expect(on.bestTrial.value).toBe(off.bestTrial.value);
  });

  it.each([
    ['ImplicitALS', ImplicitALS],
    ['ALS', ALS],
    ['PureSVD', PureSVD],
    ['BPR', BPR],
    ['LogisticMF', LogisticMF],
  ] as const)('%s: its tuneSpace, timeLimit and onTrial (elapsed seconds) work', async (_name, Model) => {
    await init({ backend: 'wasm' });
    const data = Model === ALS ? ratings() : counts();
    const seen: { done: number; seconds: number; timeLimit?: number }[] = [];
    // One trial at most within the limit: a tiny one ends the search after its first trial.
    const r = await tune(Model, data, { timeLimit: 1e-6, maxIterations: 4, onTrial: (_t, p) => seen.push(p) });
    expect(Object.keys(r.results[0].params)).toEqual(expect.arrayContaining(Object.keys(Model.tuneSpace)));
    expect(r.timedOut).toBe(true);
    expect(r.results).toHaveLength(1);
    expect(Number.isFinite(r.bestTrial.value)).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ done: 1, timeLimit: 1e-6 });
    expect(seen[0].seconds).toBeGreaterThan(0);
    // With a budget that allows several trials, more than one runs and the best is among them.
    const more = await tune(Model, data, { trials: 3, maxIterations: 4, seed: 3 });
    expect(more.results).toHaveLength(3);
    expect(more.results).toContain(more.bestTrial);
  });

  it("relative ranges: multiples of the model's default for the data", async () => {
    await init({ backend: 'wasm' });
    const data = counts();
    const d = new ImplicitALS().optionsFor(data);
    const r = await tune(ImplicitALS, data, {
      space: { regularization: { min: 0.5, max: 2, log: true, relative: true } },
      trials: 5,
      maxIterations: 3,
    });
    expect(r.results[0].params.regularization).toBeCloseTo(d.regularization, 12);
    for (const t of r.results) {
      expect(t.params.regularization as number).toBeGreaterThanOrEqual(0.5 * d.regularization * (1 - 1e-12));
      expect(t.params.regularization as number).toBeLessThanOrEqual(2 * d.regularization * (1 + 1e-12));
    }
  });
});

describe('tune: validation users', () => {
  it('ranking metrics on more than 2,000 users: 20 % of the entries of 2,000 users held out, the rest train', () => {
    const m = synthetic({ users: 3000, items: 200, density: 0.05, implicit: true, seed: 8 }).matrix;
    const { train, test } = validationSplit(m, 0.2, 1, true);
    expect(train.nnz + test.nnz).toBe(m.nnz);
    let scored = 0;
    let heldUsers = 0;
    for (let u = 0; u < m.rows; u++) {
      if (test.row(u).indices.length > 0) scored++;
      if (train.row(u).indices.length < m.row(u).indices.length) heldUsers++;
    }
    expect(heldUsers).toBe(VALIDATION_USERS);
    expect(scored).toBe(VALIDATION_USERS);
    expect(test.nnz).toBeLessThan(0.2 * m.nnz);
    // rating metrics and smaller data: the plain split
    const plain = trainTestSplit(m, { testFraction: 0.2, seed: 1 });
    expect(validationSplit(m, 0.2, 1, false).test.nnz).toBe(plain.test.nnz);
  });
});
