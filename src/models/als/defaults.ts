/**
 * The data-derived defaults of ImplicitALS (issue 27): what `factors: 'auto'` and `regularization: 'auto'`
 * become at fit. The rule reads only the shape of the training matrix and its confidence mass, so it costs
 * one pass over the values.
 *
 * - **λ: where the noise ends.** With frequency-scaled regularization the average user's penalty is
 *   λ·W̄^ν (W̄ = the mean confidence mass of a user's row). A sparse 0/1 matrix of n̄_u entries per user
 *   and n̄_i per item has a noise spectrum that reaches about √n̄_u + √n̄_i (the edge of a random matrix
 *   with those row and column counts); components below it are noise. The rule puts the average user's
 *   penalty at that edge: λ = τ·(√n̄_u + √n̄_i) / W̄^ν. Sparse rows (check-ins, ~7 per user) get a
 *   larger λ than MovieLens (~85 per user), as the benchmark wants.
 * - **factors: as many as the data can tell apart.** More users and items carry more distinguishable
 *   tastes (niches); factors beyond them cost time and a few percent. k = min(U, I)/16 rounded to a power
 *   of two, in [32, 256].
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';
import { fillAuto, hasAuto, type FittedImplicitALSOptions, type ResolvedImplicitALSOptions } from './options.js';
import { confidenceOf, confidenceScale, type Weighting } from '../common/confidence.js';

/** The statistics of a training matrix the rule reads. */
export interface DataStats {
  /** Users (rows) with at least one entry. */
  users: number;
  /** Items (columns) with at least one entry. */
  items: number;
  /** Stored entries. */
  nnz: number;
  /** Σ c_ui over the stored entries (the observed confidence mass). */
  mass: number;
}

/** The rule's constant: the average user's penalty in units of the noise edge. */
export const EDGE_SCALE = 1;
/** The observed confidence mass of the average user's row that `alpha: 'auto'` aims at. */
export const ROW_MASS = 150;
const MIN_ALPHA = 1;
const MAX_ALPHA = 100;
const MIN_FACTORS = 32;
const MAX_FACTORS = 256;

/** Users and items with entries, entries and confidence mass of `m` under the weighting `w`. */
export function dataStats(m: SparseMatrix, w: Weighting): DataStats {
  const { indptr, indices, data } = m.arrays();
  let users = 0;
  for (let r = 0; r < m.rows; r++) if (indptr[r + 1] > indptr[r]) users++;
  const seen = new Uint8Array(m.cols);
  let items = 0;
  let mass = 0;
  for (let p = 0; p < indices.length; p++) {
    if (!seen[indices[p]]) {
      seen[indices[p]] = 1;
      items++;
    }
    mass += confidenceOf(data[p], w);
  }
  return { users, items, nnz: indices.length, mass };
}

/** `factors: 'auto'`: min(users, items)/16 as a power of two, in [32, 256] (and at most min(users, items)). */
export function autoFactors(s: DataStats): number {
  const small = Math.max(1, Math.min(s.users, s.items));
  const k = 2 ** Math.round(Math.log2(Math.max(1, small / 16)));
  return Math.max(1, Math.min(small, Math.max(MIN_FACTORS, Math.min(MAX_FACTORS, k))));
}

/**
 * `alpha: 'auto'`: the α that gives the average user's row an observed confidence mass of ROW_MASS
 * (n̄_u·(1 + α·ḡ) = ROW_MASS, ḡ the mean of g(r)/s), in [1, 100]: sparse rows weigh their few entries more.
 */
export function autoAlpha(s: DataStats, gMean: number): number {
  if (s.nnz === 0 || !(gMean > 0)) return MIN_ALPHA;
  const perUser = s.nnz / s.users;
  return Math.max(MIN_ALPHA, Math.min(MAX_ALPHA, (ROW_MASS / perUser - 1) / gMean));
}

/** `regularization: 'auto'` for frequency scaling ν: τ·(√n̄_u + √n̄_i) / W̄^ν. */
export function autoRegularization(s: DataStats, nu: number): number {
  if (s.nnz === 0) return 1;
  const edge = Math.sqrt(s.nnz / s.users) + Math.sqrt(s.nnz / s.items);
  const rowMass = s.mass / s.users;
  return (EDGE_SCALE * edge) / Math.pow(rowMass, nu);
}

/**
 * The options a fit on `m` uses: `'auto'` settings derived from the data (the confidence as configured,
 * its scale fitted to `m` as the fit will).
 */
export function fittedOptions(o: ResolvedImplicitALSOptions, m: SparseMatrix): FittedImplicitALSOptions {
  if (!hasAuto(o)) return fillAuto(o, { factors: 0, regularization: 0, alpha: 0 });
  const { factors, regularization } = o;
  const log = o.confidence === 'log';
  const scale = o.scaleConfidence ? confidenceScale(m, log, o.epsilon) : 1;
  // g's mean in confidence units (1 with scaleConfidence): the mass of a row is n·(1 + α·gMean).
  const gMean = dataStats(m, { alpha: 1 / scale, epsilon: o.epsilon, log }).mass / Math.max(1, m.nnz) - 1;
  const shape = dataStats(m, { alpha: 0, epsilon: o.epsilon, log });
  const alpha = o.alpha === 'auto' ? autoAlpha(shape, gMean) : o.alpha;
  const s = dataStats(m, { alpha: alpha / scale, epsilon: o.epsilon, log });
  return {
    ...o,
    factors: factors === 'auto' ? autoFactors(s) : factors,
    regularization: regularization === 'auto' ? autoRegularization(s, o.frequencyScaling) : regularization,
    alpha,
  };
}
