// readInteractions against papaparse (a well-kept CSV parser, pinned as a dev dependency), same run,
// interleaved: generated files of 1M lines (MovieLens-1M-like '::', a plain CSV, a CSV full of quotes with
// CRLF, a Book-Crossing-like ';' dump with CR line ends) and, with --data, the real ML-100k, Last.fm-2k
// and gowalla (lists) files. Both parse bytes held in memory: readInteractions to Interactions (ids,
// values, the CSR matrix), papaparse to rows of strings as a user would run it (the delimiter given,
// blank lines skipped; its decode of the bytes counted) and with dynamicTyping (numbers, closer to what
// readInteractions does). Medians of --runs; the order of the parsers rotates each run.
//
//   node bench/parse.mjs [--lines 1000000] [--runs 5] [--data ../shared/data] [--json bench/results/parse.json] [--readme]
//     [--against other/dist/index.mjs] [--cases bx,gowalla]
// --against adds a second lowrank build to the same interleaved run (a build-vs-build A/B: `B ÷ A` is
// printed per case); --cases keeps the cases whose description contains one of the words (case-insensitive).
// (under `flock /tmp/lowrank-bench.lock`, at normal priority, for figures to quote)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { machine, machineLine } from './lib/machine.mjs';
import { ml100kPath, lastfmPath } from './lib/data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const LINES = Number(opt('lines', 1_000_000));
const RUNS = Number(opt('runs', 5));
const dataDir = opt('data');
const dist = process.env.LOWRANK_DIST
  ? pathToFileURL(resolve(process.env.LOWRANK_DIST)).href
  : new URL('../dist/index.mjs', import.meta.url).href;
const lib = await import(dist);
const against = opt('against') ? await import(pathToFileURL(resolve(opt('against'))).href) : undefined;
const only = opt('cases')?.toLowerCase().split(',');

/** mulberry32, for the generated files. */
function rng(seed) {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function generated(kind, lines) {
  const r = rng(12345);
  const out = [];
  if (kind === 'ml1m')
    for (let i = 0; i < lines; i++) out.push(`${1 + r(6040)}::${1 + r(3952)}::${1 + r(5)}::${956703932 + r(90000000)}`);
  if (kind === 'csv') {
    out.push('user,item,rating,timestamp');
    for (let i = 0; i < lines; i++) out.push(`${1 + r(6040)},${1 + r(3952)},${1 + r(5)},${956703932 + r(90000000)}`);
  }
  if (kind === 'quoted') {
    out.push('user,item,rating,timestamp');
    for (let i = 0; i < lines; i++)
      out.push(`"u${1 + r(6040)}","it""em ${1 + r(3952)}, x",${1 + r(5)},${956703932 + r(90000000)}`);
  }
  if (kind === 'bx') {
    out.push('"User-ID";"ISBN";"Book-Rating"');
    // As the dump: ~105k users, ~340k ISBNs with a long tail (skewed draws), 77 % zeros.
    const isbns = Array.from(
      { length: 340_000 },
      (_, k) => `${String((k * 2654435761) % 1e9).padStart(9, '0')}${k % 10}`,
    );
    for (let i = 0; i < lines; i++) {
      const isbn = isbns[Math.floor(isbns.length * (r(1e6) / 1e6) ** 2)];
      out.push(`"${1 + r(105000)}";"${isbn}";"${r(100) < 77 ? 0 : 1 + r(10)}"`);
    }
  }
  const eol = kind === 'quoted' ? '\r\n' : kind === 'bx' ? '\r' : '\n';
  return new TextEncoder().encode(out.join(eol) + eol);
}

const cases = [
  {
    what: `generated ML-1M-like '::', ${LINES / 1e6}M lines`,
    make: () => generated('ml1m', LINES),
    delimiter: '::',
    newline: '\n',
    options: { format: 'movielens-1m', duplicates: 'last' },
  },
  {
    what: `generated CSV with a header, ${LINES / 1e6}M lines`,
    make: () => generated('csv', LINES),
    delimiter: ',',
    newline: '\n',
    options: { duplicates: 'last' },
  },
  {
    what: `generated CSV full of quotes ("u12","it""em 7, x"), CRLF, ${LINES / 1e6}M lines`,
    make: () => generated('quoted', LINES),
    delimiter: ',',
    newline: '\r\n',
    options: { duplicates: 'last' },
  },
  {
    what: `generated Book-Crossing-like ';' dump (105k users, 340k ISBNs), all quoted, CR only, ${LINES / 1e6}M lines`,
    make: () => generated('bx', LINES),
    delimiter: ';',
    newline: '\r',
    options: { duplicates: 'last' },
  },
];
if (dataDir) {
  const add = (path, what, delimiter, newline, options) =>
    path && cases.push({ what, make: () => new Uint8Array(readFileSync(path)), delimiter, newline, options });
  add(ml100kPath(dataDir), 'ML-100k u.data (real)', '\t', '\n', { format: 'movielens-100k' });
  add(lastfmPath(dataDir), 'Last.fm-2k user_artists.dat (real, CRLF)', '\t', '\r\n', { format: 'lastfm-2k' });
  const gowalla = join(resolve(dataDir), 'gowalla-lists', 'gowalla.txt');
  if (existsSync(gowalla)) add(gowalla, 'gowalla.txt (real; one user per line)', ' ', '\n', {});
}

const readWith = (l) => async (c) => {
  const d = await l.readInteractions(c.bytes, { ...c.options, warnings: false });
  return { rows: d.report.records, check: `${d.shape[0]}×${d.shape[1]}, ${d.nnz} nnz` };
};
const parsers = {
  lowrank: readWith(lib),
  ...(against ? { against: readWith(against) } : {}),
  papaparse: async (c) => {
    const text = new TextDecoder().decode(c.bytes);
    const r = Papa.parse(text, { delimiter: c.delimiter, newline: c.newline, skipEmptyLines: true });
    return { rows: r.data.length, check: `${r.data.length} rows, ${r.errors.length} errors` };
  },
  'papaparse dynamicTyping': async (c) => {
    const text = new TextDecoder().decode(c.bytes);
    const r = Papa.parse(text, {
      delimiter: c.delimiter,
      newline: c.newline,
      skipEmptyLines: true,
      dynamicTyping: true,
    });
    return { rows: r.data.length, check: `${r.data.length} rows, ${r.errors.length} errors` };
  },
};
const names = Object.keys(parsers);
const meta = machine();
console.log(
  `parse benchmark — ${meta.date}; ${machineLine(meta)}; load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const results = [];
for (const c of cases) {
  if (only && !only.some((w) => c.what.toLowerCase().includes(w))) continue;
  c.bytes = c.make(); // made when its turn comes (and dropped after), so --cases skips the others' making
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const checks = {};
  for (const n of names) checks[n] = await parsers[n](c); // warm-up, and what each read
  for (let r = 0; r < RUNS; r++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(k + r) % names.length];
      const t0 = performance.now();
      await parsers[n](c);
      times[n].push((performance.now() - t0) / 1000);
    }
  }
  const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
  const row = { case: c.what, megabytes: +(c.bytes.length / 1e6).toFixed(1), seconds: {}, checks };
  for (const n of names) row.seconds[n] = +med(times[n]).toFixed(4);
  results.push(row);
  c.bytes = undefined;
  console.log(
    `${c.what} (${row.megabytes} MB): ${names.map((n) => `${n} ${row.seconds[n].toFixed(3)} s`).join(' · ')} — lowrank read ${checks.lowrank.check}; papaparse ${checks.papaparse.check}`,
  );
  if (against) {
    // Per-run ratios (each pair ran back to back), their median: steadier than a ratio of medians.
    const ratios = times.lowrank.map((t, r) => t / times.against[r]);
    console.log(
      `  A/B: lowrank ÷ against ${med(ratios).toFixed(3)} (per-run ${ratios.map((x) => x.toFixed(2)).join(' ')}); against read ${checks.against.check}`,
    );
  }
}
const loadEnd = os.loadavg().map((x) => +x.toFixed(2));
const table = [
  '| input | MB | lowrank `readInteractions` | papaparse (strings) | papaparse `dynamicTyping` | lowrank ÷ papaparse |',
  '|---|---:|---:|---:|---:|---:|',
  ...results.map((r) => {
    const ratio = r.seconds.lowrank / Math.min(r.seconds.papaparse, r.seconds['papaparse dynamicTyping']);
    return `| ${r.case} | ${r.megabytes} | ${r.seconds.lowrank.toFixed(3)} s | ${r.seconds.papaparse.toFixed(3)} s | ${r.seconds['papaparse dynamicTyping'].toFixed(3)} s | ${ratio.toFixed(2)}×${ratio < 1 ? ' ✓' : ''} |`;
  }),
].join('\n');
console.log(`\n${table}\nload average ${meta.loadAverageStart[0]} at the start, ${loadEnd[0]} at the end`);
const pkg = JSON.parse(readFileSync(join(here, '..', 'node_modules', 'papaparse', 'package.json'), 'utf8'));
const json = opt('json');
if (json)
  writeFileSync(
    json,
    JSON.stringify(
      { meta: { ...meta, loadAverageEnd: loadEnd, papaparse: pkg.version, runs: RUNS }, results },
      null,
      1,
    ),
  );
if (args.includes('--readme')) {
  const START = '<!-- parse:start -->';
  const END = '<!-- parse:end -->';
  const readme = join(here, '..', 'README.md');
  const src = readFileSync(readme, 'utf8');
  const body = `${START}\nParsing speed (\`node bench/parse.mjs${dataDir ? ' --data ../shared/data' : ''}\`, ${meta.date.slice(0, 10)}, ${machineLine(meta)}, load average ${meta.loadAverageStart[0]} → ${loadEnd[0]}; medians of ${RUNS} runs, interleaved with papaparse ${pkg.version} in one process; both parse bytes in memory — lowrank into \`Interactions\`, papaparse into rows of strings, or of numbers with \`dynamicTyping\`):\n\n${table}\n${END}`;
  const a = src.indexOf(START);
  const b = src.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} block`);
  writeFileSync(readme, src.slice(0, a) + body + src.slice(b + END.length));
  console.log('wrote the parse block of README.md');
}
