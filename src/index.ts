/**
 * lowrank — low-rank matrix factorization for recommendation: truncated SVD, explicit and implicit ALS,
 * with WebAssembly SIMD kernels and pure-JS twins.
 * @packageDocumentation
 */
export * from './errors.js';
export { DEFAULT_MAX_BYTES } from './limits.js';
export * from './runtime/index.js';
export * from './data/index.js';
export * from './svd/index.js';
export * from './als/index.js';
export * from './models/bpr/index.js';
export * from './models/lmf/index.js';
export * from './recommend/index.js';
export * from './eval/index.js';
export { Rng } from './random.js';
export * from './interop/index.js';
