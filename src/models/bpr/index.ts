/**
 * Bayesian Personalized Ranking (Rendle et al. 2009) by stratified SGD: reproducible per seed whatever the
 * thread count.
 * @module
 */
export { BPR } from './model.js';
export type { EpochStats } from './fit.js';
export type { BPROptions, ResolvedBPROptions, NegativeSampling } from './options.js';
