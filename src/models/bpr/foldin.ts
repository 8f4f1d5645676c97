/**
 * Fold-in of a user into a fitted BPR model (implicit has none): the user's factors trained by the same
 * SGD with the item factors fixed (the bprFoldIn kernel) — as many samples as the user had over the whole
 * fit (interactions × iterations), the same learning rate, penalty and negative checks, from a zero start
 * (bias column 1). With the items fixed the problem is convex in x_u, so the result depends little on the
 * draws; they come from a stream seeded by the model's seed, so the same history always gives the same
 * factors. Negatives are uniform: popularity weights would need the training matrix, which a model
 * loaded without interactions lacks. On ML-100k and Last.fm-2k (seed 42 split of bench/models),
 * folded-in users rank as well as their fitted rows (precision@10 0.398 vs 0.398, 0.191 vs 0.185), a few
 * ms per user.
 * @module
 */
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import { Rng } from '../../random.js';
import type { ResolvedBPROptions } from './options.js';

/** Factors (factors + 1 columns, the last 1) of a user with the sorted item list `items`. */
export function foldInUser(
  backend: Backend,
  Y: HeapArray<'f32'>,
  items: Int32Array,
  o: ResolvedBPROptions,
): Float32Array {
  const dim = o.factors + 1;
  const nI = Y.length / dim;
  const scope = backend.heap.scope();
  try {
    const x = scope.allocArray('f32', dim);
    const list = scope.allocArray('i32', Math.max(1, items.length));
    const rng = scope.allocArray('i32', 4);
    const seed = new Rng(o.seed + 0x5eed);
    const r = rng.view;
    for (let q = 0; q < 4; q++) r[q] = seed.nextUint32() | 0;
    list.view.set(items);
    x.view[dim - 1] = 1;
    // A user who has every item has no negative to learn from: zero factors.
    if (items.length > 0 && items.length < nI) {
      backend.kernels.call('bprFoldIn', {
        Y,
        dim,
        items: list,
        n: items.length,
        nI,
        samples: items.length * Math.max(1, o.iterations),
        lr: o.learningRate,
        reg: o.regularization,
        verify: o.verifyNegativeSamples ? 1 : 0,
        rng,
        x,
      });
    }
    return x.toArray();
  } finally {
    scope.free();
  }
}
