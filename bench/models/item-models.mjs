// ItemKNN and EASE against their anchors, in one run, interleaved: fit time of lowrank's ItemKNN (cosine,
// tfidf, bm25; K = 20) vs implicit 0.7.3's CosineRecommender / TFIDFRecommender / BM25Recommender with the
// same thread count, and of lowrank's EASE vs numpy's closed form (one BLAS thread), at 1 and 2 threads;
// with --check, equality: implicit's similarities and recommendations vs lowrank's (max abs diff), numpy's
// B vs lowrank's (--runs 0 --check: the checks alone). The anchor build is LOWRANK_IMPLICIT_SRC's: the
// default one is compiled with -march=native, whose fused multiply–adds round S's sums differently from a
// generic wheel (MARCH=x86-64 build-implicit.sh builds one; lowrank matches it to the bit).
//
//   flock /tmp/lowrank-bench.lock env LOWRANK_IMPLICIT_SRC=/work/main/.anchors/implicit/src \
//     node bench/models/item-models.mjs --data ../shared/data [--runs 3] [--threads 1,2] \
//     [--sets ml100k,ml100k-binary,lastfm-binary,gowalla] [--only knn,ease] [--check] [--json out.json]
//
// EASE runs on the `--ease-items` (default 5000) most popular items of sets with more items than that,
// on both sides (numpy's inverse of 17k–38k items takes minutes and tens of GiB).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../lib/implicit-anchor.mjs';
import { machine, machineLine } from '../lib/machine.mjs';
import { summarize } from '../lib/stats.mjs';
import { loadSets, SETS } from './data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const lib = await import(new URL('../../dist/internal.mjs', import.meta.url).href);

function args(argv) {
  const o = {
    data: join(here, '..', '..', '..', 'shared', 'data'),
    runs: 3,
    threads: [1, 2],
    sets: SETS,
    only: ['knn', 'ease'],
    check: false,
    easeItems: 5000,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--data') o.data = v();
    else if (a === '--runs') o.runs = +v();
    else if (a === '--threads') o.threads = v().split(',').map(Number);
    else if (a === '--sets') o.sets = v().split(',');
    else if (a === '--only') o.only = v().split(',');
    else if (a === '--check') o.check = true;
    else if (a === '--json') o.json = v();
    else if (a === '--ease-items') o.easeItems = +v();
    else throw new Error(`item-models: unknown option ${a}`);
  }
  return o;
}

/** The Python anchors (bench/models/item_worker.py) as an async command function. */
async function startWorker() {
  const built = ensureBuilt(console.log);
  if (!built.src) throw new Error(`implicit is not available: ${built.why}`);
  const child = spawn('/usr/bin/python3', [join(here, 'item_worker.py')], {
    env: { ...process.env, PYTHONPATH: built.src, OPENBLAS_NUM_THREADS: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const pending = [];
  lines.on('line', (l) => pending.shift()?.(l));
  const next = () => new Promise((res) => pending.push(res));
  const hello = JSON.parse(await next());
  const ask = async (cmd) => {
    const p = next();
    child.stdin.write(`${JSON.stringify(cmd)}\n`);
    const r = JSON.parse(await p);
    if (r.error) throw new Error(`item worker: ${r.error}`);
    return r;
  };
  const close = async () => {
    child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
    await new Promise((res) => (child.exitCode !== null ? res() : child.once('exit', res)));
  };
  return { hello, ask, close };
}

const write = (path, a) => writeFileSync(path, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
const read = (path, T) => {
  const b = readFileSync(path);
  return new T(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

/** λ for the benches: lowrank's default rule. */
const easeLambda = (m) => lib.easeDefaultLambda(m);

/** Time fn(): wall seconds, and this process's CPU seconds (all threads: compare at one thread only). */
function time(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = fn();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { seconds, cpu: (c.user + c.system) / 1e6, r };
}

/** time() of an async fn (its awaits are the fit's own: nothing else runs meanwhile). */
async function timeAsync(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { seconds, cpu: (c.user + c.system) / 1e6, r };
}

/** Medians of wall and CPU samples, and the ratios lowrank ÷ anchor; the line printed. */
function report(label, mine, theirs, th) {
  const med = (xs) => summarize(xs).median;
  const r = {
    lowrank: med(mine.map((x) => x.seconds)),
    anchor: med(theirs.map((x) => x.seconds)),
    lowrankCpu: med(mine.map((x) => x.cpu)),
    anchorCpu: med(theirs.map((x) => x.cpu)),
    samples: { lowrank: mine, anchor: theirs },
  };
  r.ratio = r.lowrank / r.anchor;
  r.cpuRatio = r.lowrankCpu / r.anchorCpu;
  const cpu =
    th === 1 ? `   CPU ${r.lowrankCpu.toFixed(3)} / ${r.anchorCpu.toFixed(3)} s, ratio ${r.cpuRatio.toFixed(2)}` : '';
  console.log(`  ${label}: wall ${r.lowrank.toFixed(3)} / ${r.anchor.toFixed(3)} s, ratio ${r.ratio.toFixed(2)}${cpu}`);
  return r;
}

/** Compare implicit's dumped similarity and recommendations with a fitted ItemKNN's (the public class). */
function compareKnn(model, m, dir) {
  const S = model.similarity;
  const ip = read(join(dir, 'sim.indptr.i32'), Int32Array);
  const ix = read(join(dir, 'sim.indices.i32'), Int32Array);
  const dv = read(join(dir, 'sim.data.f64'), Float64Array);
  const sp = S.indptr;
  const si = S.indices;
  const sd = S.data;
  const items = S.shape[0];
  let maxDiff = 0;
  let rowsDiffer = 0;
  for (let i = 0; i < items; i++) {
    const mine = new Map();
    for (let p = sp[i]; p < sp[i + 1]; p++) mine.set(si[p], sd[p]);
    let same = ip[i + 1] - ip[i] === mine.size;
    for (let p = ip[i]; p < ip[i + 1]; p++) {
      const v = mine.get(ix[p]);
      if (v === undefined) same = false;
      else maxDiff = Math.max(maxDiff, Math.abs(v - dv[p]));
    }
    if (!same) rowsDiffer++;
  }
  // recommend(N = 10) for every user: implicit scores liked items 0 and keeps them; lowrank leaves them out.
  const ids = read(join(dir, 'rec.ids.i32'), Int32Array);
  const sc = read(join(dir, 'rec.scores.f64'), Float64Array);
  // The model fills a list up to n with items no neighbourhood reaches (score 0), after implicit's.
  const r = model.recommendBatch(
    Int32Array.from({ length: m.rows }, (_, u) => u),
    { n: 10 },
  );
  let scoreDiff = 0;
  let listsDiffer = 0;
  const mp = m.indptr;
  const mi = m.indices;
  for (let u = 0; u < m.rows; u++) {
    const liked = new Set(mi.subarray(mp[u], mp[u + 1]));
    const theirs = [];
    for (let t = 0; t < 10; t++) if (ids[u * 10 + t] >= 0 && !liked.has(ids[u * 10 + t])) theirs.push(t);
    const n = Math.min(theirs.length, r.counts[u]);
    for (let t = 0; t < n; t++) {
      const want = sc[u * 10 + theirs[t]];
      scoreDiff = Math.max(scoreDiff, Math.abs(r.scores[u * 10 + t] - want) / Math.max(1, Math.abs(want)));
    }
    // The same items above the list's last score: ties at the cut, and the order within ties, may differ
    // (implicit lists tied items by descending index and keeps those it visits first; lowrank the lower).
    if (n === 0) continue;
    const cut = sc[u * 10 + theirs[n - 1]];
    const above = (xs) =>
      xs
        .filter((x) => x.s > cut + 1e-6 * Math.max(1, Math.abs(cut)))
        .map((x) => x.id)
        .sort((a, c) => a - c);
    const a = above(theirs.slice(0, n).map((t) => ({ id: ids[u * 10 + t], s: sc[u * 10 + t] })));
    const mine = above(Array.from({ length: n }, (_, t) => ({ id: r.items[u * 10 + t], s: r.scores[u * 10 + t] })));
    if (a.length !== mine.length || a.some((x, q) => x !== mine[q])) listsDiffer++;
  }
  return {
    simMaxAbsDiff: maxDiff,
    simRowsDiffer: rowsDiffer,
    items,
    recScoreMaxRelDiff: scoreDiff,
    recListsDiffer: listsDiffer,
    users: m.rows,
  };
}

const o = args(process.argv.slice(2));
const meta = machine();
console.log(
  `item models vs anchors — ${meta.date}\nmachine: ${machineLine(meta)}\nload average at start: ${meta.loadAverageStart.join(' ')}`,
);
const sets = await loadSets(lib, o.data, o.sets);
const worker = await startWorker();
console.log(
  `implicit ${worker.hello.version}, numpy ${worker.hello.numpy}; runs ${o.runs}, threads ${o.threads.join(',')}`,
);
const backends = {};
for (const t of o.threads) backends[t] = t > 1 ? await lib.init({ threads: t }) : await lib.init({ backend: 'wasm' });
const tmp = mkdtempSync(join(tmpdir(), 'lowrank-items-'));
const WEIGHTINGS = ['cosine', 'tfidf', 'bm25'];
const results = { machine: meta, runs: o.runs, sets: {} };
try {
  for (const [name, m] of Object.entries(sets)) {
    const d = join(tmp, name);
    mkdirSync(d);
    write(join(d, 'indptr.i32'), m.indptr);
    write(join(d, 'indices.i32'), m.indices);
    write(join(d, 'data.f32'), m.data);
    await worker.ask({ cmd: 'load', name, dir: d, rows: m.rows, cols: m.cols });
    const res = { shape: [m.rows, m.cols], nnz: m.nnz, knn: {}, ease: undefined };
    results.sets[name] = res;
    console.log(`\n${name}: ${m.rows} × ${m.cols}, ${m.nnz} nnz`);
    if (o.only.includes('knn')) {
      const t = {};
      // One untimed fit per configuration first (JIT, heap growth, the pool's first wake-up).
      for (const th of o.runs > 0 ? o.threads : [])
        for (const w of WEIGHTINGS)
          lib.freeSimilarity(lib.fitSimilarity(backends[th], m, { neighbors: 20, weighting: w, k1: 1.2, b: 0.75 }));
      for (let run = 0; run < o.runs; run++)
        for (const th of o.threads)
          for (const w of WEIGHTINGS) {
            t[`${w}/${th}`] ??= { lowrank: [], implicit: [], th };
            const k = t[`${w}/${th}`];
            const b = backends[th];
            const mine = time(() => lib.fitSimilarity(b, m, { neighbors: 20, weighting: w, k1: 1.2, b: 0.75 }));
            lib.freeSimilarity(mine.r);
            k.lowrank.push({ seconds: mine.seconds, cpu: mine.cpu });
            k.implicit.push(await worker.ask({ cmd: 'knn', name, weighting: w, K: 20, threads: th }));
          }
      for (const [key, v] of o.runs > 0 ? Object.entries(t) : [])
        res.knn[key] = report(`ItemKNN ${key.padEnd(9)} lowrank / implicit`, v.lowrank, v.implicit, v.th);
      if (o.check) {
        for (const w of WEIGHTINGS) {
          const dd = join(d, `dump-${w}`);
          mkdirSync(dd);
          await worker.ask({ cmd: 'knn', name, weighting: w, K: 20, threads: 1, dump: dd });
          const model = await new lib.ItemKNN({ neighbors: 20, weighting: w, k1: 1.2, b: 0.75 }).fit(m);
          const c = compareKnn(model, m, dd);
          model.dispose();
          res.knn[`check/${w}`] = c;
          console.log(
            `  check ${w.padEnd(6)} S max abs diff ${c.simMaxAbsDiff.toExponential(2)}, rows with other neighbours ${c.simRowsDiffer}/${c.items}; recommend score max rel diff ${c.recScoreMaxRelDiff.toExponential(2)}, lists with other items above the last score ${c.recListsDiffer}/${c.users}`,
          );
        }
      }
    }
    if (o.only.includes('ease')) {
      const items = m.cols > o.easeItems ? popular(m, o.easeItems) : undefined;
      const mm = items ? restrict(m, items) : m;
      const lambda = easeLambda(mm);
      const t = { numpy: [] };
      for (const th of o.runs > 0 ? o.threads : [])
        (await lib.fitEase(backends[th], mm, { lambda, maxItems: Infinity })).B.free();
      for (let run = 0; run < o.runs; run++) {
        for (const th of o.threads) {
          const mine = await timeAsync(() => lib.fitEase(backends[th], mm, { lambda, maxItems: Infinity }));
          mine.r.B.free();
          t[`lowrank/${th}`] ??= [];
          t[`lowrank/${th}`].push({ seconds: mine.seconds, cpu: mine.cpu });
        }
        t.numpy.push(await worker.ask({ cmd: 'ease', name, lambda, items: items ? Array.from(items) : null }));
      }
      res.ease = { items: mm.cols, lambda };
      for (const th of o.runs > 0 ? o.threads : [])
        res.ease[`threads/${th}`] = report(
          `EASE ${mm.cols} items, λ ${lambda.toFixed(1)}, threads ${th}, lowrank / numpy`,
          t[`lowrank/${th}`],
          t.numpy,
          th,
        );
      if (o.check) {
        const dd = join(d, 'dump-ease');
        mkdirSync(dd);
        await worker.ask({ cmd: 'ease', name, lambda, items: items ? Array.from(items) : null, dump: dd });
        const want = read(join(dd, 'B.f32'), Float32Array);
        const fit = await lib.fitEase(backends[o.threads[0]], mm, { lambda, maxItems: Infinity });
        const got = fit.B.view;
        let diff = 0;
        let mag = 0;
        for (let p = 0; p < want.length; p++) {
          diff = Math.max(diff, Math.abs(got[p] - want[p]));
          mag = Math.max(mag, Math.abs(want[p]));
        }
        fit.B.free();
        res.ease.check = { maxAbsDiff: diff, maxAbs: mag };
        console.log(`  check EASE B max abs diff ${diff.toExponential(2)} (largest |B| ${mag.toFixed(3)})`);
      }
    }
  }
} finally {
  await worker.close();
  await lib.terminate();
  rmSync(tmp, { recursive: true, force: true });
}
results.loadAverageEnd = loadavg().map((x) => +x.toFixed(2));
console.log(`\nload average at end: ${results.loadAverageEnd.join(' ')}`);
if (o.json) writeFileSync(o.json, JSON.stringify(results, null, 1));

/** The `count` items with the most entries (ties to the lower index), ascending. */
function popular(m, count) {
  const c = new Int32Array(m.cols);
  for (const j of m.indices) c[j]++;
  const order = Int32Array.from({ length: m.cols }, (_, i) => i).sort((a, b) => c[b] - c[a] || a - b);
  return order.subarray(0, count).sort();
}

/** m restricted to the columns `items` (renumbered). */
function restrict(m, items) {
  const map = new Int32Array(m.cols).fill(-1);
  items.forEach((c, i) => {
    map[c] = i;
  });
  const rows = [];
  const cols = [];
  const vals = [];
  for (let u = 0; u < m.rows; u++)
    for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++)
      if (map[m.indices[p]] >= 0) {
        rows.push(u);
        cols.push(map[m.indices[p]]);
        vals.push(m.data[p]);
      }
  return lib.SparseMatrix.fromCOO({ rows, cols, values: vals, shape: [m.rows, items.length] });
}
