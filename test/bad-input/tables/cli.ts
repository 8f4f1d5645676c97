// Bad command lines: usage errors (exit code 2, commander's one-line message) and failures of the command
// itself (exit code 1, "lowrank: error: …"). A non-zero exit becomes a thrown CliUsageError / CliFailure
// carrying what was printed, so the cases read like the library's.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../src/cli/program.js';
import type { Io } from '../../../src/cli/output.js';
import { init } from '../../../src/runtime/backend.js';
import { readInteractions } from '../../../src/data/parse/read.js';
import { ImplicitALS } from '../../../src/models/als/index.js';
import type { BadInput } from '../catalogue.js';

/** Exit code 2: commander rejected the command line. */
export class CliUsageError extends Error {}
/** Exit code 1: the command ran and failed. */
export class CliFailure extends Error {}

let dir = '';
const p = (name: string) => join(dir, name);

export async function setup(): Promise<void> {
  await init({ backend: 'wasm' });
  dir = mkdtempSync(join(tmpdir(), 'lowrank-bad-cli-'));
  const lines: string[] = [];
  for (let u = 1; u <= 12; u++)
    for (let i = 1; i <= 9; i++)
      if ((u * 7 + i * 3) % 4 !== 0) lines.push(`${u}\t${i}\t${1 + ((u + i) % 5)}\t${1000 + u * 10 + i}`);
  writeFileSync(p('u.data'), lines.join('\n') + '\n');
  writeFileSync(p('nan.tsv'), '1\t1\t3\n2\t2\tNaN\n');
  writeFileSync(p('text.lrk'), 'not a model\n');
  writeFileSync(p('empty.tsv'), '');
  const data = await readInteractions(p('u.data'), { format: 'movielens-100k' });
  await (await new ImplicitALS({ factors: 3, iterations: 2, seed: 1 }).fit(data)).saveFile(p('model.lrk'));
}

async function cli(args: string[]): Promise<void> {
  let text = '';
  const io: Io = { out: (t) => void (text += t + '\n'), err: (t) => void (text += t + '\n') };
  const code = await run(
    args.map((a) => a.replace('{dir}', dir)),
    io,
  );
  if (code === 2) throw new CliUsageError(text);
  if (code !== 0) throw new CliFailure(text);
}

type Row = [string, string[], 1 | 2, string | RegExp];
const rows: Row[] = [
  ['no arguments', [], 2, 'Usage: lowrank'],
  ['unknown command', ['fitt', 'x'], 2, "unknown command 'fitt'"],
  ['unknown option', ['fit', '{dir}/u.data', '--factorz', '3'], 2, "unknown option '--factorz'"],
  ['fit: missing file argument', ['fit'], 2, "missing required argument 'file'"],
  ['fit: file does not exist', ['fit', '{dir}/nope.data', '-o', '{dir}/m.lrk'], 1, /nope\.data/],
  ['fit: empty file', ['fit', '{dir}/empty.tsv', '-o', '{dir}/m.lrk'], 1, 'empty input'],
  ['fit: NaN in the data', ['fit', '{dir}/nan.tsv', '-o', '{dir}/m.lrk', '-q'], 1, 'is not finite'],
  ['fit: --factors 0', ['fit', '{dir}/u.data', '--factors', '0'], 2, 'Expected an integer in [1, 4096]'],
  ['fit: --factors 2.5', ['fit', '{dir}/u.data', '--factors', '2.5'], 2, 'Expected an integer in [1, 4096]'],
  ['fit: --factors abc', ['fit', '{dir}/u.data', '--factors', 'abc'], 2, "argument 'abc' is invalid"],
  ['fit: --factors 5000', ['fit', '{dir}/u.data', '--factors', '5000'], 2, 'Expected an integer in [1, 4096]'],
  ['fit: --factors empty', ['fit', '{dir}/u.data', '--factors', ''], 2, 'Expected an integer'],
  ['fit: --iterations -1', ['fit', '{dir}/u.data', '--iterations', '-1'], 2, 'Expected an integer in [1, 1000]'],
  [
    'fit: --iterations 0 (would save an untrained model)',
    ['fit', '{dir}/u.data', '--iterations', '0'],
    2,
    'Expected an integer in [1, 1000]',
  ],
  ['fit: --confidence cubic', ['fit', '{dir}/u.data', '--confidence', 'cubic'], 2, 'Allowed choices are linear, log'],
  ['fit: --param without =', ['fit', '{dir}/u.data', '--param', 'alpha'], 1, '--param takes model.option=value'],
  [
    'fit: --param with an unknown option',
    ['fit', '{dir}/u.data', '--param', 'alfa=1', '-o', '{dir}/m.lrk'],
    1,
    'unknown option "alfa"',
  ],
  [
    'fit: --param for a model not fitted',
    ['fit', '{dir}/u.data', '--param', 'als.biases=false', '-o', '{dir}/m.lrk'],
    1,
    'als is not among the models (implicit-als)',
  ],
  [
    'fit: --alpha on als',
    ['fit', '{dir}/u.data', '--model', 'als', '--alpha', '1', '-o', '{dir}/m.lrk'],
    1,
    '--alpha applies to implicit-als, lmf only, not als',
  ],
  [
    'fit: --columns without item',
    ['fit', '{dir}/u.data', '--columns', 'user,rating'],
    1,
    'must list both user and item',
  ],
  ['fit: --columns with an empty entry', ['fit', '{dir}/u.data', '--columns', 'user,,item'], 1, 'has an empty entry'],
  [
    'fit: --columns role=name with a bad role',
    ['fit', '{dir}/u.data', '--columns', 'user=a,thing=b'],
    1,
    'is not role=column',
  ],
  [
    'fit: --delimiter empty',
    ['fit', '{dir}/u.data', '--delimiter', ''],
    1,
    '--delimiter must be a character or string',
  ],
  [
    'fit: --columns on synthetic data',
    ['fit', 'synthetic', '--columns', 'user,item'],
    1,
    '--columns applies to ratings files',
  ],
  [
    'fit: --max-bytes not a size',
    ['fit', '{dir}/u.data', '--max-bytes', 'lots'],
    1,
    '--max-bytes takes a size such as 500M, 8G or Infinity, got "lots"',
  ],
  ['fit: --out is a directory', ['fit', '{dir}/u.data', '-o', '{dir}'], 1, 'is a directory'],
  ['fit: --out is the input file', ['fit', '{dir}/u.data', '-o', '{dir}/u.data'], 1, 'is the input file'],
  ['fit: --out empty', ['fit', '{dir}/u.data', '-o', ''], 1, '--out needs a file name'],
  ['fit: --regularization -1', ['fit', '{dir}/u.data', '--regularization', '-1'], 2, 'Expected a finite number ≥ 0'],
  ['fit: --regularization NaN', ['fit', '{dir}/u.data', '--regularization', 'NaN'], 2, 'Expected a finite number ≥ 0'],
  ['fit: --alpha Infinity', ['fit', '{dir}/u.data', '--alpha', 'Infinity'], 2, 'Expected a finite number ≥ 0'],
  ['fit: --solver lu', ['fit', '{dir}/u.data', '--solver', 'lu'], 2, 'Allowed choices are cg, cholesky'],
  ['fit: --model unknown', ['fit', '{dir}/u.data', '--model', 'warp'], 2, "argument 'warp' is invalid"],
  ['fit: --format unknown', ['fit', '{dir}/u.data', '--format', 'xlsx'], 2, "argument 'xlsx' is invalid"],
  [
    'fit: --backend unknown',
    ['fit', '{dir}/u.data', '--backend', 'gpu'],
    2,
    'Allowed choices are wasm, wasm-threads, js',
  ],
  ['fit: --threads 0', ['fit', '{dir}/u.data', '--threads', '0'], 2, "option '--threads <n>' argument '0' is invalid"],
  [
    'fit: --threads 2 on the js backend',
    ['fit', '{dir}/u.data', '--threads', '2', '--backend', 'js', '--out', '{dir}/t.lrk'],
    1,
    "backend 'js' is single-threaded",
  ],
  ['fit: --seed negative', ['fit', '{dir}/u.data', '--seed', '-1'], 2, 'Expected an integer in [0, 4294967295]'],
  ['fit: --seed 2^32', ['fit', '{dir}/u.data', '--seed', '4294967296'], 2, 'Expected an integer in [0, 4294967295]'],
  [
    'fit: puresvd factors > items',
    ['fit', '{dir}/u.data', '--model', 'puresvd', '--factors', '50', '-o', '{dir}/p.lrk', '-q'],
    1,
    'factors (50) exceed min(users, items) = 9',
  ],
  [
    'fit: output directory missing',
    ['fit', '{dir}/u.data', '--factors', '2', '--iterations', '1', '-o', '{dir}/no/such/dir/m.lrk', '-q'],
    1,
    /the directory .*no\/such\/dir does not exist \(create it first\)/,
  ],
  ['evaluate: --split 0', ['evaluate', '{dir}/u.data', '--split', '0'], 2, 'Expected a number in (0, 1)'],
  ['evaluate: --split 1', ['evaluate', '{dir}/u.data', '--split', '1'], 2, 'Expected a number in (0, 1)'],
  ['evaluate: --split abc', ['evaluate', '{dir}/u.data', '--split', 'abc'], 2, 'Expected a number in (0, 1)'],
  ['evaluate: -k 0', ['evaluate', '{dir}/u.data', '-k', '0'], 2, 'Expected an integer in [1, 100000]'],
  ['evaluate: --model with an unknown name', ['evaluate', '{dir}/u.data', '--model', 'als,warp', '-q'], 1, /warp/],
  [
    'evaluate: --model with an empty entry',
    ['evaluate', '{dir}/u.data', '--model', 'als,,puresvd', '-q'],
    1,
    '--model "als,,puresvd" has an empty entry (position 2)',
  ],
  ['evaluate: --model twice', ['evaluate', '{dir}/u.data', '--model', 'als,ALS', '-q'], 1, '--model lists als twice'],
  [
    'evaluate: a flag no listed model takes',
    ['evaluate', '{dir}/u.data', '--model', 'puresvd', '--iterations', '3', '-q'],
    1,
    '--iterations applies to implicit-als, als, bpr, lmf only, not puresvd (it is a truncated SVD); use --factors',
  ],
  [
    'evaluate: --param names a model not listed',
    ['evaluate', '{dir}/u.data', '--model', 'puresvd', '--param', 'implicit-als.alpha=1', '-q'],
    1,
    'implicit-als is not among the models (puresvd)',
  ],
  [
    'evaluate: --param unknown to one of the models',
    ['evaluate', '{dir}/u.data', '--model', 'als,puresvd', '--param', 'biases=false', '-q'],
    1,
    'puresvd: PureSVD: unknown option "biases"',
  ],
  ['svd: -k 0', ['svd', '{dir}/u.data', '-k', '0'], 2, 'Expected an integer in [1, 100000]'],
  [
    'svd: -k beyond min(rows, cols)',
    ['svd', '{dir}/u.data', '-k', '50', '-q'],
    1,
    'k must be an integer in [1, 9], got 50',
  ],
  ['svd: --tol 1', ['svd', '{dir}/u.data', '--tol', '1'], 2, 'Expected a number in (0, 1)'],
  [
    'svd: --center median',
    ['svd', '{dir}/u.data', '--center', 'median'],
    2,
    'Allowed choices are none, global, rows, cols',
  ],
  ['svd: --method qr', ['svd', '{dir}/u.data', '--method', 'qr'], 2, 'Allowed choices are lanczos, randomized'],
  ['recommend: missing model file', ['recommend', '{dir}/nope.lrk', '--user', '1'], 1, /nope\.lrk/],
  ['recommend: not a model file', ['recommend', '{dir}/text.lrk', '--user', '1'], 1, 'wrong magic bytes'],
  [
    'recommend: a data file instead of a model',
    ['recommend', '{dir}/u.data', '--user', '1'],
    1,
    'not a lowrank model file',
  ],
  ['recommend: unknown user', ['recommend', '{dir}/model.lrk', '--user', '999'], 1, /999/],
  ['recommend: neither --user nor --liked', ['recommend', '{dir}/model.lrk'], 1, /--user|--liked/],
  ['recommend: --liked with an unknown item', ['recommend', '{dir}/model.lrk', '--liked', '1,999'], 1, /999/],
  [
    'recommend: --liked with an empty entry',
    ['recommend', '{dir}/model.lrk', '--liked', '5,,7'],
    1,
    '--liked "5,,7" has an empty entry (position 2)',
  ],
  [
    'recommend: --liked ending in a comma',
    ['recommend', '{dir}/model.lrk', '--liked', '5,7,'],
    1,
    'has an empty entry (position 3)',
  ],
  [
    'recommend: --liked with an item twice',
    ['recommend', '{dir}/model.lrk', '--liked', '5,7,5'],
    1,
    '--liked lists item 5 twice',
  ],
  ['recommend: --user empty', ['recommend', '{dir}/model.lrk', '--user', ' '], 1, 'the user id is empty'],
  [
    'recommend: -n 0',
    ['recommend', '{dir}/model.lrk', '--user', '1', '-n', '0'],
    2,
    'Expected an integer in [1, 100000]',
  ],
  ['similar: --item missing', ['similar', '{dir}/model.lrk'], 2, "required option '--item <id>' not specified"],
  ['similar: unknown item', ['similar', '{dir}/model.lrk', '--item', '999'], 1, /999/],
  ['demo: --users 101', ['demo', '--users', '101'], 2, 'Expected an integer in [0, 100]'],
];

export const cases: BadInput[] = rows.map(([name, args, code, message]) => ({
  name: `cli ${name}`,
  call: () => cli(args),
  error: code === 2 ? CliUsageError : CliFailure,
  message,
}));
