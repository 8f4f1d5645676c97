import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/runtime/backend.js';
import { BACKENDS, mulberry32, onBoth, randInt, useBackend } from './util.js';

/** Scores with many ties, some NaN and infinities, both zeros. */
function tiedScores(rng: () => number, n: number): Float32Array {
  const s = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng();
    s[i] =
      u < 0.05
        ? Number.NaN
        : u < 0.07
          ? Number.NEGATIVE_INFINITY
          : u < 0.08
            ? Number.POSITIVE_INFINITY
            : u < 0.1
              ? -0
              : Math.floor(rng() * 6) - 2;
  }
  return s;
}

/** Oracle: full sort of the candidates by (score desc, index asc). */
function sortOracle(scores: Float32Array, k: number, exclude: number[]): { idx: number[]; sc: number[] } {
  const ex = new Set(exclude);
  const cand: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i]) && !ex.has(i)) cand.push(i);
  cand.sort((a, b) => (scores[a] === scores[b] ? a - b : scores[b] - scores[a]));
  const idx = cand.slice(0, Math.max(0, k));
  return { idx, sc: idx.map((i) => scores[i] + 0) };
}

/**
 * Top-k selection through the serving kernel (its selection step is not a kernel of its own): one query
 * row x = [1] against "items" whose 1-d factors are the scores, so each score is 1·s = s (−0 becomes +0);
 * `exclude` (indices past n dropped) is the global exclusion list.
 */
function runTopk(b: Backend, scores: Float32Array, k: number, exclude: number[]) {
  const n = scores.length;
  const ex = exclude.filter((i) => i < n);
  const hx = b.heap.copyIn(Float32Array.of(1));
  const hs = b.heap.copyIn(n ? scores : new Float32Array(1));
  const he = b.heap.copyIn(Int32Array.from(ex.length ? ex : [0]));
  const scratch = b.heap.allocArray('f32', Math.max(1, n));
  const oi = b.heap.copyIn(new Int32Array(k + 2).fill(-5)); // two sentinels past k
  const os = b.heap.copyIn(new Float32Array(k + 2).fill(-5));
  const cnt = b.heap.copyIn(Int32Array.of(-5));
  b.k.scoreTopkF32(hx.ptr, 0, 1, hs.ptr, 0, n, 1, k, 0, 0, he.ptr, ex.length, scratch.ptr, 1, oi.ptr, os.ptr, cnt.ptr);
  const count = cnt.view[0];
  const idx = Array.from(oi.toArray());
  const sc = Array.from(os.toArray());
  for (const h of [hx, hs, he, scratch, oi, os, cnt]) h.free();
  return { count, idx, sc };
}

function randomExclude(rng: () => number, n: number, p: number): number[] {
  const ex: number[] = [];
  for (let i = 0; i < n; i++) if (rng() < p) ex.push(i);
  return ex;
}

describe.each(BACKENDS)('top-k selection of scoreTopkF32 (%s)', (name) => {
  it('matches a full sort with exclusions, NaN and many ties', async () => {
    const b = await useBackend(name);
    const rng = mulberry32(51);
    for (const n of [0, 1, 3, 5, 17, 64, 65, 100, 1000, 4099]) {
      for (const k of [0, 1, 3, 10, 16, 17, n, n + 5]) {
        for (const p of [0, 0.1, 0.6]) {
          const scores = tiedScores(rng, n);
          const ex = randomExclude(rng, n, p);
          const want = sortOracle(scores, k, ex);
          const got = runTopk(b, scores, k, ex);
          const what = `n=${n} k=${k} pEx=${p}`;
          expect(got.count, what).toBe(want.idx.length);
          expect(got.idx.slice(0, got.count), what).toEqual(want.idx);
          expect(got.sc.slice(0, got.count), what).toEqual(want.sc);
          expect(got.idx.slice(k), `${what} writes nothing past k`).toEqual([-5, -5]);
          expect(got.idx.slice(got.count, k), `${what} pads with -1 past count`).toEqual(
            new Array(Math.max(0, k - got.count)).fill(-1),
          );
        }
      }
    }
  });

  it('handles distinct random scores where late entries keep displacing the root', async () => {
    const b = await useBackend(name);
    const rng = mulberry32(52);
    for (const n of [50, 333, 5000]) {
      // Increasing trend: almost every score beats the current k-th best.
      const scores = Float32Array.from({ length: n }, (_, i) => i + rng() * 3);
      const ex = randomExclude(rng, n, 0.2);
      for (const k of [1, 5, 33]) {
        const want = sortOracle(scores, k, ex);
        const got = runTopk(b, scores, k, ex);
        expect(got.idx.slice(0, got.count)).toEqual(want.idx);
      }
    }
  });

  it('returns 0 when everything is excluded, NaN, or k = 0', async () => {
    const b = await useBackend(name);
    const s = Float32Array.from([3, 1, 2, 5, 4]);
    expect(runTopk(b, s, 3, [0, 1, 2, 3, 4]).count).toBe(0);
    expect(runTopk(b, new Float32Array(40).fill(Number.NaN), 3, []).count).toBe(0);
    expect(runTopk(b, s, 0, []).count).toBe(0);
    expect(runTopk(b, new Float32Array(0), 4, []).count).toBe(0);
    // Excludes with duplicates and indices past n are harmless.
    const r = runTopk(b, s, 10, [1, 1, 3, 9, 12]);
    expect(r.count).toBe(3);
    expect(r.idx.slice(0, 3)).toEqual([4, 0, 2]);
    expect(r.sc.slice(0, 3)).toEqual([4, 0, 2].map((i) => s[i]));
  });

  it('k = 1 picks the lowest index among tied maxima', async () => {
    const b = await useBackend(name);
    const s = Float32Array.from([1, 7, 3, 7, 7, Number.NaN, 7]);
    expect(runTopk(b, s, 1, []).idx[0]).toBe(1);
    expect(runTopk(b, s, 1, [1]).idx[0]).toBe(3);
    expect(runTopk(b, s, 2, [3]).idx.slice(0, 2)).toEqual([1, 4]);
  });
});

describe('top-k selection: wasm agrees with the JS twin', () => {
  it('on a catalogue-sized tied vector', async () => {
    const rng = mulberry32(53);
    const scores = tiedScores(rng, 17632);
    const ex = randomExclude(rng, 17632, 0.01);
    for (let t = 0; t < 5; t++) {
      const k = randInt(rng, 1, 200);
      const r = await onBoth((b) => runTopk(b, scores, k, ex));
      expect(r.wasm).toEqual(r.js);
    }
  });
});
