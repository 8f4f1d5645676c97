export { LogisticMF } from './model.js';
export type { LogisticMFOptions, ResolvedLogisticMFOptions } from './options.js';
