/**
 * Seeded factor initialisation. ImplicitALS starts like benfred/implicit: every factor uniform in
 * [0, 0.01) — small enough that the first half-step is driven by the data, not the start. ALS (explicit)
 * starts from N(0, 0.1²) factors with zero biases (the first user step then fits the biases and the
 * factors against the data). One Rng(seed) draws users first, then items, so the same seed gives
 * identical factors on every backend.
 * @module
 */
import { Rng } from '../random.js';

/** Uniform [0, scale) values for an n × k block (row-major). */
export function uniformFactors(rng: Rng, n: number, k: number, scale = 0.01): Float32Array {
  const out = new Float32Array(n * k);
  for (let i = 0; i < out.length; i++) out[i] = rng.next() * scale;
  return out;
}

/**
 * n rows of `dim` = k (+2 with biases) columns: N(0, std²) factors, then the bias columns of the side:
 * users [x, 1, μ] (the stored bias column holds b_u + μ), items [y, 0, 1] (b_i, then the 1 that meets the user's).
 */
export function normalFactors(rng: Rng, n: number, k: number, std: number, bias: 'none' | 'user' | 'item', mu = 0): Float32Array {
  const dim = bias === 'none' ? k : k + 2;
  const out = new Float32Array(n * dim);
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
  return out;
}
