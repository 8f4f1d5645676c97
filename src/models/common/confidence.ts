/**
 * How implicit-feedback models weigh a stored value: its confidence and the confidence's scale fitted to the
 * data (ImplicitALS; any model weighing implicit feedback the HKV way, e.g. LogisticMF).
 *
 * With g(r) = |r| (`'linear'`) or ln(1 + |r|/ε) (`'log'`), an entry's confidence is c = 1 + α·g(r)/s,
 * where s = 1, or with `scaleConfidence` the mean of g over the training values — so the average
 * observed entry weighs 1 + α whatever the data's value range (ratings 1–5, play counts in the
 * thousands or 0/1 all give the same α its meaning). Unobserved entries weigh 1.
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';
import { confidence } from '../../kernels/confidence.js';

/** How a stored value r becomes a confidence c (HKV 2008, eq. 6 and the log variant of §4). */
export type Confidence = 'linear' | 'log';

/** The weighting of one fitted model (what the kernels' alpha/eps/logConf arguments encode). */
export interface Weighting {
  /** α / s: the kernels' alpha. */
  alpha: number;
  epsilon: number;
  log: boolean;
}

/** c = 1 + α·g(|r|) (the kernels' formula, src/kernels/confidence.ts). */
export function confidenceOf(r: number, w: Weighting): number {
  return confidence(r, w.alpha, w.epsilon, w.log ? 1 : 0);
}

/**
 * s: the mean of g(|r|) over the stored values of `m` — 1 when there are none or they are all 0 (then
 * nothing is scaled).
 */
export function confidenceScale(m: SparseMatrix, log: boolean, epsilon: number): number {
  const d = m.arrays().data;
  let sum = 0;
  for (let p = 0; p < d.length; p++) {
    const a = Math.abs(d[p]);
    sum += log ? Math.log(1 + a / epsilon) : a;
  }
  const mean = sum / d.length;
  return d.length > 0 && mean > 0 && Number.isFinite(mean) ? mean : 1;
}
