// The wide grid of issue 27: per set, where `new ImplicitALS()` lands against the best of a wide grid
// (factors 32–512 × λ × α × ν × iterations), chosen on one split seed and reported on others, beside
// implicit 0.7.3's `AlternatingLeastSquares()` defaults on the same splits (implicit_split.py, same run or a
// previous one: --dir holds its implicit.json).
//
// The grid is searched coarse to fine on the choice seed (CG solver, precision@10 every `every` iterations
// up to 30, so the iterations are a dimension too):
//   1. factors {32, 64, 128, 256, 512} × λ {¼, ½, 1, 2, 4}× the default λ, at the default α and ν;
//   2. line searches from the best point: λ, α and ν (each ×/÷ 2 until two steps get worse), repeated
//      until no step improves;
//   3. the neighbours of the best: factors ×/÷ 2 with λ ×/÷ √2.
// Every point run is kept (--json), with how many each stage ran. The best point (with its iterations) is
// then refitted on the report seeds beside the defaults: ratio = defaults ÷ grid best on those seeds.
//
// With --from-cache the search is not run: the best point already in the cache for the set and choice seed
// (a previous search's points, or a fixed grid run earlier) is taken as the grid's best, and only the report
// seeds are fitted — the cached points stay valid as long as ImplicitALS's fit at given settings is unchanged.
//
//   node bench/quality/grid.mjs --dir build/quality --sets ml100k,lastfm,gowalla --choose 42 --report 1,2 \
//        [--cache build/quality/points.jsonl] [--from-cache 1] [--json out.json] [--md out.md]
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PointCache } from './points.mjs';
import { readCsr, evaluate } from './lib.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const dir = args.dir ?? 'build/quality';
const sets = (args.sets ?? 'ml100k,lastfm,lastfm-binary,ml100k-binary,gowalla').split(',');
const choose = args.choose ?? '42';
const report = (args.report ?? '1,2').split(',');
// --alias gowalla=gowalla8k: choose on the alias's files (the same training part, a sample of test users).
const aliases = Object.fromEntries(
  (args.alias ?? '')
    .split(',')
    .filter(Boolean)
    .map((a) => a.split('=')),
);
const MAX_IT = 20;

const lib = await import(process.env.LOWRANK_DIST ?? new URL('../../dist/internal.mjs', import.meta.url).href);
await lib.init(process.env.THREADS ? { threads: Number(process.env.THREADS) } : undefined);
const cache = new PointCache(lib, dir, args.cache ?? `${dir}/points.jsonl`);
const implicit = existsSync(`${dir}/implicit.json`) ? JSON.parse(readFileSync(`${dir}/implicit.json`, 'utf8')) : {};
const f3 = (x) => (x === undefined ? '–' : x.toFixed(3));
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const log = (m) => console.error(m);

/** Evaluation every `every` iterations: every one where scoring is cheap, every 5th on large sets. */
function everyFor(set) {
  const t = readCsr(lib, `${dir}/${set}.${choose}.test.csr`);
  let users = 0;
  for (let u = 0; u < t.rows; u++) if (t.indptr[u + 1] > t.indptr[u]) users++;
  return users * t.cols > 2e8 ? 5 : users * t.cols > 5e7 ? 2 : 1;
}

/** Users with entries and entries per user of a training matrix (the row mass is (1 + α)·perUser). */
function shapeOf(m) {
  let users = 0;
  for (let u = 0; u < m.rows; u++) if (m.indptr[u + 1] > m.indptr[u]) users++;
  return { perUser: m.nnz / users };
}

async function searchSet(set) {
  const alias = aliases[set] ?? set; // a cheaper test part for the choice (a sample of its users)
  const train = readCsr(lib, `${dir}/${alias}.${choose}.train.csr`);
  const d = new lib.ImplicitALS().optionsFor(train);
  const { perUser } = shapeOf(train);
  train.releaseHeap?.();
  const every = everyFor(alias);
  const ran = { coarse: 0, lines: 0, neighbours: 0 };
  let best;
  const point = async (p, stage) => {
    const q = { ...p, factors: Math.round(p.factors), regularization: Number(p.regularization.toPrecision(4)) };
    const before = cache.map.size;
    const r = await cache.run(alias, choose, q, { every, maxIterations: MAX_IT });
    ran[stage]++;
    if (cache.map.size > before)
      log(
        `${set} [${stage}] f ${q.factors} λ ${q.regularization} α ${q.alpha} ν ${q.frequencyScaling}: ${f3(r.best)} @ ${r.bestIteration} (${r.seconds.toFixed(0)} s)`,
      );
    if (!best || r.best > best.best) best = r;
    return r.best;
  };
  // λ that keeps the average user's penalty λ·W̄^ν when α or ν change (W̄ = (1 + α)·perUser).
  const keep = (p, alpha, nu) =>
    (p.regularization * ((1 + p.alpha) * perUser) ** p.frequencyScaling) / ((1 + alpha) * perUser) ** nu;
  const base = {
    regularization: d.regularization,
    alpha: Number(d.alpha.toPrecision(3)),
    frequencyScaling: d.frequencyScaling,
  };
  // 1. factors × λ: up the factors while they still gain (1 %); always from 32 to the defaults' factors.
  let prev = 0;
  for (const factors of [32, 64, 128, 256, 512]) {
    let top = 0;
    for (const m of [0.5, 1, 2])
      top = Math.max(top, await point({ ...base, factors, regularization: d.regularization * m }, 'coarse'));
    if (factors >= d.factors && top < prev * 1.01) break;
    prev = Math.max(prev, top);
  }
  // 2. Line searches from the best: ×/÷ a step until two steps in a row are no better.
  const line = async (make, steps) => {
    let improved = false;
    for (const step of steps) {
      let at = best.params;
      let worse = 0;
      for (let n = 0; n < 6 && worse < 1; n++) {
        const p = make(at, step);
        if (!p) break;
        const before = best.best;
        await point(p, 'lines');
        at = p;
        if (best.best > before) {
          improved = true;
          worse = 0;
        } else worse++;
      }
    }
    return improved;
  };
  const lambdaStep = (p, f) => ({ ...p, regularization: p.regularization * f });
  const alphaStep = (p, f) => {
    const alpha = p.alpha * f;
    return alpha < 0.25 || alpha > 256 ? null : { ...p, alpha, regularization: keep(p, alpha, p.frequencyScaling) };
  };
  const nuStep = (p, dnu) => {
    const nu = p.frequencyScaling + dnu;
    return nu < 0 || nu > 1.5 ? null : { ...p, frequencyScaling: nu, regularization: keep(p, p.alpha, nu) };
  };
  for (let round = 0; round < 2; round++) {
    let any = false;
    any = (await line(lambdaStep, [Math.SQRT2, Math.SQRT1_2])) || any;
    any = (await line(alphaStep, [2, 0.5])) || any;
    if (round === 0) any = (await line(nuStep, [0.25, -0.25])) || any;
    if (!any) break;
  }
  // 3. The neighbours of the best in factors (λ as is and ×/÷ √2).
  const c = best.params;
  for (const [fm, lm] of [
    [2, 1],
    [2, Math.SQRT2],
    [0.5, 1],
    [0.5, Math.SQRT1_2],
  ]) {
    const factors = c.factors * fm;
    if (factors >= 32 && factors <= 512)
      await point({ ...c, factors, regularization: c.regularization * lm }, 'neighbours');
  }
  return { best, ran, every, defaults: d, alias };
}

/** The best cached point of the set on the choice seed, instead of a search (--from-cache). */
function fromCache(set) {
  const alias = aliases[set] ?? set;
  const points = [...cache.map.values()].filter((r) => r.set === alias && String(r.seed) === choose);
  if (points.length === 0) throw new Error(`grid: no cached points for ${alias} on seed ${choose}`);
  const best = points.reduce((a, b) => (b.best > a.best ? b : a));
  const train = readCsr(lib, `${dir}/${alias}.${choose}.train.csr`);
  const defaults = new lib.ImplicitALS().optionsFor(train);
  train.releaseHeap?.();
  log(`${set}: ${points.length} cached points, best ${f3(best.best)} at ${JSON.stringify(best.params)}`);
  return { best, ran: { cached: points.length }, every: best.every, defaults, alias };
}

async function reportSet(set, found) {
  const out = [];
  for (const seed of report) {
    if (!existsSync(`${dir}/${set}.${seed}.train.csr`)) continue;
    const train = readCsr(lib, `${dir}/${set}.${seed}.train.csr`);
    const test = readCsr(lib, `${dir}/${set}.${seed}.test.csr`);
    const def = await evaluate(lib, () => new lib.ImplicitALS({ seed: 1 }), train, test);
    const b = found.best;
    const top = await evaluate(
      lib,
      () => new lib.ImplicitALS({ ...b.params, iterations: b.bestIteration, solver: 'cg', seed: 1 }),
      train,
      test,
    );
    const them = implicit[`${set}.${seed}`]?.['precision@10'];
    out.push({
      seed,
      defaults: def.precision,
      defaultsFit: def.fitSeconds,
      grid: top.precision,
      gridFit: top.fitSeconds,
      implicit: them,
    });
    log(`${set} seed ${seed}: defaults ${f3(def.precision)} grid best ${f3(top.precision)} implicit ${f3(them)}`);
  }
  return out;
}

const rows = [];
for (const set of sets) {
  const found = args['from-cache'] ? fromCache(set) : await searchSet(set);
  const seeds = await reportSet(set, found);
  const meta = implicit[`${set}.${choose}`] ?? {};
  const row = {
    set,
    shape: meta.shape ? { users: meta.shape[0], items: meta.shape[1], nnz: meta.nnz } : undefined,
    choose,
    defaults: found.defaults,
    best: { params: found.best.params, iterations: found.best.bestIteration, onChooseSeed: found.best.best },
    ran: found.ran,
    every: found.every,
    chosenOn: found.alias,
    seeds,
    ratio: mean(seeds.map((s) => s.defaults)) / mean(seeds.map((s) => s.grid)),
  };
  rows.push(row);
  if (args.json) appendFileSync(args.json, JSON.stringify(row) + '\n');
}

const p = (o) =>
  `${o.params.factors} f, λ ${Number(o.params.regularization.toPrecision(3))}, α ${o.params.alpha}, ν ${o.params.frequencyScaling}, ${o.iterations} it.`;
const lines = [
  '| set | defaults (chosen for the data) | defaults p@10 | grid best (chosen on seed ' +
    choose +
    ') | grid best p@10 | ratio | implicit defaults p@10 | points run |',
  '|---|---|---:|---|---:|---:|---:|---:|',
  ...rows.map((r) => {
    const d = r.defaults;
    const m = (k) => mean(r.seeds.map((s) => s[k]));
    return `| ${r.set} | ${d.factors} f, λ ${Number(d.regularization.toPrecision(3))}, α ${d.alpha}, ν ${d.frequencyScaling}, ${d.iterations} it. | ${f3(m('defaults'))} | ${p(r.best)} | ${f3(m('grid'))} | ${r.ratio.toFixed(2)} | ${r.seeds.every((s) => s.implicit !== undefined) ? f3(m('implicit')) : '–'} | ${Object.values(r.ran).reduce((a, b) => a + b, 0)} |`;
  }),
];
console.log(lines.join('\n'));
if (args.md) writeFileSync(args.md, lines.join('\n') + '\n');
