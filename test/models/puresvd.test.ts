// PureSVD: scores equal r·V·Vᵀ with V from an independent dense SVD; fold-in reproduces the fitted rows.
import { describe, expect, it } from 'vitest';
import { Matrix, SVD } from 'ml-matrix';
import { init } from '../../src/runtime/backend.js';
import { NotFittedError, ValidationError } from '../../src/errors.js';
import { PureSVD } from '../../src/models/puresvd/puresvd.js';
import { FactorModel } from '../../src/models/common/factor-model.js';
import { dense, randomSparse } from '../svd/helpers.js';
import { synthetic } from '../../src/data/synthetic.js';
import { rankingMetrics, trainTestSplit } from '../../src/eval/index.js';

/** Dense R·V·Vᵀ with V the top-k right singular vectors from ml-matrix (a projector: sign-free). */
function oracleScores(R: number[][], k: number): number[][] {
  const svd = new SVD(new Matrix(R), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: true,
    autoTranspose: false,
  });
  const order = [...svd.diagonal.keys()].sort((a, b) => svd.diagonal[b] - svd.diagonal[a]).slice(0, k);
  const V = svd.rightSingularVectors;
  const cols = R[0].length;
  return R.map((r) => {
    const x = order.map((c) => r.reduce((s, v, j) => s + v * V.get(j, c), 0));
    return Array.from({ length: cols }, (_, i) => order.reduce((s, c, t) => s + x[t] * V.get(i, c), 0));
  });
}

for (const name of ['wasm', 'js'] as const) {
  describe(`PureSVD (${name})`, () => {
    const R = randomSparse(70, 50, 0.12, 31, 1, 5.99);
    // Ratings are integers 1..5.
    for (let p = 0; p < R.data.length; p++) R.data[p] = Math.floor(R.data[p]);
    const D = dense(R);

    it('scores X·Yᵀ equal r·V·Vᵀ computed densely', async () => {
      await init({ backend: name });
      const model = await new PureSVD({ factors: 6 }).fit(R);
      expect(model.isFitted).toBe(true);
      expect(model.modelType).toBe('PureSVD');
      const X = model.userFactors;
      const Y = model.itemFactors;
      const want = oracleScores(D, 6);
      let scale = 0;
      for (const row of want) for (const v of row) scale = Math.max(scale, Math.abs(v));
      for (let u = 0; u < 70; u++) {
        for (let i = 0; i < 50; i++) {
          let s = 0;
          for (let c = 0; c < 6; c++) s += X[u * 6 + c] * Y[i * 6 + c];
          expect(Math.abs(s - want[u][i])).toBeLessThan(1e-5 * scale);
        }
      }
      // V has orthonormal columns (to f32 precision).
      for (let a = 0; a < 6; a++)
        for (let b = 0; b < 6; b++) {
          let s = 0;
          for (let i = 0; i < 50; i++) s += Y[i * 6 + a] * Y[i * 6 + b];
          expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(1e-6);
        }
      expect(model.singularValues.length).toBe(6);
      model.dispose();
    });

    it('fold-in of a training row equals its fitted row; an unseen row needs no refit', async () => {
      await init({ backend: name });
      const model = await new PureSVD({ factors: 5, seed: 2 }).fit(R);
      const X = model.userFactors;
      for (const u of [0, 13, 69]) {
        const row = R.row(u);
        const x = model.recalculateUser({ indices: row.indices, values: row.values });
        expect(Array.from(x)).toEqual(Array.from(X.subarray(u * 5, u * 5 + 5)));
      }
      // Unseen user: x = r·V, scores r·V·Vᵀ.
      const Y = model.itemFactors;
      const x = model.recalculateUser({ indices: [1, 7, 30], values: [5, 3, 1] });
      for (let c = 0; c < 5; c++) {
        const want = 5 * Y[1 * 5 + c] + 3 * Y[7 * 5 + c] + 1 * Y[30 * 5 + c];
        expect(x[c]).toBeCloseTo(want, 5);
      }
      // Serving from the base class uses these factors.
      const rec = model.recommend(0, { n: 5 });
      expect(rec.items.length).toBe(5);
      const liked = new Set(R.row(0).indices);
      for (const i of rec.items) expect(liked.has(i)).toBe(false);
      const scoresU0 = Array.from({ length: 50 }, (_, i) => {
        let s = 0;
        for (let c = 0; c < 5; c++) s += X[c] * Y[i * 5 + c];
        return s;
      });
      const best = [...scoresU0.keys()]
        .filter((i) => !liked.has(i))
        .sort((a, b) => scoresU0[b] - scoresU0[a] || a - b)
        .slice(0, 5);
      expect(Array.from(rec.items)).toEqual(best);
    });

    it('save/load round trip restores options, factors and singular values', async () => {
      await init({ backend: name });
      const model = await new PureSVD({ factors: 4, center: 'global', seed: 7 }).fit(R);
      const back = FactorModel.load(model.save()) as PureSVD;
      expect(back).toBeInstanceOf(PureSVD);
      expect(back.options).toEqual({ factors: 4, center: 'global', seed: 7, tol: 1e-10, method: 'lanczos' });
      expect(Array.from(back.itemFactors)).toEqual(Array.from(model.itemFactors));
      expect(Array.from(back.userFactors)).toEqual(Array.from(model.userFactors));
      expect(Array.from(back.singularValues)).toEqual(Array.from(model.singularValues));
    });
  });
}

describe('PureSVD validation', () => {
  it('resolves defaults and rejects bad options', () => {
    expect(new PureSVD().options).toEqual({ factors: 'auto', center: 'none', seed: 0, tol: 1e-10, method: 'lanczos' });
    expect(() => new PureSVD({ factors: 'many' as never })).toThrow(/factors must be a positive integer/);
    expect(() => new PureSVD({ factors: 0 })).toThrow(ValidationError);
    expect(() => new PureSVD({ center: 'mean' as never })).toThrow(/center/);
    expect(() => new PureSVD({ tol: 2 })).toThrow(/tol/);
    expect(() => new PureSVD({ method: 'x' as never })).toThrow(/method/);
  });
  it('rejects too many factors, an unfitted model and bad fold-in input', async () => {
    await init({ backend: 'js' });
    const R = randomSparse(20, 10, 0.3, 1);
    await expect(new PureSVD({ factors: 11 }).fit(R)).rejects.toThrow(/factors \(11\) exceed min\(users, items\) = 10/);
    expect(() => new PureSVD().recalculateUser({ indices: [0] })).toThrow(NotFittedError);
    const m = await new PureSVD({ factors: 3 }).fit(R);
    expect(() => m.recalculateUser({ indices: [10] })).toThrow(ValidationError);
    expect(() => m.recalculateUser({ indices: [1], values: [NaN] })).toThrow(ValidationError);
  });
});

describe("PureSVD factors 'auto'", () => {
  // Planted rank-8 preferences (datasets.synthetic): the rank chosen on held-out entries of the training
  // part must score within 5 % of the best of a grid of ranks on the test part, on every seed.
  it('the chosen rank scores within 5 % of the best rank of a grid on the test part', async () => {
    await init({ backend: 'wasm' });
    for (const seed of [1, 2, 3]) {
      const d = synthetic({ users: 600, items: 400, rank: 8, density: 0.05, implicit: true, seed });
      const { train, test } = trainTestSplit(d.matrix, { testFraction: 0.2, seed });
      const p = async (o: object) => {
        const m = await new PureSVD({ seed: 1, ...o }).fit(train);
        const v = rankingMetrics(m, train, test, { k: 10 }).precision;
        const k = m.options.factors;
        m.dispose();
        return { v, k };
      };
      const auto = await p({});
      let best = 0;
      for (const factors of [4, 8, 12, 16, 24, 32, 64, 128]) best = Math.max(best, (await p({ factors })).v);
      expect(typeof auto.k).toBe('number');
      expect(auto.v).toBeGreaterThanOrEqual(0.95 * best);
    }
  });
  it('a fitted model shows the rank used and reloads with it', async () => {
    await init({ backend: 'wasm' });
    const d = synthetic({ users: 300, items: 200, rank: 5, density: 0.08, implicit: true, seed: 4 });
    const m = await new PureSVD().fit(d.matrix);
    expect(typeof m.options.factors).toBe('number');
    expect(FactorModel.load(m.save()).options).toEqual(m.options);
  });
});
