/**
 * ImplicitALS's explanations (Hu, Koren & Volinsky 2008, §5): with W = (YᵀC_uY + λ_u·I)⁻¹, a user's score
 * x_uᵀy_i = Σ_{j∈I_u} (y_iᵀ W y_j)·c_uj·p_uj is a sum of one contribution per liked item j.
 * @module
 */
import { ModelFitError, ValidationError } from '../../errors.js';
import { deprecated } from '../../deprecation.js';
import { SparseMatrix } from '../../data/csr.js';
import { cholesky, choleskySolve } from '../../kernels/cholesky.js';
import { userItemsMatrix } from '../../recommend/inputs.js';
import { checkOptions } from '../../recommend/requests.js';
import type { IdRecommendation, Recommendation, UserItems } from '../../recommend/types.js';
import { confidenceOf, scaledRegularization, type Weighting } from './weights.js';

/** What `explain` returns. */
export interface Explanation {
  /** The user's score for the item, x_uᵀy_i with x_u recomputed exactly from the given interactions. */
  score: number;
  /** The liked items that contribute most to `score`, largest first; the contributions sum to `score`. */
  contributions: Recommendation;
}

/** What `explainById` returns: the contributions with their item ids. */
export interface IdExplanation {
  score: number;
  contributions: IdRecommendation;
}

/** Options of `explain`. */
export interface ExplainOptions {
  /** How many contributions to return, largest first (a positive integer). Default 10. */
  n?: number;
  /** The user's interactions `{ indices, values? }` to explain from. Default: the user's training row. */
  userItems?: UserItems;
  /** A users × items matrix whose row `user` is explained from (instead of the training matrix). */
  interactions?: SparseMatrix;
}

/**
 * `explain`'s options: `{ n, userItems, interactions }`, or the deprecated positional form
 * `explain(user, item, userItems | matrix, n)`.
 */
export function explainOptions(options: unknown, n: unknown, where: string): ExplainOptions {
  const positional =
    n !== undefined ||
    options instanceof SparseMatrix ||
    (options != null && typeof options === 'object' && 'indices' in options);
  if (!positional) {
    checkOptions(options ?? {}, where, ['n', 'userItems', 'interactions']);
    return (options ?? {}) as ExplainOptions;
  }
  deprecated('ImplicitALS.explain(user, item, userItems, n)', 'explain(user, item, { userItems | interactions, n })');
  const rows = options instanceof SparseMatrix ? { interactions: options } : { userItems: options as UserItems };
  return { n: n as number | undefined, ...(options === undefined ? {} : rows) };
}

/** The interactions `explain` explains from: `userItems`, row `user` of `interactions`, or the training row. */
export function explainedItems(
  user: number,
  options: ExplainOptions,
  itemCount: number,
  train: SparseMatrix | undefined,
): { idx: ArrayLike<number>; vals: ArrayLike<number> | undefined } {
  if (options.userItems !== undefined) {
    const R = userItemsMatrix(options.userItems, itemCount, 'ImplicitALS.explain');
    return { idx: R.indices, vals: R.data };
  }
  const m = options.interactions ?? train;
  if (m !== undefined && !(m instanceof SparseMatrix))
    throw new ValidationError('ImplicitALS.explain: interactions must be a SparseMatrix (rows = users)');
  if (!m)
    throw new ValidationError(
      'ImplicitALS.explain: the model has no training interactions; pass { userItems } or { interactions }',
    );
  if (!Number.isInteger(user) || user < 0 || user >= m.rows)
    throw new ValidationError(`ImplicitALS.explain: user ${user} is outside [0, ${m.rows})`);
  const r = m.row(user);
  return { idx: r.indices, vals: r.values };
}

/** The row's own λ on top of the Gram matrix's: λ·(Σ c)^ν with frequency scaling (ν > 0), else 0. */
export function explainedRegularization(
  idx: ArrayLike<number>,
  vals: ArrayLike<number> | undefined,
  w: Weighting,
  o: { regularization: number; frequencyScaling: number },
): number {
  if (!(o.frequencyScaling > 0)) return 0;
  let mass = 0;
  for (let q = 0; q < idx.length; q++) mass += confidenceOf(vals ? vals[q] : 1, w);
  return scaledRegularization(mass, o.regularization, o.frequencyScaling);
}

/** One user's explanation of `item`, from their interactions (idx, vals) and the model's item factors. */
export function explainRow(a: {
  /** YᵀY + λ_G·I of the item factors (f64, row stride kp). */
  G: { view: Float64Array; kp: number };
  /** The row's own λ on top of G's (frequency scaling), else 0. */
  reg: number;
  Y: Float32Array;
  k: number;
  idx: ArrayLike<number>;
  vals: ArrayLike<number> | undefined;
  item: number;
  n: number;
  weighting: Weighting;
  /** For the error message. */
  user: number;
  regularization: number;
}): Explanation {
  const { k, idx, vals, Y: y } = a;
  const A = new Float64Array(k * k);
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) A[r * k + c] = a.G.view[r * a.G.kp + c];
  for (let r = 0; r < k; r++) A[r * k + r] += a.reg;
  const conf = (r: number): number => confidenceOf(r, a.weighting);
  for (let q = 0; q < idx.length; q++) {
    const j = idx[q];
    const c1 = conf(vals ? vals[q] : 1) - 1;
    for (let r = 0; r < k; r++) {
      const s = c1 * y[j * k + r];
      for (let c = 0; c <= r; c++) A[r * k + c] += s * y[j * k + c];
    }
  }
  const invd = new Float64Array(k);
  if (cholesky(A, invd, k, k) !== -1) {
    throw new ModelFitError(
      `ImplicitALS.explain: user ${a.user}'s system is not positive definite (regularization ${a.regularization}); use regularization > 0`,
    );
  }
  const w = Float64Array.from(y.subarray(a.item * k, a.item * k + k));
  choleskySolve(A, invd, w, k, k);
  const contrib = new Float64Array(idx.length);
  let score = 0;
  for (let q = 0; q < idx.length; q++) {
    const r = vals ? vals[q] : 1;
    if (!(r > 0)) continue;
    const j = idx[q];
    let s = 0;
    for (let c = 0; c < k; c++) s += w[c] * y[j * k + c];
    contrib[q] = conf(r) * s;
    score += contrib[q];
  }
  const order = Array.from(contrib.keys()).filter((q) => (vals ? vals[q] : 1) > 0);
  order.sort((p, q) => contrib[q] - contrib[p] || idx[p] - idx[q]);
  const top = order.slice(0, a.n);
  return {
    score,
    contributions: { items: Int32Array.from(top, (q) => idx[q]), scores: Float32Array.from(top, (q) => contrib[q]) },
  };
}
