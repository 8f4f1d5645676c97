// alsGramRows + alsGramFinish (YᵀY split by rows of G, the threads backend's parallel Gram) must give
// exactly alsGram's bits for every split, row count (batches of 32 rows and tails) and k (SIMD tails).
import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { Rng } from '../../src/random.js';
import { sameBits } from './helpers.js';

interface GramRows {
  alsGramRows(Y: number, n: number, k: number, stride: number, G64: number, a0: number, a1: number, scratch: number): void;
  alsGramFinish(k: number, lambda: number, G64: number, G32: number): void;
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
