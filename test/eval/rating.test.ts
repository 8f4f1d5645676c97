import { describe, expect, it } from 'vitest';
import { mae, ratingMetrics, rmse } from '../../src/eval/rating.js';
import { ValidationError } from '../../src/errors.js';
import { TableModel, rowsMatrix } from './fakes.js';

// test: (0,0)=4 (0,2)=2 (1,1)=5 (2,0)=3; predictions 3.5, 3, 4, 3 → errors 0.5, −1, 1, 0
const test = rowsMatrix(
  [
    [
      [0, 4],
      [2, 2],
    ],
    [[1, 5]],
    [[0, 3]],
  ],
  3,
);
const model = new TableModel([
  [3.5, 0, 3],
  [0, 4, 0],
  [3, 0, 0],
]);
// train: (0,1)=3 (2,1)=4 (2,2)=1 → user 1 and item 0 unseen; mean 8/3
const train = rowsMatrix(
  [
    [[1, 3]],
    [],
    [
      [1, 4],
      [2, 1],
    ],
  ],
  3,
);

describe('ratingMetrics: hand-computed', () => {
  it('rmse and mae over all pairs (model and precomputed predictions agree)', () => {
    for (const src of [model, [3.5, 3, 4, 3], Float32Array.of(3.5, 3, 4, 3)]) {
      const r = ratingMetrics(src, test);
      expect(r.rmse).toBeCloseTo(0.75, 12); // √(2.25/4)
      expect(r.mae).toBeCloseTo(0.625, 12); // 2.5/4
      expect(r.count).toBe(4);
      expect(r.unseenPairs).toBe(0); // without train nothing is known to be unseen
    }
    expect(rmse(model, test)).toMatchObject({ metric: 'rmse', value: 0.75, count: 4 });
    expect(mae(model, test)).toMatchObject({ metric: 'mae', value: 0.625, count: 4 });
  });
  it('reports unseen users/items from train; default scores them by the model', () => {
    const r = ratingMetrics(model, test, { train });
    expect(r).toMatchObject({
      unseenUsers: 1,
      unseenItems: 2,
      unseenPairs: 3,
      skipped: 0,
      count: 4,
      unseenScoring: 'model',
    });
    expect(r.rmse).toBeCloseTo(0.75, 12);
  });
  it("unseen: 'skip' measures seen pairs only", () => {
    const r = ratingMetrics(model, test, { train, unseen: 'skip' });
    expect(r).toMatchObject({ rmse: 1, mae: 1, count: 1, skipped: 3, unseenScoring: 'skip' });
  });
  it("unseen: 'mean' scores unseen pairs with the train mean", () => {
    // errors 4−8/3, −1 (model), 5−8/3, 3−8/3 → se = 16/9 + 1 + 49/9 + 1/9 = 75/9
    const r = ratingMetrics(model, test, { train, unseen: 'mean' });
    expect(r.rmse).toBeCloseTo(Math.sqrt(75 / 9 / 4), 12);
    expect(r.mae).toBeCloseTo((4 / 3 + 1 + 7 / 3 + 1 / 3) / 4, 12);
    expect(r.unseenScoring).toBe('mean (2.66667)');
  });
  it('a constant for unseen pairs, and clipping', () => {
    const c = ratingMetrics(model, test, { train, unseen: 3 }); // errors 1, −1, 2, 0
    expect(c.rmse).toBeCloseTo(Math.sqrt(6 / 4), 12);
    expect(c.mae).toBe(1);
    expect(c.unseenScoring).toBe('constant 3');
    const k = ratingMetrics(model, test, { clip: [1, 3.2] }); // predictions 3.2, 3, 3.2, 3 → errors .8, −1, 1.8, 0
    expect(k.rmse).toBeCloseTo(Math.sqrt((0.64 + 1 + 3.24) / 4), 6);
    expect(k.mae).toBeCloseTo(3.6 / 4, 6);
  });
  it('indices beyond the model are unseen; the model cannot score them', () => {
    const small = new TableModel(model.scores, { userCount: 1 });
    expect(() => ratingMetrics(small, test)).toThrow(/outside the model/);
    const r = ratingMetrics(small, test, { unseen: 'skip' });
    expect(r).toMatchObject({ unseenUsers: 2, count: 2, skipped: 2 });
    expect(r.rmse).toBeCloseTo(Math.sqrt(1.25 / 2), 12);
  });
});

describe('ratingMetrics: validation', () => {
  it('rejects bad inputs', () => {
    expect(() => ratingMetrics(model, {} as never)).toThrow(ValidationError);
    expect(() => ratingMetrics([1, 2], test)).toThrow(/2 predictions for 4/);
    expect(() => ratingMetrics({} as never, test)).toThrow(/predict/);
    expect(() => ratingMetrics(model, test, { unseen: 'mean' })).toThrow(/train/);
    expect(() => ratingMetrics(model, test, { unseen: 'zero' as never })).toThrow(/unseen must be/);
    expect(() => ratingMetrics(model, test, { clip: [5, 1] })).toThrow(/clip/);
    expect(() => ratingMetrics(model, test, { train: rowsMatrix([[0]], 3) })).toThrow(/same shape/);
    expect(() => ratingMetrics([NaN, 1, 1, 1], test)).toThrow(/\(user 0, item 0\) is NaN/);
    expect(
      () =>
        ratingMetrics(model, test, { train, unseen: 'skip' }) &&
        ratingMetrics(model, rowsMatrix([[], [[1, 5]], []], 3), { train, unseen: 'skip' }),
    ).toThrow(/no test pair was scored/);
  });
});
