// Heap lifetime at scale (issue 15): fit and drop N models (default 1,000; ImplicitALS, ALS and PureSVD in
// turn, each served once), never calling dispose(), then collect: the WASM heap's bytes in use must be back
// at the baseline (±1 MiB). Prints the figures; exits 1 if the heap did not come back.
//   node --expose-gc bench/memory.mjs [--models 1000] [--backend wasm|js|wasm-threads] [--dist DIR]
// (`npm run bench:memory`). test/runtime/memory.test.ts runs the same check with 60 models per backend.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
if (typeof globalThis.gc !== 'function') {
  console.error('bench/memory: run with node --expose-gc');
  process.exit(2);
}
const n = Number(opt('models', 1000));
const backendName = opt('backend', 'wasm');
const dist = resolve(opt('dist', join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'dist')));
const lib = await import(pathToFileURL(join(dist, 'index.mjs')).href);
const b = await lib.init({ backend: backendName, ...(backendName === 'wasm-threads' ? { threads: 2 } : {}) });
const MiB = 2 ** 20;

async function collected() {
  let last = -1;
  for (let round = 0; round < 50; round++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 5));
    const now = b.heap.bytesInUse;
    if (now === last && round >= 3) return now;
    last = now;
  }
  return last;
}

async function churn(count, seed) {
  for (let i = 0; i < count; i++) {
    const m = lib.datasets.synthetic({ users: 300, items: 200, rank: 4, density: 0.05, seed: seed + i }).matrix;
    const model =
      i % 3 === 0
        ? await new lib.ImplicitALS({ factors: 16, iterations: 2, seed: i }).fit(m)
        : i % 3 === 1
          ? await new lib.ALS({ factors: 8, iterations: 2, seed: i }).fit(m)
          : await new lib.PureSVD({ factors: 8, seed: i }).fit(m);
    model.recommend(0, { n: 5 });
    model.recommendBatch([0, 1, 2], { n: 5 });
    model.similarItems(1, { n: 5 });
  }
}

await churn(3, 10_000);
const base = await collected();
const t0 = performance.now();
let peak = 0;
for (let done = 0; done < n; done += 100) {
  await churn(Math.min(100, n - done), done);
  peak = Math.max(peak, b.heap.bytesInUse);
}
const seconds = (performance.now() - t0) / 1000;
const before = b.heap.bytesInUse;
const after = await collected();
const ok = Math.abs(after - base) <= MiB;
const f = (x) => `${(x / MiB).toFixed(3)} MiB`;
console.log(
  `${n} models fitted and dropped without dispose() on '${backendName}' in ${seconds.toFixed(1)} s: heap in use ${f(base)} at the start, ` +
    `up to ${f(peak)} before collection (${f(before)} at the end), ${f(after)} after collection: ${after - base >= 0 ? '+' : ''}${((after - base) / MiB).toFixed(3)} MiB ` +
    `(${ok ? 'back at the baseline' : 'NOT back at the baseline'}); ${b.heap.liveBlocks} live blocks; linear memory ${f(b.heap.byteLength)}`,
);
await lib.terminate();
process.exit(ok ? 0 : 1);
