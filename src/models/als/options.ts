/**
 * Options of ImplicitALS and ALS: their types, defaults, and validation at the public boundary.
 * Resolved options are plain JSON (numbers and strings), so a saved model can be rebuilt from them.
 * @module
 */
import { ValidationError } from '../../errors.js';
import { OptionReader } from '../../options.js';
import type { SearchSpace } from '../../eval/search.js';

import type { Confidence } from '../common/confidence.js';

export type { Confidence } from '../common/confidence.js';
export type { FitOptions, IterationInfo } from '../common/fit-options.js';

/** How each row's linear system is solved. */
export type ImplicitSolver = 'cg' | 'cholesky' | 'ials++';

/** A setting the model derives from the data at `fit` (see {@link ImplicitALSOptions}). */
export type Auto = 'auto';

/**
 * Options of {@link ImplicitALS}. The defaults (issue 27, chosen on a broad benchmark and checked on sets
 * held out of the choice; see the README's "Defaults that hold out of the box") hold for ratings, counts
 * and 0/1 data as they come; `factors`, `regularization` and `alpha` are derived from the training data at
 * `fit` unless given. lowrank 0.1's model is `{ regularization: 0.01, alpha: 40, confidence: 'linear',
 * scaleConfidence: false, frequencyScaling: 0 }`.
 */
export interface ImplicitALSOptions {
  /**
   * Latent factors k. Default `'auto'`: chosen from the data at fit (see `fittedOptions` in
   * models/als/defaults.ts); the fitted model's `options` show the number used.
   */
  factors?: number | Auto;
  /**
   * λ, the L2 penalty: row u's factors get λ·W_u^ν (see `frequencyScaling`), or λ itself when
   * `frequencyScaling` is 0. Default `'auto'`: chosen from the data at fit (see `fittedOptions` in
   * models/als/defaults.ts).
   */
  regularization?: number | Auto;
  /**
   * α in the confidence c = 1 + α·g(r)/s, g(r) = log(1 + |r|/ε) (`'log'`) or |r| (`'linear'`), s = the mean
   * of g over the training values (`scaleConfidence`, default) or 1: the average observed entry weighs
   * 1 + α against 1 for an unobserved one. Default `'auto'`: chosen from the data at fit (see
   * `fittedOptions`; larger for sparser rows). Note: benfred/implicit uses c = α·r (its input is the
   * confidence itself); see ImplicitALS for how to reproduce its results.
   */
  alpha?: number | Auto;
  /** g of the confidence: `'log'` (default; play counts in the thousands do not swamp the rest) or `'linear'`. */
  confidence?: Confidence;
  /** ε of the `'log'` confidence. Default 1. */
  epsilon?: number;
  /**
   * Divide g(r) by its mean over the training values, so the average observed entry has confidence
   * 1 + α whatever the data's value range (ratings 1–5, counts, 0/1). The scale is fitted with the
   * model and saved with it. Default true.
   */
  scaleConfidence?: boolean;
  /**
   * ν of frequency-scaled regularization (after Rendle et al. 2021): row u's penalty is λ·W_u^ν, with
   * W_u = Σ c_ui over the row's observed entries. 0: the plain λ of Hu et al. and implicit. In [0, 2];
   * default 0.5.
   */
  frequencyScaling?: number;
  /** Alternating iterations (each solves users, then items). Default 15. */
  iterations?: number;
  /**
   * `'cg'` (default): `cgSteps` conjugate-gradient steps per row, warm-started from the previous factors
   * (fast, approximate). `'cholesky'`: the exact solve of each row's normal equations. `'ials++'`: one
   * sweep of block coordinate descent over blocks of `blockSize` factors per row, warm-started (iALS++,
   * Rendle et al. 2021) — the cheapest iteration at large `factors` (hundreds and up), converging per
   * iteration nearly as the exact solve does.
   */
  solver?: ImplicitSolver;
  /** CG steps per row per half-iteration (solver `'cg'`). Default 3. */
  cgSteps?: number;
  /**
   * Factors per block of solver `'ials++'` (rounded down to a multiple of 4). 0 (default): 32 (all of them
   * below 32), the fastest to a given precision@10 at 256–1024 factors in bench/compare.mjs.
   */
  blockSize?: number;
  /** Seed of the factor initialisation; same seed ⇒ identical factors. Default 0 (as every seeded computation here). */
  seed?: number;
  /** Compute the full objective after every iteration and pass it to `onIteration` as `loss`. Default false. */
  calculateTrainingLoss?: boolean;
}

/** {@link ImplicitALSOptions} with every default filled in (`'auto'` where a fit derives the value). */
export type ResolvedImplicitALSOptions = Required<ImplicitALSOptions>;

/** The options a fit uses: {@link ResolvedImplicitALSOptions} with the `'auto'` settings derived from the data. */
export type FittedImplicitALSOptions = Omit<ResolvedImplicitALSOptions, 'factors' | 'regularization' | 'alpha'> & {
  factors: number;
  regularization: number;
  alpha: number;
};

/** Options of {@link ALS} (explicit ratings). */
export interface ALSOptions {
  /** Latent factors k. Default 50. */
  factors?: number;
  /** λ, the L2 penalty (times the row's rating count when `weightedRegularization`). Default 0.1. */
  regularization?: number;
  /** Alternating iterations. Default 10. */
  iterations?: number;
  /** Fit a global mean and user and item biases with the factors. Default true. */
  biases?: boolean;
  /** ALS-WR: scale λ by each row's number of ratings n_u (Zhou et al. 2008). Default true. */
  weightedRegularization?: boolean;
  /** Seed of the factor initialisation; same seed ⇒ identical factors. Default 0 (as every seeded computation here). */
  seed?: number;
}

/** {@link ALSOptions} with every default filled in. */
export type ResolvedALSOptions = Required<ALSOptions>;

const IMPLICIT_KEYS = [
  'factors',
  'regularization',
  'alpha',
  'confidence',
  'epsilon',
  'scaleConfidence',
  'frequencyScaling',
  'iterations',
  'solver',
  'cgSteps',
  'blockSize',
  'seed',
  'calculateTrainingLoss',
] as const;

/**
 * lowrank 0.1's values of the ImplicitALS options whose defaults changed or that were added with issue
 * 17. A model file saved then lists no `scaleConfidence`/`frequencyScaling`; when such options are
 * loaded (or imported from another tool), the missing keys take these values, not today's defaults.
 */
export const LEGACY_IMPLICIT_OPTIONS = {
  regularization: 0.01,
  alpha: 40,
  confidence: 'linear',
  scaleConfidence: false,
  frequencyScaling: 0,
} as const satisfies ImplicitALSOptions;
const EXPLICIT_KEYS = ['factors', 'regularization', 'iterations', 'biases', 'weightedRegularization', 'seed'] as const;
/** Most factors a model takes (the kernels' scratch grows with factors²). */
const MAX_FACTORS = 4096;
const MAX_ITERATIONS = 1e6;

function atMost(where: string, name: string, v: number, max: number): number {
  if (v > max) throw new ValidationError(`${where}: ${name} must be a finite number in [0, ${max}], got ${v}`);
  return v;
}

/** The settings `'auto'` may stand for. */
export const AUTO_KEYS = ['factors', 'regularization', 'alpha'] as const;

/** Whether any setting of `o` is still `'auto'`. */
export function hasAuto(o: ResolvedImplicitALSOptions): boolean {
  return AUTO_KEYS.some((k) => o[k] === 'auto');
}

/** `o` with each `'auto'` setting taken from `fill` (the values a fit derived, or placeholders). */
export function fillAuto(
  o: ResolvedImplicitALSOptions,
  fill: Pick<FittedImplicitALSOptions, (typeof AUTO_KEYS)[number]>,
): FittedImplicitALSOptions {
  const pick = <K extends (typeof AUTO_KEYS)[number]>(k: K): number => (o[k] === 'auto' ? fill[k] : (o[k] as number));
  return { ...o, factors: pick('factors'), regularization: pick('regularization'), alpha: pick('alpha') };
}

/** `'auto'` (the default, also for undefined and null), or what `read` accepts. */
function autoOr(r: OptionReader, name: string, read: () => number): number | Auto {
  const v = r.raw(name);
  if (v === undefined || v === null || v === 'auto') return 'auto';
  try {
    return read();
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(e.message.replace(/, got /, ` or 'auto', got `));
    throw e;
  }
}

/** Validate and fill defaults; throws ValidationError naming the bad option and what was expected. */
export function resolveImplicitOptions(options: ImplicitALSOptions | undefined): ResolvedImplicitALSOptions {
  const r = new OptionReader('ImplicitALS', options, IMPLICIT_KEYS);
  return {
    factors: autoOr(r, 'factors', () => r.int('factors', undefined, 1, MAX_FACTORS)),
    regularization: autoOr(r, 'regularization', () => r.number('regularization', 0, 0)),
    alpha: autoOr(r, 'alpha', () => r.number('alpha', 0, 0)),
    confidence: r.oneOf('confidence', 'log', ['linear', 'log'] as const),
    epsilon: r.number('epsilon', 1, 0, true),
    scaleConfidence: r.bool('scaleConfidence', true),
    frequencyScaling: atMost('ImplicitALS', 'frequencyScaling', r.number('frequencyScaling', 1, 0), 2),
    iterations: r.int('iterations', 15, 0, MAX_ITERATIONS),
    solver: r.oneOf('solver', 'cg', ['cg', 'cholesky', 'ials++'] as const),
    cgSteps: r.int('cgSteps', 3, 1, 1e6),
    blockSize: r.int('blockSize', 0, 0, MAX_FACTORS),
    seed: r.seed(),
    calculateTrainingLoss: r.bool('calculateTrainingLoss', false),
  };
}

/** Validate and fill defaults for {@link ALSOptions}. */
export function resolveExplicitOptions(options: ALSOptions | undefined): ResolvedALSOptions {
  const r = new OptionReader('ALS', options, EXPLICIT_KEYS);
  return {
    factors: r.int('factors', 50, 1, MAX_FACTORS),
    regularization: r.number('regularization', 0.1, 0),
    iterations: r.int('iterations', 10, 0, MAX_ITERATIONS),
    biases: r.bool('biases', true),
    weightedRegularization: r.bool('weightedRegularization', true),
    seed: r.seed(),
  };
}

/**
 * tune()'s default search space for ImplicitALS (`ImplicitALS.tuneSpace`), relative to the defaults for the
 * data (which already sit near the best on most data): half to twice the factors, a quarter to four times λ
 * and α.
 */
export const IMPLICIT_TUNE_SPACE: SearchSpace = {
  factors: { min: 0.5, max: 2, log: true, integer: true, relative: true },
  regularization: { min: 0.25, max: 4, log: true, relative: true },
  alpha: { min: 0.25, max: 4, log: true, relative: true },
};

/** tune()'s default search space for ALS (`ALS.tuneSpace`). */
export const EXPLICIT_TUNE_SPACE: SearchSpace = {
  factors: { min: 4, max: 128, log: true, integer: true },
  regularization: { min: 0.005, max: 1, log: true },
};
