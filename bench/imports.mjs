// Peak memory of the importers on a ~1 GB model (issue 22): each import runs in a child process of its own,
// so its peak RSS (process.resourceUsage().maxRSS) is its own. Reported per importer: time, peak RSS, and
// (peak − RSS just before the call) ÷ the bytes the import produces (the heap blocks of X and Y). For the
// bytes APIs (loadModel, importImplicit) the input file is read before the "before" sample, so the ratio is
// what the import adds on top of the input the caller already holds; the path APIs (loadModelFile,
// importSparkALS on a directory) start from nothing.
//
//   node bench/imports.mjs [--users 900000] [--items 100000] [--rank 256] [--dir /tmp/lowrank-imports] [--json out.json] [--readme]
//
// Also shows issue 22's case: a ~1.1 MB .npz holding 300,000 × 1000 float32 zeros (deflated), refused under
// the default cap at once and loaded with a raised one. Fixtures are written once into --dir (numpy for the
// .npz files; the library itself for .lrk and Spark) and reused.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const dist = process.env.LOWRANK_DIST
  ? pathToFileURL(resolve(process.env.LOWRANK_DIST)).href
  : new URL('../dist/internal.mjs', import.meta.url).href;
const script = fileURLToPath(import.meta.url);
const MiB = 2 ** 20;
const RAISED = 4 * 2 ** 30 - 2 ** 26; // everything these fixtures need, under wasm32's 4 GiB

async function child(kind, path) {
  const lib = await import(dist);
  await lib.init({ backend: 'wasm' });
  const buf = kind === 'loadModel' || kind.startsWith('importImplicit') ? readFileSync(path) : undefined;
  const input = buf && new Uint8Array(buf.buffer, buf.byteOffset, buf.length); // a view: no second copy of the input
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  let model;
  let refused;
  const o = kind === 'importImplicit-default' ? {} : { maxBytes: RAISED };
  try {
    if (kind === 'loadModel') model = lib.loadModel(input, o);
    else if (kind === 'loadModelFile') model = await lib.loadModelFile(path, o);
    else if (kind.startsWith('importImplicit')) model = await lib.importImplicit(input, o);
    else if (kind === 'importSparkALS') model = await lib.importSparkALS(path, { ...o, implicitPrefs: true });
  } catch (e) {
    if (!(e instanceof lib.SizeLimitError)) throw e;
    refused = e.message;
  }
  const seconds = (performance.now() - t0) / 1000;
  const peak = process.resourceUsage().maxRSS * 1024; // before anything else allocates
  const produced = model ? (model.userCount + model.itemCount) * model.options.factors * 4 : 0;
  process.stdout.write(
    JSON.stringify({ kind, seconds, before, peak, produced, inputBytes: input?.length ?? 0, refused }),
  );
}

function run(kind, path) {
  const r = spawnSync(process.execPath, [script, '--child', kind, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${kind} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function fixtures(dir, users, items, rank) {
  mkdirSync(dir, { recursive: true });
  const npz = join(dir, `implicit-${users}x${rank}.npz`);
  const bomb = join(dir, 'zeros-300000x1000.npz');
  const py = (code) => {
    const r = spawnSync(process.env.PYTHON ?? 'python3', ['-c', code], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`python3 (numpy) failed: ${r.stderr}`);
  };
  if (!existsSync(npz)) {
    py(`import numpy as np
g = np.random.default_rng(1)
np.savez(${JSON.stringify(npz)}, user_factors=(g.standard_normal((${users}, ${rank}), dtype=np.float32) * 0.1), item_factors=(g.standard_normal((${items}, ${rank}), dtype=np.float32) * 0.1), factors=np.int64(${rank}), alpha=np.float64(1.0))`);
  }
  if (!existsSync(bomb))
    py(`import numpy as np
np.savez_compressed(${JSON.stringify(bomb)}, user_factors=np.zeros((300000, 1000), dtype=np.float32), item_factors=np.zeros((50, 1000), dtype=np.float32))`);
  const lrk = join(dir, `model-${users}x${rank}.lrk`);
  const spark = join(dir, `spark-${users}x${rank}`);
  if (!existsSync(lrk) || !existsSync(join(spark, 'itemFactors'))) {
    const r = spawnSync(process.execPath, ['--max-old-space-size=8192', script, '--write', npz, lrk, spark], {
      encoding: 'utf8',
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status !== 0) throw new Error('writing the .lrk / Spark fixtures failed');
  }
  return { npz, bomb, lrk, spark };
}

/** Child: the .lrk (saveFile) and a Spark directory (parts of 50,000 rows, as Spark writes several). */
async function write(npz, lrk, spark) {
  const lib = await import(dist);
  await lib.init({ backend: 'wasm' });
  const model = await lib.importImplicit(new Uint8Array(readFileSync(npz)), { maxBytes: RAISED });
  if (!existsSync(lrk)) await model.saveFile(lrk, { includeInteractions: false });
  const rank = model.userFactors.length / model.userCount;
  const tables = { userFactors: model.userFactors, itemFactors: model.itemFactors };
  mkdirSync(join(spark, 'metadata'), { recursive: true });
  const meta = {
    class: lib.SPARK_ALS_CLASS,
    timestamp: 0,
    sparkVersion: '3.5.0',
    uid: 'als_bench',
    paramMap: {},
    defaultParamMap: {},
    rank,
  };
  writeFileSync(join(spark, 'metadata', 'part-00000'), `${JSON.stringify(meta)}\n`);
  let idBase = 0;
  for (const [folder, features] of Object.entries(tables)) {
    mkdirSync(join(spark, folder), { recursive: true });
    const rows = features.length / rank;
    for (let start = 0, part = 0; start < rows; start += 50_000, part++) {
      const n = Math.min(50_000, rows - start);
      const ids = Int32Array.from({ length: n }, (_, k) => idBase + start + k);
      const bytes = lib.writeSparkFactors({ ids, features: features.subarray(start * rank, (start + n) * rank) }, rank);
      writeFileSync(join(spark, folder, `part-${String(part).padStart(5, '0')}.snappy.parquet`), bytes);
    }
    idBase += 10_000_000;
  }
}

/** The README's figures of these imports (the block between <!-- imports:start --> and <!-- imports:end -->). */
function writeReadme(rows, date) {
  const START = '<!-- imports:start -->';
  const END = '<!-- imports:end -->';
  const readme = new URL('../README.md', import.meta.url);
  const src = readFileSync(readme, 'utf8');
  const a = src.indexOf(START);
  const b = src.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} block`);
  const by = (label) => rows.find((r) => r.label === label);
  const refused = by('zeros .npz, default cap');
  const raised = by('zeros .npz, raised cap');
  const npz = by('implicit .npz');
  const gib = (x) => (x / 2 ** 30).toFixed(2);
  const body = `${START}\nMeasured by \`npm run bench:imports\` (${date.slice(0, 10)}, load average ${os.loadavg()[0].toFixed(1)}): the ${(refused.inputBytes / 1e6).toFixed(1)} MB all-zeros \`.npz\` that inflates to ${gib(raised.produced)} GiB is refused in ${(refused.seconds * 1000).toFixed(0)} ms under the default cap and loads in ${raised.seconds.toFixed(1)} s with a raised one; an implicit \`.npz\` of ${gib(npz.produced)} GiB of factors imports in ${npz.seconds.toFixed(1)} s, peak memory ${gib(npz.peak)} GiB with the file held.\n${END}`;
  writeFileSync(readme, src.slice(0, a) + body + src.slice(b + END.length));
  console.log('wrote the imports block of README.md');
}

if (opt('child') !== undefined) {
  await child(opt('child'), args[args.indexOf('--child') + 2]);
} else if (opt('write') !== undefined) {
  const i = args.indexOf('--write');
  await write(args[i + 1], args[i + 2], args[i + 3]);
} else {
  const users = Number(opt('users', 900_000));
  const items = Number(opt('items', 100_000));
  const rank = Number(opt('rank', 256));
  const f = await fixtures(resolve(opt('dir', '/tmp/lowrank-imports')), users, items, rank);
  const rows = [];
  for (const [label, kind, path] of [
    ['zeros .npz, default cap', 'importImplicit-default', f.bomb],
    ['zeros .npz, raised cap', 'importImplicit', f.bomb],
    ['.lrk bytes', 'loadModel', f.lrk],
    ['.lrk file', 'loadModelFile', f.lrk],
    ['implicit .npz', 'importImplicit', f.npz],
    ['Spark Parquet dir', 'importSparkALS', f.spark],
  ]) {
    const r = run(kind, path);
    rows.push({ label, ...r });
    const ratio = r.produced ? ((r.peak - r.before) / r.produced).toFixed(2) : '—';
    console.log(
      `${label.padEnd(26)} ${r.refused ? `refused in ${(r.seconds * 1000).toFixed(0)} ms: ${r.refused.slice(0, 110)}` : `${r.seconds.toFixed(2)} s, produced ${(r.produced / MiB).toFixed(0)} MiB`}` +
        ` · input held ${(r.inputBytes / MiB).toFixed(1)} MiB · RSS before ${(r.before / MiB).toFixed(0)} MiB, peak ${(r.peak / MiB).toFixed(0)} MiB · (peak − before) ÷ produced ${ratio}`,
    );
  }
  console.log(
    '\n| import | input held by the caller | produced (heap) | time | peak RSS | (peak − before) ÷ produced |\n|---|---:|---:|---:|---:|---:|',
  );
  for (const r of rows) {
    console.log(
      `| ${r.label} | ${(r.inputBytes / MiB).toFixed(1)} MiB | ${r.refused ? 'refused' : `${(r.produced / MiB).toFixed(0)} MiB`} | ${r.refused ? `${(r.seconds * 1000).toFixed(0)} ms` : `${r.seconds.toFixed(2)} s`} | ${(r.peak / MiB).toFixed(0)} MiB | ${r.produced ? ((r.peak - r.before) / r.produced).toFixed(2) : '—'} |`,
    );
  }
  const json = opt('json');
  const date = new Date().toISOString();
  if (json) writeFileSync(json, JSON.stringify({ date, users, items, rank, rows }, null, 1));
  if (args.includes('--readme')) writeReadme(rows, date);
}
