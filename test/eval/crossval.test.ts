import { describe, expect, it } from 'vitest';
import { crossValidate } from '../../src/eval/crossval.js';
import { rankingMetrics } from '../../src/eval/ranking.js';
import { ratingMetrics } from '../../src/eval/rating.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { ValidationError } from '../../src/errors.js';
import { TableModel, entries, randomMatrix } from './fakes.js';

/** Popularity: every user scores an item by its train count (+ a user-specific tilt so ranks differ). */
function popularity(train: SparseMatrix): TableModel & { disposed: boolean } {
  const pop = new Array(train.cols).fill(0);
  for (const i of train.indices) pop[i]++;
  const m = new TableModel(
    Array.from({ length: train.rows }, (_, u) => pop.map((p, i) => p + ((u * 7 + i * 3) % 5) * 0.1)),
  ) as TableModel & { disposed: boolean };
  m.disposed = false;
  (m as unknown as { dispose(): void }).dispose = () => (m.disposed = true);
  return m;
}

describe('crossValidate', () => {
  const m = randomMatrix(40, 25, 0.3, 21);
  it('each entry is held out exactly once; per-fold values and mean ± std are consistent', async () => {
    const trains: SparseMatrix[] = [];
    const models: ReturnType<typeof popularity>[] = [];
    const cv = await crossValidate(
      async (train, fold) => {
        expect(fold).toBe(trains.length);
        trains.push(train);
        const model = popularity(train);
        models.push(model);
        return model;
      },
      m,
      { folds: 4, metrics: ['ndcg@5', 'precision@5', 'rmse', 'auc@10'], seed: 3 },
    );
    expect(cv.metrics).toEqual(['ndcg@5', 'precision@5', 'rmse', 'auc@10']);
    expect(cv.folds).toHaveLength(4);
    expect(models.every((x) => x.disposed)).toBe(true);
    const all = new Set(entries(m));
    const heldOut: string[] = [];
    for (let f = 0; f < 4; f++) {
      const trainSet = new Set(entries(trains[f]));
      const testEntries = [...all].filter((e) => !trainSet.has(e));
      heldOut.push(...testEntries);
      // Fold sizes differ by at most one.
      expect(Math.abs(testEntries.length - m.nnz / 4)).toBeLessThanOrEqual(1);
      expect(cv.folds[f].testNnz).toBe(testEntries.length);
      expect(cv.folds[f].trainNnz + cv.folds[f].testNnz).toBe(m.nnz);
      // Rebuild this fold's test matrix and recompute its metrics directly.
      const rows: number[] = [],
        cols: number[] = [],
        vals: number[] = [];
      for (const e of testEntries) {
        const [u, i, v] = e.split(',').map(Number);
        rows.push(u);
        cols.push(i);
        vals.push(v);
      }
      const test = SparseMatrix.fromCOO({ rows, cols, values: vals, shape: m.shape });
      const model = popularity(trains[f]);
      const r5 = rankingMetrics(model, trains[f], test, { k: 5 });
      expect(cv.folds[f].values['ndcg@5']).toBeCloseTo(r5.ndcg, 12);
      expect(cv.folds[f].values['precision@5']).toBeCloseTo(r5.precision, 12);
      expect(cv.folds[f].values['auc@10']).toBeCloseTo(rankingMetrics(model, trains[f], test, { k: 10 }).auc, 12);
      expect(cv.folds[f].values.rmse).toBeCloseTo(ratingMetrics(model, test, { train: trains[f] }).rmse, 6);
    }
    expect(heldOut.sort()).toEqual([...all].sort());
    for (const l of cv.metrics) {
      const xs = cv.folds.map((f) => f.values[l]);
      const mu = xs.reduce((a, b) => a + b) / 4;
      expect(cv.mean[l]).toBeCloseTo(mu, 12);
      expect(cv.std[l]).toBeCloseTo(Math.sqrt(xs.reduce((a, b) => a + (b - mu) ** 2, 0) / 4), 12);
    }
  });
  it('is seed-stable, seed-dependent, and uses the documented defaults', async () => {
    const run = (seed?: number) => crossValidate((t) => popularity(t), m, seed === undefined ? {} : { seed });
    const a = await run(1);
    const b = await run(1);
    const c = await run(2);
    expect(a.folds.map((f) => f.values)).toEqual(b.folds.map((f) => f.values));
    expect(a.folds.map((f) => f.values)).not.toEqual(c.folds.map((f) => f.values));
    const d = await run();
    expect(d.folds).toHaveLength(5);
    expect(d.metrics).toEqual(['precision@10', 'recall@10', 'map@10', 'ndcg@10', 'auc@10']);
  });
  it('validates', async () => {
    await expect(crossValidate((t) => popularity(t), m, { folds: 1 })).rejects.toThrow(ValidationError);
    await expect(crossValidate((t) => popularity(t), m, { folds: 2.5 })).rejects.toThrow(/folds/);
    await expect(crossValidate((t) => popularity(t), m, { metrics: ['ndgc@10'] })).rejects.toThrow(/unknown metric/);
    await expect(crossValidate((t) => popularity(t), m, { metrics: [] })).rejects.toThrow(/non-empty/);
    await expect(crossValidate('x' as never, m)).rejects.toThrow(/factory/);
    await expect(crossValidate(() => undefined as never, m)).rejects.toThrow(/factory returned/);
    await expect(crossValidate(() => ({}) as never, m)).rejects.toThrow(/recommendBatch/);
  });
});
