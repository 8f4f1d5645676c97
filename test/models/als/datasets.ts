// Loading the shared public datasets for quality checks and benchmarks (never copied into the repo), and
// small local metric implementations.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SparseMatrix } from '../../../src/data/csr.js';
import { Rng } from '../../../src/random.js';

export const DATA = join(__dirname, '..', '..', '..', '..', 'shared', 'data');
export const ML = join(DATA, 'ml-100k', 'u.data');
export const LASTFM = join(DATA, 'lastfm-2k', 'user_artists.dat');

export interface Triples {
  u: Int32Array;
  i: Int32Array;
  v: Float32Array;
  nU: number;
  nI: number;
}

/** Tab-separated "user item value …" lines; ids mapped to dense indices in first-seen order. */
export function parse(path: string, header: boolean): Triples {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (header) lines.shift();
  const um = new Map<string, number>();
  const im = new Map<string, number>();
  const u = new Int32Array(lines.length);
  const i = new Int32Array(lines.length);
  const v = new Float32Array(lines.length);
  lines.forEach((l, n) => {
    const [a, b, c] = l.split('\t');
    if (!um.has(a)) um.set(a, um.size);
    if (!im.has(b)) im.set(b, im.size);
    u[n] = um.get(a)!;
    i[n] = im.get(b)!;
    v[n] = Number(c);
  });
  return { u, i, v, nU: um.size, nI: im.size };
}

/** 80/20 random split of the entries with a fixed seed. */
export function split(t: Triples, seed: number, value?: number): [SparseMatrix, SparseMatrix] {
  const rng = new Rng(seed);
  const isTest = Array.from(t.u, () => rng.next() < 0.2);
  const part = (test: boolean) => {
    const idx = isTest.flatMap((x, n) => (x === test ? [n] : []));
    return SparseMatrix.fromCOO({
      rows: idx.map((n) => t.u[n]),
      cols: idx.map((n) => t.i[n]),
      values: idx.map((n) => value ?? t.v[n]),
      shape: [t.nU, t.nI],
    });
  };
  return [part(false), part(true)];
}

/** implicit's ranking_metrics_at_k precision: Σ hits / Σ min(k, |test_u|), train items filtered. */
export function precisionAtK(
  X: Float32Array,
  Y: Float32Array,
  f: number,
  train: SparseMatrix,
  test: SparseMatrix,
  k: number,
): number {
  const nI = train.cols;
  let hits = 0;
  let total = 0;
  const scores = new Float64Array(nI);
  for (let u = 0; u < train.rows; u++) {
    const t = test.row(u).indices;
    if (t.length === 0) continue;
    for (let i = 0; i < nI; i++) {
      let s = 0;
      for (let a = 0; a < f; a++) s += X[u * f + a] * Y[i * f + a];
      scores[i] = s;
    }
    for (const i of train.row(u).indices) scores[i] = -Infinity;
    // top k by insertion into a small sorted list (ties: lower index first)
    const top: number[] = [];
    for (let i = 0; i < nI; i++) {
      if (top.length === k && scores[i] <= scores[top[k - 1]]) continue;
      let p = top.length;
      while (p > 0 && scores[top[p - 1]] < scores[i]) p--;
      top.splice(p, 0, i);
      if (top.length > k) top.pop();
    }
    const want = new Set(t);
    hits += top.filter((i) => want.has(i)).length;
    total += Math.min(k, t.length);
  }
  return hits / total;
}

/** The same precision@k, ranking with the model's own recommendBatch (fast WASM top-k). */
export function precisionAtKBatch(
  model: {
    recommendBatch(
      users: ArrayLike<number>,
      o: { n: number; interactions: SparseMatrix; filterAlreadyLiked: boolean },
    ): { items: Int32Array; n: number; counts: Int32Array };
  },
  train: SparseMatrix,
  test: SparseMatrix,
  k: number,
): number {
  const users = Int32Array.from({ length: train.rows }, (_, u) => u).filter((u) => test.indptr[u + 1] > test.indptr[u]);
  const res = model.recommendBatch(users, { n: k, interactions: train, filterAlreadyLiked: true });
  let hits = 0;
  let total = 0;
  users.forEach((u, j) => {
    const want = new Set(test.row(u).indices);
    for (let q = 0; q < res.counts[j]; q++) if (want.has(res.items[j * res.n + q])) hits++;
    total += Math.min(k, want.size);
  });
  return hits / total;
}
