/**
 * Options of ImplicitALS and ALS: their types, defaults, and validation at the public boundary.
 * Resolved options are plain JSON (numbers and strings), so a saved model can be rebuilt from them.
 * @module
 */
import { ValidationError } from '../errors.js';
import type { ValidationResult, ValidationSpec } from '../eval/validation.js';

/** How a stored value r becomes a confidence c (HKV 2008, eq. 6 and the log variant of §4). */
export type Confidence = 'linear' | 'log';
/** How each row's linear system is solved. */
export type ImplicitSolver = 'cg' | 'cholesky';

/**
 * Options of {@link ImplicitALS}. The defaults (chosen in issue 17 on MovieLens and Last.fm data, see the
 * README's "Defaults" section) hold for ratings, counts and 0/1 data as they come. lowrank 0.1's model is
 * `{ regularization: 0.01, alpha: 40, confidence: 'linear', scaleConfidence: false, frequencyScaling: 0 }`.
 */
export interface ImplicitALSOptions {
  /** Latent factors k. Default 64. */
  factors?: number;
  /**
   * λ, the L2 penalty: row u's factors get λ·W_u^ν (see `frequencyScaling`), or λ itself when
   * `frequencyScaling` is 0. Default 1.
   */
  regularization?: number;
  /**
   * α in the confidence c = 1 + α·g(r)/s, g(r) = |r| (`'linear'`) or log(1 + |r|/ε) (`'log'`), s = the mean
   * of g over the training values (`scaleConfidence`, default) or 1. Default 2: the average observed entry
   * weighs 3 against 1 for an unobserved one. Note: benfred/implicit uses c = α·r (its input is the
   * confidence itself); see ImplicitALS for how to reproduce its results.
   */
  alpha?: number;
  /** g of the confidence: `'log'` (default; counts in the thousands do not swamp the rest) or `'linear'`. */
  confidence?: Confidence;
  /** ε of the `'log'` confidence. Default 1. */
  epsilon?: number;
  /**
   * Divide g(r) (|r|, or log(1 + |r|/ε)) by its mean over the training values, so the average observed
   * entry has confidence 1 + α whatever the data's value range. Default true.
   */
  scaleConfidence?: boolean;
  /**
   * ν of frequency-scaled regularization (after Rendle et al. 2021): row u's penalty is λ·W_u^ν, with
   * W_u = Σ c_ui over the row's observed entries. 0: the plain λ of Hu et al. and implicit. Default 0.5.
   */
  frequencyScaling?: number;
  /** Alternating iterations (each solves users, then items). Default 15. */
  iterations?: number;
  /**
   * `'cg'` (default): `cgSteps` conjugate-gradient steps per row, warm-started from the previous factors
   * (fast, approximate). `'cholesky'`: the exact solve of each row's normal equations.
   */
  solver?: ImplicitSolver;
  /** CG steps per row per half-iteration (solver `'cg'`). Default 3. */
  cgSteps?: number;
  /** Seed of the factor initialisation; same seed ⇒ identical factors. Default: a random seed (see `options.seed`). */
  seed?: number;
  /** Compute the full objective after every iteration and pass it to `onIteration` as `loss`. Default false. */
  calculateTrainingLoss?: boolean;
}

/** {@link ImplicitALSOptions} with every default filled in. */
export type ResolvedImplicitALSOptions = Required<ImplicitALSOptions>;

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
  /** Seed of the factor initialisation; same seed ⇒ identical factors. Default: a random seed. */
  seed?: number;
}

/** {@link ALSOptions} with every default filled in. */
export type ResolvedALSOptions = Required<ALSOptions>;

/** What `onIteration` receives after each iteration. */
export interface IterationInfo {
  /** 0-based index of the iteration just finished (like implicit's fit callback). */
  iteration: number;
  /** The training objective after this iteration, when `calculateTrainingLoss` is on. */
  loss?: number;
  /** Wall-clock seconds this iteration took (both half-steps, excluding the loss). */
  seconds: number;
  /** The validation metric after this iteration, on iterations where `validation` was evaluated. */
  validation?: ValidationResult;
}

/** Options of `fit`. */
export interface FitOptions {
  /** Called after every iteration. */
  onIteration?: (info: IterationInfo) => void;
  /**
   * Cancels the fit: it stops after the current half-iteration with an `AbortError`, and a model that
   * was fitted before keeps its previous factors.
   */
  signal?: AbortSignal;
  /**
   * Validation curve and early stopping: the metric (default `'ndcg@10'`; or `'rmse'`, `'precision@5'`, …)
   * on `data` (held-out interactions of the same shape) every `every` iterations and after the last,
   * reported through `onIteration`. With `patience`, fitting stops after that many evaluations without
   * improvement and the model keeps the best evaluation's factors. Training items are filtered from the
   * rankings.
   */
  validation?: ValidationSpec;
}

function positiveInt(name: string, v: unknown, max = 4096): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > max) {
    throw new ValidationError(`${name} must be an integer in [1, ${max}], got ${String(v)}`);
  }
  return v;
}

function nonNegativeInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1e6) {
    throw new ValidationError(`${name} must be a non-negative integer, got ${String(v)}`);
  }
  return v;
}

function nonNegative(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ValidationError(`${name} must be a finite number ≥ 0, got ${String(v)}`);
  }
  return v;
}

function positive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new ValidationError(`${name} must be a finite number > 0, got ${String(v)}`);
  }
  return v;
}

function bounded(name: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !(v >= lo && v <= hi)) throw new ValidationError(`${name} must be a number in [${lo}, ${hi}], got ${String(v)}`);
  return v;
}

function bool(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ValidationError(`${name} must be true or false, got ${String(v)}`);
  return v;
}

function seedOf(name: string, v: unknown): number {
  if (v === undefined) return Math.floor(Math.random() * 2 ** 32);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(`${name} must be a finite number, got ${String(v)}`);
  return v;
}

function checkKeys(where: string, o: object, allowed: readonly string[]): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new ValidationError(`${where}: unknown option ${JSON.stringify(key)}; expected one of ${allowed.join(', ')}`);
    }
  }
}

const IMPLICIT_KEYS = [
  'factors', 'regularization', 'alpha', 'confidence', 'epsilon', 'scaleConfidence', 'frequencyScaling', 'iterations', 'solver', 'cgSteps', 'seed', 'calculateTrainingLoss',
] as const;

/**
 * The options added with the defaults of issue 17, at the values that reproduce lowrank's earlier
 * behaviour. Together with `{ factors: 64, regularization: 0.01, alpha: 40, confidence: 'linear' }` they
 * give the model of lowrank 0.1; a model file saved then gets them when loaded.
 */
export const LEGACY_IMPLICIT_OPTIONS = { scaleConfidence: false, frequencyScaling: 0 } as const satisfies ImplicitALSOptions;
const EXPLICIT_KEYS = ['factors', 'regularization', 'iterations', 'biases', 'weightedRegularization', 'seed'] as const;

/** Validate and fill defaults; throws ValidationError naming the bad option and what was expected. */
export function resolveImplicitOptions(options: ImplicitALSOptions | undefined): ResolvedImplicitALSOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') throw new ValidationError(`new ImplicitALS(options): options must be an object, got ${typeof options}`);
  checkKeys('new ImplicitALS(options)', options, IMPLICIT_KEYS);
  const o = options;
  const confidence = o.confidence ?? 'log';
  if (confidence !== 'linear' && confidence !== 'log') {
    throw new ValidationError(`ImplicitALS: confidence must be 'linear' or 'log', got ${JSON.stringify(confidence)}`);
  }
  const solver = o.solver ?? 'cg';
  if (solver !== 'cg' && solver !== 'cholesky') {
    throw new ValidationError(`ImplicitALS: solver must be 'cg' or 'cholesky', got ${JSON.stringify(solver)}`);
  }
  return {
    factors: positiveInt('ImplicitALS: factors', o.factors ?? 64),
    regularization: nonNegative('ImplicitALS: regularization', o.regularization ?? 1),
    alpha: nonNegative('ImplicitALS: alpha', o.alpha ?? 2),
    confidence,
    epsilon: positive('ImplicitALS: epsilon', o.epsilon ?? 1),
    scaleConfidence: bool('ImplicitALS: scaleConfidence', o.scaleConfidence ?? true),
    frequencyScaling: bounded('ImplicitALS: frequencyScaling', o.frequencyScaling ?? 0.5, 0, 2),
    iterations: nonNegativeInt('ImplicitALS: iterations', o.iterations ?? 15),
    solver,
    cgSteps: positiveInt('ImplicitALS: cgSteps', o.cgSteps ?? 3, 1e6),
    seed: seedOf('ImplicitALS: seed', o.seed),
    calculateTrainingLoss: bool('ImplicitALS: calculateTrainingLoss', o.calculateTrainingLoss ?? false),
  };
}

/** Validate and fill defaults for {@link ALSOptions}. */
export function resolveExplicitOptions(options: ALSOptions | undefined): ResolvedALSOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') throw new ValidationError(`new ALS(options): options must be an object, got ${typeof options}`);
  checkKeys('new ALS(options)', options, EXPLICIT_KEYS);
  const o = options;
  return {
    factors: positiveInt('ALS: factors', o.factors ?? 50),
    regularization: nonNegative('ALS: regularization', o.regularization ?? 0.1),
    iterations: nonNegativeInt('ALS: iterations', o.iterations ?? 10),
    biases: bool('ALS: biases', o.biases ?? true),
    weightedRegularization: bool('ALS: weightedRegularization', o.weightedRegularization ?? true),
    seed: seedOf('ALS: seed', o.seed),
  };
}

/** Validate fit's second argument. */
export function checkFitOptions(where: string, o: FitOptions | undefined): FitOptions {
  if (o === undefined || o === null) return {};
  if (typeof o !== 'object') throw new ValidationError(`${where}: options must be an object, got ${typeof o}`);
  if (o.onIteration !== undefined && typeof o.onIteration !== 'function') throw new ValidationError(`${where}: onIteration must be a function`);
  if (o.signal !== undefined && (o.signal === null || typeof o.signal !== 'object' || typeof o.signal.aborted !== 'boolean')) {
    throw new ValidationError(`${where}: signal must be an AbortSignal`);
  }
  return o;
}
