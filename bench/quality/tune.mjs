// tune() against the wide grid (issue 27): time to within 5 % of the grid's best. tune() runs on the
// training part of an exported split with a time limit (holding out 20 % of it for validation, as a user
// would); every time its best-so-far changes, that setting is refitted on the whole training part and
// scored on the test part (outside tune's clock). The grid's best is grid.mjs's point (chosen on seed 42)
// refitted on the same split. Run it at normal priority under the bench lock, its times are quoted:
//
//   flock /tmp/lowrank-bench.lock node bench/quality/tune.mjs --dir build/quality --grid build/quality/grid.jsonl \
//        --sets citation-like,ml100k --seed 1 --time-limit 60 [--json out.jsonl] [--md out.md]
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { readCsr, evaluate } from './lib.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const dir = args.dir ?? 'build/quality';
const seed = args.seed ?? '1';
const timeLimit = Number(args['time-limit'] ?? 60);
const sets = (args.sets ?? 'citation-like').split(',');
const grid = Object.fromEntries(
  readFileSync(args.grid ?? `${dir}/grid.jsonl`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .map((r) => [r.set, r]),
);

const lib = await import(process.env.LOWRANK_DIST ?? new URL('../../dist/internal.mjs', import.meta.url).href);
const backend = await lib.init(process.env.THREADS ? { threads: Number(process.env.THREADS) } : undefined);
const f3 = (x) => x.toFixed(3);
const rows = [];
for (const name of sets) {
  const g = grid[name];
  if (!g) throw new Error(`${name}: no grid result in ${args.grid}`);
  const train = readCsr(lib, `${dir}/${name}.${seed}.train.csr`);
  const test = readCsr(lib, `${dir}/${name}.${seed}.test.csr`);
  const load0 = loadavg()[0];
  const changes = [];
  const t0 = performance.now();
  const r = await lib.tune(lib.ImplicitALS, train, {
    metric: 'precision@10',
    timeLimit,
    seed: 1,
    onTrial: (t, p) => {
      if (p.best === t)
        changes.push({ seconds: p.seconds, trial: t.trial, params: { ...t.params }, validation: t.value });
      console.error(
        `${name} trial ${t.trial} ${p.seconds.toFixed(1)} s: ${JSON.stringify(t.params)} → ${f3(t.value)}${t.stopped ? ` (${t.stopped})` : ''}`,
      );
    },
  });
  const tuneSeconds = (performance.now() - t0) / 1000;
  const load1 = loadavg()[0];
  // Score every best-so-far on the test part (outside the clock).
  for (const c of changes) {
    const e = await evaluate(lib, () => new lib.ImplicitALS({ ...c.params, seed: 1 }), train, test);
    c.test = e.precision;
  }
  const top = await evaluate(
    lib,
    () => new lib.ImplicitALS({ ...g.best.params, iterations: g.best.iterations, solver: 'cg', seed: 1 }),
    train,
    test,
  );
  const reached = changes.find((c) => c.test >= 0.95 * top.precision);
  const final = changes.at(-1);
  const row = {
    set: name,
    seed,
    timeLimit,
    tuneSeconds,
    trials: r.results.length,
    pruned: r.results.filter((t) => t.stopped === 'pruned').length,
    gridBest: top.precision,
    defaults: changes[0]?.test,
    final: final.test,
    finalParams: final.params,
    within5: reached ? reached.seconds : null,
    changes,
    load: [load0, load1],
    backend: backend?.name ?? String(backend),
    date: new Date().toISOString(),
  };
  rows.push(row);
  console.error(
    `${name}: grid best ${f3(top.precision)}; tune ${f3(final.test)} after ${tuneSeconds.toFixed(0)} s (${r.results.length} trials, ${row.pruned} stopped early); within 5 %: ${reached ? `${reached.seconds.toFixed(1)} s` : 'not reached'}; load ${load0.toFixed(1)} → ${load1.toFixed(1)}`,
  );
  if (args.json) appendFileSync(args.json, JSON.stringify(row) + '\n');
}
const lines = [
  `| set | grid best p@10 | tune() start (the defaults) | tune() after ${timeLimit} s | ÷ grid best | time to within 5 % of the grid best | trials (stopped early) |`,
  '|---|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.set} | ${f3(r.gridBest)} | ${f3(r.defaults)} | ${f3(r.final)} | ${(r.final / r.gridBest).toFixed(2)} | ${r.within5 === null ? 'not reached' : `${r.within5.toFixed(1)} s`} | ${r.trials} (${r.pruned}) |`,
  ),
];
console.log(lines.join('\n'));
if (args.md) writeFileSync(args.md, lines.join('\n') + '\n');
