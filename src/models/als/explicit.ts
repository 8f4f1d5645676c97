/**
 * ALS for explicit ratings: ALS-WR (Zhou, Wilkinson, Schreiber & Pan 2008) with a global mean and user and
 * item biases solved inside the same alternating steps.
 * @module
 */
import { ValidationError } from '../../errors.js';
import { SparseMatrix } from '../../data/csr.js';
import type { IdMap } from '../../data/idmap.js';
import { ensureBackend, type Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import { FactorModel, type ExtraState } from '../common/factor-model.js';
import { registerModel } from '../../recommend/registry.js';
import type { UserItems } from '../../recommend/types.js';
import { Rng } from '../../random.js';
import { normalFactors } from './init.js';
import { EXPLICIT_TUNE_SPACE, resolveExplicitOptions, type ALSOptions, type ResolvedALSOptions } from './options.js';
import { indexList } from '../../recommend/filters.js';
import { matrixOf, replaceRows, rowsMatrix, userItemsMatrix } from '../../recommend/inputs.js';
import {
  checkFitBudget,
  checkSolve,
  csrArgs,
  heapRows,
  maxAbs,
  Workspace,
  type FailureContext,
  type HeapRows,
} from './solve.js';
import { heapTranspose } from '../../data/csr-heap.js';
import { fitLoop } from '../common/fit-loop.js';
import { checkFitAbort, checkFitOptions, type FitOptions } from '../common/fit-options.js';
import { FitValidation } from '../common/fit-validation.js';

/** Options of {@link ALS.predict}. */
export interface PredictOptions {
  /** Clip predictions to the range of ratings seen in `fit`. Default true. */
  clip?: boolean;
}

/** Standard deviation of the initial factors. */
const INIT_STD = 0.1;

/**
 * Explicit-rating ALS.
 *
 * Minimises Σ_observed (r_ui − μ − b_u − b_i − x_uᵀy_i)² + λ·(Σ_u m_u·(‖x_u‖² + b_u²) + Σ_i m_i·(‖y_i‖² + b_i²)),
 * with m_u = n_u, the row's number of ratings, when `weightedRegularization` (ALS-WR), else 1. μ is the
 * mean training rating. Each half-step solves, per user, the (k+1)-dimensional least-squares problem for
 * [x_u, b_u] against augmented item rows [y_i, 1] (and symmetrically for items), so biases and factors
 * are fitted together.
 *
 * Storage: with biases, factor rows have k + 2 columns — users [x_u, 1, b_u + μ], items [y_i, b_i, 1] — so
 * the row dot product is the prediction and top-N serving needs nothing special. `userFactors` /
 * `itemFactors` return the k factor columns only; `userBiases`, `itemBiases` and `globalMean` the rest.
 * Factors start N(0, 0.1²) from `seed`, biases 0.
 *
 * @example
 * const model = new ALS({ factors: 50, seed: 1 });
 * await model.fit(interactions); // users × items: SparseMatrix of ratings, or Interactions
 * model.predict(Int32Array.of(0, 0), Int32Array.of(10, 20));
 */
export class ALS extends FactorModel {
  /** tune()'s default search space: factors, regularization. */
  static readonly tuneSpace = EXPLICIT_TUNE_SPACE;
  /** tune()'s default metric: explicit ratings are judged by their error. */
  static readonly tuneMetric = 'rmse';
  readonly modelType = 'ALS';
  private readonly opts: ResolvedALSOptions;
  private mu = 0;
  private range: [number, number] = [-Infinity, Infinity];

  constructor(options: ALSOptions = {}) {
    super();
    this.opts = resolveExplicitOptions(options);
  }

  /** The resolved options (every default filled in, including the seed actually used). */
  get options(): ResolvedALSOptions {
    return { ...this.opts };
  }

  /** μ, the mean training rating (0 without biases). */
  get globalMean(): number {
    return this.mu;
  }

  /** The [min, max] of the training ratings, used to clip predictions. */
  get ratingRange(): [number, number] {
    return [this.range[0], this.range[1]];
  }

  /** Cosine similarity and the like use only the k factor columns, not the bias columns. */
  protected override get factorColumns(): number {
    return this.opts.factors;
  }

  /** μ and the rating range travel with saved models. */
  protected override saveExtra(): ExtraState {
    const finite = Number.isFinite(this.range[0]) && Number.isFinite(this.range[1]);
    return { json: { globalMean: this.mu, ratingRange: finite ? [this.range[0], this.range[1]] : null } };
  }

  protected override loadExtra(extra: ExtraState): void {
    const j = (extra.json ?? {}) as { globalMean?: unknown; ratingRange?: unknown };
    this.mu = typeof j.globalMean === 'number' && Number.isFinite(j.globalMean) ? j.globalMean : 0;
    const r = j.ratingRange;
    this.range =
      Array.isArray(r) && r.length === 2 && r.every((v) => typeof v === 'number')
        ? [r[0], r[1]]
        : [-Infinity, Infinity];
  }

  private columns(block: HeapArray<'f32'>, from: number, to: number): Float32Array {
    const v = block.view;
    const d = this.dim;
    const n = v.length / d;
    const w = to - from;
    const out = new Float32Array(n * w);
    for (let r = 0; r < n; r++) out.set(v.subarray(r * d + from, r * d + to), r * w);
    return out;
  }

  /** User factors without bias columns, a copy: userCount × factors, row-major. */
  override get userFactors(): Float32Array {
    return this.columns(this.requireFitted('userFactors').X, 0, this.opts.factors);
  }

  /** Item factors without bias columns, a copy: itemCount × factors, row-major. */
  override get itemFactors(): Float32Array {
    return this.columns(this.requireFitted('itemFactors').Y, 0, this.opts.factors);
  }

  /** b_u per user (zeros without biases). */
  get userBiases(): Float32Array {
    const { X } = this.requireFitted('userBiases');
    if (!this.opts.biases) return new Float32Array(this.userCount);
    const b = this.columns(X, this.opts.factors + 1, this.opts.factors + 2);
    // The column stores f32(b_u + μ); subtracting f32(μ) makes a user without ratings exactly 0.
    const mu = Math.fround(this.mu);
    for (let i = 0; i < b.length; i++) b[i] -= mu;
    return b;
  }

  /** b_i per item (zeros without biases). */
  get itemBiases(): Float32Array {
    const { Y } = this.requireFitted('itemBiases');
    if (!this.opts.biases) return new Float32Array(this.itemCount);
    return this.columns(Y, this.opts.factors, this.opts.factors + 1);
  }

  /**
   * Fit on a users × items matrix of ratings (every stored entry is an observed rating). Resolves to the
   * model. Aborting `signal` stops within one iteration with an AbortError and keeps the previous model.
   * Throws ModelFitError (naming the row and likely cause) instead of producing NaN/Inf factors.
   */
  async fit(
    interactions: SparseMatrix | { matrix: SparseMatrix; users?: IdMap; items?: IdMap },
    options?: FitOptions,
  ): Promise<this> {
    this.checkNotDisposed('fit');
    const fo = checkFitOptions('ALS.fit', options);
    const { matrix: R, users, items } = matrixOf(interactions, 'ALS.fit');
    const backend = await ensureBackend();
    checkFitAbort(fo.signal, 'ALS');
    const o = this.opts;
    const k = o.factors;
    const [nU, nI] = R.shape;
    const dim = o.biases ? k + 2 : k;
    let mu = 0;
    let lo = Infinity;
    let hi = -Infinity;
    const values = R.arrays().data;
    for (let p = 0; p < R.nnz; p++) {
      const v = values[p];
      mu += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    mu = o.biases && R.nnz > 0 ? mu / R.nnz : 0;
    const range: [number, number] = R.nnz > 0 ? [lo, hi] : [-Infinity, Infinity];
    const val = fo.validation !== undefined ? new FitValidation(fo.validation, R, o.iterations) : undefined;
    checkFitBudget('ALS', backend, R, dim, o.biases ? k + 1 : k, 0);
    const rng = new Rng(o.seed);
    const solved = o.biases ? k + 1 : k;
    const base = {
      model: 'ALS',
      factors: solved,
      regularization: o.regularization,
      scaleHint: `largest |rating| = ${maxAbs(R)}`,
    };
    // The matrix moves into the heap (its one copy from now on) and its transpose is built there, for this fit only.
    const rowsR = heapRows(backend, R, true);
    const T = heapTranspose(backend, rowsR.csr, nU, nI);
    const userCtx: FailureContext = { ...base, side: 'user', fixedSide: 'item', fixedCount: nI, matrix: rowsR };
    const itemCtx: FailureContext = { ...base, side: 'item', fixedSide: 'user', fixedCount: nU, matrix: T };
    const { X, Y } = await fitLoop({
      model: 'ALS',
      backend,
      iterations: o.iterations,
      options: fo,
      validation: val,
      counts: [nU, nI],
      start: (X, Y) => {
        normalFactors(rng, X, k, INIT_STD, o.biases ? 'user' : 'none', mu);
        normalFactors(rng, Y, k, INIT_STD, o.biases ? 'item' : 'none');
      },
      dim,
      workspace: () => new Workspace(backend, solved, 0),
      iterate: (X, Y, ws, abort) => {
        checkSolve(this.halfStep(rowsR, Y, X, dim, nU, 1, mu, ws), userCtx);
        abort();
        checkSolve(this.halfStep(T, X, Y, dim, nI, 2, mu, ws), itemCtx);
      },
      measure: (factors) => {
        const probe = new ALS(this.opts);
        probe.mu = mu;
        probe.range = range;
        probe.useFactors(factors);
        try {
          return val!.measure(probe);
        } finally {
          probe.dispose();
        }
      },
    }).finally(() => T.free());
    this.adoptFit(backend, X, Y, dim, R, users as IdMap | undefined, items as IdMap | undefined);
    this.mu = mu;
    this.range = range;
    return this;
  }

  /** Solve rows [0, rows) of `m` into `out` given `fixed`; `mode` 1 = user step, 2 = item step (with biases). */
  private halfStep(
    m: HeapRows,
    fixed: HeapArray<'f32'>,
    out: HeapArray<'f32'>,
    dim: number,
    rows: number,
    mode: 1 | 2,
    mu: number,
    ws: Workspace,
  ): number {
    const o = this.opts;
    const args = {
      ...csrArgs(m.csr),
      F: fixed,
      X: out,
      dim,
      k: o.factors,
      lambda: o.regularization,
      weighted: o.weightedRegularization ? 1 : 0,
      biasMode: o.biases ? mode : 0,
      mu,
    };
    return ws.solveRows('alsExplicit', args, m, rows, dim);
  }

  /**
   * Predicted ratings μ + b_u + b_i + x_uᵀy_i for the pairs (users[j], items[j]); clipped to the training
   * rating range unless `clip: false`.
   */
  predict(users: ArrayLike<number>, items: ArrayLike<number>, options: PredictOptions = {}): Float32Array {
    const { X, Y } = this.requireFitted('predict');
    if (users == null || items == null || users.length !== items.length) {
      throw new ValidationError(
        `ALS.predict: users and items must be arrays of the same length, got ${users?.length} and ${items?.length}`,
      );
    }
    const clip = options.clip ?? true;
    const d = this.dim;
    const nU = this.userCount;
    const nI = this.itemCount;
    const xv = X.view;
    const yv = Y.view;
    const out = new Float32Array(users.length);
    const [lo, hi] = this.range;
    for (let j = 0; j < users.length; j++) {
      const u = users[j];
      const i = items[j];
      if (!Number.isInteger(u) || u < 0 || u >= nU)
        throw new ValidationError(`ALS.predict: user ${u} (position ${j}) is outside [0, ${nU})`);
      if (!Number.isInteger(i) || i < 0 || i >= nI)
        throw new ValidationError(`ALS.predict: item ${i} (position ${j}) is outside [0, ${nI})`);
      let s = 0;
      for (let a = 0; a < d; a++) s += xv[u * d + a] * yv[i * d + a];
      if (clip) s = Math.min(hi, Math.max(lo, s));
      out[j] = s;
    }
    return out;
  }

  /** Exact solve of rows of `R` against the fixed block `F`; mode as in halfStep. */
  private solveRows(
    R: SparseMatrix,
    count: number,
    F: HeapArray<'f32'>,
    mode: 1 | 2,
    side: string,
    fixedSide: string,
    fixedCount: number,
  ): HeapArray<'f32'> {
    const backend = this.backend as Backend;
    const o = this.opts;
    const out = backend.heap.allocArray('f32', count * this.dim);
    const ws = new Workspace(backend, o.biases ? o.factors + 1 : o.factors, 0);
    try {
      const rows = heapRows(backend, R);
      checkSolve(this.halfStep(rows, F, out, this.dim, count, mode, this.mu, ws), {
        model: 'ALS',
        side,
        fixedSide,
        fixedCount,
        factors: o.biases ? o.factors + 1 : o.factors,
        regularization: o.regularization,
        matrix: rows,
        scaleHint: `largest |rating| = ${maxAbs(R)}`,
      });
    } catch (e) {
      out.free();
      throw e;
    } finally {
      ws.free();
      R.releaseHeap();
    }
    return out;
  }

  /**
   * The exact least-squares row of a user with ratings `userItems`, given the current item factors. The
   * result is a full stored row (`k + 2` values with biases: [x_u, 1, b_u + μ]) so that its dot product
   * with an item row is the prediction. Does not change the model.
   */
  recalculateUser(userItems: UserItems): Float32Array {
    const { Y } = this.requireFitted('recalculateUser');
    const R = userItemsMatrix(userItems, this.itemCount, 'ALS.recalculateUser');
    const out = this.solveRows(R, 1, Y, 1, 'user', 'item', this.itemCount);
    const x = out.toArray();
    out.free();
    return x;
  }

  /**
   * Recompute (or add) users from their complete new rating rows, given the current item factors.
   * `rows`: users.length × items matrix or one `{ indices, values }` per user. New indices grow the model.
   */
  partialFitUsers(users: ArrayLike<number>, rows: SparseMatrix | readonly UserItems[]): this {
    const { backend, Y } = this.requireFitted('partialFitUsers');
    const ids = indexList(users, Infinity, 'users', 'ALS.partialFitUsers', true);
    const R = rowsMatrix(rows, ids.length, this.itemCount, 'ALS.partialFitUsers');
    const out = this.solveRows(R, ids.length, Y, 1, 'user', 'item', this.itemCount);
    this.writeRows('X', backend, out, ids, this.userCount);
    this.trainMatrix = replaceRows(this.trainMatrix, ids, R, [this.userCount, this.itemCount]);
    return this;
  }

  /**
   * Recompute (or add) items from their complete new rating columns, given the current user factors.
   * `cols`: items.length × users matrix (row j = ratings of items[j]) or one `{ indices: users, values }` per item.
   */
  partialFitItems(items: ArrayLike<number>, cols: SparseMatrix | readonly UserItems[]): this {
    const { backend, X } = this.requireFitted('partialFitItems');
    const ids = indexList(items, Infinity, 'items', 'ALS.partialFitItems', true);
    const R = rowsMatrix(cols, ids.length, this.userCount, 'ALS.partialFitItems');
    const out = this.solveRows(R, ids.length, X, 2, 'item', 'user', this.userCount);
    this.writeRows('Y', backend, out, ids, this.itemCount);
    const T = this.trainMatrix ? this.trainMatrix.transpose() : undefined;
    this.trainMatrix = replaceRows(T, ids, R, [this.itemCount, this.userCount]).transpose();
    return this;
  }

  /** Copy solved rows into X or Y at `ids`, growing the block when ids are new (new rows: empty-row values). */
  private writeRows(which: 'X' | 'Y', backend: Backend, out: HeapArray<'f32'>, ids: Int32Array, count: number): void {
    const d = this.dim;
    const k = this.opts.factors;
    const old = (which === 'X' ? this.X : this.Y) as HeapArray<'f32'>;
    const n = Math.max(count, ...Array.from(ids, (i) => i + 1));
    try {
      let blk = old;
      if (n > count) {
        blk = backend.heap.allocArray('f32', n * d);
        const v = blk.view;
        v.set(old.view);
        if (this.opts.biases) {
          for (let r = count; r < n; r++) {
            if (which === 'X') {
              v[r * d + k] = 1;
              v[r * d + k + 1] = this.mu;
            } else v[r * d + k + 1] = 1;
          }
        }
      }
      const bv = blk.view;
      const ov = out.view;
      for (let j = 0; j < ids.length; j++) bv.set(ov.subarray(j * d, j * d + d), ids[j] * d);
      if (which === 'X') this.setFactors(backend, blk, this.Y as HeapArray<'f32'>, d);
      else this.setFactors(backend, this.X as HeapArray<'f32'>, blk, d);
    } finally {
      out.free();
    }
  }
}

registerModel('ALS', ALS);
