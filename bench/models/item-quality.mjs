// Held-out precision@10 (implicit's definition: hits / Σ min(10, |test_u|) over users with test items) of
// lowrank's ItemKNN and EASE on the splits bench/models/item_quality.py exported (implicit's own
// train_test_split), beside implicit's counterparts from the same splits (its implicit.json).
//
//   node bench/models/item-quality.mjs --splits build/item-quality [--seed 42] [--sets a,b]
//     [--knn cosine,tfidf,bm25,none] [--neighbors 20] [--lambdas 0.0625,0.125,...] [--ease-items 8000]
//     [--threads 2] [--json out.json]
//
// --lambdas are multiples of mean diag(XᵀX) (the scale of EASE's λ); "default" in the list runs lowrank's
// default rule. EASE runs on the --ease-items most popular items of larger sets (recommending only those;
// 'auto': lowrank's default maxItems).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCsr } from '../quality/lib.mjs';

const lib = await import(new URL('../../dist/internal.mjs', import.meta.url).href);

const o = {
  splits: 'build/item-quality',
  seed: 42,
  sets: ['ml100k', 'ml100k-binary', 'lastfm-binary', 'gowalla'],
  knn: ['cosine', 'tfidf', 'bm25'],
  neighbors: [20],
  lambdas: ['default'],
  easeItems: 8000,
  threads: 2,
};
const argv = process.argv.slice(2);
const list = (s) => (s === '-' ? [] : s.split(','));
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const v = () => argv[++i];
  if (a === '--splits') o.splits = v();
  else if (a === '--seed') o.seed = +v();
  else if (a === '--sets') o.sets = v().split(',');
  else if (a === '--knn') o.knn = list(v());
  else if (a === '--neighbors') o.neighbors = v().split(',').map(Number);
  else if (a === '--lambdas') o.lambdas = list(v());
  else if (a === '--ease-items') o.easeItems = v() === 'auto' ? 'auto' : +argv[i];
  else if (a === '--threads') o.threads = +v();
  else if (a === '--json') o.json = v();
  else throw new Error(`item-quality: unknown option ${a}`);
}

await (o.threads > 1 ? lib.init({ threads: o.threads }) : lib.init({ backend: 'wasm' }));
const anchor = existsSync(join(o.splits, 'implicit.json'))
  ? JSON.parse(readFileSync(join(o.splits, 'implicit.json'), 'utf8'))
  : {};

/** The batch job for the users with test items: their train rows, train items excluded. */
function job(train, test) {
  const users = [];
  for (let u = 0; u < test.rows; u++) if (test.indptr[u + 1] > test.indptr[u]) users.push(u);
  const excIndptr = new Int32Array(users.length + 1);
  const exc = [];
  users.forEach((u, r) => {
    for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) exc.push(train.indices[p]);
    excIndptr[r + 1] = exc.length;
  });
  return { users: Int32Array.from(users), nRows: users.length, k: 10, excIndptr, excIdx: Int32Array.from(exc) };
}

/** implicit's precision@10 of a result (item ids in `map` when given). */
function precision(res, j, test, map) {
  let hits = 0;
  let div = 0;
  for (let r = 0; r < j.nRows; r++) {
    const u = j.users[r];
    const liked = new Set(test.indices.subarray(test.indptr[u], test.indptr[u + 1]));
    div += Math.min(10, liked.size);
    for (let t = 0; t < res.counts[r]; t++) {
      const it = res.items[r * 10 + t];
      if (liked.has(map ? map[it] : it)) hits++;
    }
  }
  return hits / div;
}

function popular(m, count) {
  const c = new Int32Array(m.cols);
  for (const j of m.indices) c[j]++;
  const order = Int32Array.from({ length: m.cols }, (_, i) => i).sort((a, c2) => c[c2] - c[a] || a - c2);
  return order.subarray(0, count).sort();
}

const out = { seed: o.seed, threads: o.threads, sets: {} };
for (const name of o.sets) {
  const base = join(o.splits, `${name}.${o.seed}`);
  if (!existsSync(`${base}.train.csr`)) {
    console.log(`${name}: no split (run bench/models/item_quality.py)`);
    continue;
  }
  const train = readCsr(lib, `${base}.train.csr`);
  const test = readCsr(lib, `${base}.test.csr`);
  const imp = anchor[`${name}.${o.seed}`] ?? {};
  const res = { shape: train.shape, implicit: imp, knn: {}, ease: {} };
  out.sets[name] = res;
  const j = job(train, test);
  console.log(
    `\n${name} (seed ${o.seed}): ${train.rows} × ${train.cols}, train ${train.nnz}, test ${test.nnz}, ${j.nRows} test users`,
  );
  // The public classes as a user serves them: recommendBatch(users, { n: 10 }), training items left out.
  const served = (model) => model.recommendBatch(j.users, { n: 10 });
  for (const w of o.knn)
    for (const K of o.neighbors) {
      const t0 = performance.now();
      const model = await new lib.ItemKNN({ neighbors: K, weighting: w, k1: 1.2, b: 0.75 }).fit(train);
      const secs = (performance.now() - t0) / 1000;
      const p = precision(served(model), j, test);
      model.dispose();
      const ref = K === 20 ? imp[w]?.['precision@10'] : undefined;
      res.knn[`${w}/${K}`] = { precision: p, fitSeconds: secs, implicit: ref };
      console.log(
        `  ItemKNN ${w.padEnd(6)} K=${String(K).padEnd(4)} p@10 ${p.toFixed(4)}${ref !== undefined ? `   implicit ${ref.toFixed(4)}   ratio ${(p / ref).toFixed(3)}` : ''}   fit ${secs.toFixed(2)} s`,
      );
    }
  if (o.lambdas.length) {
    // 'auto': EASE's own default maxItems; else at most --ease-items of the most popular items.
    const maxItems = o.easeItems === 'auto' || train.cols <= o.easeItems ? null : o.easeItems;
    const items = maxItems ? popular(train, maxItems) : undefined;
    let diag = 0;
    const keep = items ? new Set(items) : undefined;
    for (let p = 0; p < train.nnz; p++) if (!keep || keep.has(train.indices[p])) diag += train.data[p] * train.data[p];
    const n = items ? items.length : train.cols;
    const meanDiag = diag / n;
    const als = imp.als?.['precision@10'];
    for (const l of o.lambdas) {
      const t0 = performance.now();
      const model = await new lib.EASE({
        regularization: l === 'default' ? null : +l * meanDiag,
        maxItems,
      }).fit(train);
      const secs = (performance.now() - t0) / 1000;
      const lambda = model.fittedRegularization;
      const fitted = model.fittedItems.length;
      const p = precision(served(model), j, test);
      model.dispose();
      res.ease[l] = {
        lambda,
        multiple: lambda / meanDiag,
        precision: p,
        fitSeconds: secs,
        items: fitted,
        implicitALS: als,
      };
      console.log(
        `  EASE λ ${lambda.toFixed(1).padStart(8)} (${(lambda / meanDiag).toFixed(4)}·mean diag) on ${fitted} items: p@10 ${p.toFixed(4)}${als !== undefined ? `   implicit ALS ${als.toFixed(4)}   ratio ${(p / als).toFixed(3)}` : ''}   fit ${secs.toFixed(2)} s`,
      );
    }
  }
}
if (o.json) writeFileSync(o.json, JSON.stringify(out, null, 1));
await lib.terminate();
