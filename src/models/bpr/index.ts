export { BPR } from './model.js';
export type { BPROptions, ResolvedBPROptions, NegativeSampling } from './options.js';
