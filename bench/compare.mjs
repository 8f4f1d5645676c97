// Issue 29's comparison tables in one command: ALS per iteration against benfred/implicit (factors 64, CG and
// Cholesky, 1 and N threads, lowrank's default confidence), time-to-quality at 256 / 512 / 1024 factors, and
// truncatedSVD against scipy's PROPACK at k = 10 / 20 / 50 — each section interleaved in one run, on the real
// files of ../shared/data (ML-100k ≥ 4, Last.fm-2k, Gowalla) and generated ML-1M- and citation-shaped sets.
//
//   npm run build && node bench/compare.mjs [--only als,ttq,svd] [--sets ml100k,lastfm,gowalla,gen-ml1m,gen-citation]
//     [--file path[@min]]… [--data ../shared/data] [--runs 5] [--iterations 4] [--threads 2]
//     [--factors 256,512,1024] [--ttq-threads 2] [--solvers cg,cholesky,ials++] [--json out.json]
//   node bench/compare.mjs --table a.json [b.json …] [--readme README.md]   (print the tables of earlier runs;
//     with --readme, also write them between <!-- compare:start --> and <!-- compare:end --> in that file)
//
// --file adds a data set read by readInteractions (or, for `user item item …` lines, as lists), binarized,
// keeping values ≥ min when given (MovieLens ratings ≥ 4: --file ratings.dat@4). implicit is found through
// LOWRANK_IMPLICIT_SRC (a built implicit `src` folder) or built from ../shared/anchors.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import { machine, machineLine } from './lib/machine.mjs';
import { loadSets, readLists, SET_NAMES } from './lib/sets.mjs';
import { alsSection, alsTable } from './lib/compare-als.mjs';
import { ttqSection, ttqTable } from './lib/compare-ttq.mjs';
import { svdSection, svdTable } from './lib/compare-svd.mjs';
import { startImplicit } from './lib/implicit-anchor.mjs';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const list = (s) => s.split(',').filter(Boolean);

/** The markdown of a report's tables (each section was timed in one run). */
function tables(report, file) {
  const { meta } = report;
  const flags = meta.execArgv?.length ? `${meta.execArgv.join(' ')} ` : '';
  const cmd = `\`node ${flags}bench/compare.mjs ${meta.argv?.join(' ') ?? ''}\``;
  const build = meta.kernelBuild ? ` · kernels: ${meta.kernelBuild} build` : '';
  const out = [
    `Measured by ${cmd}${file ? ` (${file})` : ''} on ${meta.date.slice(0, 16).replace('T', ' ')}: ${machineLine(meta)}${build}; load average ${meta.loadAverageStart[0]} → ${meta.loadAverageEnd?.[0] ?? '?'} (a shared machine: ratios, timed interleaved, are what counts).`,
  ];
  if (report.als?.length)
    out.push(
      `**ALS per iteration** (factors 64, ms, medians of ${meta.runs} interleaved fits of ${meta.iterations} iterations; lowrank with its defaults — log confidence, scaled, frequency-scaled λ; implicit ${meta.implicit ?? ''} with linear confidence, λ 0.01; goals: CG ≤ 0.85, Cholesky ≤ 0.45, 2-thread speedup ≥ 1.85):`,
      alsTable(report.als),
    );
  if (report.ttq?.length)
    out.push(
      "**Time to implicit CG's precision@10** (80/20 split; seconds of the iterations; implicit as a user runs it — 15 iterations, 3 CG steps, λ 0.01, α 1; lowrank's solvers with its defaults; goal ≤ 0.8):",
      ttqTable(report.ttq),
    );
  if (report.svd?.length)
    out.push(
      `**truncatedSVD against scipy svds PROPACK** (ms, medians of ${meta.runs} interleaved calls, scipy on one BLAS thread; goal ≤ 0.8):`,
      svdTable(report.svd),
    );
  return out.join('\n\n');
}

if (argv[0] === '--table') {
  const files = argv.slice(1).filter((f, i, a) => f !== '--readme' && a[i - 1] !== '--readme');
  const md = files.map((f) => tables(JSON.parse(readFileSync(f, 'utf8')), f)).join('\n\n');
  console.log(md);
  const i = argv.indexOf('--readme');
  if (i >= 0) {
    const path = argv[i + 1];
    const START = '<!-- compare:start -->';
    const END = '<!-- compare:end -->';
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const at = text.indexOf(START);
    const end = text.indexOf(END);
    if (at < 0 || end < at) {
      console.error(`${path}: no ${START} … ${END} block to write into`);
      process.exit(1);
    }
    writeFileSync(path, `${text.slice(0, at + START.length)}\n${md}\n${text.slice(end)}`);
    console.log(`\nwrote the comparison into ${path}`);
  }
  process.exit(0);
}

const dist = process.env.LOWRANK_DIST
  ? pathToFileURL(resolve(process.env.LOWRANK_DIST, 'internal.mjs')).href
  : new URL('../dist/internal.mjs', import.meta.url).href;
const lib = await import(dist);
const only = list(opt('only', 'als,ttq,svd'));
const threads = Number(opt('threads', 2));
const runs = Number(opt('runs', 5));
const iterations = Number(opt('iterations', 4));
const log = (s) => console.log(s);
const meta = { ...machine(), runs, iterations, threads, argv, execArgv: process.execArgv };
console.log(`lowrank compare — ${meta.date}\nmachine: ${machineLine(meta)}; load ${meta.loadAverageStart.join(' ')}`);

const sets = await loadSets(lib, opt('sets', SET_NAMES.join(',')), opt('data', '../shared/data'), log);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] !== '--file') continue;
  const [path, min] = argv[i + 1].split('@');
  sets.push(await fileSet(path, min === undefined ? undefined : Number(min)));
}

async function fileSet(path, min) {
  const head = readFileSync(path, 'utf8').slice(0, 4096).split('\n')[0].trim().split(/\s+/);
  let m =
    head.length > 3 && head.every((f) => /^\d+$/.test(f))
      ? readLists(lib, path)
      : (await lib.readInteractions(path)).matrix;
  const { indptr, indices, data } = m;
  const ip = new Int32Array(m.rows + 1);
  const ix = [];
  for (let r = 0; r < m.rows; r++) {
    for (let p = indptr[r]; p < indptr[r + 1]; p++) if (min === undefined || data[p] >= min) ix.push(indices[p]);
    ip[r + 1] = ix.length;
  }
  m = new lib.SparseMatrix(ip, Int32Array.from(ix), new Float32Array(ix.length).fill(1), m.shape);
  const name = `${basename(path)}${min !== undefined ? ` ≥ ${min}` : ''} ${m.rows}×${m.cols}, ${m.nnz}`;
  return { name, short: basename(path).replace(/\W+/g, '-'), real: true, matrix: m };
}
for (const d of sets) console.log(`data: ${d.name}`);

const needAnchor = only.includes('als') || only.includes('ttq');
const anchor = needAnchor ? await startImplicit({ log }) : { available: false, why: 'not needed' };
console.log(anchor.available ? `implicit ${anchor.version} in this run` : `implicit not timed: ${anchor.why}`);
if (anchor.available) meta.implicit = anchor.version;
await lib.init({ backend: 'wasm' });
await lib.init({ backend: 'wasm-threads', threads });
meta.kernelBuild = lib.kernelBuild();

const report = { meta };
try {
  if (only.includes('als')) report.als = await alsSection({ lib, sets, anchor, runs, iterations, threads, log });
  if (only.includes('ttq'))
    report.ttq = await ttqSection({
      lib,
      sets,
      anchor,
      factors: list(opt('factors', '256,512,1024')).map(Number),
      threads: list(opt('ttq-threads', String(threads))).map(Number),
      solvers: list(opt('solvers', 'cg,cholesky')),
      log,
    });
  if (only.includes('svd')) report.svd = await svdSection({ lib, sets, runs, threads, log });
} finally {
  meta.loadAverageEnd = os.loadavg().map((x) => +x.toFixed(2));
  if (anchor.available) await anchor.close();
  await lib.terminate();
}
console.log(`\n${tables(report)}`);
const out = opt('json', undefined);
if (out) {
  writeFileSync(out, JSON.stringify(report, null, 1));
  console.log(`\nwrote ${out}`);
}
