// The program every consumer runs (Node ESM/CJS, TypeScript, each bundler's output, the CDN build, Deno,
// Bun, the browsers): fit ImplicitALS on seeded counts, recommend, then — through a dynamic import, so a
// bundler can keep it out of the first download — a truncated SVD and the same fit on 2 threads. Every
// consumer must report the same numbers as Node; the packaging test compares them.
//
// `lib` holds { init, ImplicitALS, SparseMatrix } (all the entry imports statically); `more()` resolves to
// { truncatedSVD, terminate } and, from the subpaths, { readNpy, writeNpy } (lowrank/formats) and
// { RecommenderBase } (lowrank/advanced); `mark()` is called once the ImplicitALS part is done (the browser server
// measures what was downloaded up to then).

/** Seeded users × items counts (mulberry32), as COO arrays. */
function counts(seed, rows, cols, density) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = [];
  const c = [];
  const v = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (next() < density) {
        r.push(i);
        c.push(j);
        v.push(1 + Math.floor(next() * 5));
      }
    }
  }
  return { rows: r, cols: c, values: v, shape: [rows, cols] };
}

export async function program(lib, more, mark = async () => {}) {
  const { init, ImplicitALS, SparseMatrix } = lib;
  const m = SparseMatrix.fromCOO(counts(42, 600, 400, 0.03));
  const fitRecs = async () => {
    const model = new ImplicitALS({
      factors: 16,
      iterations: 5,
      regularization: 0.05,
      alpha: 2,
      seed: 7,
      solver: 'cholesky',
    });
    await model.fit(m);
    const recs = [0, 1, 2, 3, 4].map((u) => Array.from(model.recommend(u, { n: 5 }).items));
    model.dispose?.();
    return recs;
  };
  // One thread first: the reference, and what the first-download budget measures (init() would load the
  // threads module up front where threads work — every consumer here — since threads are the default).
  const backend = (await init({ threads: 1 })).name;
  const recs = await fitRecs();
  await mark();

  const { truncatedSVD, terminate, readNpy, writeNpy, RecommenderBase } = await more();
  // lowrank/formats and lowrank/advanced: the same classes as the root (one module instance).
  const npy = readNpy(writeNpy({ dtype: 'f4', shape: [2], data: new Float32Array([1, 2]) }));
  const subpaths = new ImplicitALS() instanceof RecommenderBase && npy.data[1] === 2;
  const defaultBackend = (await init()).name;
  const svd = await truncatedSVD(m, { k: 5 });
  const threaded = await init({ threads: 2 });
  const threadRecs = await fitRecs();
  const parallelJobs = threaded.pool?.stats.parallelJobs ?? 0;
  await terminate();
  return {
    backend,
    defaultBackend,
    recs,
    s: Array.from(svd.s),
    threadsBackend: threaded.name,
    parallelJobs,
    threadsSame: JSON.stringify(threadRecs) === JSON.stringify(recs),
    subpaths,
  };
}
