/**
 * Fold-in of a user into a fitted BPR model (implicit has none): the user's factors trained by the same
 * SGD with the item factors fixed — as many samples as the user had over the whole fit (interactions ×
 * iterations), the same learning rate, penalty and negative checks, from a zero start (bias column 1).
 * With the items fixed the problem is convex in x_u, so the result depends little on the draws; the
 * draws come from a stream seeded by the model's seed, so the same history always gives the same factors.
 * Negatives are drawn uniformly: popularity weights would need the training matrix, which a model
 * loaded without interactions lacks.
 * @module
 */
import { Rng } from '../../random.js';
import type { ResolvedBPROptions } from './options.js';

/** Factors (factors + 1 columns, the last 1) of a user with the sorted item list `items`. */
export function foldInUser(Y: Float32Array, itemCount: number, items: Int32Array, o: ResolvedBPROptions): Float32Array {
  const k = o.factors;
  const dim = k + 1;
  const x = new Float64Array(dim);
  x[k] = 1;
  const n = items.length;
  if (n === 0 || n >= itemCount) return Float32Array.from(x);
  const liked = new Set<number>(items);
  const rng = new Rng(o.seed + 0x5eed);
  const { learningRate: lr, regularization: reg } = o;
  const samples = n * Math.max(1, o.iterations);
  for (let t = 0; t < samples; t++) {
    const i = items[rng.nextInt(n)];
    const j = rng.nextInt(itemCount);
    if (liked.has(j)) {
      if (o.verifyNegativeSamples) continue;
    }
    const pi = i * dim;
    const pj = j * dim;
    let score = 0;
    for (let c = 0; c < dim; c++) score += x[c] * (Y[pi + c] - Y[pj + c]);
    const z = 1 / (1 + Math.exp(score));
    for (let c = 0; c < k; c++) x[c] += lr * (z * (Y[pi + c] - Y[pj + c]) - reg * x[c]);
  }
  return Float32Array.from(x);
}
