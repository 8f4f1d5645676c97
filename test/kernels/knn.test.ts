// The kNN kernels (assembly/knn.ts) against their JS twins (src/kernels/knn.ts): the same bits, on random
// matrices with empty rows, K larger than the candidates, exclusions, and allItems.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/runtime/backend.js';
import { sameBits } from '../threads/helpers.js';
import { mulberry32, onBoth, randomCsr, type Csr } from './util.js';

function transpose(A: Csr, f64: Float64Array): { indptr: Int32Array; indices: Int32Array; data: Float64Array } {
  const indptr = new Int32Array(A.cols + 1);
  for (const c of A.indices) indptr[c + 1]++;
  for (let c = 0; c < A.cols; c++) indptr[c + 1] += indptr[c];
  const fill = indptr.slice(0, A.cols);
  const indices = new Int32Array(A.indices.length);
  const data = new Float64Array(A.indices.length);
  for (let r = 0; r < A.rows; r++)
    for (let p = A.indptr[r]; p < A.indptr[r + 1]; p++) {
      const q = fill[A.indices[p]]++;
      indices[q] = r;
      data[q] = f64[p];
    }
  return { indptr, indices, data };
}

function neighbors(b: Backend, A: Csr, w: Float64Array, K: number, cuts: number[], positive = 0) {
  const T = transpose(A, w);
  const h = b.heap;
  const n = A.cols;
  const arrs = [
    h.copyIn(A.indptr),
    h.copyIn(A.indices),
    h.copyIn(w),
    h.copyIn(T.indptr),
    h.copyIn(T.indices),
    h.copyIn(T.data),
  ];
  const oi = h.allocArray('i32', n * K);
  const ov = h.allocArray('f64', n * K);
  const oc = h.allocArray('i32', n);
  const scr = h.allocArray('u8', 16 * n + 4);
  for (let c = 0; c + 1 < cuts.length; c++)
    b.k.knnNeighbors(
      arrs[0].ptr,
      arrs[1].ptr,
      arrs[2].ptr,
      arrs[3].ptr,
      arrs[4].ptr,
      arrs[5].ptr,
      n,
      K,
      cuts[c],
      cuts[c + 1],
      oi.ptr,
      ov.ptr,
      oc.ptr,
      positive,
      scr.ptr,
    );
  const out = { idx: oi.toArray(), val: ov.toArray(), count: oc.toArray() };
  for (const a of [...arrs, oi, ov, oc, scr]) a.free();
  return out;
}

describe('knnNeighbors', () => {
  it.each([
    [40, 30, 8, 5],
    [100, 64, 20, 20],
    [7, 5, 5, 9],
    [200, 150, 30, 1],
  ])(
    '%i users × %i items: wasm = twin, any split of the items; rows sorted by index, K best',
    async (users, items, per, K) => {
      const rng = mulberry32(users + items);
      const A = randomCsr(rng, users, items, per);
      // Values with ties (quantised) so the tie rule is exercised.
      const w = Float64Array.from(A.data, (x) => Math.round(Math.abs(x) * 4) / 4);
      const r = await onBoth((b) => [
        neighbors(b, A, w, K, [0, items]),
        neighbors(
          b,
          A,
          w,
          K,
          [0, 3, 17 % items, items].sort((a, c) => a - c),
        ),
      ]);
      expect(sameBits(r.wasm[0].val, r.js[0].val)).toBe(true);
      expect(Array.from(r.wasm[0].idx)).toEqual(Array.from(r.js[0].idx));
      expect(Array.from(r.wasm[0].count)).toEqual(Array.from(r.js[0].count));
      expect(sameBits(r.wasm[0].val, r.wasm[1].val)).toBe(true);
      // With every weight > 0 the kernel may find first touches without stamps: the same result.
      const wp = Float64Array.from(w, (v) => v + 0.25);
      const p = await onBoth((b) => [neighbors(b, A, wp, K, [0, items], 0), neighbors(b, A, wp, K, [0, items], 1)]);
      for (const x of [p.wasm[1], p.js[0], p.js[1]]) {
        expect(Array.from(x.idx)).toEqual(Array.from(p.wasm[0].idx));
        expect(sameBits(x.val, p.wasm[0].val)).toBe(true);
      }
      // The kept similarities are the K largest of each row of WᵀW (values; which of tied ones is implicit's rule).
      const dense = new Float64Array(items * items);
      for (let u = 0; u < users; u++)
        for (let p = A.indptr[u]; p < A.indptr[u + 1]; p++)
          for (let q = A.indptr[u]; q < A.indptr[u + 1]; q++) dense[A.indices[p] * items + A.indices[q]] += w[p] * w[q];
      const touched = (i: number) => {
        const s = new Set<number>();
        for (let u = 0; u < users; u++) {
          const row = Array.from(A.indices.subarray(A.indptr[u], A.indptr[u + 1]));
          if (row.includes(i)) for (const j of row) s.add(j);
        }
        return [...s];
      };
      const got = r.wasm[0];
      for (let i = 0; i < items; i++) {
        const cand = touched(i)
          .map((j) => dense[i * items + j])
          .sort((a, c) => c - a);
        const cnt = got.count[i];
        expect(cnt).toBe(Math.min(K, cand.length));
        const idx = Array.from(got.idx.subarray(i * K, i * K + cnt));
        expect(idx).toEqual([...idx].sort((a, c) => a - c));
        const vals = Array.from(got.val.subarray(i * K, i * K + cnt)).sort((a, c) => c - a);
        vals.forEach((v, t) => {
          expect(Math.abs(v - cand[t])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(v)));
        });
      }
    },
  );
});

describe('knnScoreTopk', () => {
  it('wasm = twin with exclusions, global exclusions, allItems and k beyond the candidates', async () => {
    const rng = mulberry32(77);
    const items = 50;
    const U = randomCsr(rng, 30, items, 6);
    const S = randomCsr(rng, items, items, 8, 0.3);
    const sd = Float64Array.from(S.data, (x) => Math.round(x * 8) / 8);
    const users = Int32Array.of(0, 5, 29, 5, 11, 3);
    const exc = [0, 2, 2, 5, 5, 5, 9];
    const excIdx = Int32Array.of(1, 7, 3, 4, 10, 3, 4, 5, 6);
    const glob = Int32Array.of(0, 49);
    for (const [k, all] of [
      [5, 0],
      [60, 0],
      [7, 1],
      [50, 1],
    ]) {
      const r = await onBoth((b) => {
        const h = b.heap;
        const a = [
          h.copyIn(U.indptr),
          h.copyIn(U.indices),
          h.copyIn(U.data),
          h.copyIn(users),
          h.copyIn(S.indptr),
          h.copyIn(S.indices),
          h.copyIn(sd),
        ];
        const e = [h.copyIn(Int32Array.from(exc)), h.copyIn(excIdx), h.copyIn(glob)];
        const oi = h.allocArray('i32', users.length * k);
        const os = h.allocArray('f32', users.length * k);
        const oc = h.allocArray('i32', users.length);
        const scr = h.allocArray('u8', 16 * items + 8 * k);
        b.k.knnScoreTopk(
          a[0].ptr,
          a[1].ptr,
          a[2].ptr,
          a[3].ptr,
          users.length,
          a[4].ptr,
          a[5].ptr,
          a[6].ptr,
          items,
          0,
          k,
          e[0].ptr,
          e[1].ptr,
          e[2].ptr,
          2,
          all,
          scr.ptr,
          oi.ptr,
          os.ptr,
          oc.ptr,
        );
        const out = { idx: oi.toArray(), sc: os.toArray(), cnt: oc.toArray() };
        for (const x of [...a, ...e, oi, os, oc, scr]) x.free();
        return out;
      });
      expect(Array.from(r.wasm.idx)).toEqual(Array.from(r.js.idx));
      expect(sameBits(r.wasm.sc, r.js.sc)).toBe(true);
      expect(Array.from(r.wasm.cnt)).toEqual(Array.from(r.js.cnt));
      // Dense oracle for user row 2 (user 29): scores, exclusions, order.
      const row = 2;
      const u = users[row];
      const s = new Float64Array(items);
      const reached = new Set<number>();
      for (let p = U.indptr[u]; p < U.indptr[u + 1]; p++)
        for (let q = S.indptr[U.indices[p]]; q < S.indptr[U.indices[p] + 1]; q++) {
          s[S.indices[q]] += sd[q] * U.data[p];
          reached.add(S.indices[q]);
        }
      const out = new Set([...Array.from(excIdx.subarray(exc[row], exc[row + 1])), 0, 49]);
      const cand = Array.from({ length: items }, (_, j) => j).filter((j) => !out.has(j) && (all || reached.has(j)));
      cand.sort((a, c) => s[c] - s[a] || a - c);
      const want = cand.slice(0, k);
      expect(r.wasm.cnt[row]).toBe(want.length);
      expect(Array.from(r.wasm.idx.subarray(row * k, row * k + want.length))).toEqual(want);
      for (let t = want.length; t < k; t++) expect(r.wasm.idx[row * k + t]).toBe(-1);
    }
  });
});

describe('knnNeighbors scratch', () => {
  it('stays inside 16·nItems + 4 bytes when an item reaches every item', async () => {
    const n = 6;
    const A: Csr = {
      rows: 3,
      cols: n,
      indptr: Int32Array.of(0, n, 2 * n, 3 * n),
      indices: Int32Array.from({ length: 3 * n }, (_, p) => p % n),
      data: new Float32Array(3 * n).fill(1),
    };
    const w = new Float64Array(3 * n).fill(0.5);
    await onBoth((b) => {
      const T = transpose(A, w);
      const h = b.heap;
      const arrs = [
        h.copyIn(A.indptr),
        h.copyIn(A.indices),
        h.copyIn(w),
        h.copyIn(T.indptr),
        h.copyIn(T.indices),
        h.copyIn(T.data),
      ];
      const oi = h.allocArray('i32', n * 3);
      const ov = h.allocArray('f64', n * 3);
      const oc = h.allocArray('i32', n);
      const scr = h.allocArray('u8', 16 * n + 4 + 16);
      scr.view.fill(0xab, 16 * n + 4);
      const p = arrs.map((a) => a.ptr);
      b.k.knnNeighbors(p[0], p[1], p[2], p[3], p[4], p[5], n, 3, 0, n, oi.ptr, ov.ptr, oc.ptr, 1, scr.ptr);
      expect(Array.from(scr.view.subarray(16 * n + 4))).toEqual(new Array(16).fill(0xab));
      expect(Array.from(oc.view)).toEqual(new Array(n).fill(3));
      for (const a of [...arrs, oi, ov, oc, scr]) a.free();
    });
  });
});
