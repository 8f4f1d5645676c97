// EASE's default λ: 1.5·Σd²/Σd for d = diag(XᵀX) — scales as B's objective does and ignores a tail of
// rare items.
import { describe, expect, it } from 'vitest';
import { SparseMatrix } from '../../../src/data/csr.js';
import { easeDefaultLambda, weightedMeanDiag } from '../../../src/models/ease/lambda.js';

const m = (rows: number[], cols: number[], values: number[], shape: [number, number]) =>
  SparseMatrix.fromCOO({ rows, cols, values, shape });

describe('easeDefaultLambda', () => {
  it('is 1.5·Σd²/Σd', () => {
    // Item 0: users 0, 1, 2 (d = 3); item 1: user 0 (d = 1); item 2: value 2 (d = 4).
    const X = m([0, 1, 2, 0, 1], [0, 0, 0, 1, 2], [1, 1, 1, 1, 2], [3, 3]);
    expect(weightedMeanDiag(X)).toBeCloseTo((9 + 1 + 16) / (3 + 1 + 4), 12);
    expect(easeDefaultLambda(X)).toBeCloseTo((1.5 * 26) / 8, 12);
    // Over a subset of the items.
    expect(easeDefaultLambda(X, Int32Array.of(0, 2))).toBeCloseTo((1.5 * 25) / 7, 12);
  });

  it('scales as the objective: a·X → a²·λ, users repeated k times → k·λ; a tail of rare items barely moves it', () => {
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let u = 0; u < 40; u++)
      for (let j = 0; j < 10; j++)
        if ((u * 7 + j * 3) % 5 < 2) {
          rows.push(u);
          cols.push(j);
          vals.push(1 + ((u + j) % 3));
        }
    const X = m(rows, cols, vals, [40, 10]);
    const base = easeDefaultLambda(X);
    expect(
      easeDefaultLambda(
        m(
          rows,
          cols,
          vals.map((v) => 3 * v),
          [40, 10],
        ),
      ),
    ).toBeCloseTo(9 * base, 9);
    const twice = m([...rows, ...rows.map((r) => r + 40)], [...cols, ...cols], [...vals, ...vals], [80, 10]);
    expect(easeDefaultLambda(twice)).toBeCloseTo(2 * base, 9);
    // 200 items seen once each, beside the 10 popular ones.
    const tail = m(
      [...rows, ...Array.from({ length: 200 }, (_, t) => t % 40)],
      [...cols, ...Array.from({ length: 200 }, (_, t) => 10 + t)],
      [...vals, ...new Array(200).fill(1)],
      [40, 210],
    );
    expect(easeDefaultLambda(tail) / base).toBeGreaterThan(0.75);
  });

  it('is 1 for an empty matrix', () => {
    expect(easeDefaultLambda(m([], [], [], [3, 4]))).toBe(1);
  });
});
