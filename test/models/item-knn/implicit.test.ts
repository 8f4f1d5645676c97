// ItemKNN against implicit 0.7.3's CosineRecommender, TFIDFRecommender, BM25Recommender and
// ItemItemRecommender (weighting 'none') on small seeded matrices: the fixtures are implicit's own output
// (bench/models/implicit_knn_fixtures.py), so CI needs no implicit.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SparseMatrix } from '../../../src/data/csr.js';
import { init, type Backend } from '../../../src/runtime/backend.js';
import { fitSimilarity, freeSimilarity } from '../../../src/models/item-knn/similarity.js';
import { knnWeights, type KnnWeighting } from '../../../src/models/item-knn/weights.js';
import { knnScore } from '../item-scoring.js';

interface Csr {
  indptr: number[];
  indices: number[];
  data: number[];
}
interface Fixture {
  implicit: string;
  sets: {
    name: string;
    rows: number;
    cols: number;
    matrix: Csr;
    weights: Record<KnnWeighting, number[]>;
    models: {
      weighting: KnnWeighting;
      K: number;
      similarity: Csr;
      recommend: { ids: number[][]; scores: number[][] };
    }[];
  }[];
}

const fx: Fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/item-knn/implicit-knn.json', import.meta.url), 'utf8'),
);

const matrixOf = (s: Fixture['sets'][number]) =>
  new SparseMatrix(
    Int32Array.from(s.matrix.indptr),
    Int32Array.from(s.matrix.indices),
    Float32Array.from(s.matrix.data),
    [s.rows, s.cols],
  );

describe.each(fx.sets.map((s) => [s.name, s] as const))('ItemKNN vs implicit %s', (_name, set) => {
  const X = matrixOf(set);
  const x = { indptr: X.indptr, indices: X.indices, data: X.data };

  it.each(['cosine', 'tfidf', 'bm25', 'none'] as const)('weights %s: implicit’s bits', (weighting) => {
    const w = knnWeights(x, set.rows, set.cols, weighting, 1.2, 0.75);
    const want = set.weights[weighting];
    expect(w.length).toBe(want.length);
    // Equal but for the last bit of log/log1p (an idf of exactly 0 can come out as ±1.7e-16).
    for (let p = 0; p < w.length; p++)
      expect(Math.abs(w[p] - want[p]), `entry ${p}`).toBeLessThanOrEqual(1e-15 * (1 + Math.abs(want[p])));
  });

  for (const backend of ['wasm', 'js'] as const) {
    it.each(set.models.map((m) => [`${m.weighting} K=${m.K}`, m] as const))(
      `${backend}: similarity and recommend, %s`,
      async (_l, m) => {
        const b: Backend = await init({ backend });
        const S = fitSimilarity(b, X, { neighbors: m.K, weighting: m.weighting, k1: 1.2, b: 0.75 });
        // The same neighbours (ties broken as implicit breaks them), the same similarities to rounding.
        expect(Array.from(S.indptr.view)).toEqual(m.similarity.indptr);
        expect(Array.from(S.indices.view.subarray(0, S.nnz))).toEqual(m.similarity.indices);
        const sv = S.data.view;
        for (let p = 0; p < S.nnz; p++)
          expect(Math.abs(sv[p] - m.similarity.data[p]), `S entry ${p}`).toBeLessThanOrEqual(
            1e-14 * (1 + Math.abs(sv[p])),
          );
        // recommend(N=10, filter_already_liked_items) for every user.
        const r = knnScore(b, S, X, 10);
        for (let u = 0; u < set.rows; u++) {
          const liked = new Set(X.row(u).indices);
          // implicit scores liked items 0 and keeps them as candidates; lowrank leaves them out.
          const ids: number[] = [];
          const scores: number[] = [];
          m.recommend.ids[u].forEach((id, t) => {
            if (id >= 0 && !liked.has(id)) {
              ids.push(id);
              scores.push(m.recommend.scores[u][t]);
            }
          });
          const got = Array.from(r.items.subarray(u * 10, u * 10 + r.counts[u]));
          const gs = Array.from(r.scores.subarray(u * 10, u * 10 + r.counts[u]));
          const tookLiked = m.recommend.ids[u].some((id) => liked.has(id));
          if (!tookLiked) expect(got.length, `user ${u} count`).toBe(ids.length);
          const len = Math.min(got.length, ids.length);
          for (let t = 0; t < len; t++)
            expect(Math.abs(gs[t] - scores[t]), `user ${u} rank ${t}`).toBeLessThanOrEqual(
              1e-6 * (1 + Math.abs(scores[t])),
            );
          // The same items in each group of equal scores, but the last group (its ties may reach past the
          // cut, where implicit keeps the ones it visits first and lowrank the lower items).
          const same = (a: number, c: number) => Math.abs(a - c) <= 1e-9 * (1 + Math.abs(c));
          const last = scores[len - 1];
          const mine = new Set<number>();
          const theirs = new Set<number>();
          for (let t = 0; t < len; t++) {
            if (same(scores[t], last)) break;
            mine.add(got[t]);
            theirs.add(ids[t]);
            if (t + 1 < len && same(scores[t + 1], scores[t])) continue;
            expect([...mine].sort(), `user ${u} rank ${t}`).toEqual([...theirs].sort());
            mine.clear();
            theirs.clear();
          }
        }
        freeSimilarity(S);
      },
    );
  }
});
