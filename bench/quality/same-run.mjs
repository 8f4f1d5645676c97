// lowrank's defaults and implicit 0.7.3's `AlternatingLeastSquares()` defaults in one run, on the same
// split files, interleaved per (set, seed): `new ImplicitALS()` here, then implicit in a child process
// (implicit_split.py --eval), both scored by precision@10 as implicit defines it. One JSON line per
// (set, seed) goes to --out as soon as both are done. Quality figures, not timings: run under lowprio.
//
//   LOWRANK_IMPLICIT_SRC=/work/main/.anchors/implicit/src /work/bin/lowprio node bench/quality/same-run.mjs \
//       --dir build/quality --sets ml100k,lastfm --seeds 1,2 [--seeds-for gowalla=1,citation-like=1] \
//       [--out bench/results/quality/same-run.jsonl]
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, readCsr } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const args = {};
for (let i = 0; i < argv.length; i++) if (argv[i].startsWith('--')) args[argv[i].slice(2)] = argv[i + 1];
const dir = args.dir ?? 'build/quality';
const sets = (args.sets ?? 'ml100k,ml100k-binary,lastfm,lastfm-binary,gowalla').split(',');
const seeds = (args.seeds ?? '1,2').split(',');
// Per-set report seeds (large sets are reported on fewer seeds, as in grid.jsonl).
const seedsFor = Object.fromEntries(
  (args['seeds-for'] ?? '')
    .split(',')
    .filter(Boolean)
    .map((a) => {
      const [set, list] = a.split('=');
      return [set, list.split('/')];
    }),
);
const out = args.out ?? join(here, '..', 'results', 'quality', 'same-run.jsonl');
const implicitSrc = process.env.LOWRANK_IMPLICIT_SRC ?? '/work/main/.anchors/implicit/src';

const lib = await import(process.env.LOWRANK_DIST ?? new URL('../../dist/internal.mjs', import.meta.url).href);
await lib.init(process.env.THREADS ? { threads: Number(process.env.THREADS) } : undefined);

function implicitDefaults(set, seed) {
  const stdout = execFileSync('/usr/bin/python3', [join(here, 'implicit_split.py'), '--eval', dir, set, seed, '1'], {
    env: { ...process.env, PYTHONPATH: implicitSrc, OPENBLAS_NUM_THREADS: '1' },
    encoding: 'utf8',
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

for (const set of sets) {
  for (const seed of seedsFor[set] ?? seeds) {
    const train = readCsr(lib, `${dir}/${set}.${seed}.train.csr`);
    const test = readCsr(lib, `${dir}/${set}.${seed}.test.csr`);
    const options = new lib.ImplicitALS().optionsFor(train);
    const ours = await evaluate(lib, () => new lib.ImplicitALS({ seed: 1 }), train, test);
    const them = implicitDefaults(set, seed);
    const row = {
      set,
      seed,
      shape: { users: train.rows, items: train.cols },
      defaults: { factors: options.factors, regularization: options.regularization, alpha: options.alpha },
      lowrank: ours.precision,
      lowrankNdcg: ours.ndcg,
      lowrankFit: ours.fitSeconds,
      implicit: them['precision@10'],
      implicitNdcg: them['ndcg@10'],
      implicitFit: them.fitSeconds,
      at: new Date().toISOString(),
    };
    appendFileSync(out, `${JSON.stringify(row)}\n`);
    console.log(
      `${set.padEnd(16)} seed ${seed}  lowrank defaults p@10 ${ours.precision.toFixed(4)}  implicit defaults ${row.implicit.toFixed(4)}  (${(ours.precision / row.implicit).toFixed(2)}×)`,
    );
    train.releaseHeap?.();
    test.releaseHeap?.();
  }
}
