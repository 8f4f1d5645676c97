// The 'wasm-threads' backend against single-threaded 'wasm': ALS seconds per iteration with 1 and N
// threads (implicit CG and Cholesky, explicit), factors checked bit-identical, plus the measurements behind
// the dispatch thresholds in src/runtime/parallel.ts (cost of one parallel dispatch; break-even sizes of a
// sparse product, of YᵀY and of recommendBatch).
//
//   npm run build && node bench/threads.mjs [--data ../shared/data] [--sets ml100k,lastfm,…] [--threads 2]
//     [--iterations 3] [--runs 12] [--quick]
//
// Datasets: issue 29's sets (bench/lib/sets.mjs: ML-100k ≥ 4, Last.fm-2k, Gowalla, ML-1M- and citation-shaped;
// the real ones from --data, default ../shared/data); --quick: a small generated matrix. ImplicitALS runs with
// lowrank's defaults (factors 64), CG and Cholesky; explicit ALS with its own. Each configuration is first fitted
// for `iterations` on both backends (warm-up, and the factors must be bit-identical); then `runs`
// one-iteration fits per backend, alternating ABBA so that the machine's speed drifts hit both alike. The
// figure is the median iteration time (as onIteration reports it: both half-steps and the Grams).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import { binary } from './lib/data.mjs';
import { loadSets, SET_NAMES } from './lib/sets.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const quick = args.includes('--quick');
const threads = Number(opt('threads', 2));
const iterations = Number(opt('iterations', quick ? 2 : 3));
const runs = Number(opt('runs', quick ? 2 : 12));
const dataDir = opt('data', '../shared/data');
const setNames = opt('sets', SET_NAMES.join(','));

const dist = process.env.LOWRANK_DIST
  ? pathToFileURL(resolve(process.env.LOWRANK_DIST)).href
  : new URL('../dist/internal.mjs', import.meta.url).href;
const lib = await import(dist);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const sameBits = (a, b) =>
  a.length === b.length &&
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

console.log(`lowrank threads benchmark — ${new Date().toISOString()}`);
console.log(
  `machine: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, Node ${process.version}, load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);

const single = await lib.init({ backend: 'wasm' });
const multi = await lib.init({ backend: 'wasm-threads', threads });
if (multi.name !== 'wasm-threads') throw new Error(`wasm-threads unavailable (got ${multi.name})`);
console.log(
  `backends: wasm (1 thread), wasm-threads (${multi.pool.threads} threads); ${runs} one-iteration fits per backend, alternating\n`,
);

// ---------------------------------------------------------------------------------------------------
// Thresholds: dispatch cost and break-even sizes

/** Median microseconds per call of a and of b, over batches of `reps` calls alternating a, b (after a warm-up). */
function timePair(a, b, reps, batches = 9) {
  // Warm-up long enough for V8 to tier the kernels up from Liftoff (a call running in Liftoff stays there).
  const w0 = performance.now();
  for (let i = 0; i < 20 || performance.now() - w0 < 400; i++) a(), b();
  const ta = [];
  const tb = [];
  for (let j = 0; j < batches; j++) {
    for (const [fn, out] of j % 2
      ? [
          [b, tb],
          [a, ta],
        ]
      : [
          [a, ta],
          [b, tb],
        ]) {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) fn();
      out.push(((performance.now() - t0) * 1000) / reps);
    }
  }
  return [median(ta), median(tb)];
}

/** Median microseconds of fn over `reps` calls (after a warm-up), in `batches` batches. */
function timeUs(fn, reps, batches = 7) {
  for (let i = 0; i < Math.min(reps, 50); i++) fn();
  const per = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    per.push(((performance.now() - t0) * 1000) / reps);
  }
  return median(per);
}

const pool = multi.pool;
const heap = multi.heap;
const k = multi.k;
{
  // An empty job (chunks of zero rows): pure wake-up + barrier.
  const y = heap.allocArray('f64', 1);
  const ip = heap.allocArray('i32', 2);
  const empty = Int32Array.from({ length: 2 * pool.threads + 1 }, () => 0);
  const us = timeUs(() => pool.run({ kernel: 'csrMvF64', args: [ip.ptr, 0, 0, 0, y.ptr, 0, 0], bounds: empty }), 2000);
  console.log(`dispatch: one empty parallel job (wake ${pool.threads - 1} worker(s) + barrier) ${us.toFixed(1)} µs`);
  y.free();
  ip.free();
}

/** Sparse product y = A·x split by rows vs one call, for a range of sizes. */
function csrBreakEven() {
  const rows = [];
  for (const nnz of [10_000, 30_000, 100_000, 300_000, 1_000_000]) {
    const n = 2000;
    const per = Math.max(1, Math.round(nnz / n));
    const ip = heap.copyIn(Int32Array.from({ length: n + 1 }, (_, i) => i * per));
    const ix = heap.copyIn(Int32Array.from({ length: n * per }, (_, i) => (i * 7919) % n));
    const dt = heap.copyIn(Float64Array.from({ length: n * per }, (_, i) => (i % 13) / 13));
    const x = heap.copyIn(Float64Array.from({ length: n }, (_, i) => i / n));
    const y = heap.allocArray('f64', n);
    const chunks = 4 * pool.threads;
    const bounds = Int32Array.from({ length: chunks + 1 }, (_, c) => Math.round((c * n) / chunks));
    const [one, par] = timePair(
      () => k.csrMvF64(ip.ptr, ix.ptr, dt.ptr, x.ptr, y.ptr, 0, n),
      () =>
        pool.run({
          kernel: 'csrMvF64',
          args: [ip.ptr, ix.ptr, dt.ptr, x.ptr, y.ptr, 0, 0],
          perR0: [0, 0, 0, 0, 0, 1],
          perR1: [0, 0, 0, 0, 0, 0, 1],
          bounds,
        }),
      Math.max(5, Math.round(2e6 / nnz)),
    );
    rows.push({ size: `${n * per} nnz`, one, par });
    for (const a of [ip, ix, dt, x, y]) a.free();
  }
  return rows;
}

/** YᵀY (k = 64): the blocked Gram on one thread vs its blocks claimed by the pool, for a range of n. */
function gramBreakEven() {
  const rows = [];
  const kf = 64;
  const kp = 64;
  for (const n of [100, 300, 1000, 3000, 10000]) {
    const Y = heap.copyIn(Float32Array.from({ length: n * kf }, (_, i) => Math.sin(i)));
    const G64 = heap.allocArray('f64', kp * kp);
    const G32 = heap.allocArray('f32', kp * kp);
    const scr = heap.allocArray('f64', 32 * kp * pool.threads);
    // Blocks as the fits lay them out (src/models/als/solve.ts): ≥ 256 rows, ≤ 32 blocks.
    const blockRows = Math.max(256, Math.ceil(n / 32));
    const nb = Math.ceil(n / blockRows);
    const P = heap.allocArray('f64', nb * kp * kp);
    const bounds = Int32Array.from({ length: pool.threads + 1 }, (_, t) => Math.round((t * nb) / pool.threads));
    const reps = Math.max(3, Math.round(3e7 / (n * kf * kf)));
    const [one, par] = timePair(
      () => {
        k.alsGramBlocks(Y.ptr, n, kf, kf, blockRows, P.ptr, 0, nb, scr.ptr);
        k.alsGramReduce(kf, 0.1, nb, P.ptr, G64.ptr, G32.ptr);
      },
      () => {
        pool.run({
          kernel: 'alsGramBlocks',
          args: [Y.ptr, n, kf, kf, blockRows, P.ptr, 0, 0, scr.ptr],
          perR0: [0, 0, 0, 0, 0, 0, 1],
          perR1: [0, 0, 0, 0, 0, 0, 0, 1],
          perTid: [0, 0, 0, 0, 0, 0, 0, 0, 256 * kp],
          bounds,
        });
        k.alsGramReduce(kf, 0.1, nb, P.ptr, G64.ptr, G32.ptr);
      },
      reps,
    );
    rows.push({ size: `n ${n} (${((n * kf * kf) / 2 / 1e6).toFixed(2)}M flops, ${nb} blocks)`, one, par });
    for (const a of [Y, G64, G32, scr, P]) a.free();
  }
  return rows;
}

/** recommendBatch on identical models (same seed) on both backends, for a range of batch sizes. */
async function recommendBreakEven() {
  const d = binary(lib, 2000, 3706, 60_000, 7);
  await lib.init({ backend: 'wasm' });
  const a = await new lib.ImplicitALS({ factors: 64, iterations: 1, seed: 1 }).fit(d.matrix);
  await lib.init({ backend: 'wasm-threads', threads });
  const b = await new lib.ImplicitALS({ factors: 64, iterations: 1, seed: 1 }).fit(d.matrix);
  const rows = [];
  for (const users of [2, 4, 16, 64, 256]) {
    const list = Int32Array.from({ length: users }, (_, i) => (i * 37) % 2000);
    const [one, par] = timePair(
      () => a.recommendBatch(list, { n: 10 }),
      () => b.recommendBatch(list, { n: 10 }),
      Math.max(2, Math.round(256 / users)),
    );
    rows.push({ size: `${users} users × 3706 items (${((users * 3706 * 64) / 1e6).toFixed(1)}M flops)`, one, par });
  }
  a.dispose();
  b.dispose();
  return rows;
}

for (const [title, rows] of [
  ['sparse product A·x (csrMvF64)', csrBreakEven()],
  ['YᵀY, k = 64 (alsGramBlocks on one thread vs over the pool)', gramBreakEven()],
  ['recommendBatch, factors 64, top 10', await recommendBreakEven()],
]) {
  console.log(`\nbreak-even: ${title}`);
  console.log('| size | 1 thread µs | parallel µs | speedup |');
  console.log('|---|---:|---:|---:|');
  for (const r of rows)
    console.log(`| ${r.size} | ${r.one.toFixed(1)} | ${r.par.toFixed(1)} | ${(r.one / r.par).toFixed(2)}× |`);
}

// ---------------------------------------------------------------------------------------------------
// ALS seconds per iteration

const sets = quick ? [binary(lib, 2000, 1500, 60_000, 7)] : await loadSets(lib, setNames, dataDir);

const configs = [
  {
    label: 'ImplicitALS CG (3 steps)',
    make: (its = iterations) => new lib.ImplicitALS({ factors: 64, iterations: its, solver: 'cg', seed: 1 }),
  },
  {
    label: 'ImplicitALS Cholesky',
    make: (its = iterations) => new lib.ImplicitALS({ factors: 64, iterations: its, solver: 'cholesky', seed: 1 }),
  },
  {
    label: 'ALS explicit (biases)',
    make: (its = iterations) => new lib.ALS({ factors: 64, regularization: 0.05, iterations: its, seed: 1 }),
  },
];

const table = [];
for (const d of sets) {
  for (const cfg of configs) {
    // Identity check, doubling as warm-up (V8 tiers the kernels up while they run): one fit of
    // `iterations` on each backend; the factors must be bit-identical.
    const factors = {};
    for (const which of ['wasm', 'threads']) {
      await lib.init(which === 'wasm' ? { backend: 'wasm' } : { backend: 'wasm-threads', threads });
      const model = cfg.make();
      await model.fit(d.matrix);
      factors[which] = [model.userFactors, model.itemFactors];
      model.dispose();
    }
    const identical = sameBits(factors.wasm[0], factors.threads[0]) && sameBits(factors.wasm[1], factors.threads[1]);
    // Timing: one-iteration fits, alternating backends (ABBA), so drifts in machine speed hit both alike.
    const times = { wasm: [], threads: [] };
    for (let r = 0; r < runs; r++) {
      for (const which of r % 2 ? ['threads', 'wasm'] : ['wasm', 'threads']) {
        await lib.init(which === 'wasm' ? { backend: 'wasm' } : { backend: 'wasm-threads', threads });
        const model = cfg.make(1);
        await model.fit(d.matrix, { onIteration: (it) => times[which].push(it.seconds) });
        model.dispose();
      }
    }
    const a = median(times.wasm);
    const b = median(times.threads);
    const amin = Math.min(...times.wasm);
    const bmin = Math.min(...times.threads);
    table.push({ dataset: d.name, model: cfg.label, one: a, many: b, amin, bmin, identical });
    console.log(
      `${d.short} ${cfg.label}: 1 thread ${a.toFixed(3)} s/it (min ${amin.toFixed(3)}), ${threads} threads ${b.toFixed(3)} s/it (min ${bmin.toFixed(3)}), ` +
        `${(a / b).toFixed(2)}× (min ${(amin / bmin).toFixed(2)}×), factors ${identical ? 'bit-identical' : 'DIFFER'}`,
    );
  }
}

console.log(
  `\n| dataset | model (factors 64) | 1 thread s/iteration | ${threads} threads s/iteration | speedup | speedup of the minima | factors |`,
);
console.log('|---|---|---:|---:|---:|---:|---|');
for (const r of table) {
  console.log(
    `| ${r.dataset} | ${r.model} | ${r.one.toFixed(3)} | ${r.many.toFixed(3)} | ${(r.one / r.many).toFixed(2)}× | ${(r.amin / r.bmin).toFixed(2)}× | ${r.identical ? 'bit-identical' : 'DIFFER'} |`,
  );
}
console.log(
  `\nload at end ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
await lib.terminate();
if (table.some((r) => !r.identical)) process.exitCode = 1;
