// A generated stand-in for a MovieLens-1M-like ratings set (6040 users × 3706 items, ~1M ratings 1–5),
// with the structure of the real MovieLens-100k: users and items are noisy copies of ML-100k's latent
// profiles (a truncated SVD of its binarized matrix), each user picks items with probability
// ∝ exp(β·x_uᵀy_i) at an activity drawn like ML-1M's (log-normal, ≥ 20), and rates them 1–5 from their
// affinity. Used to check that defaults chosen on ML-100k / Last.fm carry over to a larger, denser set.
//
//   node bench/quality/standin.mjs --data ../shared/data --out build/quality/ml1m-like.csr \
//        [--users 6040 --items 3706 --nnz 1000209 --median 96 --mean 165 --beta 6 --seed 1]
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeCsr } from './lib.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const num = (k, d) => (args[k] !== undefined ? Number(args[k]) : d);
const users = num('users', 6040);
const items = num('items', 3706);
const nnzTarget = num('nnz', 1_000_209);
const median = num('median', 96);
const mean = num('mean', 165);
const beta = num('beta', 6);
const rank = num('rank', 24);
const noise = num('noise', 0.5);
const seed = num('seed', 1);
const out = args.out ?? 'build/quality/ml1m-like.csr';

const lib = await import(process.env.LOWRANK_DIST ?? new URL('../../dist/internal.mjs', import.meta.url).href);
await lib.init({ backend: 'wasm' });
const rng = new lib.Rng(seed);

// ML-100k, binarized: its latent profiles (user and item embeddings of the rank-`rank` SVD).
const lines = readFileSync(join(args.data ?? '../shared/data', 'ml-100k', 'u.data'), 'utf8')
  .trim()
  .split('\n');
const uid = new Map();
const iid = new Map();
const rows = [];
const cols = [];
for (const l of lines) {
  const [u, i] = l.split('\t');
  if (!uid.has(u)) uid.set(u, uid.size);
  if (!iid.has(i)) iid.set(i, iid.size);
  rows.push(uid.get(u));
  cols.push(iid.get(i));
}
const B = lib.SparseMatrix.fromCOO({
  rows,
  cols,
  values: new Float32Array(rows.length).fill(1),
  shape: [uid.size, iid.size],
});
const { s, U, V } = await lib.truncatedSVD(B, { k: rank });
const embed = (M, n) => {
  const e = new Float64Array(n * rank);
  for (let r = 0; r < n; r++) for (let j = 0; j < rank; j++) e[r * rank + j] = M[r * rank + j] * Math.sqrt(s[j]);
  return e;
};
const EU = embed(U, uid.size);
const EI = embed(V, iid.size);
const rms = (e) => Math.sqrt(e.reduce((a, x) => a + x * x, 0) / e.length);
// Noisy copies of random real profiles.
const copies = (E, n, count) => {
  const sd = noise * rms(E);
  const out = new Float64Array(count * rank);
  for (let r = 0; r < count; r++) {
    const p = rng.nextInt(n);
    for (let j = 0; j < rank; j++) out[r * rank + j] = E[p * rank + j] + sd * rng.normal();
  }
  return out;
};
const X = copies(EU, uid.size, users);
const Y = copies(EI, iid.size, items);

// Activity: log-normal with the given median and mean, at least 20, scaled to the target count.
const sigma = Math.sqrt(2 * Math.log(mean / median));
const act = Float64Array.from({ length: users }, () =>
  Math.max(20, Math.min(items >> 1, median * Math.exp(sigma * rng.normal()))),
);
const scale = nnzTarget / act.reduce((a, b) => a + b, 0);
const count = Int32Array.from(act, (a) => Math.max(20, Math.min(items >> 1, Math.round(a * scale))));

// Each user: items by weighted sampling without replacement (Efraimidis–Spirakis keys log(u)/w), w = exp(β·score).
const R = [];
const C = [];
const Vv = [];
const score = new Float64Array(items);
const key = new Float64Array(items);
const order = new Int32Array(items);
for (let u = 0; u < users; u++) {
  let max = -Infinity;
  for (let i = 0; i < items; i++) {
    let d = 0;
    for (let j = 0; j < rank; j++) d += X[u * rank + j] * Y[i * rank + j];
    score[i] = d;
    if (d > max) max = d;
  }
  for (let i = 0; i < items; i++) {
    key[i] = Math.log(rng.next() + 1e-300) / Math.exp(beta * (score[i] - max));
    order[i] = i;
  }
  order.sort((a, b) => key[b] - key[a]);
  const n = count[u];
  // Ratings: the user's mean plus their affinity (standardised over the items picked), rounded to 1–5.
  let m = 0;
  let q = 0;
  for (let t = 0; t < n; t++) m += score[order[t]];
  m /= n;
  for (let t = 0; t < n; t++) q += (score[order[t]] - m) ** 2;
  const sd = Math.sqrt(q / n) || 1;
  const mu = 3.58 + 0.45 * rng.normal();
  for (let t = 0; t < n; t++) {
    const i = order[t];
    const r = Math.round(mu + 0.6 * ((score[i] - m) / sd) + 0.8 * rng.normal());
    R.push(u);
    C.push(i);
    Vv.push(Math.min(5, Math.max(1, r)));
  }
}
const M = lib.SparseMatrix.fromCOO({ rows: R, cols: C, values: Float32Array.from(Vv), shape: [users, items] });
mkdirSync(dirname(out), { recursive: true });
writeCsr(out, M);
console.log(`${out}: ${users} × ${items}, ${M.nnz} ratings (β ${beta}, noise ${noise}, rank ${rank})`);
