// Serving latency, wasm vs js backend, in one process (medians):
//   - fold-in: ImplicitALS.recalculateUser with 64 factors and 100 interactions (goal < 1 ms)
//   - recommend top-10 over 17,632 items, filtering ~50 liked items (goal < 2 ms)
//   - recommendBatch of 1,000 users, top-10
// Usage: npm run build && node bench/serving.mjs [--quick]
// (LOWRANK_DIST=path/to/internal.mjs overrides the bundle, for benchmarking an unreleased build.)
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const dist = process.env.LOWRANK_DIST ? pathToFileURL(process.env.LOWRANK_DIST).href : new URL('../dist/internal.mjs', import.meta.url).href;
const lr = await import(dist);
const { init, FactorModel, ImplicitALS, SparseMatrix, loadModel } = lr;
for (const [name, v] of Object.entries({ init, FactorModel, ImplicitALS, SparseMatrix, loadModel })) {
  if (!v) throw new Error(`bench/serving: ${name} is not exported from ${dist}`);
}

const quick = process.argv.includes('--quick');
const ITEMS = 17632;
const USERS = 5000;
const DIM = 64;
const LIKED = 50;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median wall time (ms) of fn over `reps` calls after `warm` warm-up calls. */
function time(fn, reps, warm = Math.min(10, reps)) {
  for (let i = 0; i < warm; i++) fn(i);
  const t = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn(i);
    t.push(performance.now() - t0);
  }
  return median(t);
}

function interactions(rand, users, items, perUser) {
  const rows = [];
  const cols = [];
  for (let u = 0; u < users; u++) {
    for (let j = 0; j < perUser; j++) {
      rows.push(u);
      // Skewed popularity, like real data.
      cols.push(Math.floor(items * rand() ** 2));
    }
  }
  return SparseMatrix.fromCOO({ rows, cols, values: rows.map(() => 1 + Math.floor(rand() * 5)), shape: [users, items], duplicates: 'sum' });
}

/** Random factors served through the FactorModel base (setFactors is protected in TS, callable in JS). */
class BenchModel extends FactorModel {
  modelType = 'BenchFactors';
  get options() {
    return {};
  }
  recalculateUser() {
    throw new Error('not used');
  }
}

const rand = mulberry32(42);
const X = Float32Array.from({ length: USERS * DIM }, () => rand() - 0.5);
const Y = Float32Array.from({ length: ITEMS * DIM }, () => rand() - 0.5);
const train = interactions(rand, USERS, ITEMS, LIKED);

// One ImplicitALS fit (wasm) supplies item factors for fold-in; saved and loaded into each backend.
await init({ backend: 'wasm' });
const alsTrain = interactions(mulberry32(7), 3000, ITEMS, 40);
const t0 = performance.now();
const als = await new ImplicitALS({ factors: DIM, iterations: quick ? 1 : 3, seed: 1 }).fit(alsTrain);
const fitMs = performance.now() - t0;
const alsBytes = als.save({ includeInteractions: false });
als.dispose();
const foldUsers = Array.from({ length: 64 }, (_, s) => {
  const r = mulberry32(100 + s);
  const set = new Set();
  while (set.size < 100) set.add(Math.floor(ITEMS * r() ** 2));
  const indices = Int32Array.from([...set].sort((a, b) => a - b));
  return { indices, values: Float32Array.from(indices, () => 1 + Math.floor(r() * 5)) };
});

const rows = [];
for (const name of ['wasm', 'js']) {
  const backend = await init({ backend: name });
  const model = new BenchModel();
  model.setFactors(backend, backend.heap.copyIn(X), backend.heap.copyIn(Y), DIM);
  model.trainMatrix = train;
  const users = Int32Array.from({ length: 1000 }, () => Math.floor(rand() * USERS));
  const rec = time((i) => model.recommend(users[i % users.length], { n: 10 }), quick ? 50 : 300);
  const sim = time((i) => model.similarItems(users[i % users.length], { n: 10 }), quick ? 50 : 300);
  const batch = time(() => model.recommendBatch(users, { n: 10 }), quick ? 2 : name === 'js' ? 3 : 7, 1);
  const imp = loadModel(alsBytes, { backend });
  const fold = time((i) => imp.recalculateUser(foldUsers[i % foldUsers.length]), quick ? 50 : 300);
  const foldRec = time((i) => imp.recommend(0, { n: 10, userItems: foldUsers[i % foldUsers.length], recalculateUser: true }), quick ? 50 : 300);
  rows.push({ backend: name, fold, rec, foldRec, sim, batch });
  model.dispose();
  imp.dispose();
}

const f = (ms) => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1)).padStart(9);
console.log(`serving latency, median ms (items ${ITEMS}, factors ${DIM}, users ${USERS}, ~${LIKED} liked/user filtered; ImplicitALS fit for fold-in: ${fitMs.toFixed(0)} ms)`);
console.log('backend | fold-in 100 | recommend top-10 | fold-in + recommend | similarItems top-10 | recommendBatch 1000 users');
for (const r of rows) console.log(`${r.backend.padEnd(7)} | ${f(r.fold)}   | ${f(r.rec)}        | ${f(r.foldRec)}           | ${f(r.sim)}           | ${f(r.batch)} (${r.batch.toFixed(1)} µs/user)`);
const w = rows[0];
const j = rows[1];
console.log(`wasm speed-up: fold-in ×${(j.fold / w.fold).toFixed(1)}, recommend ×${(j.rec / w.rec).toFixed(1)}, batch ×${(j.batch / w.batch).toFixed(1)}`);
console.log(`goals: fold-in < 1 ms: ${w.fold < 1 ? 'met' : 'MISSED'} (${w.fold.toFixed(3)}); recommend < 2 ms: ${w.rec < 2 ? 'met' : 'MISSED'} (${w.rec.toFixed(3)})`);
