// The bprStrata kernel: the WASM kernel against its JS twin (same draws, same f32 arithmetic), and the
// twin's step against the gradient of BPR's objective taken by finite differences in f64.
import { describe, expect, it } from 'vitest';
import { init } from '../../../src/runtime/backend.js';
import { Rng } from '../../../src/random.js';
import { SparseMatrix } from '../../../src/data/csr.js';
import { Strata } from '../../../src/models/bpr/strata.js';
import { groupedMatrix } from '../helpers.js';

/** Run `epochs` epochs of `blocks` sub-epochs on backend `name`; returns X, Y and the counts. */
async function run(
  name: 'wasm' | 'js',
  m: SparseMatrix,
  blocks: number,
  groups: number,
  popular: number,
  epochs: number,
  perInner: boolean,
) {
  const b = await init({ backend: name });
  const dim = 9; // 8 factors + bias: two SIMD chunks and a tail of 1
  const [nU, nI] = m.shape;
  const rng = new Rng(5);
  const X = b.heap.copyIn(
    Float32Array.from({ length: nU * dim }, (_, i) => (i % dim === dim - 1 ? 1 : rng.next() - 0.5)),
  );
  const Y = b.heap.copyIn(Float32Array.from({ length: nI * dim }, () => (rng.next() - 0.5) / 4));
  const streams = b.heap.copyIn(Int32Array.from({ length: 4 * blocks }, () => rng.nextUint32() | 0));
  const stats = b.heap.allocArray('i32', 2 * blocks);
  const strata = new Strata(b, m, blocks);
  const csr = m.onHeap(b);
  const blockRng = new Rng(9);
  for (let e = 0; e < epochs; e++) {
    strata.fill(blockRng);
    const I = blocks / groups;
    for (let shift = 0; shift < groups; shift++) {
      for (let inner = perInner ? 0 : -1; inner < (perInner ? I : 0); inner++) {
        b.k.bprStrata(
          csr.indptr.ptr,
          csr.indices.ptr,
          strata.su.ptr,
          strata.si.ptr,
          strata.strata.ptr,
          strata.negItems.ptr,
          strata.negPtr.ptr,
          X.ptr,
          Y.ptr,
          dim,
          blocks,
          groups,
          shift,
          inner,
          0.05,
          0.01,
          1,
          popular,
          streams.ptr,
          stats.ptr,
          0,
          perInner ? blocks : groups,
        );
      }
    }
  }
  const out = { X: X.toArray(), Y: Y.toArray(), stats: stats.toArray(), streams: streams.toArray() };
  for (const a of [X, Y, streams, stats, strata]) a.free();
  m.releaseHeap();
  return out;
}

describe('bprStrata: WASM against the JS twin', () => {
  const m = groupedMatrix(3, 60, 40, 3, 8);
  for (const [blocks, groups, popular] of [
    [1, 1, 1],
    [3, 3, 0],
    [4, 2, 1],
    [8, 2, 0],
  ] as const) {
    it(`${blocks} block(s) in ${groups} group(s), ${popular ? 'popularity' : 'uniform'} negatives: WASM by groups = twin by inner steps to 1e-5 after 3 epochs`, async () => {
      const w = await run('wasm', m, blocks, groups, popular, 3, false);
      const j = await run('js', m, blocks, groups, popular, 3, true);
      // The samples and the skips depend on the streams only: exactly equal.
      expect(Array.from(w.streams)).toEqual(Array.from(j.streams));
      expect(Array.from(w.stats.filter((_, i) => i % 2 === 1))).toEqual(
        Array.from(j.stats.filter((_, i) => i % 2 === 1)),
      );
      const total = Array.from(w.stats).reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(0);
      let d = 0;
      for (let i = 0; i < w.X.length; i++) d = Math.max(d, Math.abs(w.X[i] - j.X[i]));
      for (let i = 0; i < w.Y.length; i++) d = Math.max(d, Math.abs(w.Y[i] - j.Y[i]));
      expect(d).toBeLessThan(1e-5);
      // Users' bias column stays 1.
      for (let u = 0; u < m.rows; u++) expect(w.X[u * 9 + 8]).toBe(1);
    });
  }
});

/** ln σ(x·(p − n)) − (reg/2)(‖x_f‖² + ‖p‖² + ‖n‖²), x's bias column fixed: implicit's per-sample objective. */
function objective(x: Float64Array, p: Float64Array, n: Float64Array, reg: number): number {
  let s = 0;
  for (let c = 0; c < x.length; c++) s += x[c] * (p[c] - n[c]);
  let pen = 0;
  for (let c = 0; c < x.length - 1; c++) pen += x[c] * x[c];
  for (let c = 0; c < p.length; c++) pen += p[c] * p[c] + n[c] * n[c];
  return -Math.log1p(Math.exp(-s)) - (reg / 2) * pen;
}

describe('bprStrata: one step is lr × the gradient of the sample objective', () => {
  for (const name of ['js', 'wasm'] as const) {
    it(`${name}: one user liking item 0 of 2; the step matches finite differences to 1e-4`, async () => {
      const b = await init({ backend: name });
      const dim = 6;
      const lr = 0.1;
      const reg = 0.05;
      const m = SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [1, 2] });
      const x0 = Float64Array.of(0.3, -0.2, 0.5, 0.1, -0.4, 1);
      const y0 = Float64Array.of(0.2, 0.1, -0.3, 0.4, 0.2, 0.15, -0.1, 0.3, 0.2, -0.2, 0.1, -0.05);
      const rng = new Rng(1);
      // Uniform negatives from {0, 1}: draw until one sample is not skipped (j = 1).
      for (let attempt = 0; attempt < 50; attempt++) {
        const X = b.heap.copyIn(Float32Array.from(x0));
        const Y = b.heap.copyIn(Float32Array.from(y0));
        const streams = b.heap.copyIn(Int32Array.from({ length: 4 }, () => rng.nextUint32() | 0));
        const stats = b.heap.allocArray('i32', 2);
        const strata = new Strata(b, m, 1);
        strata.fill(new Rng(0));
        const csr = m.onHeap(b);
        const s = strata;
        b.k.bprStrata(
          csr.indptr.ptr,
          csr.indices.ptr,
          s.su.ptr,
          s.si.ptr,
          s.strata.ptr,
          s.negItems.ptr,
          s.negPtr.ptr,
          X.ptr,
          Y.ptr,
          dim,
          1,
          1,
          0,
          -1,
          lr,
          reg,
          1,
          0,
          streams.ptr,
          stats.ptr,
          0,
          1,
        );
        const [x1, y1, st] = [X.toArray(), Y.toArray(), stats.toArray()];
        for (const a of [X, Y, streams, stats, strata]) a.free();
        m.releaseHeap();
        if (st[1] === 1) continue; // the negative was item 0 (liked): skipped, nothing moved
        const p = y0.slice(0, dim);
        const n = y0.slice(dim);
        const h = 1e-6;
        const grad = (v: Float64Array, c: number) => {
          const save = v[c];
          v[c] = save + h;
          const up = objective(x0, p, n, reg);
          v[c] = save - h;
          const down = objective(x0, p, n, reg);
          v[c] = save;
          return (up - down) / (2 * h);
        };
        for (let c = 0; c < dim; c++) {
          if (c < dim - 1) expect((x1[c] - x0[c]) / lr).toBeCloseTo(grad(x0, c), 4);
          expect((y1[c] - p[c]) / lr).toBeCloseTo(grad(p, c), 4);
          expect((y1[dim + c] - n[c]) / lr).toBeCloseTo(grad(n, c), 4);
        }
        expect(x1[dim - 1]).toBe(1);
        return;
      }
      throw new Error('no unskipped sample in 50 draws');
    });
  }
});

describe('bprStratify: the entries by (item block, user block), the items by block', () => {
  for (const name of ['wasm', 'js'] as const) {
    it(`${name}: every entry once, in its stratum, in row order; items grouped in index order`, async () => {
      const b = await init({ backend: name });
      const m = groupedMatrix(6, 70, 50, 3, 9);
      const B = 4;
      const rng = new Rng(2);
      const ub = Int32Array.from({ length: 70 }, () => rng.nextInt(B));
      const ib = Int32Array.from({ length: 50 }, () => rng.nextInt(B));
      const csr = m.onHeap(b);
      const [U, I] = [b.heap.copyIn(ub), b.heap.copyIn(ib)];
      const [strata, su, si, negItems, negPtr] = [B * B + 1, m.nnz, m.nnz, 50, B + 1].map((n) =>
        b.heap.allocArray('i32', n),
      );
      b.k.bprStratify(
        csr.indptr.ptr,
        csr.indices.ptr,
        70,
        50,
        U.ptr,
        I.ptr,
        B,
        strata.ptr,
        su.ptr,
        si.ptr,
        negItems.ptr,
        negPtr.ptr,
      );
      // The oracle: a stable sort of the (user, item) entries by (item block, user block).
      const entries: [number, number][] = [];
      for (let u = 0; u < 70; u++) for (const i of m.row(u).indices) entries.push([u, i]);
      const key = ([u, i]: [number, number]) => ib[i] * B + ub[u];
      const want = entries.map((e, n) => [key(e), n, ...e]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      expect(Array.from(su.view)).toEqual(want.map((w) => w[2]));
      expect(Array.from(si.view)).toEqual(want.map((w) => w[3]));
      const st = strata.view;
      for (let s = 0; s < B * B; s++) {
        for (let q = st[s]; q < st[s + 1]; q++) expect(want[q][0]).toBe(s);
      }
      expect(st[B * B]).toBe(m.nnz);
      const items = Array.from({ length: 50 }, (_, i) => i).sort((x, y) => ib[x] - ib[y] || x - y);
      expect(Array.from(negItems.view)).toEqual(items);
      for (let c = 0; c < B; c++) expect(negPtr.view[c + 1] - negPtr.view[c]).toBe(ib.filter((v) => v === c).length);
      for (const a of [U, I, strata, su, si, negItems, negPtr]) a.free();
      m.releaseHeap();
    });
  }
});

describe('bprFoldIn', () => {
  it('WASM and the twin make the same draws and agree to 1e-5; x follows the sample gradient', async () => {
    const run = async (name: 'wasm' | 'js', samples: number) => {
      const b = await init({ backend: name });
      const dim = 11;
      const rng = new Rng(3);
      const Y = b.heap.copyIn(Float32Array.from({ length: 30 * dim }, () => rng.next() - 0.5));
      const items = b.heap.copyIn(Int32Array.of(2, 5, 6, 17, 29));
      const state = b.heap.copyIn(Int32Array.of(11, 22, 33, 44));
      const x = b.heap.allocArray('f32', dim);
      x.view[dim - 1] = 1;
      b.k.bprFoldIn(Y.ptr, dim, items.ptr, 5, 30, samples, 0.05, 0.01, 1, state.ptr, x.ptr);
      const out = { x: x.toArray(), state: state.toArray() };
      for (const a of [Y, items, state, x]) a.free();
      return out;
    };
    const w = await run('wasm', 400);
    const j = await run('js', 400);
    expect(Array.from(w.state)).toEqual(Array.from(j.state));
    let d = 0;
    for (let c = 0; c < 11; c++) d = Math.max(d, Math.abs(w.x[c] - j.x[c]));
    expect(d).toBeLessThan(1e-5);
    expect(w.x[10]).toBe(1);
    expect(Math.max(...Array.from(w.x.subarray(0, 10), Math.abs))).toBeGreaterThan(0.01);
  });
});
