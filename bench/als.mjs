// ALS benchmark: seconds per iteration of ImplicitALS (CG and Cholesky) on the WASM and JS backends, and
// ALS (explicit) on ML-100k when present, against benfred/implicit's single-thread anchors.
//
//   npm run build && node bench/als.mjs [--iterations N] [--factors K] [--only lastfm,synthetic,ml100k]
//                                       [--backends wasm,js] [--solvers cg,cholesky] [--json out.json]
//
// Datasets: Last.fm-2k (../shared/data/lastfm-2k/user_artists.dat, every count → 1; skipped if absent) and
// a generated 6040 × 3706 binary matrix with ~575k nonzeros (the shape of MovieLens-1M; Zipf item
// popularity, log-normal user activity, seeded). Each configuration runs N iterations (default 4) and
// reports the median iteration time (the first iteration includes JIT warm-up, so the median skips it
// for N ≥ 3). Timings come from `onIteration`'s `seconds` (both half-steps, Gram included).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALS, ImplicitALS, Rng, SparseMatrix, init } from '../dist/index.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
function opt(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const ITER = Math.max(1, Number(opt('--iterations', 4)));
const K = Number(opt('--factors', 64));
const ONLY = opt('--only', 'lastfm,synthetic,ml100k').split(',');
const BACKENDS = opt('--backends', 'wasm,js').split(',');
const SOLVERS = opt('--solvers', 'cg,cholesky').split(',');
const JSON_OUT = opt('--json', undefined);
const DATA = join(here, '..', '..', 'shared', 'data');

// implicit 0.7, factors 64, one thread, this machine class (from the issue).
const ANCHORS = {
  lastfm: { cg: 0.085, cholesky: 0.41 },
  synthetic: { cg: 0.226, cholesky: 1.23 },
};

function readTsv(path, header) {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (header) lines.shift();
  const um = new Map();
  const im = new Map();
  const rows = [];
  const cols = [];
  const vals = [];
  for (const l of lines) {
    const [a, b, c] = l.split('\t');
    if (!um.has(a)) um.set(a, um.size);
    if (!im.has(b)) im.set(b, im.size);
    rows.push(um.get(a));
    cols.push(im.get(b));
    vals.push(Number(c));
  }
  return { rows, cols, vals, shape: [um.size, im.size] };
}

function lastfm() {
  const path = join(DATA, 'lastfm-2k', 'user_artists.dat');
  if (!existsSync(path)) return undefined;
  const t = readTsv(path, true);
  return SparseMatrix.fromCOO({ rows: t.rows, cols: t.cols, values: t.rows.map(() => 1), shape: t.shape });
}

/** 6040 × 3706, ~575k nonzeros, binary: Zipf(0.9) item popularity, log-normal user activity. */
function synthetic(users = 6040, items = 3706, nnz = 575_000, seed = 7) {
  const rng = new Rng(seed);
  const pop = new Float64Array(items);
  for (let i = 0; i < items; i++) pop[i] = 1 / Math.pow(i + 10, 0.9);
  const cdf = new Float64Array(items);
  let acc = 0;
  for (let i = 0; i < items; i++) cdf[i] = acc += pop[i];
  const act = Array.from({ length: users }, () => Math.exp(rng.normal() * 0.9));
  const actSum = act.reduce((a, b) => a + b, 0);
  const rows = [];
  const cols = [];
  const seen = new Uint8Array(items);
  for (let u = 0; u < users; u++) {
    const n = Math.min(items >> 1, Math.max(20, Math.round((nnz * act[u]) / actSum)));
    const picked = [];
    while (picked.length < n) {
      const x = rng.next() * acc;
      let lo = 0;
      let hi = items - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      if (!seen[lo]) {
        seen[lo] = 1;
        picked.push(lo);
      }
    }
    for (const i of picked) {
      seen[i] = 0;
      rows.push(u);
      cols.push(i);
    }
  }
  return SparseMatrix.fromCOO({ rows, cols, shape: [users, items] });
}

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Wall and CPU seconds per iteration (CPU: process user+system time between iteration callbacks). */
async function timeImplicit(backend, m, solver) {
  await init({ backend });
  const secs = [];
  const cpu = [];
  let last = process.cpuUsage();
  const model = new ImplicitALS({ factors: K, regularization: 0.01, alpha: 40, iterations: ITER, solver, seed: 1 });
  await model.fit(m, {
    onIteration: (r) => {
      const now = process.cpuUsage();
      cpu.push((now.user - last.user + now.system - last.system) / 1e6);
      last = now;
      secs.push(r.seconds);
    },
  });
  model.dispose();
  const pick = (a) => (a.length >= 3 ? median(a.slice(1)) : median(a));
  return [pick(secs), pick(cpu)];
}

const results = [];
const datasets = [];
if (ONLY.includes('lastfm')) {
  const m = lastfm();
  if (m) datasets.push(['lastfm', m]);
  else console.log('Last.fm-2k not found under ../shared/data; skipped');
}
if (ONLY.includes('synthetic')) datasets.push(['synthetic', synthetic()]);

console.log(`ImplicitALS, factors ${K}, ${ITER} iterations per configuration, one thread (median s/iteration)\n`);
console.log('Wall time is what a user sees; CPU time (this process) is the better figure on a shared, loaded machine.');
console.log('dataset      shape            nnz      backend  solver    wall s/it  cpu s/it  implicit  cpu ratio');
for (const [name, m] of datasets) {
  for (const solver of SOLVERS) {
    for (const backend of BACKENDS) {
      const [s, c] = await timeImplicit(backend, m, solver);
      const anchor = ANCHORS[name]?.[solver];
      results.push({ dataset: name, shape: m.shape, nnz: m.nnz, backend, solver, secondsPerIteration: s, cpuSecondsPerIteration: c, implicit: anchor });
      console.log(
        `${name.padEnd(12)} ${`${m.shape[0]}×${m.shape[1]}`.padEnd(16)} ${String(m.nnz).padEnd(8)} ${backend.padEnd(8)} ${solver.padEnd(9)} ${s.toFixed(3).padStart(8)}  ${c.toFixed(3).padStart(8)}  ${anchor ? anchor.toFixed(3).padStart(7) : '      -'}  ${anchor ? (c / anchor).toFixed(2) + '×' : ''}`,
      );
    }
  }
}

if (ONLY.includes('ml100k')) {
  const path = join(DATA, 'ml-100k', 'u.data');
  if (existsSync(path)) {
    const t = readTsv(path, false);
    const m = SparseMatrix.fromCOO({ rows: t.rows, cols: t.cols, values: t.vals, shape: t.shape });
    console.log('\nALS (explicit), ML-100k, factors 50');
    for (const backend of BACKENDS) {
      await init({ backend });
      const secs = [];
      const model = await new ALS({ factors: 50, iterations: ITER, seed: 1 }).fit(m, { onIteration: (r) => secs.push(r.seconds) });
      model.dispose();
      const s = secs.length >= 3 ? median(secs.slice(1)) : median(secs);
      results.push({ dataset: 'ml100k', shape: m.shape, nnz: m.nnz, backend, solver: 'als-wr', secondsPerIteration: s });
      console.log(`  ${backend.padEnd(6)} ${s.toFixed(3)} s/iteration`);
    }
  }
}

if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ factors: K, iterations: ITER, results }, null, 2));
