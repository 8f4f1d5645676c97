import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { oracleTopN, rng } from './fixture-model.js';

type Setup = { X: Float32Array; Y: Float32Array; dim: number };

/** Run scoreTopkF32 on a backend and read the results back. */
async function run(
  name: 'wasm' | 'js',
  { X, Y, dim }: Setup,
  a: {
    xRows?: Int32Array;
    nRows: number;
    yRows?: Int32Array;
    nCols: number;
    k: number;
    excIndptr?: Int32Array;
    excIdx?: Int32Array;
    global: Int32Array;
    block: number;
  },
) {
  const { heap, k } = await init({ backend: name });
  const hx = heap.copyIn(X);
  const hy = heap.copyIn(Y);
  const hxr = a.xRows ? heap.copyIn(a.xRows) : undefined;
  const hyr = a.yRows ? heap.copyIn(a.yRows) : undefined;
  const hip = a.excIndptr ? heap.copyIn(a.excIndptr) : undefined;
  const hix = a.excIdx ? heap.copyIn(a.excIdx) : undefined;
  const hg = heap.copyIn(a.global.length ? a.global : new Int32Array(1));
  const sc = heap.allocArray('f32', a.block * a.nCols);
  const oi = heap.allocArray('i32', Math.max(1, a.nRows * a.k));
  const os = heap.allocArray('f32', Math.max(1, a.nRows * a.k));
  const oc = heap.allocArray('i32', Math.max(1, a.nRows));
  k.scoreTopkF32(
    hx.ptr,
    hxr?.ptr ?? 0,
    a.nRows,
    hy.ptr,
    hyr?.ptr ?? 0,
    a.nCols,
    dim,
    a.k,
    hip?.ptr ?? 0,
    hix?.ptr ?? 0,
    hg.ptr,
    a.global.length,
    sc.ptr,
    a.block,
    oi.ptr,
    os.ptr,
    oc.ptr,
  );
  const out = {
    idx: oi.view.slice(0, a.nRows * a.k),
    scores: os.view.slice(0, a.nRows * a.k),
    counts: oc.view.slice(0, a.nRows),
  };
  for (const h of [hx, hy, hxr, hyr, hip, hix, hg, sc, oi, os, oc]) h?.free();
  return out;
}

describe('scoreTopkF32 (wasm and JS twin)', () => {
  it('agrees with the dense oracle for row/column lists, exclusions, NaN scores, padding and any block size', async () => {
    const rand = rng(11);
    const dim = 10;
    const nX = 9;
    const nY = 150;
    const X = Float32Array.from({ length: nX * dim }, () => Math.floor(rand() * 9) - 4);
    const Y = Float32Array.from({ length: nY * dim }, () => Math.floor(rand() * 9) - 4);
    // Item 20 has an infinite entry where user 2 has a zero: 0·∞ = NaN, which must be skipped, not ranked.
    X[2 * dim + 3] = 0;
    Y[20 * dim + 3] = Infinity;
    const xRows = Int32Array.of(2, 0, 8, 8, 5);
    const yRows = Int32Array.from({ length: 100 }, (_, c) => (c * 7) % nY).sort();
    const excIndptr = Int32Array.of(0, 3, 3, 95, 96, 100);
    const excIdx = Int32Array.from({ length: 100 }, (_, j) => (j < 3 ? [5, 5, 9][j] : j < 95 ? j - 3 : j % 100));
    const global = Int32Array.of(1, 50);
    const k = 12;
    const results = [];
    for (const name of ['wasm', 'js'] as const) {
      for (const block of [1, 2, 3, 5]) {
        results.push(
          await run(
            name,
            { X, Y, dim },
            { xRows, nRows: xRows.length, yRows, nCols: yRows.length, k, excIndptr, excIdx, global, block },
          ),
        );
      }
    }
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
    const r = results[0];
    for (let row = 0; row < xRows.length; row++) {
      const u = xRows[row];
      const score = (c: number) => {
        let s = 0;
        for (let p = 0; p < dim; p++) s += X[u * dim + p] * Y[yRows[c] * dim + p];
        return s;
      };
      const exclude = [...excIdx.subarray(excIndptr[row], excIndptr[row + 1]), ...global];
      const cands = Array.from({ length: yRows.length }, (_, c) => c).filter((c) => !Number.isNaN(score(c)));
      const want = oracleTopN(score, yRows.length, k, { exclude, candidates: cands });
      expect(r.counts[row]).toBe(want.items.length);
      expect(Array.from(r.idx.subarray(row * k, row * k + want.items.length))).toEqual(want.items);
      expect(Array.from(r.scores.subarray(row * k, row * k + want.items.length))).toEqual(want.scores);
      for (let j = want.items.length; j < k; j++) {
        expect(r.idx[row * k + j]).toBe(-1);
        expect(r.scores[row * k + j]).toBe(-Infinity);
      }
    }
    expect(r.counts[2]).toBeLessThan(k); // the heavily excluded row is padded
  });

  it('k = 0 and zero rows write nothing', async () => {
    for (const name of ['wasm', 'js'] as const) {
      const X = new Float32Array(8).fill(1);
      const r = await run(name, { X, Y: X, dim: 4 }, { nRows: 2, nCols: 2, k: 0, global: new Int32Array(0), block: 2 });
      expect(r.idx.length).toBe(0);
      expect(Array.from(r.counts)).toEqual([0, 0]);
    }
  });

  it('normalizeRowsF32 gives unit rows over the leading columns and keeps zero rows zero', async () => {
    for (const name of ['wasm', 'js'] as const) {
      const { heap, k } = await init({ backend: name });
      const A = heap.copyIn(Float32Array.of(3, 4, 99, 0, 0, 7, 1, 0, 0));
      const out = heap.allocArray('f32', 6);
      k.normalizeRowsF32(A.ptr, 3, 3, 2, out.ptr);
      expect(Array.from(out.view)).toEqual([0.6000000238418579, 0.800000011920929, 0, 0, 1, 0]);
      A.free();
      out.free();
    }
  });
});
