// What the defaults cost: wall time of `new ImplicitALS().fit(train)` (the data-derived factors, λ, α)
// and `new PureSVD().fit(train)` (the rank chosen on held-out entries) on each set's seed-42 training
// part, beside lowrank 0.1's 64-factor fit, with init()'s threads (every core). Times are quoted: run it
// at normal priority under the bench lock, and read the load average it prints.
//
//   flock /tmp/lowrank-bench.lock node bench/quality/fittime.mjs --dir build/quality --sets ml100k,gowalla,… \
//        [--json out.jsonl]
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { readCsr } from './lib.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const dir = args.dir ?? 'build/quality';
const lib = await import(process.env.LOWRANK_DIST ?? new URL('../../dist/internal.mjs', import.meta.url).href);
const backend = await lib.init(process.env.THREADS ? { threads: Number(process.env.THREADS) } : undefined);
const time = async (make, train) => {
  const m = make();
  const t0 = performance.now();
  await m.fit(train);
  const s = (performance.now() - t0) / 1000;
  const o = m.options;
  m.dispose();
  return { seconds: s, options: o };
};
for (const set of (args.sets ?? 'ml100k').split(',')) {
  const train = readCsr(lib, `${dir}/${set}.42.train.csr`);
  const load0 = loadavg()[0];
  const als = await time(() => new lib.ImplicitALS({ seed: 1 }), train);
  const old = await time(() => new lib.ImplicitALS({ factors: 64, seed: 1 }), train);
  const svd = await time(() => new lib.PureSVD({ seed: 1 }), train);
  const row = {
    set,
    implicitALS: { seconds: als.seconds, factors: als.options.factors },
    implicitALS64: { seconds: old.seconds },
    pureSVD: { seconds: svd.seconds, factors: svd.options.factors },
    load: [load0, loadavg()[0]],
    backend: backend?.name ?? String(backend),
    date: new Date().toISOString(),
  };
  console.log(
    `${set}: ImplicitALS defaults (${als.options.factors} factors) ${als.seconds.toFixed(1)} s, 64 factors ${old.seconds.toFixed(1)} s; PureSVD defaults (rank ${svd.options.factors}) ${svd.seconds.toFixed(1)} s; load ${row.load.map((x) => x.toFixed(1)).join(' → ')}`,
  );
  if (args.json) appendFileSync(args.json, JSON.stringify(row) + '\n');
}
