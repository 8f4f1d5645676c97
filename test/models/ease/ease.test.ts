// EASE's fit against the dense closed form B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹ (ml-matrix, f64),
// on both backends; maxItems; the refusal when items² does not fit; scoring against dense scores.
import { Matrix, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { SparseMatrix } from '../../../src/data/csr.js';
import { OutOfMemoryError } from '../../../src/errors.js';
import { init } from '../../../src/runtime/backend.js';
import {
  EASE_WORK_BUDGET,
  easeDefaultItems,
  easeFitBytes,
  easeMaxItems,
  easePath,
  easeWork,
  fitEase,
  popularItems,
} from '../../../src/models/ease/fit.js';
import { easeScore } from '../item-scoring.js';
import { Rng } from '../../../src/random.js';

/** A users × items matrix with power-law item popularity; values 1 (binary) or 1–5. */
function interactions(seed: number, users: number, items: number, perUser: number, binary: boolean): SparseMatrix {
  const rng = new Rng(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let u = 0; u < users; u++) {
    const seen = new Set<number>();
    const want = 1 + Math.floor(rng.next() * perUser);
    while (seen.size < Math.min(want, items)) seen.add(Math.floor(items * rng.next() ** 2));
    for (const j of seen) {
      r.push(u);
      c.push(j);
      v.push(binary ? 1 : 1 + Math.floor(rng.next() * 5));
    }
  }
  return SparseMatrix.fromCOO({ rows: r, cols: c, values: v, shape: [users, items] });
}

/** Dense closed form: B (n × n) for X restricted to `items` (all when undefined). */
function closedForm(X: SparseMatrix, lambda: number, items?: Int32Array): number[][] {
  const cols = items ? Array.from(items) : Array.from({ length: X.cols }, (_, i) => i);
  const pos = new Map(cols.map((c, i) => [c, i]));
  const n = cols.length;
  const G = Matrix.zeros(n, n);
  for (let u = 0; u < X.rows; u++) {
    const { indices, values } = X.row(u);
    for (let a = 0; a < indices.length; a++)
      for (let b = 0; b < indices.length; b++) {
        const i = pos.get(indices[a]);
        const j = pos.get(indices[b]);
        if (i !== undefined && j !== undefined) G.set(i, j, G.get(i, j) + values[a] * values[b]);
      }
  }
  for (let i = 0; i < n; i++) G.set(i, i, G.get(i, i) + lambda);
  const P = inverse(G);
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 0 : -P.get(i, j) / P.get(j, j))),
  );
}

describe('fitEase', () => {
  it.each([
    ['binary', 60, 40, 12, true, 5],
    ['ratings', 80, 70, 20, false, 50],
    ['more items than users', 30, 150, 25, true, 2],
    ['λ = 0.5, near-singular Gram', 200, 20, 8, true, 0.5],
  ] as const)('%s: B equals the closed form (both backends)', async (_name, users, items, per, binary, lambda) => {
    const X = interactions(users + items, users, items, per, binary);
    const want = closedForm(X, lambda);
    for (const backend of ['wasm', 'js'] as const)
      for (const path of ['items', 'users'] as const) {
        const b = await init({ backend });
        const fit = await fitEase(b, X, { lambda, path });
        expect(fit.n).toBe(items);
        expect(fit.items).toBeUndefined();
        const B = fit.B.view;
        let err = 0;
        for (let i = 0; i < items; i++)
          for (let j = 0; j < items; j++) err = Math.max(err, Math.abs(B[i * items + j] - want[i][j]));
        expect(err, `${backend} ${path}`).toBeLessThan(1e-6);
        fit.B.free();
      }
  });

  it('maxItems fits on the most popular items only, as the closed form on those columns', async () => {
    const b = await init({ backend: 'wasm' });
    const X = interactions(9, 100, 80, 20, true);
    const items = popularItems(X, 30)!;
    expect(items.length).toBe(30);
    const count = new Int32Array(80);
    for (const j of X.indices) count[j]++;
    const cut = Math.min(...Array.from(items, (j) => count[j]));
    for (let j = 0; j < 80; j++) if (!items.includes(j)) expect(count[j]).toBeLessThanOrEqual(cut);
    const fit = await fitEase(b, X, { lambda: 10, maxItems: 30 });
    expect(Array.from(fit.items!)).toEqual(Array.from(items));
    const want = closedForm(X, 10, items);
    let err = 0;
    for (let i = 0; i < 30; i++)
      for (let j = 0; j < 30; j++) err = Math.max(err, Math.abs(fit.B.view[i * 30 + j] - want[i][j]));
    expect(err).toBeLessThan(1e-6);
    fit.B.free();
  });

  it('refuses before allocating when items² does not fit, naming the largest item count that does', async () => {
    const b = await init({ backend: 'wasm' });
    const before = b.heap.bytesInUse;
    const room = b.heap.storage.maxBytes - before;
    // Over the items (12·n²): about 18,900 items fit in 4 GiB.
    const X = SparseMatrix.fromCOO({ rows: [0, 1], cols: [0, 29_999], values: [1, 1], shape: [2, 30_000] });
    const fits = easeMaxItems(room);
    expect(easeFitBytes(fits)).toBeLessThanOrEqual(room);
    expect(easeFitBytes(fits + 1)).toBeGreaterThan(room);
    expect(fits).toBeGreaterThan(18_000);
    expect(fits).toBeLessThan(19_000);
    await expect(fitEase(b, X, { lambda: 1, maxItems: Infinity, path: 'items' })).rejects.toThrow(OutOfMemoryError);
    await expect(fitEase(b, X, { lambda: 1, maxItems: Infinity, path: 'items' })).rejects.toThrow(
      new RegExp(`at most ${fits} items fit — pass maxItems: ${fits}`),
    );
    // Through 2 users (about 4·n²): 30,000 items would fit, 40,000 do not.
    expect(easeFitBytes(30_000, 2, 'users')).toBeLessThan(room);
    const Y = SparseMatrix.fromCOO({ rows: [0, 1], cols: [0, 39_999], values: [1, 1], shape: [2, 40_000] });
    const fitsU = easeMaxItems(room, 2, 'users');
    expect(fitsU).toBeGreaterThan(32_000);
    expect(fitsU).toBeLessThan(33_000);
    await expect(fitEase(b, Y, { lambda: 1, maxItems: Infinity })).rejects.toThrow(
      new RegExp(`at most ${fitsU} items fit — pass maxItems: ${fitsU}`),
    );
    expect(b.heap.bytesInUse).toBe(before);
  });

  it('scores x_u·B and keeps the k best, leaving out the excluded items', async () => {
    const X = interactions(4, 50, 60, 15, false);
    const want = closedForm(X, 20);
    for (const backend of ['wasm', 'js'] as const) {
      const b = await init({ backend });
      const fit = await fitEase(b, X, { lambda: 20 });
      const users = Int32Array.of(0, 7, 3, 49, 7);
      const k = 8;
      const res = easeScore(b, fit, X, k, users);
      users.forEach((u, r) => {
        const { indices, values } = X.row(u);
        const liked = new Set(indices);
        const s = Array.from({ length: 60 }, (_, j) => indices.reduce((acc, i, t) => acc + values[t] * want[i][j], 0));
        const order = s
          .map((_, j) => j)
          .filter((j) => !liked.has(j))
          .sort((a, c) => s[c] - s[a] || a - c);
        expect(res.counts[r]).toBe(k);
        for (let t = 0; t < k; t++) {
          expect(Math.abs(res.scores[r * k + t] - s[order[t]])).toBeLessThan(1e-5);
          // Ranks agree except between near ties.
          if (t + 1 < k && s[order[t]] - s[order[t + 1]] > 1e-4) expect(res.items[r * k + t]).toBe(order[t]);
        }
      });
      fit.B.free();
    }
  });

  it('picks the cheaper path that fits, and by default as many items as fit the heap and the work budget', () => {
    const GiB4 = 2 ** 32;
    // ML-100k: fewer users than items, through the users.
    expect(easePath(1682, 943, GiB4)).toBe('users');
    expect(easePath(3706, 6040, GiB4)).toBe('items');
    // Gowalla: 29,858 users need 7 GB for XXᵀ: over the items, 18.9k of 38.5k items at most in memory …
    expect(easePath(38_546, 29_858, GiB4)).toBeUndefined();
    expect(easePath(18_000, 29_858, GiB4)).toBe('items');
    // … and by default 12.6k, the most within 10¹² multiply–adds.
    const gw = easeDefaultItems(38_546, 29_858, GiB4);
    expect(easeWork(gw, 29_858, 'items')).toBeLessThanOrEqual(EASE_WORK_BUDGET);
    expect(easeWork(gw + 1, 29_858, 'items')).toBeGreaterThan(EASE_WORK_BUDGET);
    expect(gw).toBe(12_599);
    // Last.fm: all 17,632 items through its 1,892 users.
    expect(easeDefaultItems(17_632, 1_892, GiB4)).toBe(17_632);
  });
});
