// The library in a real browser (Chromium, Firefox and WebKit, vitest browser mode): WASM SIMD backend start-up, parsing a
// File, implicit ALS fit/serve/fold-in, persistence through bytes, and the SVD against a dense oracle —
// each on both backends, which must agree.
import { describe, expect, it } from 'vitest';
import { server } from 'vitest/browser';
import { detectSimd, init } from '../../src/runtime/index.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { readInteractions } from '../../src/data/parse/read.js';
import { ImplicitALS } from '../../src/models/als/index.js';
import { ItemKNN } from '../../src/models/item-knn/index.js';
import { EASE } from '../../src/models/ease/index.js';
import { truncatedSVD } from '../../src/svd/index.js';
import { loadModel } from '../../src/models/load.js';
import { Matrix, SVD } from 'ml-matrix';

/** Seeded random users × items counts (mulberry32). */
function counts(seed: number, rows: number, cols: number, density: number): SparseMatrix {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (next() < density) {
        r.push(i);
        c.push(j);
        v.push(1 + Math.floor(next() * 5));
      }
    }
  }
  return SparseMatrix.fromCOO({ rows: r, cols: c, values: v, shape: [rows, cols] });
}

describe('browser environment', () => {
  it('runs in a real browser with WebAssembly SIMD', async () => {
    expect(typeof window).toBe('object');
    expect(typeof navigator.userAgent).toBe('string');
    // The engine vitest says it launched is the one running the tests.
    const engine = { chromium: /Chrome\//, firefox: /Firefox\//, webkit: /AppleWebKit\/(?!.*Chrome)/ }[server.browser];
    expect(engine, `unexpected browser ${server.browser}`).toBeDefined();
    expect(navigator.userAgent).toMatch(engine!);
    expect(detectSimd()).toBe(true);
    // The test server sends COOP/COEP like the demo's, so SharedArrayBuffer is available.
    expect(crossOriginIsolated).toBe(true);
    expect(typeof SharedArrayBuffer).toBe('function');
    const b = await init({ backend: 'wasm' });
    expect(b.name).toBe('wasm');
  });

  it('readInteractions parses a File (what the demo gets from a drop)', async () => {
    const text = '196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t377\t1\t878887116\n';
    const file = new File([text], 'u.data', { type: 'text/plain' });
    const data = await readInteractions(file, { format: 'movielens-100k' });
    expect(data.shape).toEqual([2, 3]);
    expect(data.users.ids()).toEqual([186, 196]);
    expect(data.items.ids()).toEqual([242, 302, 377]);
    expect(data.nnz).toBe(3);
  });
});

describe('implicit ALS in the browser', () => {
  const m = counts(11, 60, 45, 0.15);
  // Cholesky (f64 solves): the backends differ only by f32 rounding of the stored factors.
  const fitted = async (backend: 'wasm' | 'js'): Promise<ImplicitALS> => {
    await init({ backend });
    return new ImplicitALS({
      factors: 8,
      iterations: 4,
      regularization: 0.1,
      alpha: 5,
      seed: 3,
      solver: 'cholesky',
    }).fit(m);
  };

  it('wasm and js backends give the same factors and recommendations', async () => {
    const w = await fitted('wasm');
    const j = await fitted('js');
    const a = w.userFactors;
    const b = j.userFactors;
    let num = 0;
    let den = 0;
    for (let i = 0; i < a.length; i++) {
      num += (a[i] - b[i]) ** 2;
      den += b[i] ** 2;
    }
    expect(Math.sqrt(num / den)).toBeLessThan(1e-4);
    const rw = w.recommend(0, { n: 5 });
    const rj = j.recommend(0, { n: 5 });
    expect(new Set(rw.items)).toEqual(new Set(rj.items));
    for (let i = 0; i < 5; i++) expect(rw.scores[i]).toBeCloseTo(rj.scores[i], 4);
  });

  it('the loss decreases and recommend filters the liked items', async () => {
    const losses: number[] = [];
    await init({ backend: 'wasm' });
    const model = new ImplicitALS({
      factors: 8,
      iterations: 6,
      regularization: 0.1,
      alpha: 5,
      seed: 3,
      calculateTrainingLoss: true,
    });
    await model.fit(m, { onIteration: (it) => losses.push(it.loss!) });
    expect(losses).toHaveLength(6);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThanOrEqual(losses[i - 1] * (1 + 1e-6));
    const liked = new Set(m.row(4).indices);
    const r = model.recommend(4, { n: 10 });
    expect(r.items.length).toBe(10);
    for (const i of r.items) expect(liked.has(i)).toBe(false);
  });

  it('fold-in equals a partial refit of the user; save → load keeps the recommendations', async () => {
    const model = await fitted('wasm');
    const row = m.row(7);
    const folded = model.recommend(0, {
      n: 8,
      userItems: { indices: row.indices, values: row.values },
      recalculateUser: true,
    });
    // Both solve the user's exact least-squares problem against the final item factors.
    model.partialFitUsers([7], [{ indices: row.indices, values: row.values }]);
    const direct = model.recommend(7, { n: 8 });
    expect(Array.from(folded.items)).toEqual(Array.from(direct.items));
    for (let i = 0; i < 8; i++) expect(folded.scores[i]).toBeCloseTo(direct.scores[i], 5);
    const bytes = model.save();
    const loaded = loadModel(bytes) as ImplicitALS;
    expect(loaded.modelType).toBe('ImplicitALS');
    expect(Array.from(loaded.recommend(7, { n: 8 }).items)).toEqual(Array.from(direct.items));
  });
});

describe('ItemKNN and EASE in the browser', () => {
  const m = counts(11, 60, 40, 0.15);
  for (const [name, make] of [
    ['ItemKNN', () => new ItemKNN({ weighting: 'bm25' })],
    ['EASE', () => new EASE()],
  ] as const) {
    it(`${name}: wasm and js serve the same lists; a new user's items score as the user; save → load`, async () => {
      await init({ backend: 'wasm' });
      const a = await make().fit(m);
      const want = a.recommend(3, { n: 8 });
      const row = m.row(3);
      expect(a.recommendForItems({ indices: row.indices, values: row.values }, { n: 8 })).toEqual(want);
      expect(loadModel(a.save()).recommend(3, { n: 8 })).toEqual(want);
      await init({ backend: 'js' });
      const b = await make().fit(m);
      const got = b.recommend(3, { n: 8 });
      for (let t = 0; t < 8; t++) expect(Math.abs(got.scores[t] - want.scores[t])).toBeLessThan(1e-4);
      await init({ backend: 'wasm' });
    });
  }
});

describe('truncated SVD in the browser', () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`matches a dense SVD (${backend})`, async () => {
      await init({ backend });
      const A = counts(5, 50, 35, 0.2);
      const r = await truncatedSVD(A, { k: 6 });
      const dense = new Matrix(A.rows, A.cols);
      for (let i = 0; i < A.rows; i++) {
        const { indices, values } = A.row(i);
        for (let q = 0; q < indices.length; q++) dense.set(i, indices[q], values[q]);
      }
      const s = new SVD(dense, { autoTranspose: true }).diagonal;
      for (let i = 0; i < 6; i++) expect(Math.abs(r.s[i] - s[i]) / s[0]).toBeLessThan(1e-8);
      expect(r.converged).toBe(true);
    });
  }
});
