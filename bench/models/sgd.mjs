// BPR and LogisticMF against implicit 0.7.3's BayesianPersonalizedRanking and LogisticMatrixFactorization,
// on the same splits (implicit's train_test_split(m, 0.8, random_state=seed), made by implicit itself and
// exported), in one run: implicit's fits go through bench/models/implicit_sgd_worker.py, a Python process
// that stays up and fits only when asked, so the two libraries' fits interleave.
//
//   node bench/models/sgd.mjs --what quality [--sets ml100k,ml100k-binary,lastfm-binary,gowalla]
//        [--models bpr,lmf] [--seeds 42,1,2] [--json out.json]
//   flock /tmp/lowrank-bench.lock node bench/models/sgd.mjs --what time [--threads 1,2] [--runs 3] …
//   node bench/models/sgd.mjs --what blocks [--blocks 1,2,4,8,16] [--seeds 42,1,2,3,4]   (BPR only)
//
// quality: precision@10 (implicit's definition) of lowrank at its defaults and at implicit's settings,
//   implicit's model at its defaults, and the most-popular baseline; means over the seeds and the ratio
//   lowrank ÷ implicit.
// time: fit seconds of both at implicit's settings (the same factors, iterations, learning rate,
//   regularization, samples per epoch / negProp), 1 and 2 threads, alternating implicit and lowrank
//   `--runs` times; medians and the ratio lowrank ÷ implicit of the same run. Also lowrank at its own
//   defaults against implicit at its defaults, and for LogisticMF the same number of negative draws per
//   epoch (implicit draws at most factors + 2 per row, whatever its neg_prop).
// blocks: BPR's precision@10 at its defaults for each block count (the result depends on the seed and
//   the block count, never on the thread count), mean ± sd over the seeds.
// Needs `npm run build` and a built implicit (LOWRANK_IMPLICIT_SRC=<built src>, else .anchors/implicit).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, machineLine } from '../lib/machine.mjs';
import { readCsr } from '../quality/lib.mjs';
import { IMPLICIT_SETTINGS, implicitDraws } from './settings.mjs';
import { startImplicitSgd } from './implicit-sgd.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const argv = process.argv.slice(2);
const arg = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
};
const what = arg('what', 'quality');
const sets = arg('sets', 'ml100k,ml100k-binary,lastfm-binary,gowalla').split(',');
const models = arg('models', 'bpr,lmf').split(',');
const seeds = arg('seeds', what === 'blocks' ? '42,1,2,3,4' : '42')
  .split(',')
  .map(Number);
const threads = arg('threads', '1,2').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const dir = resolve(arg('dir', join(root, 'build', 'models')));
const data = resolve(arg('data', join(root, '..', 'shared', 'data')));
const jsonOut = arg('json', undefined);

const IMPLICIT = IMPLICIT_SETTINGS;
const CLASS = { bpr: 'BPR', lmf: 'LogisticMF' };

const worker = await startImplicitSgd();
if (!worker.available) throw new Error(`implicit is not available: ${worker.why}`);
const hello = worker;
const lib = await import(process.env.LOWRANK_DIST ?? new URL('../../dist/internal.mjs', import.meta.url).href);
mkdirSync(dir, { recursive: true });

async function split(set, seed) {
  const base = join(dir, `${set}.${seed}`);
  if (!existsSync(`${base}.train.csr`)) await worker.ask({ cmd: 'split', set, seed, data, out: dir });
  return [readCsr(lib, `${base}.train.csr`), readCsr(lib, `${base}.test.csr`)];
}

function popularity(train) {
  const count = new Float64Array(train.cols);
  for (const i of train.indices) count[i]++;
  const order = Int32Array.from(count.keys()).sort((a, b) => count[b] - count[a] || a - b);
  return {
    itemCount: train.cols,
    recommendBatch(users, { n, userItems }) {
      const items = new Int32Array(users.length * n).fill(-1);
      users.forEach((u, j) => {
        const liked = new Set(userItems.row(u).indices);
        for (let q = 0, w = 0; q < order.length && w < n; q++) if (!liked.has(order[q])) items[j * n + w++] = order[q];
      });
      return { items, scores: new Float32Array(items.length) };
    },
  };
}

async function useThreads(t) {
  await lib.init(t > 1 ? { backend: 'wasm-threads', threads: t } : { backend: 'wasm' });
}

async function ours(model, options, train, test) {
  const m = new lib[CLASS[model]](options);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await m.fit(train);
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  const precision = test ? lib.rankingMetrics(m, train, test, { k: 10 }).precision : undefined;
  m.dispose();
  return { seconds, cpu, precision };
}

const theirs = (model, set, seed, t, params = IMPLICIT[model].params) =>
  worker.ask({ cmd: 'fit', model, set, seed, threads: t, params, dir });

const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const sd = (a) => Math.sqrt(mean(a.map((x) => (x - mean(a)) ** 2)));
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const f4 = (x) => x.toFixed(4);
const meta = { ...machine(), implicit: hello.version, what, argv };
const out = { meta, rows: [] };
console.log(
  `# ${what} · ${machineLine(meta)} · implicit ${hello.version} · load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);

if (what === 'quality') {
  await useThreads(1);
  console.log(
    "| set | model | lowrank defaults | lowrank at implicit's settings | implicit | popularity | defaults ÷ implicit | defaults ÷ popularity |",
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const set of sets) {
    for (const model of models) {
      const r = { set, model, defaults: [], implicitSettings: [], implicit: [], popularity: [] };
      for (const seed of seeds) {
        const [train, test] = await split(set, seed);
        r.defaults.push((await ours(model, { seed }, train, test)).precision);
        r.implicitSettings.push((await ours(model, { ...IMPLICIT[model].ours, seed }, train, test)).precision);
        r.implicit.push((await theirs(model, set, seed, 1)).precision);
        r.popularity.push(lib.rankingMetrics(popularity(train), train, test, { k: 10 }).precision);
      }
      out.rows.push(r);
      const [d, s, i, p] = [r.defaults, r.implicitSettings, r.implicit, r.popularity].map(mean);
      console.log(
        `| ${set} | ${CLASS[model]} | ${f4(d)} | ${f4(s)} | ${f4(i)} | ${f4(p)} | ${(d / i).toFixed(2)}× | ${(d / p).toFixed(2)}× |`,
      );
    }
  }
} else if (what === 'time') {
  console.log(
    '| set | model | threads | implicit fit | lowrank fit | lowrank ÷ implicit (wall) | (CPU, all threads) |',
  );
  console.log('|---|---|---|---|---|---|---|');
  const row = (set, label, t, a, b, extra = {}) => {
    const [wa, wb, ca, cb] = [
      a.map((r) => r.seconds),
      b.map((r) => r.seconds),
      a.map((r) => r.cpu),
      b.map((r) => r.cpu),
    ];
    out.rows.push({ set, model: label, threads: t, implicit: a, lowrank: b, ...extra });
    console.log(
      `| ${set} | ${label} | ${t} | ${median(wa).toFixed(3)} s | ${median(wb).toFixed(3)} s | ${(median(wb) / median(wa)).toFixed(2)}× | ${(median(cb) / median(ca)).toFixed(2)}× |`,
    );
  };
  for (const set of sets) {
    const seed = seeds[0];
    const [train] = await split(set, seed);
    for (const model of models) {
      for (const t of threads) {
        await useThreads(t);
        await ours(model, { ...IMPLICIT[model].ours, seed, iterations: 1 }, train); // warm-up (compile, pool)
        // implicit draws min(factors + 2, negProp·n) negatives per row in LMF (its cap bug), far fewer than
        // negProp·n: the same number of draws per epoch is negProp = its draws ÷ the interactions.
        const negProp = implicitDraws(train, 32) / (2 * train.nnz);
        const variants = [
          [CLASS[model], { ...IMPLICIT[model].ours, seed }],
          [`${CLASS[model]}, both libraries' defaults`, { seed }],
          ...(model === 'lmf'
            ? [
                [
                  `${CLASS[model]}, same draws (negProp ${negProp.toFixed(2)})`,
                  { ...IMPLICIT[model].ours, negProp, seed },
                ],
              ]
            : []),
        ];
        const a = [];
        const b = variants.map(() => []);
        for (let k = 0; k < runs; k++) {
          a.push(await theirs(model, set, seed, t));
          for (let v = 0; v < variants.length; v++) b[v].push(await ours(model, variants[v][1], train));
        }
        variants.forEach(([label], v) => {
          row(set, label, t, a, b[v]);
        });
      }
    }
  }
} else if (what === 'blocks') {
  const blocks = arg('blocks', '1,2,4,8,16').split(',').map(Number);
  await useThreads(1);
  console.log(`| set | ${blocks.map((b) => `blocks ${b}`).join(' | ')} |`);
  console.log(`|---|${blocks.map(() => '---').join('|')}|`);
  for (const set of sets) {
    const cells = [];
    for (const bl of blocks) {
      const p = [];
      for (const seed of seeds) {
        const [train, test] = await split(set, seed);
        p.push((await ours('bpr', { seed, blocks: bl }, train, test)).precision);
      }
      out.rows.push({ set, blocks: bl, precision: p });
      cells.push(`${f4(mean(p))} ± ${f4(sd(p))}`);
    }
    console.log(`| ${set} | ${cells.join(' | ')} |`);
  }
} else {
  throw new Error(`--what ${what}: expected quality, time or blocks`);
}
console.log(
  `load at the end: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(out, null, 1));
await worker.close();
await lib.terminate?.();
