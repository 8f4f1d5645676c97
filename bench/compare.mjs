// Issue 29's comparison tables in one command: ALS per iteration against benfred/implicit (factors 64, CG and
// Cholesky, 1 and N threads, lowrank's default confidence), time-to-quality at 256 / 512 / 1024 factors, and
// truncatedSVD against scipy's PROPACK at k = 10 / 20 / 50 — each section interleaved in one run, on the real
// files of ../shared/data (ML-100k ≥ 4, Last.fm-2k, Gowalla) and generated ML-1M- and citation-shaped sets.
//
//   npm run build && node bench/compare.mjs [--only als,ttq,svd] [--sets ml100k,lastfm,gowalla,gen-ml1m,gen-citation]
//     [--file path[@min]]… [--data ../shared/data] [--runs 5] [--iterations 4] [--threads 2]
//     [--factors 256,512,1024] [--ttq-threads 2] [--solvers cg,cholesky,ials++] [--json out.json]
//   node bench/compare.mjs --table a.json [b.json …]   (print the tables of earlier runs)
//
// --file adds a data set read by readInteractions (or, for `user item item …` lines, as lists), binarized,
// keeping values ≥ min when given (MovieLens ratings ≥ 4: --file ratings.dat@4). implicit is found through
// LOWRANK_IMPLICIT_SRC (a built implicit `src` folder) or built from ../shared/anchors.
import { readFileSync, writeFileSync } from 'node:fs';
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

function printTables(report) {
  const { meta } = report;
  console.log(`\n# lowrank vs implicit / scipy — ${meta.date}`);
  console.log(
    `machine: ${machineLine(meta)}; load ${meta.loadAverageStart.join(' ')} → ${meta.loadAverageEnd?.join(' ')}`,
  );
  if (report.als?.length)
    console.log(
      `\n## ALS per iteration (factors 64, medians of ${meta.runs} interleaved fits of ${meta.iterations} iterations; lowrank: its defaults; implicit: linear confidence, λ 0.01; goal CG ≤ 0.85, Cholesky ≤ 0.45, speedup ≥ 1.85)\n\n${alsTable(report.als)}`,
    );
  if (report.ttq?.length)
    console.log(
      `\n## Time to implicit CG's precision@10 (80/20 split; wall seconds of the iterations; goal ≤ 0.8)\n\n${ttqTable(report.ttq)}`,
    );
  if (report.svd?.length)
    console.log(
      `\n## truncatedSVD against scipy svds PROPACK (medians of ${meta.runs} interleaved calls; goal ≤ 0.8)\n\n${svdTable(report.svd)}`,
    );
}

if (argv[0] === '--table') {
  for (const f of argv.slice(1)) printTables(JSON.parse(readFileSync(f, 'utf8')));
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
const meta = { ...machine(), runs, iterations, threads };
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
await lib.init({ backend: 'wasm' });
await lib.init({ backend: 'wasm-threads', threads });

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
printTables(report);
const out = opt('json', undefined);
if (out) {
  writeFileSync(out, JSON.stringify(report, null, 1));
  console.log(`\nwrote ${out}`);
}
