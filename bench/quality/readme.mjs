// Writes the README's quality tables from the raw results in bench/results/quality/ — the figures are
// never typed in: the defaults against the wide grid and implicit (grid.jsonl, from grid.mjs), ALS and
// PureSVD against theirs (others.jsonl, from others.mjs), and tune()'s time to quality (tune.jsonl, from
// tune.mjs). Each table goes between <!-- quality:NAME:start --> and <!-- quality:NAME:end -->.
//
//   node bench/quality/readme.mjs [--results bench/results/quality] [README.md]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const at = argv.indexOf('--results');
const results = at >= 0 ? argv[at + 1] : join(here, '..', 'results', 'quality');
const readme =
  argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--results') ?? join(here, '..', '..', 'README.md');
const jsonl = (name) =>
  existsSync(join(results, name))
    ? readFileSync(join(results, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const f3 = (x) => x.toFixed(3);
const num = (x) => Number(x.toPrecision(2)).toString();
const shape = (s) =>
  s
    ? `${s.users.toLocaleString('en')} × ${s.items.toLocaleString('en')}, ${s.nnz.toLocaleString('en')} (${(s.nnz / s.users / s.items).toExponential(0)})`
    : '';

/** The sets, how they are labelled, and whether the rule was derived on them or they were held out. */
export const LABELS = {
  ml100k: ['ML-100k ratings 1–5', 'derived'],
  'ml100k-binary': ['ML-100k 0/1', 'derived'],
  lastfm: ['Last.fm-2k play counts', 'derived'],
  'lastfm-binary': ['Last.fm-2k 0/1', 'derived'],
  gowalla: ['Gowalla check-in lists (0/1)', 'derived'],
  'citation-like': ['generated citation-like lists', 'derived'],
  'ml1m-like': ['generated ML-1M-like ratings', 'held out'],
  'counts-like': ['generated Last.fm-like counts', 'held out'],
  'dense-flat': ['generated dense, no popularity skew', 'held out'],
  'sparse-wide': ['generated very sparse, 74k items', 'held out'],
  'checkin-like': ['generated check-in-like lists', 'held out'],
  'ratings-sparse': ['generated sparse ratings', 'held out'],
  'yelp-like': ['generated Yelp2018-like lists', 'held out'],
  'tall-skewed': ['generated 100k users, skewed', 'held out'],
  'amazon-like': ['generated Amazon-book-like lists', 'held out'],
};
const label = (set) => LABELS[set]?.[0] ?? set;

function defaultsTable(rows) {
  const out = [
    '| data | users × items, entries (density) | rule fitted on it? | defaults: factors, λ, α | defaults p@10 | grid best p@10 (its settings) | defaults ÷ grid best | implicit `AlternatingLeastSquares()` p@10 | defaults ÷ implicit | grid points (report seeds) |',
    '|---|---|---|---|---:|---|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const d = r.defaults;
    const m = (k) => mean(r.seeds.map((s) => s[k]));
    const b = r.best.params;
    const imp = r.seeds.every((s) => s.implicit !== undefined) ? m('implicit') : undefined;
    const points = Object.values(r.ran).reduce((a, x) => a + x, 0);
    out.push(
      `| ${label(r.set)} | ${shape(r.shape)} | ${LABELS[r.set]?.[1] === 'held out' ? 'no (held out)' : 'yes'} | ${d.factors}, ${num(d.regularization)}, ${num(d.alpha)} | **${f3(m('defaults'))}** | ${f3(m('grid'))} (${b.factors}, λ ${num(b.regularization)}, α ${num(b.alpha)}, ν ${b.frequencyScaling}, ${r.best.iterations} it.) | ${(m('defaults') / m('grid')).toFixed(2)} | ${imp === undefined ? '–' : f3(imp)} | ${imp === undefined ? '–' : `${(m('defaults') / imp).toFixed(2)}×`} | ${points} (${r.seeds.map((s) => s.seed).join(', ')}) |`,
    );
  }
  const ratio = (r) => mean(r.seeds.map((s) => s.defaults)) / mean(r.seeds.map((s) => s.grid));
  const worst = rows.reduce((a, b) => (ratio(b) < ratio(a) ? b : a));
  const vsImplicit = rows
    .filter((r) => r.seeds.every((s) => s.implicit !== undefined))
    .map((r) => mean(r.seeds.map((s) => s.defaults)) / mean(r.seeds.map((s) => s.implicit)));
  out.push(
    '',
    `Worst defaults ÷ grid best: **${ratio(worst).toFixed(2)}** (${label(worst.set)}); defaults ÷ implicit's defaults: ${Math.min(...vsImplicit).toFixed(2)}× at least.`,
  );
  return out.join('\n');
}

function othersTable(rows) {
  const out = [
    '| data | model (metric) | defaults | grid best (its settings) | defaults vs grid best | grid points |',
    '|---|---|---:|---|---:|---:|',
  ];
  for (const r of rows) {
    const rmse = r.model === 'ALS';
    const settings = Object.entries(r.best)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out.push(
      `| ${label(r.set)} | ${r.model} (${rmse ? 'RMSE' : 'p@10'}) | ${r.defaults.toFixed(rmse ? 4 : 3)} | ${r.grid.toFixed(rmse ? 4 : 3)} (${settings}) | ${rmse ? `${((r.defaults / r.grid - 1) * 100).toFixed(1)} % RMSE` : `${(r.defaults / r.grid).toFixed(2)}×`} | ${r.ran} |`,
    );
  }
  return out.join('\n');
}

function tuneTable(rows) {
  const out = [
    '| data | grid best p@10 | tune() start (the defaults) | tune() after the limit | ÷ grid best | time to within 5 % of the grid best | trials (stopped early) | load average |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows)
    out.push(
      `| ${label(r.set)} | ${f3(r.gridBest)} | ${f3(r.defaults)} | ${f3(r.final)} (${r.timeLimit} s) | ${(r.final / r.gridBest).toFixed(2)} | ${r.within5 === null ? 'not reached' : `${r.within5.toFixed(1)} s`} | ${r.trials} (${r.pruned}) | ${r.load.map((x) => x.toFixed(1)).join(' → ')} |`,
    );
  return out.join('\n');
}

function put(text, name, table) {
  const start = `<!-- quality:${name}:start -->`;
  const end = `<!-- quality:${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README has no ${start} … ${end} block`);
  return text.slice(0, i + start.length) + '\n' + table + '\n' + text.slice(j);
}

const order = Object.keys(LABELS);
const byOrder = (a, b) => order.indexOf(a.set) - order.indexOf(b.set);
const last = (rows, key) => [...new Map(rows.map((r) => [key(r), r])).values()];
let text = readFileSync(readme, 'utf8');
const grid = last(jsonl('grid.jsonl'), (r) => r.set).sort(byOrder);
const others = last(jsonl('others.jsonl'), (r) => `${r.set} ${r.model}`).sort(byOrder);
const tuned = last(jsonl('tune.jsonl'), (r) => r.set).sort(byOrder);
if (grid.length) text = put(text, 'defaults', defaultsTable(grid));
if (others.length) text = put(text, 'others', othersTable(others));
if (tuned.length) text = put(text, 'tune', tuneTable(tuned));
writeFileSync(readme, text);
console.log(`${readme}: ${grid.length} sets (defaults), ${others.length} (ALS/PureSVD), ${tuned.length} (tune)`);
