// Same-run A/B of two builds of lowrank on the ALS iteration or truncatedSVD: both builds loaded in one
// process, their fits interleaved (the order rotating between rounds), medians and the B ÷ A ratio per
// data set — how every lever of issue 29 was kept or dropped.
//
//   node bench/ab.mjs --a <dist A> --b <dist B> [--sets ml100k,lastfm,gowalla,gen-ml1m,gen-citation]
//     [--solver cg|cholesky|ials++|svd] [--factors 64] [--k 10] [--threads 1] [--runs 7] [--iterations 3]
//     [--options '{"confidence":"linear"}'] [--b-options '{…}']   (options of B default to A's)
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import { loadSets, SET_NAMES } from './lib/sets.mjs';
import { summarize } from './lib/stats.mjs';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const load = async (dir) => import(pathToFileURL(resolve(dir, 'internal.mjs')).href);
const A = await load(opt('a', 'dist'));
const B = await load(opt('b', 'dist'));
const solver = opt('solver', 'cg');
const factors = Number(opt('factors', 64));
const threads = Number(opt('threads', 1));
const runs = Number(opt('runs', 7));
const iterations = Number(opt('iterations', 3));
const k = Number(opt('k', 10));
const optsA = JSON.parse(opt('options', '{}'));
const optsB = JSON.parse(opt('b-options', opt('options', '{}')));
const init = (lib) => lib.init(threads === 1 ? { backend: 'wasm' } : { backend: 'wasm-threads', threads });
for (const lib of [A, B]) await init(lib);

console.log(
  `A/B ${opt('a', 'dist')} vs ${opt('b', 'dist')} · ${solver} · threads ${threads} · load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const sets = await loadSets(A, opt('sets', SET_NAMES.join(',')), opt('data', '../shared/data'));

/** One timed run on `lib` (ms): an SVD call, or the mean iteration of a fit. */
async function once(lib, m, o) {
  await init(lib);
  if (solver === 'svd') {
    const t0 = performance.now();
    await lib.truncatedSVD(m, { k, ...o });
    return performance.now() - t0;
  }
  const model = new lib.ImplicitALS({ factors, solver, iterations, seed: 1, ...o });
  const secs = [];
  await model.fit(m, { onIteration: (it) => secs.push(it.seconds) });
  model.dispose();
  return (1000 * secs.reduce((a, b) => a + b, 0)) / secs.length;
}

for (const d of sets) {
  const mA = d.matrix;
  const mB = new B.SparseMatrix(mA.indptr, mA.indices, mA.data, mA.shape);
  const slots = [
    { key: 'A', go: () => once(A, mA, optsA) },
    { key: 'B', go: () => once(B, mB, optsB) },
  ];
  for (const s of slots) await s.go();
  const t = { A: [], B: [] };
  for (let r = 0; r < runs; r++) for (const s of r % 2 ? [...slots].reverse() : slots) t[s.key].push(await s.go());
  const a = summarize(t.A);
  const b = summarize(t.B);
  const ratios = t.B.map((x, i) => x / t.A[i]).sort((x, y) => x - y);
  console.log(
    `${d.short.padEnd(13)} A ${a.median.toFixed(1).padStart(8)} ms  B ${b.median.toFixed(1).padStart(8)} ms  B÷A ${(b.median / a.median).toFixed(3)}  (pairwise ${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)}, median ${ratios[ratios.length >> 1].toFixed(3)})`,
  );
}
console.log(
  `load at end ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
for (const lib of [A, B]) await lib.terminate();
