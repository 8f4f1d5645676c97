// alsGramRows + alsGramFinish (YᵀY split by rows of G, the threads backend's parallel Gram) must give
// exactly alsGram's bits for every split, row count (batches of 32 rows and tails) and k (SIMD tails).
import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { Rng } from '../../src/random.js';
import { sameBits } from './helpers.js';

interface GramRows {
  alsGramRows(Y: number, n: number, k: number, stride: number, G64: number, a0: number, a1: number, scratch: number): void;
  alsGramFinish(k: number, lambda: number, G64: number, G32: number): void;
  alsGramBlocks(Y: number, n: number, k: number, stride: number, blockRows: number, P64: number, b0: number, b1: number, scratch: number): void;
  alsGramReduce(k: number, lambda: number, nb: number, P64: number, G64: number, G32: number): void;
}

describe('Gram by rows of G', () => {
  it('is bit-identical to alsGram', async () => {
    const b = await init({ backend: 'wasm' });
    const k2 = b.k as unknown as GramRows & typeof b.k;
    const rng = new Rng(4);
    for (const k of [1, 3, 4, 5, 8, 13, 24]) {
      const kp = (k + 3) & ~3;
      for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 9, 30, 33, 70]) {
        const stride = k + 2;
        const Y = b.heap.copyIn(Float32Array.from({ length: Math.max(1, n * stride) }, () => rng.normal()));
        const A64 = b.heap.allocArray('f64', kp * kp);
        const A32 = b.heap.allocArray('f32', kp * kp);
        const B64 = b.heap.allocArray('f64', kp * kp);
        const B32 = b.heap.allocArray('f32', kp * kp);
        const scr = b.heap.allocArray('f64', 32 * kp);
        B64.view.fill(NaN); // every entry must be written
        b.k.alsGram(Y.ptr, n, k, stride, 0.25, A64.ptr, A32.ptr, scr.ptr);
        for (const cuts of [[0, k], [0, Math.floor(k / 2), k], Array.from({ length: k + 1 }, (_, i) => i)]) {
          for (let c = 0; c + 1 < cuts.length; c++) if (cuts[c + 1] > cuts[c]) k2.alsGramRows(Y.ptr, n, k, stride, B64.ptr, cuts[c], cuts[c + 1], scr.ptr);
          k2.alsGramFinish(k, 0.25, B64.ptr, B32.ptr);
          expect(sameBits(A64.view, B64.view), `k ${k} n ${n} cuts ${cuts}`).toBe(true);
          expect(sameBits(A32.view, B32.view), `k ${k} n ${n} cuts ${cuts}`).toBe(true);
        }
        for (const a of [Y, A64, A32, B64, B32, scr]) a.free();
      }
    }
  });
});

// alsGramBlocks + alsGramReduce (the ALS fits' Gram: blocks of Y's rows claimed by the threads, summed in
// block order) give the same bits for every split of the blocks, and YᵀY + λI to rounding.
describe('Gram by blocks of Y', () => {
  it('is the same bits for any split of the blocks, and alsGram to rounding', async () => {
    const b = await init({ backend: 'wasm' });
    const k2 = b.k as unknown as GramRows & typeof b.k;
    const rng = new Rng(5);
    for (const k of [1, 3, 4, 5, 13, 24]) {
      const kp = (k + 3) & ~3;
      for (const [n, blockRows] of [[0, 4], [1, 4], [7, 3], [33, 8], [70, 32], [70, 70], [101, 10]]) {
        const nb = Math.ceil(n / blockRows);
        const stride = k + 1;
        const Y = b.heap.copyIn(Float32Array.from({ length: Math.max(1, n * stride) }, () => rng.normal()));
        const A64 = b.heap.allocArray('f64', kp * kp);
        const A32 = b.heap.allocArray('f32', kp * kp);
        const R64 = b.heap.allocArray('f64', kp * kp);
        const R32 = b.heap.allocArray('f32', kp * kp);
        const B64 = b.heap.allocArray('f64', kp * kp);
        const B32 = b.heap.allocArray('f32', kp * kp);
        const P = b.heap.allocArray('f64', Math.max(1, nb) * kp * kp);
        const scr = b.heap.allocArray('f64', 32 * kp);
        b.k.alsGram(Y.ptr, n, k, stride, 0.25, A64.ptr, A32.ptr, scr.ptr);
        P.view.fill(NaN); // only the blocks' lower triangles may be read
        k2.alsGramBlocks(Y.ptr, n, k, stride, blockRows, P.ptr, 0, nb, scr.ptr);
        k2.alsGramReduce(k, 0.25, nb, P.ptr, R64.ptr, R32.ptr);
        for (let i = 0; i < kp * kp; i++) expect(Math.abs(R64.view[i] - A64.view[i]), `k ${k} n ${n} entry ${i}`).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(A64.view[i])));
        const splits = [Array.from({ length: nb + 1 }, (_, i) => nb - i).reverse(), [0, Math.floor(nb / 2), nb]];
        for (const cuts of splits) {
          P.view.fill(NaN);
          // Blocks in reverse order of their ranges: the order the threads happen to finish in must not matter.
          for (let c = cuts.length - 2; c >= 0; c--) if (cuts[c + 1] > cuts[c]) k2.alsGramBlocks(Y.ptr, n, k, stride, blockRows, P.ptr, cuts[c], cuts[c + 1], scr.ptr);
          k2.alsGramReduce(k, 0.25, nb, P.ptr, B64.ptr, B32.ptr);
          expect(sameBits(R64.view, B64.view), `k ${k} n ${n} cuts ${cuts}`).toBe(true);
          expect(sameBits(R32.view, B32.view), `k ${k} n ${n} cuts ${cuts}`).toBe(true);
        }
        for (const a of [Y, A64, A32, R64, R32, B64, B32, P, scr]) a.free();
      }
    }
  });
});
