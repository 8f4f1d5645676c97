// Brute-force models for evaluation tests: a dense score table, ranked by plain sorting.
import { SparseMatrix } from '../../src/data/csr.js';
import type { RankingModel, RecommendBatchOptions, RecommendBatchResult } from '../../src/eval/ranking.js';
import type { RatingModel } from '../../src/eval/rating.js';

/** Scores from a users × items table; ranking = sort by score desc, ties by lower item index. */
export class TableModel implements RankingModel, RatingModel {
  calls = 0;
  constructor(
    readonly scores: number[][],
    readonly counts: { userCount?: number; itemCount?: number } = {},
  ) {}
  get itemCount(): number {
    return this.counts.itemCount ?? this.scores[0].length;
  }
  get userCount(): number {
    return this.counts.userCount ?? this.scores.length;
  }
  recommendBatch(
    users: Int32Array,
    { n, interactions, filterAlreadyLiked }: RecommendBatchOptions,
  ): RecommendBatchResult {
    this.calls++;
    const items = new Int32Array(users.length * n).fill(-1);
    const scores = new Float32Array(users.length * n);
    users.forEach((u, j) => {
      const liked = new Set(filterAlreadyLiked ? interactions.row(u).indices : []);
      const cand = this.scores[u].map((s, i) => [s, i]).filter(([, i]) => !liked.has(i));
      cand.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      cand.slice(0, n).forEach(([s, i], r) => {
        items[j * n + r] = i;
        scores[j * n + r] = s;
      });
    });
    return { items, scores };
  }
  predict(users: Int32Array, items: Int32Array): Float32Array {
    return Float32Array.from(users, (u, j) => this.scores[u][items[j]]);
  }
}

/** Build a matrix from a list of rows (each a list of item indices, value 1) or (item, value) pairs. */
export function rowsMatrix(rows: (number | [number, number])[][], cols: number): SparseMatrix {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  rows.forEach((items, u) =>
    items.forEach((e) => {
      r.push(u);
      c.push(Array.isArray(e) ? e[0] : e);
      v.push(Array.isArray(e) ? e[1] : 1);
    }),
  );
  return SparseMatrix.fromCOO({ rows: r, cols: c, values: v, shape: [rows.length, cols] });
}

/** Seeded random sparse matrix with about `density` of the entries set (values 1..5). */
export function randomMatrix(rows: number, cols: number, density: number, seed: number): SparseMatrix {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let u = 0; u < rows; u++)
    for (let i = 0; i < cols; i++)
      if (rnd() < density) {
        r.push(u);
        c.push(i);
        v.push(1 + Math.floor(rnd() * 5));
      }
  return SparseMatrix.fromCOO({ rows: r, cols: c, values: v, shape: [rows, cols] });
}

/** Entries of a matrix as "u,i,v" strings. */
export function entries(m: SparseMatrix): string[] {
  const out: string[] = [];
  for (let u = 0; u < m.rows; u++) {
    const { indices, values } = m.row(u);
    indices.forEach((i, p) => out.push(`${u},${i},${values[p]}`));
  }
  return out;
}
