// End-to-end evaluation on the licensed reference data sets in ../shared/data (never copied into the repo).
// Skipped when the files are absent. Prints a metric table per data set.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { ImplicitALS } from '../../src/als/implicit.js';
import { ALS } from '../../src/als/explicit.js';
import { PureSVD } from '../../src/svd/puresvd.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { rankingMetrics, ratingMetrics, temporalSplit, trainTestSplit, type RankingMetrics, type RankingModel } from '../../src/eval/index.js';

const dataDir = process.env.LOWRANK_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const lastfm = `${dataDir}/lastfm-2k/user_artists.dat`;
const ml100k = `${dataDir}/ml-100k/u.data`;

/** Tab-separated numeric columns; ids mapped to dense indices in first-seen order. */
function readTsv(path: string, skipHeader: boolean) {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  if (skipHeader) lines.shift();
  const uid = new Map<string, number>();
  const iid = new Map<string, number>();
  const users: number[] = [], items: number[] = [], values: number[] = [], times: number[] = [];
  for (const l of lines) {
    const f = l.split('\t');
    if (!uid.has(f[0])) uid.set(f[0], uid.size);
    if (!iid.has(f[1])) iid.set(f[1], iid.size);
    users.push(uid.get(f[0])!);
    items.push(iid.get(f[1])!);
    values.push(Number(f[2]));
    if (f[3] !== undefined) times.push(Number(f[3]));
  }
  return { users, items, values, times, shape: [uid.size, iid.size] as const };
}

/** Most-popular baseline: the same list for everyone minus their train items. */
function popularity(train: SparseMatrix): RankingModel {
  const count = new Float64Array(train.cols);
  for (const i of train.indices) count[i]++;
  const order = Int32Array.from(count.keys()).sort((a, b) => count[b] - count[a] || a - b);
  return {
    itemCount: train.cols,
    recommendBatch(users, { n, userItems }) {
      const items = new Int32Array(users.length * n).fill(-1);
      users.forEach((u, j) => {
        const liked = new Set(userItems.row(u).indices);
        for (let q = 0, w = 0; q < order.length && w < n; q++) if (!liked.has(order[q])) items[j * n + w++] = order[q];
      });
      return { items, scores: new Float32Array(items.length) };
    },
  };
}

const fmt = (x: number) => x.toFixed(4);
type Row = [string, RankingMetrics & { seconds: number }, number];
/** rankingMetrics, timed. */
function ranked(model: RankingModel, train: SparseMatrix, test: SparseMatrix): RankingMetrics & { seconds: number } {
  const t0 = performance.now();
  const r = rankingMetrics(model, train, test, { k: 10 });
  return { ...r, seconds: (performance.now() - t0) / 1000 };
}
function table(title: string, rows: Row[]) {
  const head = ['model', 'prec@10', 'recall', 'map', 'ndcg', 'auc', 'hitRate', 'coverage', 'users', 'fit s', 'eval s'];
  const lines = rows.map(([name, r, s]) => [name, fmt(r.precision), fmt(r.recall), fmt(r.map), fmt(r.ndcg), fmt(r.auc), fmt(r.hitRate), fmt(r.coverage), String(r.users), s.toFixed(1), r.seconds.toFixed(2)]);
  const w = head.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const row = (cells: string[]) => cells.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join('  ');
  console.log(`\n${title}\n${row(head)}\n${lines.map(row).join('\n')}`);
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, (performance.now() - t0) / 1000];
}

describe.skipIf(!existsSync(lastfm))('end-to-end: Last.fm 2k (binary)', () => {
  it('ranking metrics @10 of popularity, ImplicitALS and PureSVD', async () => {
    await init({ backend: 'wasm' });
    const d = readTsv(lastfm, true);
    const m = SparseMatrix.fromCOO({ rows: d.users, cols: d.items, shape: d.shape }); // binary: values 1
    expect([m.rows, m.cols, m.nnz]).toEqual([1892, 17632, 92834]);
    const { train, test } = trainTestSplit(m, { testFraction: 0.2, seed: 0 });
    const rows: Row[] = [];
    rows.push(['popularity', ranked(popularity(train), train, test), 0]);
    const [als, tAls] = await timed(() => new ImplicitALS({ factors: 64, iterations: 15, regularization: 0.01, seed: 0 }).fit(train));
    rows.push(['ImplicitALS k=64', ranked(als, train, test), tAls]);
    const [svd, tSvd] = await timed(() => new PureSVD({ factors: 64, tol: 1e-6 }).fit(train));
    rows.push(['PureSVD k=64', ranked(svd, train, test), tSvd]);
    table(`Last.fm 2k, binary, 80/20 trainTestSplit seed 0 (${train.nnz} train / ${test.nnz} test), k = 10`, rows);
    // Personalised models must beat popularity.
    expect(rows[1][1].ndcg).toBeGreaterThan(rows[0][1].ndcg);
    expect(rows[2][1].ndcg).toBeGreaterThan(rows[0][1].ndcg);
    als.dispose();
    svd.dispose();
  }, 600_000);
});

describe.skipIf(!existsSync(ml100k))('end-to-end: MovieLens 100k', () => {
  it('rmse/mae of explicit ALS; ranking metrics @10 on the binarised matrix', async () => {
    await init({ backend: 'wasm' });
    const d = readTsv(ml100k, false);
    const R = SparseMatrix.fromCOO({ rows: d.users, cols: d.items, values: d.values, shape: d.shape });
    expect([R.rows, R.cols, R.nnz]).toEqual([943, 1682, 100000]);
    const { train, test } = trainTestSplit(R, { testFraction: 0.2, seed: 0 });
    const lines: string[] = [];
    for (const [name, opts] of [
      ['ALS k=50 biases', { factors: 50, iterations: 10, regularization: 0.1, biases: true }],
      ['ALS k=50 no biases', { factors: 50, iterations: 10, regularization: 0.1, biases: false }],
    ] as const) {
      const [model, s] = await timed(() => new ALS({ ...opts, seed: 0 }).fit(train));
      const r = ratingMetrics(model, test, { train, clip: [1, 5] });
      lines.push(`${name.padEnd(20)} rmse ${fmt(r.rmse)}  mae ${fmt(r.mae)}  (${r.count} pairs, ${r.unseenPairs} unseen scored by ${r.unseenScoring}; fit ${s.toFixed(1)} s)`);
      expect(r.rmse).toBeLessThan(1.2);
      model.dispose();
    }
    // Temporal: each user's latest 20% of ratings held out.
    const tsplit = temporalSplit({ users: d.users, items: d.items, values: d.values, timestamps: d.times, shape: d.shape }, { testFraction: 0.2, perUser: true });
    const tm = await new ALS({ factors: 50, iterations: 10, regularization: 0.1, seed: 0 }).fit(tsplit.train);
    const tr = ratingMetrics(tm, tsplit.test, { train: tsplit.train, clip: [1, 5] });
    lines.push(`${'ALS (temporal 20%)'.padEnd(20)} rmse ${fmt(tr.rmse)}  mae ${fmt(tr.mae)}  (${tr.count} pairs, ${tr.unseenPairs} unseen)`);
    tm.dispose();
    let mu = 0;
    for (const x of train.data) mu += x;
    mu /= train.nnz;
    const base = ratingMetrics(new Float32Array(test.nnz).fill(mu), test);
    lines.push(`${'global mean'.padEnd(20)} rmse ${fmt(base.rmse)}  mae ${fmt(base.mae)}`);
    console.log(`\nMovieLens 100k, ratings, 80/20 trainTestSplit seed 0\n${lines.join('\n')}`);

    const B = SparseMatrix.fromCOO({ rows: d.users, cols: d.items, shape: d.shape });
    const sb = trainTestSplit(B, { testFraction: 0.2, seed: 0 });
    const rows: Row[] = [];
    rows.push(['popularity', ranked(popularity(sb.train), sb.train, sb.test), 0]);
    const [als, tAls] = await timed(() => new ImplicitALS({ factors: 64, iterations: 15, seed: 0 }).fit(sb.train));
    rows.push(['ImplicitALS k=64', ranked(als, sb.train, sb.test), tAls]);
    const [svd, tSvd] = await timed(() => new PureSVD({ factors: 50, tol: 1e-6 }).fit(sb.train));
    rows.push(['PureSVD k=50', ranked(svd, sb.train, sb.test), tSvd]);
    table(`MovieLens 100k, binary, 80/20 trainTestSplit seed 0 (${sb.train.nnz} / ${sb.test.nnz}), k = 10`, rows);
    expect(rows[1][1].ndcg).toBeGreaterThan(rows[0][1].ndcg);
    als.dispose();
    svd.dispose();
  }, 600_000);
});
