// Several builds of lowrank timed in one process, interleaved, on the same inputs: serving, SVD and ALS on
// the 'js' and 'wasm' backends of each build. For before/after figures of a change (e.g. a regression of
// the pure-JS backend): build each revision (`npm run build` in a worktree) and pass its dist/ folder.
//
//   node bench/builds.mjs before=<dist> after=<dist> [more=<dist> ...] [--backends js,wasm] [--runs 5]
//                         [--only recommend,similar,svd,cg,cholesky,als]
//
// Each case is set up on every (build, backend) column, warmed up once, then timed in rounds whose order
// rotates (bench/lib/timing.mjs). Medians per column, and each column's ratio to the first build's column
// of the same backend (> 1: slower than the first build).
import { resolve, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import { timeCase } from './lib/timing.mjs';
import { ratings, binary } from './lib/data.mjs';
import { fmtMs } from './lib/stats.mjs';

const argv = process.argv.slice(2);
const builds = [];
let backends = ['js', 'wasm'];
let runs = 5;
let only;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--backends') backends = argv[++i].split(',');
  else if (a === '--runs') runs = Number(argv[++i]);
  else if (a === '--only') only = argv[++i].split(',');
  else if (/^[\w-]+=/.test(a))
    builds.push({ name: a.slice(0, a.indexOf('=')), dist: resolve(a.slice(a.indexOf('=') + 1)) });
  else {
    console.error(`builds.mjs: unknown argument ${a}`);
    process.exit(2);
  }
}
if (builds.length === 0) {
  console.error(
    'usage: node bench/builds.mjs name=<dist> [name=<dist> ...] [--backends js,wasm] [--runs N] [--only ...]',
  );
  process.exit(2);
}

const columns = [];
for (const b of builds) {
  b.lib = await import(pathToFileURL(join(b.dist, 'internal.mjs')).href);
  for (const name of backends) {
    const backend = await b.lib.init({ backend: name });
    columns.push({
      name: `${b.name}/${name}`,
      build: b,
      kind: name,
      backend,
      activate: () => b.lib.init({ backend: name }),
    });
  }
}

// Inputs are made once with the first build and copied into each build's own SparseMatrix class.
const L0 = builds[0].lib;
const matrixOn = (lib, m) => new lib.SparseMatrix(m.indptr, m.indices, m.data, m.shape);

// Serving: an ImplicitALS model (factors 64, 5000 users × 17,632 items) fitted once, its saved bytes loaded
// into every column (the .lrk format is the same across these builds).
let served;
async function servingBytes() {
  if (served) return served;
  const d = ratings(L0, 5000, 17632, 250_000, 42);
  await L0.init({ backend: 'wasm' });
  const m = await new L0.ImplicitALS({ factors: 64, iterations: 3, seed: 1 }).fit(d.matrix);
  served = m.save();
  m.dispose();
  return served;
}
let s = 9;
const users = Int32Array.from({ length: 1000 }, () => (s = (s * 1103515245 + 12345) >>> 0) % 5000);

const serving = (id, label, per, call) => ({
  id,
  label,
  per,
  async prepare() {
    await servingBytes();
  },
  setup(c) {
    const m = c.build.lib.loadModel(served, { backend: c.backend });
    let r;
    return { run: () => (r = call(m)), check: () => ({ top: r.items[0] }), dispose: () => m.dispose() };
  },
});

const fit = (id, label, data, make) => ({
  id,
  label,
  unit: 'ms/iteration',
  runs: Math.max(2, Math.ceil(runs / 2)),
  setup(c) {
    const M = matrixOn(c.build.lib, data());
    let facts;
    return {
      run: async () => {
        const model = make(c.build.lib);
        const secs = [];
        await model.fit(M, { onIteration: (r) => secs.push(r.seconds) });
        facts = { score: model.recommend(0, { n: 1, filterAlreadyLiked: false }).scores[0] };
        model.dispose();
        return { ms: (1000 * secs.reduce((a, b) => a + b, 0)) / secs.length };
      },
      check: () => facts,
    };
  },
});

const ml100kLike = () => ratings(L0, 943, 1682, 100_000, 100).matrix;
const implicitData = () => binary(L0, 2000, 1500, 60_000, 7).matrix;

const CASES = {
  recommend: serving('recommend', 'recommend top-10, one user', 100, (m) => {
    let r;
    for (let i = 0; i < 100; i++) r = m.recommend(users[i], { n: 10 });
    return r;
  }),
  batch: serving('batch', 'recommendBatch top-10, 1,000 users', 1, (m) => m.recommendBatch(users, { n: 10 })),
  similar: serving('similar', 'similarItems top-10', 100, (m) => {
    let r;
    for (let i = 0; i < 100; i++) r = m.similarItems(users[i] % 17632, { n: 10 });
    return r;
  }),
  svd: {
    id: 'svd',
    label: 'truncatedSVD k=20, 943 × 1682, 100k',
    setup(c) {
      const M = matrixOn(c.build.lib, ml100kLike());
      let last;
      return {
        run: async () => (last = await c.build.lib.truncatedSVD(M, { k: 20, tol: 1e-10 })),
        check: () => ({ sigma1: last.s[0], matvecs: last.matvecs }),
      };
    },
  },
  cg: fit(
    'cg',
    'ImplicitALS CG (3 steps), 2000 × 1500, 60k',
    implicitData,
    (L) =>
      new L.ImplicitALS({
        factors: 64,
        regularization: 0.01,
        alpha: 40,
        iterations: 2,
        solver: 'cg',
        cgSteps: 3,
        seed: 1,
      }),
  ),
  cholesky: fit(
    'cholesky',
    'ImplicitALS Cholesky, 2000 × 1500, 60k',
    implicitData,
    (L) =>
      new L.ImplicitALS({ factors: 64, regularization: 0.01, alpha: 40, iterations: 2, solver: 'cholesky', seed: 1 }),
  ),
  als: fit(
    'als',
    'ALS (explicit), 943 × 1682, 100k',
    ml100kLike,
    (L) => new L.ALS({ factors: 64, iterations: 2, seed: 1 }),
  ),
};

console.log(`lowrank builds compared in one run — ${new Date().toISOString()}`);
console.log(
  `machine: ${os.cpus()[0]?.model} × ${os.cpus().length}, node ${process.version}, load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
for (const b of builds) console.log(`  ${b.name}: ${b.dist}`);
console.log(
  `${runs} interleaved runs per case and column (fits: ${Math.max(2, Math.ceil(runs / 2))}) after 1 warm-up\n`,
);

const rows = [];
for (const [key, c] of Object.entries(CASES)) {
  if (only && !only.includes(key)) continue;
  await c.prepare?.();
  const r = await timeCase(c, columns, { runs });
  rows.push({ c, r });
  const cells = columns.map((col) => {
    const t = r.backends[col.name];
    const ref = r.backends[`${builds[0].name}/${col.kind}`];
    return `${col.name} ${fmtMs(t.median)} (${(t.median / ref.median).toFixed(2)}×)`;
  });
  console.log(`${c.label}: ${cells.join(' · ')}`);
  // Builds must agree with each other on each backend (js and wasm round differently).
  for (const kind of backends) {
    const facts = new Set(
      columns.filter((col) => col.kind === kind).map((col) => JSON.stringify(r.backends[col.name].check)),
    );
    if (facts.size > 1) console.log(`  note: builds differ on ${kind}: ${[...facts].join(' ')}`);
  }
}

console.log(`\n| case | ${columns.map((c) => c.name).join(' | ')} |`);
console.log(`|---|${columns.map(() => '---:').join('|')}|`);
for (const { c, r } of rows) {
  const cells = columns.map((col) => {
    const t = r.backends[col.name];
    const ref = r.backends[`${builds[0].name}/${col.kind}`];
    return col.build === builds[0] ? fmtMs(t.median) : `${fmtMs(t.median)} (${(t.median / ref.median).toFixed(2)}×)`;
  });
  console.log(`| ${c.label}${c.unit ? ` (${c.unit})` : ''} | ${cells.join(' | ')} |`);
}
console.log(
  `\nmedians; (×) = time ÷ the ${builds[0].name} build's on the same backend (< 1: faster). load at end ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
for (const b of builds) await b.lib.terminate?.();
process.exit(0);
