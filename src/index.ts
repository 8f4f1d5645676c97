/**
 * lowrank — low-rank matrix factorization for recommendation: truncated SVD, explicit and implicit ALS,
 * with WebAssembly SIMD kernels and pure-JS twins.
 * @packageDocumentation
 */
export * from './errors.js';
export * from './runtime/index.js';
