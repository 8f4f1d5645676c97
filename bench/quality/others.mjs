// The defaults of ALS (explicit ratings, RMSE) and PureSVD (precision@10) against the best of a grid, per
// set, on the splits implicit_split.py exports: the grid's best chosen on one split seed, the defaults and
// that point reported on the others (issue 27, deliverable 4). RMSE with predictions clipped to the rating
// scale [1, 5]; ALS only on the ratings sets.
//
//   node bench/quality/others.mjs --dir build/quality --sets ml100k,lastfm,gowalla,… --ratings ml100k,ml1m-like \
//        --choose 42 --report 1,2 [--json out.jsonl] [--md out.md]
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { readCsr, evaluate } from './lib.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const dir = args.dir ?? 'build/quality';
const sets = (args.sets ?? 'ml100k,lastfm,gowalla').split(',').filter(Boolean);
const ratings = new Set((args.ratings ?? 'ml100k').split(',').filter(Boolean));
const choose = args.choose ?? '42';
const report = (args.report ?? '1,2').split(',');
const lib = await import(process.env.LOWRANK_DIST ?? new URL('../../dist/internal.mjs', import.meta.url).href);
await lib.init(process.env.THREADS ? { threads: Number(process.env.THREADS) } : undefined);
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const log = (m) => console.error(m);
const split = (set, seed) => ({
  train: readCsr(lib, `${dir}/${set}.${seed}.train.csr`),
  test: readCsr(lib, `${dir}/${set}.${seed}.test.csr`),
});

/** ALS test RMSE (clipped to 1–5) and fit seconds. */
async function rmse(options, { train, test }) {
  const m = new lib.ALS({ seed: 1, ...options });
  const t0 = performance.now();
  await m.fit(train);
  const fitSeconds = (performance.now() - t0) / 1000;
  const r = lib.ratingMetrics(m, test, { train, clip: [1, 5] }).rmse;
  m.dispose();
  return { value: r, fitSeconds };
}

async function precision(options, { train, test }) {
  const r = await evaluate(lib, () => new lib.PureSVD({ seed: 1, ...options }), train, test);
  return { value: r.precision, fitSeconds: r.fitSeconds };
}

const GRIDS = {
  ALS: {
    run: rmse,
    better: (a, b) => a < b,
    points: () => {
      const out = [];
      for (const factors of [8, 16, 32, 64, 128])
        for (const regularization of [0.035, 0.05, 0.07, 0.1, 0.14, 0.2])
          for (const iterations of [10, 20]) out.push({ factors, regularization, iterations });
      return out;
    },
  },
  PureSVD: {
    run: precision,
    better: (a, b) => a > b,
    points: () => [8, 16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024].map((factors) => ({ factors })),
  },
};

const rows = [];
for (const set of sets) {
  for (const [model, g] of Object.entries(GRIDS)) {
    if (model === 'ALS' && !ratings.has(set)) continue;
    const s = split(set, choose);
    let best;
    let ran = 0;
    for (const p of g.points()) {
      if (model === 'PureSVD' && p.factors > Math.min(s.train.rows, s.train.cols) / 2) continue;
      const r = await g.run(p, s);
      ran++;
      log(`${set} ${model} ${JSON.stringify(p)}: ${r.value.toFixed(4)} (${r.fitSeconds.toFixed(1)} s)`);
      if (!best || g.better(r.value, best.value)) best = { ...r, params: p };
    }
    const seeds = [];
    for (const seed of report) {
      if (!existsSync(`${dir}/${set}.${seed}.train.csr`)) continue;
      const sp = split(set, seed);
      const def = await g.run({}, sp);
      const top = await g.run(best.params, sp);
      seeds.push({ seed, defaults: def.value, grid: top.value, defaultsFit: def.fitSeconds, gridFit: top.fitSeconds });
      log(`${set} ${model} seed ${seed}: defaults ${def.value.toFixed(4)} grid best ${top.value.toFixed(4)}`);
    }
    const d = mean(seeds.map((x) => x.defaults));
    const b = mean(seeds.map((x) => x.grid));
    const row = {
      set,
      model,
      best: best.params,
      ran,
      seeds,
      defaults: d,
      grid: b,
      ratio: model === 'ALS' ? d / b : d / b,
    };
    rows.push(row);
    if (args.json) appendFileSync(args.json, JSON.stringify(row) + '\n');
  }
}
const lines = [
  `| set | model | defaults | grid best (chosen on seed ${choose}) | its settings | defaults vs best | points |`,
  '|---|---|---:|---:|---|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.set} | ${r.model} (${r.model === 'ALS' ? 'RMSE' : 'p@10'}) | ${r.defaults.toFixed(4)} | ${r.grid.toFixed(4)} | ${Object.entries(
        r.best,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', ',
        )} | ${r.model === 'ALS' ? `${((r.ratio - 1) * 100).toFixed(1)} % RMSE` : `${r.ratio.toFixed(2)}×`} | ${r.ran} |`,
  ),
];
console.log(lines.join('\n'));
if (args.md) writeFileSync(args.md, lines.join('\n') + '\n');
