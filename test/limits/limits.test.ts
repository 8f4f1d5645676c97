// Limits: requests beyond wasm32's 4 GiB are refused up front with the size (OutOfMemoryError), never a
// crash mid-fit; more than 2^31-1 nonzeros is refused clearly; an AbortSignal stops fit and truncatedSVD
// within one iteration and leaves the model as it was.
//
// Only requests that are refused before any large allocation are exercised here: a request between 1 and
// 4 GiB that is *not* refused would really allocate and could take the machine down.
import { describe, expect, it } from 'vitest';
import { AbortError, OutOfMemoryError, ParseError, ValidationError } from '../../src/errors.js';
import { init, type BackendName } from '../../src/runtime/backend.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { readInteractions } from '../../src/data/parse/read.js';
import { ImplicitALS, ALS } from '../../src/models/als/index.js';
import { truncatedSVD } from '../../src/svd/index.js';
import { PureSVD } from '../../src/models/puresvd/puresvd.js';
import { Rng } from '../../src/random.js';

const BACKENDS: BackendName[] = ['wasm', 'js'];

/** rows × cols with `nnz` seeded random entries (values in [1, 5]). */
function random(rows: number, cols: number, nnz: number, seed: number): SparseMatrix {
  const rng = new Rng(seed);
  const r = new Int32Array(nnz);
  const c = new Int32Array(nnz);
  const v = new Float32Array(nnz);
  for (let i = 0; i < nnz; i++) {
    r[i] = rng.nextInt(rows);
    c[i] = rng.nextInt(cols);
    v[i] = 1 + rng.nextInt(5);
  }
  return SparseMatrix.fromCOO({ rows: r, cols: c, values: v, shape: [rows, cols], duplicates: 'last' });
}

/** A huge but nearly empty matrix (its CSR arrays are small; what it implies for the solvers is not). */
const hugeSparse = (rows: number, cols: number) =>
  SparseMatrix.fromCOO({ rows: [0, rows - 1], cols: [0, cols - 1], values: [1, 2], shape: [rows, cols] });

describe.each(BACKENDS)('memory limits (%s)', (name) => {
  it('truncatedSVD refuses a Lanczos workspace beyond 4 GiB before iterating, with the size, and frees what it took', async () => {
    const backend = await init({ backend: name });
    const A = hugeSparse(2_000_000, 2_000_000);
    const before = backend.heap.bytesInUse;
    let progress = 0;
    const e = await truncatedSVD(A, { k: 300, onProgress: () => void progress++ }).catch((x) => x);
    expect(e).toBeInstanceOf(OutOfMemoryError);
    // (subspace 616 + 1) × 2e6 f64 = 9.87e9 bytes: the size is in the message and on the error.
    expect((e as OutOfMemoryError).requested).toBeGreaterThan(2 ** 32);
    expect((e as Error).message).toMatch(
      /requested \d+\.\d GiB \(\d+ bytes\).*wasm32 linear memory is limited to 4 GiB.*truncatedSVD \(lanczos, k=300, subspace 616\) of a 2000000×2000000 matrix needs/,
    );
    expect(progress).toBe(0);
    A.releaseHeap();
    expect(backend.heap.bytesInUse).toBe(before);
  });

  it('PureSVD.fit refuses the same up front and stays unfitted', async () => {
    await init({ backend: name });
    const model = new PureSVD({ factors: 300 });
    await expect(model.fit(hugeSparse(2_000_000, 2_000_000))).rejects.toThrow(OutOfMemoryError);
    expect(model.isFitted).toBe(false);
  });

  it('the randomized SVD refuses its sample block beyond 4 GiB', async () => {
    await init({ backend: name });
    await expect(
      truncatedSVD(hugeSparse(3_000_000, 3_000_000), { k: 200, method: 'randomized', oversample: 10 }),
    ).rejects.toThrow(OutOfMemoryError);
  });

  // The budget is checked before the seeded start factors are built (they would otherwise take GBs of RAM).
  it('ImplicitALS.fit refuses users × factors beyond 4 GiB up front with OutOfMemoryError', async () => {
    await init({ backend: name });
    const model = new ImplicitALS({ factors: 4096, iterations: 1, seed: 1 });
    const e = await model.fit(hugeSparse(1_100_000, 2)).catch((err: unknown) => err);
    // An OutOfMemoryError, not a RangeError from building 18 GB of start factors in JS first.
    expect(e).toBeInstanceOf(OutOfMemoryError);
    expect((e as OutOfMemoryError).requested).toBeGreaterThan(1_100_002 * 4096 * 4);
    expect((e as Error).message).toMatch(
      /ImplicitALS\.fit: 1100000 users \+ 2 items × 4096 stored columns need .* of factors alone; lower factors/,
    );
    expect(model.isFitted).toBe(false);
  });

  it('ALS.fit refuses users × factors beyond 4 GiB up front with OutOfMemoryError', async () => {
    await init({ backend: name });
    const model = new ALS({ factors: 4096, iterations: 1, seed: 1 });
    await expect(model.fit(hugeSparse(1_100_000, 2))).rejects.toThrow(OutOfMemoryError);
    expect(model.isFitted).toBe(false);
  });
});

describe('nonzero limits', () => {
  it('more than 2^31-1 nonzeros is refused before reading them (fromCOO)', () => {
    const n = 2 ** 31;
    // Reading any entry throws something else: the refusal must come from the lengths alone.
    const unreadable = new Proxy({ length: n } as ArrayLike<number>, {
      get: (t, k) =>
        typeof k === 'string' && /^\d+$/.test(k) ? expect.fail(`fromCOO read entry ${k}`) : Reflect.get(t, k),
    });
    expect(() => SparseMatrix.fromCOO({ rows: unreadable, cols: unreadable })).toThrow(
      new ValidationError(`SparseMatrix.fromCOO: ${n} entries exceed the 2^31-1 nonzeros an Int32 index can address`),
    );
  });

  it('a Matrix Market file declaring more than 2^31-1 entries is refused at its size line', async () => {
    const text = '%%MatrixMarket matrix coordinate real general\n100000 100000 3000000000\n1 1 1\n';
    await expect(readInteractions(text)).rejects.toThrow(ParseError);
    await expect(readInteractions(text)).rejects.toThrow(
      /line 2, column 1: the size line declares 3000000000 entries; a SparseMatrix holds at most 2\^31-1 nonzeros/,
    );
  });

  it('a Matrix Market shape beyond Int32 is refused (it used to be allocated and kill the process)', async () => {
    await expect(
      readInteractions('%%MatrixMarket matrix coordinate real general\n4294967296 2 1\n1 1 1\n'),
    ).rejects.toThrow(/rows and columns are limited to 2\^31-1/);
  });
});

describe.each(BACKENDS)('cancellation (%s)', (name) => {
  const A = random(60, 40, 600, 7);
  const B = random(60, 40, 600, 8);

  for (const [label, make] of [
    ['ImplicitALS', () => new ImplicitALS({ factors: 4, iterations: 6, seed: 3 })],
    ['ImplicitALS cholesky', () => new ImplicitALS({ factors: 4, iterations: 6, seed: 3, solver: 'cholesky' })],
    ['ALS', () => new ALS({ factors: 4, iterations: 6, seed: 3 })],
  ] as const) {
    it(`${label}.fit stops within one iteration of an abort and keeps its previous factors`, async () => {
      await init({ backend: name });
      const model = make();
      await model.fit(A);
      const X = model.userFactors.slice();
      const Y = model.itemFactors.slice();
      const rec = model.recommend(0, { n: 5 });
      const ac = new AbortController();
      const seen: number[] = [];
      const e = await model
        .fit(B, {
          signal: ac.signal,
          onIteration: ({ iteration }) => {
            seen.push(iteration);
            if (iteration === 1) ac.abort();
          },
        })
        .catch((x) => x);
      expect(e).toBeInstanceOf(AbortError);
      expect(seen).toEqual([0, 1]); // no iteration ran after the abort
      expect(model.userFactors).toEqual(X);
      expect(model.itemFactors).toEqual(Y);
      expect(model.recommend(0, { n: 5 })).toEqual(rec);
    });

    it(`${label}.fit on an unfitted model, aborted from a timer, stays unfitted`, async () => {
      await init({ backend: name });
      const model = make();
      const ac = new AbortController();
      let after = 0;
      let aborted = false;
      const big = random(400, 300, 6000, 9);
      const m2 =
        label === 'ALS'
          ? new ALS({ factors: 16, iterations: 1000, seed: 1 })
          : new ImplicitALS({ factors: 16, iterations: 1000, seed: 1 });
      void model;
      setTimeout(() => {
        ac.abort();
        aborted = true;
      }, 30);
      const e = await m2
        .fit(big, {
          signal: ac.signal,
          onIteration: () => {
            if (aborted) after++;
          },
        })
        .catch((x) => x);
      expect(e).toBeInstanceOf(AbortError);
      expect(after).toBeLessThanOrEqual(1);
      expect(m2.isFitted).toBe(false);
    });
  }

  it('truncatedSVD stops within one restart of an abort', async () => {
    await init({ backend: name });
    const ac = new AbortController();
    let calls = 0;
    const e = await truncatedSVD(A, {
      k: 10,
      subspace: 12,
      tol: 1e-14,
      signal: ac.signal,
      onProgress: () => {
        calls++;
        ac.abort();
      },
    }).catch((x) => x);
    expect(e).toBeInstanceOf(AbortError);
    expect(calls).toBe(1);
  });

  it('randomized truncatedSVD stops within one power iteration of an abort', async () => {
    await init({ backend: name });
    const ac = new AbortController();
    let calls = 0;
    const e = await truncatedSVD(A, {
      k: 5,
      method: 'randomized',
      powerIterations: 8,
      signal: ac.signal,
      onProgress: () => {
        calls++;
        ac.abort();
      },
    }).catch((x) => x);
    expect(e).toBeInstanceOf(AbortError);
    expect(calls).toBe(1);
  });

  it('PureSVD.fit aborted mid-SVD keeps the previous model', async () => {
    await init({ backend: name });
    const model = await new PureSVD({ factors: 3, seed: 1 }).fit(A);
    const s = model.singularValues;
    const Y = model.itemFactors;
    const ac = new AbortController();
    let calls = 0;
    // Big enough that Lanczos restarts (its default subspace of 40 is below min(rows, cols)).
    const e = await model
      .fit(random(300, 200, 3000, 10), {
        signal: ac.signal,
        onProgress: () => {
          calls++;
          ac.abort();
        },
      })
      .catch((x) => x);
    expect(e).toBeInstanceOf(AbortError);
    expect(calls).toBe(1);
    expect(model.singularValues).toEqual(s);
    expect(model.itemFactors).toEqual(Y);
  });
});
