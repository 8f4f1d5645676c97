// tune() against the defaults and against the best point of a wide grid, on implicit's splits (as exported
// by implicit_split.py, e.g. by a run of bench/quality/run.mjs). tune() sees only the training part: it
// holds out 20% of it for validation, picks settings and iterations there, and the winner is refitted on
// the whole training part and scored on the test part, like the defaults and every grid point (the grid
// is scored on the test part itself: an oracle no user has, the upper bound tune() is measured against).
// Threads: init()'s default (every core), as a user runs it.
//
//   node bench/quality/tune.mjs --dir build/quality --sets ml100k,lastfm,lastfm-binary --seed 42 \
//        [--trials 24] [--md out.md] [--json out-prefix]   (writes <out-prefix>.<set>.json)
import { appendFileSync, writeFileSync } from 'node:fs';
import { readCsr, evaluate } from './lib.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const dir = args.dir ?? 'build/quality';
const seed = args.seed ?? '42';
const trials = Number(args.trials ?? 24);
const sets = (args.sets ?? 'ml100k,lastfm,lastfm-binary').split(',');
// The wide grid: 4 × 5 × 3 = 60 points around and far beyond the defaults (64 factors, λ 1, α 2), at the
// default 15 iterations.
const GRID = { factors: [32, 64, 128, 256], regularization: [0.1, 0.3, 1, 3, 10], alpha: [0.5, 2, 8] };

const lib = await import(process.env.LOWRANK_DIST ?? new URL('../../dist/internal.mjs', import.meta.url).href);
const backend = await lib.init(process.env.THREADS ? { threads: Number(process.env.THREADS) } : undefined);
const f3 = (x) => x.toFixed(3);

for (const name of sets) {
  const train = readCsr(lib, `${dir}/${name}.${seed}.train.csr`);
  const test = readCsr(lib, `${dir}/${name}.${seed}.test.csr`);
  const def = await evaluate(lib, () => new lib.ImplicitALS({ seed: 1 }), train, test);
  const t0 = performance.now();
  const tuned = await lib.tune(lib.ImplicitALS, train, { metric: 'precision@10', trials, seed: 1 });
  const tuneSeconds = (performance.now() - t0) / 1000;
  const best = await evaluate(lib, () => new lib.ImplicitALS({ ...tuned.best, seed: 1 }), train, test);
  let top = { precision: -1 };
  const grid = [];
  const t1 = performance.now();
  for (const factors of GRID.factors) {
    for (const regularization of GRID.regularization) {
      for (const alpha of GRID.alpha) {
        const r = await evaluate(
          lib,
          () => new lib.ImplicitALS({ factors, regularization, alpha, seed: 1 }),
          train,
          test,
        );
        grid.push({ factors, regularization, alpha, precision: r.precision, fitSeconds: r.fitSeconds });
        if (r.precision > top.precision) top = { ...r, params: { factors, regularization, alpha } };
      }
    }
  }
  const gridSeconds = (performance.now() - t1) / 1000;
  const p = tuned.best;
  const line = `| ${name} | ${f3(def.precision)} | **${f3(best.precision)}** | ${(best.precision / def.precision).toFixed(2)}× | ${tuneSeconds.toFixed(0)} s (${trials} trials; factors ${p.factors}, λ ${Number(p.regularization).toPrecision(3)}, α ${Number(p.alpha).toPrecision(3)}, ${p.iterations} it.) | ${f3(top.precision)} (factors ${top.params.factors}, λ ${top.params.regularization}, α ${top.params.alpha}; ${grid.length} points, ${gridSeconds.toFixed(0)} s) | ${((best.precision / top.precision - 1) * 100).toFixed(1)} % |`;
  console.log(line);
  if (args.md) appendFileSync(args.md, line + '\n');
  if (args.json) {
    const meta = {
      date: new Date().toISOString(),
      node: process.version,
      backend: backend?.name ?? String(backend),
      seed,
      trials,
      grid: GRID,
    };
    const out = {
      meta,
      name,
      default: def,
      tuned: { ...best, params: p, seconds: tuneSeconds, trials: tuned.results },
      gridBest: { ...top, seconds: gridSeconds },
      grid,
    };
    writeFileSync(`${args.json}.${name}.json`, JSON.stringify(out, null, 1));
  }
}
