/**
 * EASE (Steck 2019): the closed-form item–item model.
 * @module
 */
export { EASE, type EASEFitOptions } from './model.js';
export type { EASEOptions, ResolvedEASEOptions } from './options.js';
