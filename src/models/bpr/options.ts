/**
 * BPR's options: implicit's names and meanings (factors, learning rate, regularization, iterations,
 * verified negatives), plus how negatives are drawn and the number of blocks of the parallel SGD.
 * @module
 */
import type { SearchSpace } from '../../eval/search.js';
import { OptionReader } from '../../options.js';

/** How a negative item is drawn: in proportion to its interactions (implicit's way) or uniformly. */
export type NegativeSampling = 'popularity' | 'uniform';

/** Options of {@link BPR}. Every option is saved with the model. */
export interface BPROptions {
  /** Latent factors; the model stores one more column, the item bias (as implicit). Default 100. */
  factors?: number;
  /** SGD step size. Default 0.05 (implicit's 0.01 learns too slowly in 100 epochs on sparse data). */
  learningRate?: number;
  /** L2 penalty applied at each SGD step to the rows it touches (item biases included, as implicit). Default 0.01. */
  regularization?: number;
  /** Epochs; each draws as many (user, positive, negative) samples as the matrix has positive entries. Default 100. */
  iterations?: number;
  /** Skip a sample whose negative the user has in fact interacted with (as implicit). Default true. */
  verifyNegativeSamples?: boolean;
  /**
   * `'uniform'`: any item alike (default); `'popularity'`: the item of a random interaction, as implicit
   * draws them — it pushes popular items down and ranks worse on every set of bench/models.
   */
  negativeSampling?: NegativeSampling;
  /**
   * Blocks of the stratified SGD: users and items are cut into this many blocks, and (user block, item
   * block) pairs that share no block train side by side. The result depends on the seed and `blocks`,
   * never on the thread count; at most `blocks` threads work at once. 1 is plain sequential SGD. Precision
   * does not depend on it (bench/models: 1 to 16 within ±1 sd over 5 seeds). Default 8.
   */
  blocks?: number;
  /** Seed of the initial factors and of every sample. Default 0. */
  seed?: number;
}

/** {@link BPROptions} with every default filled in. */
export type ResolvedBPROptions = Required<BPROptions>;

const KEYS = [
  'factors',
  'learningRate',
  'regularization',
  'iterations',
  'verifyNegativeSamples',
  'negativeSampling',
  'blocks',
  'seed',
] as const;

/** Validate and fill defaults; throws ValidationError naming the bad option. */
export function resolveBPROptions(options: BPROptions | undefined): ResolvedBPROptions {
  const r = new OptionReader('BPR', options, KEYS);
  return {
    factors: r.int('factors', 100, 1, 4096),
    learningRate: r.number('learningRate', 0.05, 0, true),
    regularization: r.number('regularization', 0.01, 0),
    iterations: r.int('iterations', 100, 0, 1e6),
    verifyNegativeSamples: r.bool('verifyNegativeSamples', true),
    negativeSampling: r.oneOf('negativeSampling', 'uniform', ['uniform', 'popularity'] as const),
    blocks: r.int('blocks', 8, 1, 256),
    seed: r.seed(),
  };
}

/** tune()'s default search space for BPR (`BPR.tuneSpace`): wide ranges of the options that matter. */
export const BPR_TUNE_SPACE: SearchSpace = {
  factors: { min: 16, max: 256, log: true, integer: true },
  learningRate: { min: 0.005, max: 0.3, log: true },
  regularization: { min: 0.0005, max: 0.1, log: true },
};
