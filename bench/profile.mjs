// CPU profile of one benchmark case: where its time goes, by function (self time), from V8's sampling
// profiler in-process — WASM kernels appear under their export names. Used to explain rows that do not
// beat their anchor.
//
//   node bench/profile.mjs <case id or part of it> [--backend wasm] [--runs 3] [--quick] [--data dir] [--top 20]
//   e.g. node bench/profile.mjs svd/gen-6040-3706/k10      node bench/profile.mjs implicit/gen-6040-3706/cg
import { Session } from 'node:inspector/promises';
import { readFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { loadBackends } from './lib/backends.mjs';

const argv = process.argv.slice(2);
const opt = (n, d) => (argv.includes(n) ? argv[argv.indexOf(n) + 1] : d);
const pattern = argv[0];
if (!pattern || pattern.startsWith('--')) {
  console.error(
    'usage: node bench/profile.mjs <case id> [--backend wasm] [--runs 3] [--quick] [--data dir] [--top 20]',
  );
  process.exit(2);
}
const backendName = opt('--backend', 'wasm');
const runs = Number(opt('--runs', 3));
const top = Number(opt('--top', 20));
const lib = await import(new URL('../dist/internal.mjs', import.meta.url).href);
const { list } = await loadBackends(lib, [backendName], Number(opt('--threads', 2)));
if (!list.length) throw new Error(`backend ${backendName} is not available`);
const b = list[0];
const wl = await import(`./workloads/${pattern.split('/')[0]}.mjs`);
const cases = await wl.cases({ lib, quick: argv.includes('--quick'), data: opt('--data', undefined) });
const c = cases.find((x) => x.id === pattern) ?? cases.find((x) => x.id.includes(pattern));
if (!c) throw new Error(`no case matches ${pattern}; cases: ${cases.map((x) => x.id).join(', ')}`);
await b.activate();
const inst = await c.setup(b);
await inst.run(); // warm-up (JIT, lazy uploads)

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const t0 = performance.now();
for (let i = 0; i < runs; i++) await inst.run();
const wall = performance.now() - t0;
const { profile } = await session.post('Profiler.stop');
session.disconnect();

/** Function index → export name of a wasm binary (the release build has no name section). */
function wasmExportNames(path) {
  const names = new Map();
  if (!existsSync(path)) return names;
  const u8 = readFileSync(path);
  let p = 8;
  const leb = () => {
    let r = 0;
    let shift = 0;
    let byte;
    do {
      byte = u8[p++];
      r |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return r >>> 0;
  };
  const str = () => {
    const n = leb();
    const t = u8.subarray(p, p + n).toString();
    p += n;
    return t;
  };
  let imported = 0;
  while (p < u8.length) {
    const id = u8[p++];
    const size = leb();
    const end = p + size;
    if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        str();
        str();
        const kind = u8[p++];
        if (kind === 0) leb(), imported++;
        else if (kind === 1) p++, u8[p++] & 1 ? (leb(), leb()) : leb();
        else if (kind === 2) u8[p++] & 1 ? (leb(), leb()) : leb();
        else if (kind === 3) p += 2;
      }
    } else if (id === 7) {
      for (let n = leb(); n > 0; n--) {
        const name = str();
        const kind = u8[p++];
        const index = leb();
        if (kind === 0) names.set(index, name);
      }
    }
    p = end;
  }
  return names;
}
const wasmNames = wasmExportNames(
  new URL(b.name === 'wasm-threads' ? '../build/lowrank-threads.wasm' : '../build/lowrank.wasm', import.meta.url),
);

// Self time per function: samples × their time deltas.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const n = byId.get(profile.samples[i]);
  const f = n.callFrame;
  const wasm = /^wasm-function\[(\d+)\]$/.exec(f.functionName);
  const key = wasm
    ? `wasm ${wasmNames.get(Number(wasm[1])) ?? f.functionName}`
    : `${f.functionName || '(anonymous)'}${f.url ? ` ${basename(f.url)}:${f.lineNumber + 1}` : ''}`;
  self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log(
  `${c.id} [${c.dataset}] on ${b.name}: ${runs} runs, ${(wall / runs).toFixed(1)} ms per run; check ${JSON.stringify(inst.check?.() ?? {})}`,
);
console.log(`self time by function (top ${top} of ${self.size}; ${total.toFixed(0)} ms sampled):`);
for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${(ms / runs).toFixed(1).padStart(8)} ms/run  ${k}`);
}
inst.dispose?.();
await lib.terminate?.();
process.exit(0);
