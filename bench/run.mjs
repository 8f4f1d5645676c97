// lowrank benchmark suite: every workload on the js, wasm and (when available) wasm-threads backends in
// one process, interleaved, with warm-up; median/min/max per backend, js/wasm and wasm/threads ratios,
// the anchors of bench/REFERENCE.md (measured separately) beside the matching rows, peak memory per
// workload, and the machine. `node bench/run.mjs --help` for the options.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import { parseArgs, HELP } from './lib/args.mjs';
import { machine, machineLine } from './lib/machine.mjs';
import { readAnchors } from './lib/anchors.mjs';
import { loadBackends, closeBackends, ALL_BACKENDS, loadBaseline, anchorBackends } from './lib/backends.mjs';
import { startImplicit } from './lib/implicit-anchor.mjs';
import { MemoryMeter } from './lib/memory.mjs';
import { timeCase } from './lib/timing.mjs';
import { resultTable, consoleLine, memoryTable, anchorRows, sameRunTable, COLUMNS } from './lib/table.mjs';
import { svdTable } from './lib/svdtable.mjs';
import { fmtBytes } from './lib/stats.mjs';
import { writeReadme } from './readme.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const WORKLOADS = [
  'kernels',
  'svd',
  'implicit',
  'factors',
  'explicit',
  'sgd',
  'items',
  'foldin',
  'recommend',
  'ranking',
  'parse',
  'splits',
  'limits',
];

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}
for (const w of opts.only ?? []) {
  if (!WORKLOADS.includes(w)) {
    console.error(`bench: unknown workload ${w}; expected ${WORKLOADS.join(', ')} (or als, serving)`);
    process.exit(2);
  }
}

const dist = process.env.LOWRANK_DIST
  ? pathToFileURL(resolve(process.env.LOWRANK_DIST)).href
  : new URL('../dist/internal.mjs', import.meta.url).href;
const lib = await import(dist);
const anchors = readAnchors(join(here, 'REFERENCE.md'));
const meta = machine();
const { list: backends, unavailable } = await loadBackends(lib, opts.backends ?? ALL_BACKENDS, opts.threads);
const meter = new MemoryMeter();
for (const b of backends) meter.track(b.name, b.backend.heap);
// Columns only the ALS cases run: lowrank's defaults, a baseline build, benfred/implicit (same run).
backends.push({ name: 'default', extra: true, threads: undefined, activate: () => lib.init() });
if (opts.baseline) backends.push(...(await loadBaseline(opts.baseline, opts.threads)).list);
let anchor = { available: false, why: '--no-anchor' };
if (opts.anchor && (!opts.only || ['implicit', 'factors', 'sgd', 'items'].some((w) => opts.only.includes(w))))
  anchor = await startImplicit();
if (anchor.available)
  backends.push(...anchorBackends(anchor, opts.threads), {
    name: 'implicit-default',
    anchor,
    threads: 0,
    extra: true,
    activate: async () => undefined,
  });

console.log(`lowrank benchmark — ${meta.date}`);
console.log(`machine: ${machineLine(meta)}`);
console.log(`load average at start: ${meta.loadAverageStart.join(' ')} (1/5/15 min)`);
console.log(
  `backends: ${backends.map((b) => b.name + (b.threads ? ` (${b.threads} threads)` : '')).join(', ')}${
    Object.keys(unavailable).length
      ? ` · unavailable: ${Object.entries(unavailable)
          .map(([n, why]) => `${n} (${why})`)
          .join('; ')}`
      : ''
  }`,
);
console.log(
  `${opts.quick ? 'quick mode, ' : ''}${opts.runs} interleaved runs per case and backend after 1 warm-up; data: ${opts.data ? resolve(opts.data) : 'generated only'}`,
);
console.log(
  anchor.available
    ? `benfred/implicit ${anchor.version} is timed in this run, interleaved with lowrank (columns implicit, implicit-threads)`
    : `benfred/implicit not timed: ${anchor.why}`,
);
if (opts.baseline) console.log(`baseline build (columns before, before-threads): ${resolve(opts.baseline)}`);
console.log("scipy svds (the SVD rows' anchor) is timed in this run when python3 has scipy\n");

const ctx = { lib, quick: opts.quick, data: opts.data, dump: opts.dump, anchor };
const results = [];
const workloads = [];
const t0 = performance.now();

/** Relative disagreement between backends on a case's check facts (they must compute the same thing). */
function checkDiff(r) {
  // Another build or library computes something else (other rounding, other initial factors).
  const names = Object.keys(r.backends).filter((n) => !/^(implicit|before)/.test(n));
  const ref = r.backends[names[0]]?.check;
  if (!ref) return undefined;
  const bad = [];
  for (const n of names.slice(1)) {
    const c = r.backends[n].check ?? {};
    for (const [k, v] of Object.entries(ref)) {
      if (typeof v !== 'number') continue;
      const d = Math.abs(v - c[k]) / Math.max(1e-12, Math.abs(v));
      // Residuals are round-off-sized, so only their order of magnitude is compared.
      const tol = k === 'maxResidual' ? 100 : 1e-3;
      if (!(d <= tol)) bad.push(`${k}: ${names[0]} ${v} vs ${n} ${c[k]}`);
    }
  }
  return bad.length ? bad.join('; ') : undefined;
}

for (const name of WORKLOADS) {
  if (opts.only && !opts.only.includes(name)) continue;
  const wl = await import(`./workloads/${name}.mjs`);
  console.log(`## ${wl.title}`);
  const w0 = performance.now();
  meter.reset();
  const cases = await wl.cases(ctx);
  for (const c of cases) {
    if (opts.filter && !opts.filter.test(c.id)) continue;
    c.workload = name;
    const r = await timeCase(c, backends, { runs: opts.runs });
    r.anchors = c.anchors;
    r.checkDiff = checkDiff(r);
    r.anchorComparison = anchorRows(r, anchors);
    results.push(r);
    console.log(consoleLine(r, anchors));
    // Targets (c.targetMs: the median must stay below it on every backend timed) live here, not in tests.
    for (const [b, t] of Object.entries(r.backends)) {
      if (c.targetMs !== undefined && t.median > c.targetMs)
        console.log(`  TARGET MISSED: ${c.id} on ${b}: median ${t.median.toFixed(1)} ms > ${c.targetMs} ms`);
    }
  }
  await wl.close?.();
  const memory = meter.read();
  const seconds = (performance.now() - w0) / 1000;
  workloads.push({ name, title: wl.title, seconds, memory });
  console.log(
    `  memory: peak RSS ${fmtBytes(memory.rssPeakBytes)} (start ${fmtBytes(memory.rssStartBytes)}); ${Object.entries(
      memory.heaps,
    )
      .map(([n, h]) => `${n} heap ${fmtBytes(h.memoryBytes)}, peak in use ${fmtBytes(h.peakInUseBytes)}`)
      .join('; ')} · ${seconds.toFixed(0)} s\n`,
  );
}
await lib.init({ backend: 'wasm' }).catch(() => undefined);
meta.loadAverageEnd = os.loadavg().map((x) => +x.toFixed(2));
meta.seconds = +((performance.now() - t0) / 1000).toFixed(1);
meta.resourceMaxRssBytes = process.resourceUsage().maxRSS * 1024;

console.log(
  `\n## Results (times are medians (min–max) of ${opts.runs} runs; ratios > 1 mean the second backend is faster; ours ÷ anchor < 1 (✓) means faster than the anchor)\n`,
);
console.log(resultTable(results, anchors, { columns: COLUMNS.filter((c) => backends.some((b) => b.name === c)) }));
const svd = svdTable(results);
if (svd) console.log(`\n## Truncated SVD against scipy svds (same run)\n\n${svd}`);
const same = sameRunTable(results);
if (same)
  console.log(
    `\n## ALS, BPR, LogisticMF and ItemKNN against benfred/implicit${anchor.available ? ` ${anchor.version}` : ''} (EASE against numpy's closed form) and the baseline build, same run (medians of 3 fits; ratios < 1: lowrank faster)\n\n${same}`,
  );
console.log('\n## Peak memory per workload\n');
console.log(memoryTable(workloads));
console.log(
  `\nload average at end: ${meta.loadAverageEnd.join(' ')} · total ${meta.seconds} s · process peak RSS ${fmtBytes(meta.resourceMaxRssBytes)}`,
);
const diffs = results.filter((r) => r.checkDiff);
if (diffs.length)
  console.log(`\nWARNING: backends disagree on ${diffs.map((r) => r.id).join(', ')} (see checkDiff in the JSON)`);

const report = {
  meta: {
    ...meta,
    quick: opts.quick,
    runs: opts.runs,
    warmup: 1,
    data: opts.data ? resolve(opts.data) : undefined,
    backends: backends.map((b) => ({ name: b.name, threads: b.threads })),
    unavailable,
    dist,
    implicit: anchor.available ? { version: anchor.version } : { skipped: anchor.why },
    baseline: opts.baseline ? resolve(opts.baseline) : undefined,
  },
  anchors,
  workloads,
  results,
};
if (opts.json) {
  mkdirSync(dirname(resolve(opts.json)), { recursive: true });
  writeFileSync(opts.json, JSON.stringify(report, null, 1));
  console.log(`\nwrote ${opts.json}`);
}
if (opts.readme) {
  writeReadme(report, { readme: opts.readme, jsonPath: opts.json });
  console.log(`updated the performance section of ${opts.readme}`);
}
await closeBackends(lib);
if (anchor.available) await anchor.close();
await meter.close();
process.exit(0);
