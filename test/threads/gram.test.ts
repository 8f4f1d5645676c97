import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { Rng } from '../../src/random.js';
import { sameBits } from './helpers.js';

// alsGramBlocks + alsGramReduce (the ALS fits' Gram: blocks of Y's rows claimed by the threads, summed in
// block order) give the same bits for every split of the blocks, and YᵀY + λI (a dense f64 oracle) to rounding.
describe('Gram by blocks of Y', () => {
  it('is the same bits for any split of the blocks, and YᵀY + λI to rounding', async () => {
    const b = await init({ backend: 'wasm' });
    const k2 = b.k;
    const rng = new Rng(5);
    for (const k of [1, 3, 4, 5, 13, 24]) {
      const kp = (k + 3) & ~3;
      for (const [n, blockRows] of [
        [0, 4],
        [1, 4],
        [7, 3],
        [33, 8],
        [70, 32],
        [70, 70],
        [101, 10],
      ]) {
        const nb = Math.ceil(n / blockRows);
        const stride = k + 1;
        const Y = b.heap.copyIn(Float32Array.from({ length: Math.max(1, n * stride) }, () => rng.normal()));
        const R64 = b.heap.allocArray('f64', kp * kp);
        const R32 = b.heap.allocArray('f32', kp * kp);
        const B64 = b.heap.allocArray('f64', kp * kp);
        const B32 = b.heap.allocArray('f32', kp * kp);
        const P = b.heap.allocArray('f64', Math.max(1, nb) * kp * kp);
        const scr = b.heap.allocArray('f64', 32 * kp);
        const want = new Float64Array(kp * kp); // YᵀY + λI, zero padding
        for (let a = 0; a < k; a++) {
          for (let c = 0; c < k; c++)
            for (let i = 0; i < n; i++) want[a * kp + c] += Y.view[i * stride + a] * Y.view[i * stride + c];
          want[a * kp + a] += 0.25;
        }
        P.view.fill(NaN); // only the blocks' lower triangles may be read
        k2.alsGramBlocks(Y.ptr, n, k, stride, blockRows, P.ptr, 0, nb, scr.ptr);
        k2.alsGramReduce(k, 0.25, nb, P.ptr, R64.ptr, R32.ptr);
        for (let i = 0; i < kp * kp; i++)
          expect(Math.abs(R64.view[i] - want[i]), `k ${k} n ${n} entry ${i}`).toBeLessThanOrEqual(
            1e-12 * (1 + Math.abs(want[i])),
          );
        const splits = [Array.from({ length: nb + 1 }, (_, i) => nb - i).reverse(), [0, Math.floor(nb / 2), nb]];
        for (const cuts of splits) {
          P.view.fill(NaN);
          // Blocks in reverse order of their ranges: the order the threads happen to finish in must not matter.
          for (let c = cuts.length - 2; c >= 0; c--)
            if (cuts[c + 1] > cuts[c])
              k2.alsGramBlocks(Y.ptr, n, k, stride, blockRows, P.ptr, cuts[c], cuts[c + 1], scr.ptr);
          k2.alsGramReduce(k, 0.25, nb, P.ptr, B64.ptr, B32.ptr);
          expect(sameBits(R64.view, B64.view), `k ${k} n ${n} cuts ${cuts}`).toBe(true);
          expect(sameBits(R32.view, B32.view), `k ${k} n ${n} cuts ${cuts}`).toBe(true);
        }
        for (const a of [Y, R64, R32, B64, B32, P, scr]) a.free();
      }
    }
  });
});
