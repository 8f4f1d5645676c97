/**
 * Alternating least squares: ImplicitALS (implicit feedback, HKV 2008) and ALS (explicit ratings,
 * ALS-WR with biases).
 * @module
 */
export { ImplicitALS, type Explanation } from './implicit.js';
export { ALS, type PredictOptions } from './explicit.js';
export type {
  ALSOptions,
  Confidence,
  FitOptions,
  ImplicitALSOptions,
  ImplicitSolver,
  IterationInfo,
  ResolvedALSOptions,
  ResolvedImplicitALSOptions,
} from './options.js';
