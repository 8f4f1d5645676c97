import { describe, expect, it } from 'vitest';
import { EarlyStopping, makeValidator } from '../../src/eval/validation.js';
import { parseMetric } from '../../src/eval/metric.js';
import { rankingMetrics } from '../../src/eval/ranking.js';
import { ValidationError } from '../../src/errors.js';
import { TableModel, rowsMatrix } from './fakes.js';

describe('parseMetric', () => {
  it('parses names, defaults k to 10, knows the direction', () => {
    expect(parseMetric('ndcg@10')).toEqual({
      label: 'ndcg@10',
      name: 'ndcg',
      k: 10,
      kind: 'ranking',
      higherIsBetter: true,
    });
    expect(parseMetric('HitRate@3').label).toBe('hitRate@3');
    expect(parseMetric('map').label).toBe('map@10');
    expect(parseMetric('RMSE')).toMatchObject({ label: 'rmse', kind: 'rating', higherIsBetter: false });
    for (const bad of ['ndcg@0', 'rmse@5', 'foo@3', 'ndcg@', '', 'ndcg@1.5'])
      expect(() => parseMetric(bad), bad).toThrow(ValidationError);
  });
});

describe('makeValidator', () => {
  const scores = [
    [9, 5, 8, 5, 1, 0],
    [0, 0, 0, 0, 0, 0],
    [9, 9, 9, 9, 1, 2],
  ];
  const train = rowsMatrix([[0], [], [0, 1, 2, 3]], 6);
  const test = rowsMatrix(
    [
      [
        [1, 4],
        [3, 2],
      ],
      [[4, 5]],
      [
        [4, 1],
        [5, 3],
      ],
    ],
    6,
  );
  const model = new TableModel(scores);
  it('ranking metric: equals rankingMetrics with train filtered', () => {
    const v = makeValidator({ data: test, metric: 'ndcg@3', every: 2, patience: 3 }, train);
    expect(v.metric).toBe('ndcg@3');
    expect(v.every).toBe(2);
    expect(v.patience).toBe(3);
    expect(v.higherIsBetter).toBe(true);
    const r = v(model);
    expect(r).toEqual({
      metric: 'ndcg@3',
      value: rankingMetrics(model, train, test, { k: 3 }).ndcg,
      higherIsBetter: true,
    });
  });
  it('defaults: ndcg@10, every 1, no patience', () => {
    const v = makeValidator({ data: test }, train);
    expect([v.metric, v.every, v.patience]).toEqual(['ndcg@10', 1, undefined]);
  });
  it('rating metric: lower is better; works without train', () => {
    const v = makeValidator({ data: test, metric: 'mae' });
    // errors: (0,1) 4−5, (0,3) 2−5, (1,4) 5−0, (2,4) 1−1, (2,5) 3−2 → |.| = 1, 3, 5, 0, 1
    expect(v(model)).toEqual({ metric: 'mae', value: 2, higherIsBetter: false });
  });
  it('validates the spec up front', () => {
    expect(() => makeValidator({ data: test }, undefined)).toThrow(/needs the training matrix/);
    expect(() => makeValidator({ data: 'x' as never }, train)).toThrow(/data must be a SparseMatrix/);
    expect(() => makeValidator({ data: test, every: 0 }, train)).toThrow(/every/);
    expect(() => makeValidator({ data: test, patience: 0 }, train)).toThrow(/patience/);
    expect(() => makeValidator({ data: test, metric: 'nope' }, train)).toThrow(/unknown metric/);
    expect(() => makeValidator({ data: test }, rowsMatrix([[0]], 6))).toThrow(/same shape/);
  });
});

describe('EarlyStopping', () => {
  it('tracks the best value and stops after `patience` evaluations without improvement', () => {
    const s = new EarlyStopping(true, 2);
    expect(s.update(0, 0.1)).toEqual({ improved: true, stop: false });
    expect(s.update(1, 0.3)).toEqual({ improved: true, stop: false });
    expect(s.update(2, 0.3)).toEqual({ improved: false, stop: false }); // equal is not better
    expect(s.update(3, 0.2)).toEqual({ improved: false, stop: true });
    expect([s.bestIteration, s.bestValue]).toEqual([1, 0.3]);
  });
  it('lower is better for error metrics; no patience never stops', () => {
    const s = new EarlyStopping(false);
    for (const [i, v] of [
      [0, 2],
      [1, 1.5],
      [2, 1.6],
      [3, 1.7],
      [4, 1.8],
      [5, 1.4],
    ] as const)
      expect(s.update(i, v).stop).toBe(false);
    expect([s.bestIteration, s.bestValue]).toEqual([5, 1.4]);
    expect(() => s.update(6, NaN)).toThrow(ValidationError);
    expect(() => new EarlyStopping(true, 0)).toThrow(/patience/);
  });
});
