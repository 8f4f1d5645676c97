// ALS (explicit ratings): options, biases layout, determinism, predict, backends, errors, cancellation.
import { describe, expect, it } from 'vitest';
import { init } from '../../../src/runtime/backend.js';
import { SparseMatrix } from '../../../src/data/csr.js';
import { AbortError, ModelFitError, ValidationError } from '../../../src/errors.js';
import { ALS } from '../../../src/models/als/index.js';
import { Rng } from '../../../src/random.js';
import { denseSolve, relErr } from './helpers.js';

/** Ratings 1..5 from a planted low-rank model plus user/item offsets. */
function ratings(seed: number, nU = 50, nI = 40, density = 0.3): SparseMatrix {
  const rng = new Rng(seed);
  const U = rng.fillNormal(new Float64Array(nU * 3));
  const V = rng.fillNormal(new Float64Array(nI * 3));
  const bu = rng.fillNormal(new Float64Array(nU), 0, 0.5);
  const bi = rng.fillNormal(new Float64Array(nI), 0, 0.5);
  const r: number[] = [],
    c: number[] = [],
    v: number[] = [];
  for (let u = 0; u < nU; u++)
    for (let i = 0; i < nI; i++) {
      if (rng.next() >= density) continue;
      let s = 3.5 + bu[u] + bi[i];
      for (let a = 0; a < 3; a++) s += 0.4 * U[u * 3 + a] * V[i * 3 + a];
      r.push(u);
      c.push(i);
      v.push(Math.min(5, Math.max(1, Math.round(s + 0.3 * rng.normal()))));
    }
  return SparseMatrix.fromCOO({ rows: r, cols: c, values: v, shape: [nU, nI] });
}

function trainRmse(model: ALS, m: SparseMatrix): number {
  const users = new Int32Array(m.nnz);
  for (let r = 0; r < m.rows; r++) users.fill(r, m.indptr[r], m.indptr[r + 1]);
  const p = model.predict(users, m.indices, { clip: false });
  let se = 0;
  for (let n = 0; n < m.nnz; n++) se += (p[n] - m.data[n]) ** 2;
  return Math.sqrt(se / m.nnz);
}

describe('ALS options', () => {
  it('fills defaults', () => {
    expect(new ALS({ seed: 1 }).options).toEqual({
      factors: 50,
      regularization: 0.1,
      iterations: 10,
      biases: true,
      weightedRegularization: true,
      seed: 1,
    });
  });
  it.each([
    [{ factors: 0 }, /factors/],
    [{ regularization: -1 }, /regularization/],
    [{ biases: 'yes' }, /biases must be true or false/],
    [{ iterations: 1.5 }, /iterations/],
    [{ alpha: 3 }, /unknown option "alpha"/],
  ])('rejects %o', (o, msg) => {
    expect(() => new ALS(o as never)).toThrow(ValidationError);
    expect(() => new ALS(o as never)).toThrow(msg);
  });
});

for (const name of ['wasm', 'js'] as const) {
  describe(`ALS (${name})`, () => {
    it('fits planted ratings; biases and factors are consistent with predict; same seed ⇒ same factors', async () => {
      await init({ backend: name });
      const m = ratings(1);
      const model = await new ALS({ factors: 4, iterations: 10, regularization: 0.05, seed: 3 }).fit(m);
      expect(trainRmse(model, m)).toBeLessThan(0.45);
      const X = model.userFactors,
        Y = model.itemFactors,
        bu = model.userBiases,
        bi = model.itemBiases;
      expect(X.length).toBe(50 * 4);
      expect(Y.length).toBe(40 * 4);
      let mean = 0;
      for (const v of m.data) mean += v;
      expect(model.globalMean).toBeCloseTo(mean / m.nnz, 5);
      const p = model.predict([2, 7], [5, 9], { clip: false });
      for (const [j, [u, i]] of [
        [2, 5],
        [7, 9],
      ].entries()) {
        let s = model.globalMean + bu[u] + bi[i];
        for (let a = 0; a < 4; a++) s += X[u * 4 + a] * Y[i * 4 + a];
        expect(p[j]).toBeCloseTo(s, 4);
      }
      const again = await new ALS({ factors: 4, iterations: 10, regularization: 0.05, seed: 3 }).fit(m);
      expect(again.userFactors).toEqual(X);
      expect(again.itemBiases).toEqual(bi);
    });

    it('predict clips to the training range by default and validates indices', async () => {
      await init({ backend: name });
      const m = ratings(2);
      const model = await new ALS({ factors: 3, iterations: 3, seed: 1 }).fit(m);
      const users = Int32Array.from({ length: 200 }, (_, j) => j % 50);
      const items = Int32Array.from({ length: 200 }, (_, j) => (j * 7) % 40);
      const p = model.predict(users, items);
      expect(Math.min(...p)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...p)).toBeLessThanOrEqual(5);
      expect(model.ratingRange).toEqual([1, 5]);
      expect(() => model.predict([50], [0])).toThrow(/user 50/);
      expect(() => model.predict([0, 1], [0])).toThrow(ValidationError);
    });

    it('user step equals the dense ALS-WR solution with biases; recalculateUser returns the stored row layout', async () => {
      await init({ backend: name });
      const m = ratings(3);
      const k = 3,
        lambda = 0.2;
      const model = await new ALS({ factors: k, iterations: 2, regularization: lambda, seed: 2 }).fit(m);
      const Y = model.itemFactors,
        bi = model.itemBiases,
        mu = model.globalMean;
      const idx = [1, 5, 8, 30],
        vals = [4, 2, 5, 3];
      const d = k + 1;
      const A = new Float64Array(d * d),
        rhs = new Float64Array(d);
      idx.forEach((i, q) => {
        const z = [...Y.subarray(i * k, i * k + k), 1];
        const t = vals[q] - mu - bi[i];
        for (let a = 0; a < d; a++) {
          rhs[a] += t * z[a];
          for (let c = 0; c < d; c++) A[a * d + c] += z[a] * z[c];
        }
      });
      for (let a = 0; a < d; a++) A[a * d + a] += lambda * idx.length;
      const w = denseSolve(A, rhs, d);
      const row = model.recalculateUser({ indices: idx, values: vals });
      expect(row.length).toBe(k + 2);
      expect(relErr(row.subarray(0, k), w.subarray(0, k))).toBeLessThan(1e-5);
      expect(row[k]).toBe(1);
      expect(row[k + 1]).toBeCloseTo(w[k] + mu, 5);
      // partial fit: a new user with those ratings gets that row
      model.partialFitUsers([55], [{ indices: idx, values: vals }]);
      expect(model.userCount).toBe(56);
      expect(relErr(model.userFactors.subarray(55 * k, 56 * k), w.subarray(0, k))).toBeLessThan(1e-5);
      expect(model.userBiases[55]).toBeCloseTo(w[k], 4);
      expect(model.userBiases[52]).toBe(0);
      model.partialFitItems([41], [{ indices: [0, 1, 2], values: [5, 4, 5] }]);
      expect(model.itemCount).toBe(42);
      expect(model.predict([0], [41], { clip: false })[0]).toBeGreaterThan(3.5);
    });

    it('no biases, unweighted regularization; empty rows get zero factors', async () => {
      await init({ backend: name });
      const m = SparseMatrix.fromCOO({
        rows: [0, 0, 2, 2, 2, 4],
        cols: [0, 1, 1, 2, 3, 0],
        values: [5, 3, 4, 2, 1, 5],
        shape: [5, 6],
      });
      const model = await new ALS({
        factors: 2,
        iterations: 3,
        biases: false,
        weightedRegularization: false,
        seed: 1,
      }).fit(m);
      expect(Array.from(model.userFactors.subarray(2, 4))).toEqual([0, 0]);
      expect(Array.from(model.itemFactors.subarray(8, 12))).toEqual([0, 0, 0, 0]);
      expect(model.globalMean).toBe(0);
      expect(Array.from(model.userBiases)).toEqual([0, 0, 0, 0, 0]);
      const b = await new ALS({ factors: 2, iterations: 3, seed: 1 }).fit(m);
      expect(b.userBiases[1]).toBe(0);
      expect(b.itemBiases[5]).toBe(0);
      expect(b.predict([1], [5])[0]).toBeCloseTo(b.globalMean, 5);
    });

    it('ModelFitError with λ = 0 on rows with fewer ratings than unknowns', async () => {
      await init({ backend: name });
      const m = ratings(4, 20, 30, 0.1);
      const err = await new ALS({ factors: 8, regularization: 0, iterations: 2, seed: 1 }).fit(m).catch((e) => e);
      expect(err).toBeInstanceOf(ModelFitError);
      expect(err.message).toMatch(/ALS\.fit: (user|item) \d+ \(\d+ interactions\): regularization is 0/);
    });

    it('abort keeps the previous model; onIteration reports', async () => {
      await init({ backend: name });
      const m = ratings(5);
      const model = await new ALS({ factors: 3, iterations: 2, seed: 1 }).fit(m);
      const before = model.itemFactors;
      const ctl = new AbortController();
      const seen: number[] = [];
      await expect(
        model.fit(ratings(6), { signal: ctl.signal, onIteration: (r) => (seen.push(r.iteration), ctl.abort()) }),
      ).rejects.toThrow(AbortError);
      expect(seen).toEqual([0]);
      expect(model.itemFactors).toEqual(before);
    });
  });
}

it('ALS wasm and js agree to 1e-3 after one iteration', async () => {
  const m = ratings(7, 80, 60, 0.2);
  await init({ backend: 'wasm' });
  const w = await new ALS({ factors: 8, iterations: 1, seed: 4 }).fit(m);
  await init({ backend: 'js' });
  const j = await new ALS({ factors: 8, iterations: 1, seed: 4 }).fit(m);
  expect(relErr(w.userFactors, j.userFactors)).toBeLessThan(1e-3);
  expect(relErr(w.itemFactors, j.itemFactors)).toBeLessThan(1e-3);
  expect(relErr(w.itemBiases, j.itemBiases)).toBeLessThan(1e-3);
});
