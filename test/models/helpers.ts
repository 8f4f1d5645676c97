// Shared by the BPR and LogisticMF tests: small seeded data with structure a model can learn, and a
// popularity baseline to beat.
import { SparseMatrix } from '../../src/data/csr.js';
import { Rng } from '../../src/random.js';
import type { RankingModel } from '../../src/eval/index.js';

/**
 * `users` × `items` 0/1 interactions from `groups` taste groups: a user interacts mostly with items of
 * its group (probability `inGroup`), else with any item, about `perUser` items each; items have a
 * Zipf-like popularity within their group, so popularity alone ranks well but not best.
 */
export function groupedMatrix(
  seed: number,
  users = 300,
  items = 120,
  groups = 4,
  perUser = 12,
  inGroup = 0.8,
): SparseMatrix {
  const rng = new Rng(seed);
  const r: number[] = [];
  const c: number[] = [];
  const weight = (i: number) => 1 / (1 + Math.floor(i / groups));
  for (let u = 0; u < users; u++) {
    const g = u % groups;
    const seen = new Set<number>();
    const n = 2 + rng.nextInt(2 * perUser - 2);
    while (seen.size < Math.min(n, items)) {
      let i: number;
      do i = rng.nextInt(items);
      while (rng.next() > weight(i));
      if (rng.next() < inGroup && i % groups !== g) continue;
      seen.add(i);
    }
    for (const i of seen) {
      r.push(u);
      c.push(i);
    }
  }
  return SparseMatrix.fromCOO({ rows: r, cols: c, shape: [users, items] });
}

/** Hold out one random interaction of every user with at least 3 (train, test). */
export function holdOut(m: SparseMatrix, seed: number): [SparseMatrix, SparseMatrix] {
  const rng = new Rng(seed);
  const tr: [number[], number[]] = [[], []];
  const te: [number[], number[]] = [[], []];
  for (let u = 0; u < m.rows; u++) {
    const { indices } = m.row(u);
    const out = indices.length >= 3 ? rng.nextInt(indices.length) : -1;
    indices.forEach((i, q) => {
      const to = q === out ? te : tr;
      to[0].push(u);
      to[1].push(i);
    });
  }
  const make = ([rows, cols]: [number[], number[]]) => SparseMatrix.fromCOO({ rows, cols, shape: m.shape });
  return [make(tr), make(te)];
}

/** Most-popular baseline: the same list for everyone minus their train items. */
export function popularity(train: SparseMatrix): RankingModel {
  const count = new Float64Array(train.cols);
  for (const i of train.indices) count[i]++;
  const order = Int32Array.from(count.keys()).sort((a, b) => count[b] - count[a] || a - b);
  return {
    itemCount: train.cols,
    recommendBatch(users, { n, interactions }) {
      const items = new Int32Array(users.length * n).fill(-1);
      users.forEach((u, j) => {
        const liked = new Set(interactions.row(u).indices);
        for (let q = 0, w = 0; q < order.length && w < n; q++) if (!liked.has(order[q])) items[j * n + w++] = order[q];
      });
      return { items, scores: new Float32Array(items.length) };
    },
  };
}

/** The largest |a − b| over two arrays of the same length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
