/**
 * Seeded factor initialisation. ImplicitALS starts like benfred/implicit: every factor uniform in
 * [0, 0.01) — small enough that the first half-step is driven by the data, not the start. ALS (explicit)
 * starts from N(0, 0.1²) factors with zero biases (the first user step then fits the biases and the
 * factors against the data). One Rng(seed) draws users first, then items, so the same seed gives
 * identical factors on every backend.
 * @module
 */
import { Rng } from '../../random.js';

/** Fill `out` (an n × k block, row-major; in the heap, so no JS copy of the factors is made) with uniform [0, scale) values. */
export function uniformFactors(rng: Rng, out: Float32Array, scale = 0.01): void {
  for (let i = 0; i < out.length; i++) out[i] = rng.next() * scale;
}

/**
 * Fill `out`, n rows of `dim` = k (+2 with biases) columns: N(0, std²) factors, then the bias columns of the side:
 * users [x, 1, μ] (the stored bias column holds b_u + μ), items [y, 0, 1] (b_i, then the 1 that meets the user's).
 */
export function normalFactors(
  rng: Rng,
  out: Float32Array,
  k: number,
  std: number,
  bias: 'none' | 'user' | 'item',
  mu = 0,
): void {
  const dim = bias === 'none' ? k : k + 2;
  const n = out.length / dim;
  for (let r = 0; r < n; r++) {
    const o = r * dim;
    for (let j = 0; j < k; j++) out[o + j] = rng.normal() * std;
    if (bias === 'user') {
      out[o + k] = 1;
      out[o + k + 1] = mu;
    } else if (bias === 'item') {
      out[o + k] = 0;
      out[o + k + 1] = 1;
    }
  }
}
