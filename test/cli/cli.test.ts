// The lowrank CLI (src/cli): every command's output checked against the library called directly (or a
// dense oracle), --json output, --help everywhere, and one-line errors with non-zero exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matrix, SVD } from 'ml-matrix';
import { cli, json, writeUData, type Result } from './run.js';
import { init } from '../../src/runtime/backend.js';
import { readInteractions } from '../../src/data/parse/read.js';
import { ImplicitALS } from '../../src/models/als/index.js';
import { loadModelFile } from '../../src/models/load.js';
import { rankingMetrics, trainTestSplit } from '../../src/eval/index.js';

let dir: string;
let data: string;
let model: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lowrank-cli-'));
  data = writeUData(dir);
  model = join(dir, 'model.lrk');
  const r = await cli(
    'fit',
    data,
    '--format',
    'movielens-100k',
    '--model',
    'implicit-als',
    '--factors',
    '8',
    '--iterations',
    '5',
    '--seed',
    '1',
    '--out',
    model,
    '--quiet',
  );
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('help and version', () => {
  it('--help lists every command and exits 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const c of ['fit', 'recommend', 'similar', 'evaluate', 'svd', 'demo'])
      expect(r.out).toContain(`${c} [options]`);
  });
  it.each(['fit', 'recommend', 'similar', 'evaluate', 'svd', 'demo'])(
    '%s --help exits 0 with usage and --json',
    async (c) => {
      const r = await cli(c, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: lowrank ${c} \\[options\\]`));
      expect(r.out).toContain('--json');
    },
  );
  it('no arguments prints help and exits 2; --version prints the package version', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.out).toContain('Usage: lowrank');
    const v = await cli('--version');
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('fit', () => {
  it('writes a model the library loads, with the options given and the file ids', async () => {
    await init();
    const m = await loadModelFile(model);
    expect(m).toBeInstanceOf(ImplicitALS);
    expect((m as ImplicitALS).options).toMatchObject({ factors: 8, iterations: 5, seed: 1 });
    expect(m.userIds!.ids().slice(0, 3)).toEqual([1, 2, 3]);
    m.dispose();
  });
  it('--json reports the fit', async () => {
    const out = join(dir, 'als.lrk');
    const r = await cli('fit', data, '--model', 'als', '--factors', '4', '--iterations', '3', '--out', out, '--json');
    expect(r.code).toBe(0);
    expect(r.err).toBe(''); // no bars or notes with --json
    const j = json(r);
    expect(j).toMatchObject({ model: 'ALS', users: 120, out });
    expect(j.bytes).toBeGreaterThan(0);
    expect(existsSync(out)).toBe(true);
  });
  it('fits on the js backend too (same model as wasm up to rounding)', async () => {
    const a = join(dir, 'js.lrk');
    const r = await cli(
      'fit',
      data,
      '--factors',
      '8',
      '--iterations',
      '5',
      '--seed',
      '1',
      '--solver',
      'cholesky',
      '--backend',
      'js',
      '--out',
      a,
      '--quiet',
    );
    expect(r.code).toBe(0);
    const b = join(dir, 'wasm.lrk');
    await cli(
      'fit',
      data,
      '--factors',
      '8',
      '--iterations',
      '5',
      '--seed',
      '1',
      '--solver',
      'cholesky',
      '--out',
      b,
      '--quiet',
    );
    const x = json(await cli('recommend', a, '--user', '3', '--json'));
    const y = json(await cli('recommend', b, '--user', '3', '--json'));
    expect(new Set(x.recommendations.map((r: { item: number }) => r.item))).toEqual(
      new Set(y.recommendations.map((r: { item: number }) => r.item)),
    );
  });
  it('--threads 2 fits on wasm-threads and saves the same model bytes as one thread', async () => {
    const a = join(dir, 't2.lrk');
    const b = join(dir, 't1.lrk');
    const r = await cli(
      'fit',
      data,
      '--factors',
      '8',
      '--iterations',
      '3',
      '--seed',
      '1',
      '--threads',
      '2',
      '--out',
      a,
      '--json',
    );
    expect(r.code).toBe(0);
    await cli('fit', data, '--factors', '8', '--iterations', '3', '--seed', '1', '--out', b, '--quiet');
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const bad = await cli('fit', data, '--threads', '2', '--backend', 'js', '--out', join(dir, 'x.lrk'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/backend 'js' is single-threaded/);
  });
});

describe('recommend and similar (against the library)', () => {
  it("recommend --user matches model.recommendById and leaves out the user's items", async () => {
    const r = await cli('recommend', model, '--user', '5', '-n', '7', '--json');
    expect(r.code).toBe(0);
    const got = json(r).recommendations as { rank: number; item: number; score: number }[];
    await init();
    const m = await loadModelFile(model);
    const want = m.recommendById(5, { n: 7 });
    expect(got.map((x) => x.item)).toEqual(want.ids);
    got.forEach((x, i) => expect(x.score).toBeCloseTo(want.scores[i], 5));
    const seen = new Set(
      Array.from(m.recommend(m.userIds!.index(5), { n: 90, filterAlreadyLiked: false }).items).filter(
        (i) => !Array.from(want.items).includes(i),
      ),
    );
    expect(seen.size).toBeGreaterThan(0);
    const liked = (await readInteractions(data, { format: 'movielens-100k' })).matrix.row(4).indices; // user id 5 = row 4
    for (const x of got) expect(Array.from(liked)).not.toContain(m.itemIds!.index(x.item));
    m.dispose();
  });

  it("recommend --explain lists contributions that come from the user's liked items", async () => {
    const r = await cli('recommend', model, '--user', '5', '-n', '3', '--explain', '--json');
    expect(r.code).toBe(0);
    const recs = json(r).recommendations as { item: number; because: { item: number; contribution: number }[] }[];
    const d = await readInteractions(data, { format: 'movielens-100k' });
    const liked = new Set(Array.from(d.matrix.row(d.users.index(5)).indices, (i) => d.items.id(i)));
    for (const x of recs) {
      expect(x.because.length).toBeGreaterThan(0);
      for (const b of x.because) expect(liked.has(b.item)).toBe(true);
    }
    const text = await cli('recommend', model, '--user', '5', '-n', '3', '--explain');
    expect(text.out).toMatch(/because you liked/);
    expect(text.out.trim().split('\n')).toHaveLength(2 + 3);
  });

  it('recommend --liked folds in a new user (= recommend with recalculateUser)', async () => {
    const r = await cli('recommend', model, '--liked', '3,10,12', '-n', '5', '--json');
    expect(r.code).toBe(0);
    const got = (json(r).recommendations as { item: number }[]).map((x) => x.item);
    await init();
    const m = await loadModelFile(model);
    const idx = [3, 10, 12].map((id) => m.itemIds!.index(id));
    const want = m.recommend(0, { n: 5, userItems: { indices: idx }, recalculateUser: true });
    expect(got).toEqual(Array.from(want.items, (i) => m.itemIds!.id(i)));
    expect(got).not.toContain(3);
    m.dispose();
  });

  it('similar --item leaves out the item itself and matches similarItems', async () => {
    const r = await cli('similar', model, '--item', '7', '-n', '4', '--json');
    expect(r.code).toBe(0);
    const got = json(r).similar as { item: number; cosine: number }[];
    expect(got).toHaveLength(4);
    await init();
    const m = await loadModelFile(model);
    const q = m.itemIds!.index(7);
    const want = m.similarItems(q, { n: 5 }); // the query first (cosine 1), then the rest
    expect(want.items[0]).toBe(q);
    expect(got.map((x) => x.item)).toEqual(Array.from(want.items.slice(1), (i) => m.itemIds!.id(i)));
    for (const x of got) expect(x.cosine).toBeLessThanOrEqual(1 + 1e-6);
    m.dispose();
    const text = await cli('similar', model, '--item', '7', '-n', '4');
    expect(text.out.trim().split('\n')).toHaveLength(2 + 4);
  });
});

describe('evaluate and svd', () => {
  it("evaluate reproduces the library's split + fit + rankingMetrics; RMSE only for als", async () => {
    const r = await cli(
      'evaluate',
      data,
      '--model',
      'implicit-als,als,puresvd',
      '--factors',
      '6',
      '--split',
      '0.25',
      '-k',
      '5',
      '--seed',
      '2',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = json(r);
    expect(j.results.map((x: { model: string }) => x.model)).toEqual(['ImplicitALS', 'ALS', 'PureSVD']);
    expect(j.results[0].rmse).toBeUndefined();
    expect(j.results[1].rmse).toBeGreaterThan(0);
    expect(j.results[2].rmse).toBeUndefined();
    for (const x of j.results)
      for (const v of ['precision', 'map', 'ndcg', 'auc']) expect(x.ranking[v]).toBeGreaterThanOrEqual(0);
    await init();
    const d = await readInteractions(data, { format: 'movielens-100k' });
    const s = trainTestSplit(d.matrix, { testFraction: 0.25, seed: 2 });
    expect(j.test).toBe(s.test.nnz);
    const m = await new ImplicitALS({ factors: 6, seed: 2 }).fit(s.train);
    const want = rankingMetrics(m, s.train, s.test, { k: 5 });
    expect(j.results[0].ranking.precision).toBeCloseTo(want.precision, 10);
    expect(j.results[0].ranking.ndcg).toBeCloseTo(want.ndcg, 10);
    const text = await cli('evaluate', data, '--model', 'puresvd', '--factors', '6', '--quiet');
    expect(text.out).toMatch(/model\s+fit\s+P@10\s+MAP@10\s+NDCG@10/);
  });

  it('svd -k gives the singular values of a dense SVD', async () => {
    const r = await cli('svd', data, '-k', '6', '--json');
    expect(r.code).toBe(0);
    const j = json(r);
    expect(j.converged).toBe(true);
    const d = await readInteractions(data, { format: 'movielens-100k' });
    const dense = new Matrix(d.matrix.rows, d.matrix.cols);
    for (let i = 0; i < d.matrix.rows; i++) {
      const { indices, values } = d.matrix.row(i);
      for (let q = 0; q < indices.length; q++) dense.set(i, indices[q], values[q]);
    }
    const s = new SVD(dense, { autoTranspose: true }).diagonal;
    for (let i = 0; i < 6; i++) expect(Math.abs(j.s[i] - s[i]) / s[0]).toBeLessThan(1e-8);
  });
});

describe('demo (the main job)', () => {
  it('fits the three models and reports metrics, singular values and explained recommendations', async () => {
    const r = await cli('demo', data, '--json');
    expect(r.code).toBe(0);
    const j = json(r);
    expect(j.results.map((x: { model: string }) => x.model)).toEqual(['implicit ALS', 'explicit ALS', 'PureSVD']);
    // PureSVD at its defaults: the rank is the data's ('auto'), so the spectrum's length is too.
    const sv: number[] = j.singularValues;
    expect(sv.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < sv.length; i++) expect(sv[i]).toBeLessThanOrEqual(sv[i - 1]);
    expect(j.samples.length).toBeGreaterThan(0);
    expect(j.samples[0].recommendations[0].because.length).toBeGreaterThan(0);
    expect(j.foldIn).toHaveLength(5);
    const text = await cli('demo', data, '--quiet');
    for (const s of [
      'held-out metrics @10',
      `top ${sv.length} singular values`,
      'because you liked',
      'folded in',
      'done in',
    ])
      expect(text.out).toContain(s);
  });
});

describe('errors: one line on stderr, non-zero exit', () => {
  const oneLine = (r: Result, code: number, re: RegExp): void => {
    expect(r.code).toBe(code);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^lowrank: /);
    expect(r.err).toMatch(re);
  };
  it('usage errors exit 2', async () => {
    oneLine(await cli('fit', data, '--factors', 'abc'), 2, /--factors <n>.*'abc' is invalid/);
    oneLine(await cli('fit', data, '--model', 'knn'), 2, /Allowed choices are implicit-als, als, puresvd/);
    oneLine(await cli('fitt', data), 2, /unknown command 'fitt'.*Did you mean fit\?/);
    oneLine(await cli('fit'), 2, /missing required argument 'file'/);
    oneLine(await cli('similar', model), 2, /required option '--item <id>'/);
    oneLine(await cli('evaluate', data, '--split', '1.5'), 2, /--split.*Expected a number in \(0, 1\)/);
  });
  it('bad input exits 1 with what was wrong', async () => {
    oneLine(await cli('fit', join(dir, 'missing.data')), 1, /no such file: .*missing\.data/);
    oneLine(await cli('recommend', join(dir, 'none.lrk'), '--user', '1'), 1, /no such model file/);
    oneLine(
      await cli('recommend', model, '--user', '99999'),
      1,
      /unknown user id "99999"; the model has 120 users \(ids like 1, 2, 3, …\)/,
    );
    oneLine(await cli('recommend', model), 1, /give either --user <id> .* or --liked <ids>/);
    oneLine(await cli('similar', model, '--item', 'x'), 1, /unknown item id "x"/);
    oneLine(
      await cli('evaluate', data, '--model', 'puresvd', '--iterations', '3'),
      1,
      /--iterations applies to implicit-als, als, bpr, lmf only, not puresvd/,
    );
    const bad = join(dir, 'bad.lrk');
    writeFileSync(bad, 'not a model');
    oneLine(await cli('recommend', bad, '--user', '1'), 1, /lowrank: error: .+/);
    const text = join(dir, 'bad.csv');
    writeFileSync(text, 'user,item,value\n1,2,3\n1,x\n');
    oneLine(await cli('fit', text, '--quiet'), 1, /bad\.csv.*line 3/);
  });
  it('--explain needs an implicit-als, item-knn or ease model', async () => {
    const out = join(dir, 'svd.lrk');
    expect((await cli('fit', data, '--model', 'puresvd', '--factors', '4', '--out', out, '--quiet')).code).toBe(0);
    oneLine(
      await cli('recommend', out, '--user', '1', '--explain'),
      1,
      /--explain needs an implicit-als, item-knn or ease model; .* is PureSVD/,
    );
  });
});

describe('the bundled executable', () => {
  const bin = new URL('../../dist/cli.mjs', import.meta.url);
  it.skipIf(!existsSync(bin))('dist/cli.mjs runs with its #! line, exit codes pass through', () => {
    const ok = spawnSync(process.execPath, [bin.pathname, '--version'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, [bin.pathname, 'recommend', 'nope.lrk', '--user', '1'], {
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
