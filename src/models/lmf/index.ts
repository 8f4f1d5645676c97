/**
 * Logistic matrix factorization for implicit feedback (Johnson 2014), fitted by alternating AdaGrad steps.
 * @module
 */
export { LogisticMF } from './model.js';
export type { LogisticMFOptions, ResolvedLogisticMFOptions } from './options.js';
