/**
 * `factors: 'auto'` of PureSVD: the rank chosen on the data itself. PureSVD has no regularization, so its
 * rank is its only guard against noise, and the best rank varies more than any shape statistic tells (16 on
 * MovieLens-100k and Last.fm-2k, 512 on citation-like lists of a similar size): the fit holds out one entry
 * of up to 2,000 users, takes one SVD of the rest and scores every prefix of it (ranks 8, 12, 16, 24, …) on
 * the held-out entries by precision@10 — one SVD serves every rank, the top-k of a larger SVD being the
 * rank-k SVD. When the best rank is in the upper half of what was computed, the SVD is taken 4× larger (up
 * to 512, and half the smaller side) and scored again. The model is then fitted on all the data at that rank.
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';
import { rankingMetrics } from '../../eval/ranking.js';
import { splitByMask } from '../../eval/splits.js';
import { Rng } from '../../random.js';

/** Users whose held-out entry scores the ranks. */
const HELD_OUT_USERS = 2000;
/** The first SVD's rank, and the largest rank 'auto' picks. */
const FIRST = 64;
export const MAX_AUTO_FACTORS = 512;

/** What a PureSVD-like model needs to be scored at a rank: fit at a rank, then a model of its top-k. */
export interface RankProbe {
  /** Fit on `train` at rank `k`; resolves to a function making the model of the top `j ≤ k` factors. */
  fitAt(train: SparseMatrix, k: number): Promise<{ truncated(j: number): RankedModel; dispose(): void }>;
}

/** A model rankingMetrics can score, disposed after. */
export type RankedModel = Parameters<typeof rankingMetrics>[0] & { dispose(): void };

/** The ranks scored below k: 8, 12, 16, 24, 32, 48, … (powers of two and 1.5×). */
function ranksUpTo(k: number): number[] {
  const out: number[] = [];
  for (let p = 8; p <= k; p *= 2) {
    out.push(p);
    if (p * 1.5 <= k) out.push(p * 1.5);
  }
  if (out.length === 0 || out[out.length - 1] !== k) out.push(k);
  return out.filter((x) => x >= 1);
}

/** One entry held out of each of up to HELD_OUT_USERS users with ≥ 3 entries (seeded). */
function holdOut(m: SparseMatrix, seed: number): { train: SparseMatrix; test: SparseMatrix } | undefined {
  const { indptr } = m.arrays();
  const eligible: number[] = [];
  for (let u = 0; u < m.rows; u++) if (indptr[u + 1] - indptr[u] >= 3) eligible.push(u);
  if (eligible.length < 50) return undefined;
  const rng = new Rng(seed);
  const users = Int32Array.from(eligible);
  rng.shuffle(users);
  const mask = new Uint8Array(m.nnz);
  for (const u of users.subarray(0, Math.min(HELD_OUT_USERS, users.length)))
    mask[indptr[u] + rng.nextInt(indptr[u + 1] - indptr[u])] = 1;
  return splitByMask(m, mask);
}

/** The rank for PureSVD on `m` (see the module comment); `fallback` when there is too little data to judge. */
export async function chooseRank(m: SparseMatrix, probe: RankProbe, seed: number, fallback: number): Promise<number> {
  const split = holdOut(m, seed);
  const [rows, cols] = m.shape;
  const cap = Math.max(1, Math.min(MAX_AUTO_FACTORS, Math.floor(Math.min(rows, cols) / 2)));
  if (!split) return Math.min(fallback, cap);
  let k = Math.min(FIRST, cap);
  for (;;) {
    const fitted = await probe.fitAt(split.train, k);
    let best = { rank: 0, value: -1 };
    try {
      for (const j of ranksUpTo(k)) {
        const model = fitted.truncated(j);
        try {
          const p = rankingMetrics(model, split.train, split.test, { k: 10 }).precision;
          if (p > best.value) best = { rank: j, value: p };
        } finally {
          model.dispose();
        }
      }
    } finally {
      fitted.dispose();
    }
    if (best.rank * 2 <= k || k >= cap) return best.rank;
    k = Math.min(cap, k * 4);
  }
}
