// The blocked Cholesky inverse (src/models/ease/inverse.ts) against ml-matrix's dense inverse, on both
// backends; the JS twins give the WASM kernels' bits (no fused multiply–add in the plain SIMD build).
import { Matrix, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { init, type Backend } from '../../../src/runtime/backend.js';
import { invertSpd, BLOCK } from '../../../src/models/ease/inverse.js';
import { Rng } from '../../../src/random.js';
import { sameBits } from '../../threads/helpers.js';

/** A random SPD n × n matrix: RᵀR/m + λI with R m × n Gaussian (full storage, row-major). */
function spd(rng: Rng, n: number, lambda: number): Float64Array {
  const m = n + 3;
  const R = Float64Array.from({ length: m * n }, () => rng.normal());
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let u = 0; u < m; u++) s += R[u * n + i] * R[u * n + j];
      G[i * n + j] = G[j * n + i] = s / m + (i === j ? lambda : 0);
    }
  return G;
}

async function invertOn(b: Backend, G: Float64Array, n: number, junkUpper: boolean): Promise<Float64Array> {
  const A = b.heap.copyIn(G);
  // Only the lower triangle may be read: poison the rest.
  if (junkUpper) for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) A.view[i * n + j] = NaN;
  await invertSpd(b, A, n, () => Promise.resolve());
  const out = A.toArray();
  A.free();
  return out;
}

const SIZES = [1, 2, 3, 5, 8, 63, BLOCK, BLOCK + 1, 2 * BLOCK + 7, 200];

describe('invertSpd', () => {
  it.each(SIZES)('n = %i: lower triangle of the inverse, as ml-matrix, the same bits on wasm and js', async (n) => {
    const rng = new Rng(100 + n);
    const G = spd(rng, n, 0.5);
    const want = inverse(new Matrix(Array.from({ length: n }, (_, i) => Array.from(G.subarray(i * n, i * n + n)))));
    const wasm = await invertOn(await init({ backend: 'wasm' }), G, n, true);
    const js = await invertOn(await init({ backend: 'js' }), G, n, true);
    let err = 0;
    let mag = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        err = Math.max(err, Math.abs(wasm[i * n + j] - want.get(i, j)));
        mag = Math.max(mag, Math.abs(want.get(i, j)));
      }
    expect(err / mag).toBeLessThan(1e-12);
    const lower = (a: Float64Array) =>
      Float64Array.from({ length: (n * (n + 1)) / 2 }, (_, t) => {
        const i = Math.floor((Math.sqrt(8 * t + 1) - 1) / 2);
        return a[i * n + (t - (i * (i + 1)) / 2)];
      });
    expect(sameBits(lower(wasm), lower(js))).toBe(true);
  });

  it('throws a ModelFitError when the matrix is not positive definite', async () => {
    const b = await init({ backend: 'wasm' });
    const n = 70;
    const G = spd(new Rng(3), n, 0);
    G[69 * n + 69] = -1;
    await expect(invertOn(b, G, n, false)).rejects.toThrow(/not positive definite.*pivot 69.*larger regularization/);
  });
});
