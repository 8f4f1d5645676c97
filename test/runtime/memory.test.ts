// Memory frees itself: models, matrices and SVD runs dropped without dispose() give their heap memory
// back once collected (FinalizationRegistry); dispose() / `using` free at once and leave an object that
// throws a DisposedError; a fitted matrix lives once, in the heap, and its public arrays stay right
// across heap growth. bench/memory.mjs runs the 1,000-model version of the first test.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { init, terminate, type Backend } from '../../src/runtime/backend.js';
import { synthetic } from '../../src/data/synthetic.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { ImplicitALS, ALS } from '../../src/models/als/index.js';
import { truncatedSVD } from '../../src/svd/index.js';
import { PureSVD } from '../../src/models/puresvd/puresvd.js';
import { loadModel } from '../../src/models/load.js';
import { DisposedError } from '../../src/errors.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 2 ** 20;

/** Collect until the finalizers have run and the heap's bytes in use stop changing. */
async function collected(b: Backend): Promise<number> {
  let last = -1;
  for (let round = 0; round < 30; round++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
    const now = b.heap.bytesInUse;
    if (now === last && round >= 3) return now;
    last = now;
  }
  return last;
}

/** Fit, serve and drop `n` models of every kind (no dispose), plus SVD runs and loaded copies. */
async function churn(n: number, seed: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const m = synthetic({ users: 120, items: 80, rank: 3, density: 0.08, seed: seed + i }).matrix;
    const model =
      i % 3 === 0
        ? await new ImplicitALS({ factors: 8, iterations: 2, seed: i }).fit(m)
        : i % 3 === 1
          ? await new ALS({ factors: 6, iterations: 2, seed: i }).fit(m)
          : await new PureSVD({ factors: 5, seed: i }).fit(m);
    model.recommend(0, { n: 5 });
    model.recommendBatch([0, 1, 2], { n: 5 });
    model.similarItems(1, { n: 5 });
    model.similarUsers(1, { n: 5 });
    if (model instanceof ImplicitALS) model.recalculateUser(m.row(3));
    if (i % 10 === 0) loadModel(model.save()).recommend(1);
    if (i % 7 === 0) await truncatedSVD(m, { k: 3, seed: i, center: 'rows' });
  }
}

describe.each(['wasm', 'js', 'wasm-threads'] as const)('heap lifetime (%s)', (name) => {
  it('models, matrices and SVD runs dropped without dispose() give the heap back after collection', async () => {
    const b = await init({ backend: name, threads: name === 'wasm-threads' ? 2 : undefined });
    await churn(3, 1000); // warm up: pool control block, lazily made state
    const base = await collected(b);
    await churn(60, 0);
    const grown = b.heap.bytesInUse;
    const after = await collected(b);
    expect(grown - base).toBeGreaterThan(MiB / 4); // the churn did hold memory until collection
    expect(Math.abs(after - base)).toBeLessThanOrEqual(MiB);
  }, 120_000);

  it('dispose() frees at once and the model then throws a DisposedError; `using` disposes at the block end', async () => {
    const b = await init({ backend: name, threads: name === 'wasm-threads' ? 2 : undefined });
    const m = synthetic({ users: 100, items: 60, rank: 3, density: 0.1, seed: 3 }).matrix;
    const base = b.heap.bytesInUse;
    const model = await new ImplicitALS({ factors: 8, iterations: 2, seed: 1 }).fit(m);
    model.recommend(0);
    model.similarItems(0);
    expect(b.heap.bytesInUse).toBeGreaterThan(base);
    model.dispose();
    m.dispose();
    expect(b.heap.bytesInUse).toBe(base);
    expect(model.isDisposed).toBe(true);
    expect(() => model.recommend(0)).toThrow(DisposedError);
    expect(() => model.similarItems(0)).toThrow(
      /ImplicitALS.similarItems: this model was disposed .*create a new ImplicitALS/,
    );
    await expect(model.fit(synthetic({ users: 10, items: 10, seed: 1 }).matrix)).rejects.toThrow(
      /ImplicitALS.fit: this model was disposed/,
    );
    expect(() => m.indices).toThrow(/SparseMatrix: this matrix was disposed .*build or load the matrix again/);
    expect(() => m.row(0)).toThrow(DisposedError);
    model.dispose(); // idempotent
    m.dispose();

    {
      using data = synthetic({ users: 100, items: 60, rank: 3, density: 0.1, seed: 4 });
      using als = await new ALS({ factors: 4, iterations: 2, seed: 1 }).fit(data);
      expect(als.recommend(0).items.length).toBe(10);
      expect(b.heap.bytesInUse).toBeGreaterThan(base);
    }
    expect(b.heap.bytesInUse).toBe(base);
  });

  it('a fitted matrix lives once, in the heap; its public arrays are JS copies that survive heap growth', async () => {
    const b = await init({ backend: name, threads: name === 'wasm-threads' ? 2 : undefined });
    const m = synthetic({ users: 300, items: 150, rank: 3, density: 0.1, seed: 5 }).matrix;
    const copy = { indptr: m.indptr.slice(), indices: m.indices.slice(), data: m.data.slice() };
    const base = b.heap.bytesInUse;
    const k = 8;
    const model = await new ImplicitALS({ factors: k, iterations: 2, seed: 1 }).fit(m);
    expect(m.inHeapOf(b)).toBe(true);
    // The matrix once (the transpose was freed with the fit) and the two factor blocks; nothing else.
    const r16 = (x: number) => Math.ceil(x / 16) * 16;
    const expected = r16(4 * (m.rows + 1)) + 2 * r16(4 * m.nnz) + r16(4 * m.rows * k) + r16(4 * m.cols * k);
    expect(b.heap.bytesInUse - base).toBe(expected);
    const before = { indices: m.indices, row: m.row(7) };
    const grow = b.heap.alloc(b.heap.byteLength); // at least doubles linear memory: every old view is stale
    try {
      expect(m.indptr).toEqual(copy.indptr);
      expect(m.indices).toEqual(copy.indices);
      expect(m.data).toEqual(copy.data);
      expect(before.indices).toEqual(copy.indices);
      expect(before.row.indices).toEqual(copy.indices.subarray(copy.indptr[7], copy.indptr[8]));
      expect(m.row(7).values).toEqual(copy.data.subarray(copy.indptr[7], copy.indptr[8]));
      expect(m.transpose().transpose().indices).toEqual(copy.indices);
      const rec = model.recommend(7, { n: 50 });
      for (const i of copy.indices.subarray(copy.indptr[7], copy.indptr[8]))
        expect(Array.from(rec.items)).not.toContain(i);
    } finally {
      b.heap.free(grow);
    }
    // releaseHeap moves it back into JS memory: still the same matrix.
    model.dispose();
    m.releaseHeap();
    expect(m.inHeapOf(b)).toBe(false);
    expect(b.heap.bytesInUse).toBe(base);
    expect(m.indices).toEqual(copy.indices);
  });
});

describe('a matrix written straight into the heap (SparseMatrix.fromHeap)', () => {
  it('fits exactly like the same matrix from JS arrays, and is freed when collected', async () => {
    const b = await init({ backend: 'wasm' });
    const base = await collected(b);
    const js = synthetic({ users: 150, items: 90, rank: 3, density: 0.1, seed: 8 }).matrix;
    const expected = (await new ImplicitALS({ factors: 6, iterations: 2, seed: 1 }).fit(js)).userFactors;
    const factors = await (async () => {
      const src = synthetic({ users: 150, items: 90, rank: 3, density: 0.1, seed: 8 }).matrix;
      const h = {
        indptr: b.heap.copyIn(src.indptr),
        indices: b.heap.copyIn(src.indices),
        data: b.heap.copyIn(src.data),
      };
      const m = SparseMatrix.fromHeap(b, h, src.shape);
      expect(m.indices).toEqual(src.indices);
      return (await new ImplicitALS({ factors: 6, iterations: 2, seed: 1 }).fit(m)).userFactors;
    })();
    expect(factors).toEqual(expected);
    js.releaseHeap();
    expect(await collected(b)).toBe(base);
  });
});

describe('objects on a backend that is no longer active', () => {
  it('are freed from their own heap when collected', async () => {
    const js = await init({ backend: 'js' });
    const base = await collected(js);
    await (async () => {
      const m = synthetic({ users: 200, items: 100, rank: 3, density: 0.1, seed: 6 }).matrix;
      const model = await new ImplicitALS({ factors: 8, iterations: 1, seed: 1 }).fit(m);
      model.similarItems(0);
      await init({ backend: 'wasm' }); // switched: the model and matrix stay on 'js'
      model.recommend(0);
    })();
    expect(js.heap.bytesInUse).toBeGreaterThan(base);
    expect(await collected(js)).toBe(base);
  });

  it('SparseMatrix.fromCOO matrices uploaded for a call are freed when collected', async () => {
    const b = await init({ backend: 'wasm' });
    const base = await collected(b);
    (() => {
      const m = SparseMatrix.fromCOO({ rows: [0, 1, 2], cols: [2, 1, 0], values: [1, 2, 3] });
      m.onHeap(b);
    })();
    expect(b.heap.bytesInUse).toBeGreaterThan(base);
    expect(await collected(b)).toBe(base);
  });
});

afterAll(() => terminate());
