// The defaults table of issue 17: `new ImplicitALS()` (and lowrank 0.1's defaults) against implicit
// 0.7.3's `AlternatingLeastSquares()` with its defaults, precision@10 by implicit's definition, on the very
// splits implicit's train_test_split(0.8, random_state=seed) makes. In one run: implicit_split.py first
// (implicit's fits and the exported splits, with implicit built into .anchors/ or LOWRANK_IMPLICIT_SRC),
// then lowrank on the same files. --no-anchor reuses a previous export in --dir.
//
//   node bench/quality/standin.mjs --data ../shared/data --out build/quality/ml1m-like.csr   (once)
//   node bench/quality/run.mjs --data ../shared/data --dir build/quality --seeds 42,1,2 \
//        [--sets ml100k,lastfm,...] [--extra build/quality/gen/ml1m-like.csr] [--max-test-users 10000] \
//        [--md out.md] [--json out.json]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsr, evaluate } from './lib.mjs';
import { ensureBuilt } from '../lib/implicit-anchor.mjs';

const argv = process.argv.slice(2);
const args = Object.fromEntries(
  argv.reduce(
    (acc, a, i, all) =>
      a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]?.startsWith('--') ? 'true' : all[i + 1]]] : acc,
    [],
  ),
);
const dir = args.dir ?? 'build/quality';
const seeds = (args.seeds ?? '42').split(',');
const SETS = {
  ml100k: 'ML-100k ratings 1–5',
  lastfm: 'Last.fm-2k play counts',
  'lastfm-binary': 'Last.fm-2k binarized',
  'ml100k-binary': 'ML-100k binarized',
  'ml1m-like': 'ML-1M-like stand-in (generated, 6040 users, ratings 1–5)',
  gowalla: 'Gowalla check-in lists (0/1)',
};
const extra = (args.extra ?? '').split(',').filter(Boolean);
const sets = (
  args.sets ??
  [...Object.keys(SETS).filter((k) => k !== 'ml1m-like'), ...extra.map((p) => basename(p, '.csr'))].join(',')
).split(',');
const LEGACY = { regularization: 0.01, alpha: 40, confidence: 'linear', scaleConfidence: false, frequencyScaling: 0 };

if (!('no-anchor' in args)) {
  const built = ensureBuilt((m) => console.error(m));
  if (!built.src)
    throw new Error(`implicit is not available: ${built.why} (or pass --no-anchor to reuse ${dir}/implicit.json)`);
  const script = join(dirname(fileURLToPath(import.meta.url)), 'implicit_split.py');
  const py = [
    '--data',
    args.data ?? '../shared/data',
    '--out',
    dir,
    '--seeds',
    seeds.join(','),
    '--only',
    sets.join(','),
  ];
  if (extra.length) py.push('--extra', extra.join(','));
  if (args['max-test-users']) py.push('--max-test-users', args['max-test-users']);
  const r = spawnSync('/usr/bin/python3', [script, ...py], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PYTHONPATH: built.src, OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`implicit_split.py failed (exit ${r.status})`);
}

const lib = await import(process.env.LOWRANK_DIST ?? new URL('../../dist/internal.mjs', import.meta.url).href);
await lib.init({ backend: process.env.BACKEND ?? 'wasm' });
const implicit = JSON.parse(readFileSync(`${dir}/implicit.json`, 'utf8'));
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const f3 = (x) => x.toFixed(3);

const rows = [];
for (const name of sets) {
  const have = seeds.filter((s) => existsSync(`${dir}/${name}.${s}.train.csr`) && implicit[`${name}.${s}`]);
  if (have.length === 0) {
    console.error(`${name}: no exported split in ${dir} (run implicit_split.py); skipped`);
    continue;
  }
  const ours = [];
  const old = [];
  const theirs = [];
  const secs = [];
  for (const seed of have) {
    const train = readCsr(lib, `${dir}/${name}.${seed}.train.csr`);
    const test = readCsr(lib, `${dir}/${name}.${seed}.test.csr`);
    const r = await evaluate(lib, () => new lib.ImplicitALS({ seed: Number(seed) }), train, test);
    ours.push(r.precision);
    secs.push(r.fitSeconds);
    old.push(
      (await evaluate(lib, () => new lib.ImplicitALS({ seed: Number(seed), ...LEGACY }), train, test)).precision,
    );
    theirs.push(implicit[`${name}.${seed}`]['precision@10']);
    console.error(`${name} seed ${seed}: new ${f3(ours.at(-1))}  0.1 ${f3(old.at(-1))}  implicit ${f3(theirs.at(-1))}`);
  }
  const theirSecs = have.map((seed) => implicit[`${name}.${seed}`].fitSeconds);
  rows.push({
    name,
    label: SETS[name] ?? name,
    seeds: have,
    ours,
    old,
    theirs,
    fitSeconds: mean(secs),
    implicitFitSeconds: mean(theirSecs),
  });
}

const lines = [
  `| data as the user has it | lowrank \`new ImplicitALS()\` | implicit \`AlternatingLeastSquares()\` | ratio | lowrank 0.1 defaults | splits (seed: new / implicit) |`,
  '|---|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| ${r.label} | **${f3(mean(r.ours))}** | ${f3(mean(r.theirs))} | ${(mean(r.ours) / mean(r.theirs)).toFixed(2)}× | ${f3(mean(r.old))} | ${r.seeds.map((s, i) => `${s}: ${f3(r.ours[i])} / ${f3(r.theirs[i])}`).join(', ')} |`,
  ),
];
const md = lines.join('\n');
console.log(md);
if (args.md) writeFileSync(args.md, md + '\n');
if (args.json) {
  const meta = {
    date: new Date().toISOString(),
    implicit: implicit._implicit,
    node: process.version,
    seeds,
    backend: process.env.BACKEND ?? 'wasm',
    anchorInThisRun: !('no-anchor' in args),
  };
  writeFileSync(args.json, JSON.stringify({ meta, rows }, null, 1));
}
