/**
 * LogisticMF's options: implicit's names (factors, learning rate, regularization, iterations, negProp)
 * and the confidence of an interaction as ImplicitALS weighs it (alpha, confidence, epsilon,
 * scaleConfidence), so α means the same for 0/1 data, ratings and play counts.
 * @module
 */
import type { SearchSpace } from '../../eval/search.js';
import { OptionReader } from '../../options.js';
import type { Confidence } from '../common/confidence.js';

/** Options of {@link LogisticMF}. Every option is saved with the model. */
export interface LogisticMFOptions {
  /** Latent factors; the model stores two more columns (user and item biases, as implicit). Default 30. */
  factors?: number;
  /** AdaGrad step size. Default 0.2 (implicit: 1). */
  learningRate?: number;
  /** L2 penalty on the latent factors (not on the biases). Default 2.5 (implicit: 0.6, on a differently scaled objective). */
  regularization?: number;
  /** Alternating AdaGrad steps (users, then items). Default 30. */
  iterations?: number;
  /**
   * Negatives per interaction, as implicit's neg_prop: the unobserved pairs of a row weigh negProp × its
   * side's mean interaction count in total, estimated from ⌈negProp·max(n, 1)⌉ uniform draws for a row of
   * n interactions (summed exactly when that reaches the other side's size). Any number > 0. Default 5
   * (implicit: 30, capped by a bug at factors + 2 draws per row).
   */
  negProp?: number;
  /** α of an interaction's weight c = α·g(r)/s on ln σ(score) (g, s as in ImplicitALS). Default 1. */
  alpha?: number;
  /** g of the weight: `'log'` (ln(1 + |r|/ε), default) or `'linear'` (|r|). */
  confidence?: Confidence;
  /** ε of the `'log'` weight. Default 1. */
  epsilon?: number;
  /** Divide g(r) by its mean over the training values. Default true. */
  scaleConfidence?: boolean;
  /** Seed of the initial factors and of every negative draw. Default 0. */
  seed?: number;
}

/** {@link LogisticMFOptions} with every default filled in. */
export type ResolvedLogisticMFOptions = Required<LogisticMFOptions>;

const KEYS = [
  'factors',
  'learningRate',
  'regularization',
  'iterations',
  'negProp',
  'alpha',
  'confidence',
  'epsilon',
  'scaleConfidence',
  'seed',
] as const;

/** Validate and fill defaults; throws ValidationError naming the bad option. */
export function resolveLogisticMFOptions(options: LogisticMFOptions | undefined): ResolvedLogisticMFOptions {
  const r = new OptionReader('LogisticMF', options, KEYS);
  return {
    factors: r.int('factors', 30, 1, 4096),
    learningRate: r.number('learningRate', 0.2, 0, true),
    regularization: r.number('regularization', 2.5, 0),
    iterations: r.int('iterations', 30, 0, 1e6),
    negProp: r.number('negProp', 5, 0, true),
    alpha: r.number('alpha', 1, 0, true),
    confidence: r.oneOf('confidence', 'log', ['linear', 'log'] as const),
    epsilon: r.number('epsilon', 1, 0, true),
    scaleConfidence: r.bool('scaleConfidence', true),
    seed: r.seed(),
  };
}

/** tune()'s default search space for LogisticMF (`LogisticMF.tuneSpace`): wide ranges of the options that matter. */
export const LMF_TUNE_SPACE: SearchSpace = {
  factors: { min: 8, max: 128, log: true, integer: true },
  learningRate: { min: 0.02, max: 1, log: true },
  regularization: { min: 0.1, max: 30, log: true },
  alpha: { min: 0.5, max: 32, log: true },
};
