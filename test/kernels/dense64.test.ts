// gemmNtF64 (assembly/dense64.ts) and EASE's kernels (assembly/ease.ts) against plain loops and their JS
// twins: the same bits (the twins split dot products into even and odd terms as the lanes do).
import { describe, expect, it } from 'vitest';
import { sameBits } from '../threads/helpers.js';
import { mulberry32, onBoth, randArray, randomCsr } from './util.js';
import { kernelBuild } from '../../src/runtime/wasm.js';

/**
 * The twin's bits where the kernels run plain SIMD; the relaxed build fuses multiply–adds (one rounding
 * fewer per term), so there it agrees to rounding.
 */
function twinAgrees(wasm: Float64Array, js: Float64Array): boolean {
  if (kernelBuild() === 'simd') return sameBits(wasm, js);
  return wasm.every((x, i) => Math.abs(x - js[i]) <= 1e-14 * (1 + Math.abs(js[i])));
}

const LOWER = 1;
const TRI_K = 2;
const OVERWRITE = 4;

describe('gemmNtF64', () => {
  it.each([
    [0, 9, 7, 5],
    [LOWER, 13, 13, 6],
    [TRI_K | OVERWRITE, 11, 4, 9],
    [LOWER | OVERWRITE, 17, 17, 1],
    [OVERWRITE, 5, 3, 0],
    [TRI_K, 21, 8, 21],
  ])('mode %i (%i × %i, K %i): plain loops to rounding, twin bits, any row split', async (mode, M, N, K) => {
    const rng = mulberry32(mode * 100 + M);
    const lda = K + 3;
    const ldb = K + 1;
    const ldc = N + 2;
    const A = Float64Array.from(randArray(rng, M * lda));
    const B = Float64Array.from(randArray(rng, N * ldb));
    const C0 = Float64Array.from(randArray(rng, M * ldc));
    const run = (cuts: number[]) =>
      onBoth((b) => {
        const h = b.heap;
        const [a, bb, c] = [h.copyIn(A), h.copyIn(B), h.copyIn(C0)];
        for (let t = 0; t + 1 < cuts.length; t++)
          b.k.gemmNtF64(a.ptr, lda, bb.ptr, ldb, c.ptr, ldc, N, K, -0.5, mode, cuts[t], cuts[t + 1]);
        const out = c.toArray();
        for (const x of [a, bb, c]) x.free();
        return out;
      });
    const whole = await run([0, M]);
    const split = await run([0, 1, 5, Math.min(6, M), M].filter((x, i, s) => x <= M && (i === 0 || x >= s[i - 1])));
    expect(twinAgrees(whole.wasm, whole.js)).toBe(true);
    expect(sameBits(whole.wasm, split.wasm)).toBe(true);
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        const o = i * ldc + j;
        const inside = !(mode & LOWER) || j <= i;
        if (!inside) {
          expect(whole.wasm[o]).toBe(C0[o]);
          continue;
        }
        let s = 0;
        for (let p = 0; p < (mode & TRI_K ? Math.min(K, i + 1) : K); p++) s += A[i * lda + p] * B[j * ldb + p];
        const want = (mode & OVERWRITE ? 0 : C0[o]) - 0.5 * s;
        expect(Math.abs(whole.wasm[o] - want)).toBeLessThanOrEqual(1e-14 * (1 + Math.abs(want)));
      }
  });
});

describe('gemmNtF64 with TRANS_C', () => {
  it('writes entry (i, j) to C[j, i], the same bits as without', async () => {
    const rng = mulberry32(8);
    const [M, N, K] = [11, 6, 13];
    const A = Float64Array.from(randArray(rng, M * K));
    const B = Float64Array.from(randArray(rng, N * K));
    const r = await onBoth((b) => {
      const h = b.heap;
      const [a, bb, c, t] = [h.copyIn(A), h.copyIn(B), h.allocArray('f64', M * N), h.allocArray('f64', N * M)];
      b.k.gemmNtF64(a.ptr, K, bb.ptr, K, c.ptr, N, N, K, 1, OVERWRITE, 0, M);
      b.k.gemmNtF64(a.ptr, K, bb.ptr, K, t.ptr, M, N, K, 1, OVERWRITE | 8, 0, 5);
      b.k.gemmNtF64(a.ptr, K, bb.ptr, K, t.ptr, M, N, K, 1, OVERWRITE | 8, 5, M);
      const out = { c: c.toArray(), t: t.toArray() };
      for (const x of [a, bb, c, t]) x.free();
      return out;
    });
    for (const x of [r.wasm, r.js])
      for (let i = 0; i < M; i++)
        for (let j = 0; j < N; j++) expect(Object.is(x.t[j * M + i], x.c[i * N + j])).toBe(true);
    expect(twinAgrees(r.wasm.t, r.js.t)).toBe(true);
  });
});

describe('EASE kernels', () => {
  it('easeGram, easeFinish and easeScoreTopk: wasm = twin', async () => {
    const rng = mulberry32(5);
    const users = 40;
    const n = 23;
    const X = randomCsr(rng, users, n, 9);
    const xd = Float32Array.from(X.data, (x) => Math.abs(x) + 0.5);
    const T = {
      indptr: new Int32Array(n + 1),
      indices: new Int32Array(X.indices.length),
      data: new Float32Array(X.indices.length),
    };
    for (const c of X.indices) T.indptr[c + 1]++;
    for (let c = 0; c < n; c++) T.indptr[c + 1] += T.indptr[c];
    const fill = T.indptr.slice(0, n);
    for (let u = 0; u < users; u++)
      for (let p = X.indptr[u]; p < X.indptr[u + 1]; p++) {
        const q = fill[X.indices[p]]++;
        T.indices[q] = u;
        T.data[q] = xd[p];
      }
    // A symmetric "P" with a positive diagonal for easeFinish (its upper triangle must not be read).
    const P = Float64Array.from(randArray(rng, n * n));
    for (let i = 0; i < n; i++) P[i * n + i] = 2 + i;
    const r = await onBoth((b) => {
      const h = b.heap;
      const x = [
        h.copyIn(X.indptr),
        h.copyIn(X.indices),
        h.copyIn(xd),
        h.copyIn(T.indptr),
        h.copyIn(T.indices),
        h.copyIn(T.data),
      ];
      const G = h.allocArray('f64', n * n);
      b.k.easeGram(x[0].ptr, x[1].ptr, x[2].ptr, x[3].ptr, x[4].ptr, x[5].ptr, n, 0.75, G.ptr, 0, 9);
      b.k.easeGram(x[0].ptr, x[1].ptr, x[2].ptr, x[3].ptr, x[4].ptr, x[5].ptr, n, 0.75, G.ptr, 9, n);
      const hp = h.copyIn(P);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) hp.view[i * n + j] = NaN;
      const B = h.allocArray('f32', n * n);
      b.k.easeFinish(hp.ptr, n, B.ptr, 0, n);
      const k = 6;
      const oi = h.allocArray('i32', users * k);
      const os = h.allocArray('f32', users * k);
      const oc = h.allocArray('i32', users);
      const scr = h.allocArray('f32', n);
      const colMap = h.copyIn(Int32Array.from({ length: n }, (_, i) => (i % 5 === 4 ? -1 : n - 1 - i)));
      const glob = h.copyIn(Int32Array.of(2));
      b.k.easeScoreTopk(
        B.ptr,
        n,
        x[0].ptr,
        x[1].ptr,
        x[2].ptr,
        0,
        users,
        colMap.ptr,
        0,
        k,
        x[0].ptr,
        x[1].ptr,
        glob.ptr,
        1,
        scr.ptr,
        oi.ptr,
        os.ptr,
        oc.ptr,
      );
      const out = { G: G.toArray(), B: B.toArray(), idx: oi.toArray(), sc: os.toArray(), cnt: oc.toArray() };
      for (const a of [...x, G, hp, B, oi, os, oc, scr, colMap, glob]) a.free();
      return out;
    });
    expect(sameBits(r.wasm.G, r.js.G)).toBe(true);
    expect(sameBits(r.wasm.B, r.js.B)).toBe(true);
    expect(Array.from(r.wasm.idx)).toEqual(Array.from(r.js.idx));
    expect(sameBits(r.wasm.sc, r.js.sc)).toBe(true);
    expect(Array.from(r.wasm.cnt)).toEqual(Array.from(r.js.cnt));
    // G = XᵀX + 0.75·I exactly (f32 products are exact in f64); B = −P[i,j]/P[j,j] from P's lower triangle.
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let g = 0;
        for (let u = 0; u < users; u++) {
          let a = 0;
          let c = 0;
          for (let p = X.indptr[u]; p < X.indptr[u + 1]; p++) {
            if (X.indices[p] === i) a = xd[p];
            if (X.indices[p] === j) c = xd[p];
          }
          g += a * c;
        }
        expect(r.wasm.G[i * n + j]).toBe(g + (i === j ? 0.75 : 0));
        const pij = i >= j ? P[i * n + j] : P[j * n + i];
        const d = P[j * n + j];
        expect(r.wasm.B[i * n + j]).toBe(i === j ? 0 : i > j ? Math.fround(-pij / d) : Math.fround(pij * (-1 / d)));
      }
  });
});

describe('EASE through the users', () => {
  it('easeZ and easeWoodburyB: wasm = twin, any split of the rows (odd ones too)', async () => {
    const rng = mulberry32(12);
    const [m, n] = [9, 77];
    // Wt: an m × m array whose strict upper triangle and D hold Wᵀ; the lower triangle must not be read.
    const Wt = Float64Array.from(randArray(rng, m * m));
    for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) Wt[i * m + j] = NaN;
    const D = Float64Array.from(randArray(rng, m, 0.5, 1.5));
    const T = randomCsr(rng, n, m, 4);
    const td = Float32Array.from(T.data, (x) => Math.abs(x) * 0.3);
    const run = (zCuts: number[], bCuts: number[]) =>
      onBoth((b) => {
        const h = b.heap;
        const a = [h.copyIn(Wt), h.copyIn(D), h.copyIn(T.indptr), h.copyIn(T.indices), h.copyIn(td)];
        const Zt = h.allocArray('f64', n * m);
        const sc = h.allocArray('f64', n);
        const B = h.allocArray('f32', n * n);
        for (let c = 0; c + 1 < zCuts.length; c++)
          b.k.easeZ(a[0].ptr, m, a[1].ptr, a[2].ptr, a[3].ptr, a[4].ptr, Zt.ptr, sc.ptr, zCuts[c], zCuts[c + 1]);
        for (let c = 0; c + 1 < bCuts.length; c++)
          b.k.easeWoodburyB(Zt.ptr, m, n, sc.ptr, B.ptr, bCuts[c], bCuts[c + 1]);
        const out = { Z: Zt.toArray(), s: sc.toArray(), B: B.toArray() };
        for (const x of [...a, Zt, sc, B]) x.free();
        return out;
      });
    const one = await run([0, n], [0, n]);
    const split = await run([0, 5, 6, 40, n], [0, 3, 10, 11, 50, n]);
    for (const k of ['Z', 's', 'B'] as const) {
      expect(sameBits(one.wasm[k], one.js[k]), k).toBe(true);
      expect(sameBits(one.wasm[k], split.wasm[k]), k).toBe(true);
      expect(sameBits(one.js[k], split.js[k]), k).toBe(true);
    }
    // B[i,j] = (z_i·z_j)·scale[j] with scale = 1 / (1 − ‖z_j‖²); zero diagonal.
    const Z = one.wasm.Z;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let d = 0;
        for (let k = 0; k < m; k++) d += Z[i * m + k] * Z[j * m + k];
        const want = i === j ? 0 : d * one.wasm.s[j];
        expect(Math.abs(one.wasm.B[i * n + j] - want)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(want)));
      }
  });
});
