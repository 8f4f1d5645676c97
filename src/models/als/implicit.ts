/**
 * ImplicitALS: matrix factorization for implicit feedback (Hu, Koren & Volinsky, "Collaborative Filtering
 * for Implicit Feedback Datasets", ICDM 2008), solved by alternating least squares with an exact
 * (Cholesky) or conjugate-gradient (Takács, Pilászy & Tikk 2011) solver per row.
 * @module
 */
import { ModelFitError, ValidationError } from '../../errors.js';
import { SparseMatrix } from '../../data/csr.js';
import type { Id, IdMap } from '../../data/idmap.js';
import { ensureBackend, type Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import { FactorModel, type ExtraState } from '../common/factor-model.js';
import { withRows } from '../common/factors.js';
import { registerModel } from '../../recommend/registry.js';
import type { UserItems } from '../../recommend/types.js';
import { Rng } from '../../random.js';
import { rnd4 } from '../../kernels/declarations.js';
import { uniformFactors } from './init.js';
import {
  IMPLICIT_TUNE_SPACE,
  type FittedImplicitALSOptions,
  type ImplicitALSOptions,
  type ResolvedImplicitALSOptions,
} from './options.js';
import { ImplicitOptionState } from './option-state.js';
import { colRegularization, confidenceScale, fitRegRows, type RegRows, type Weighting } from './weights.js';
import {
  explainedItems,
  explainedRegularization,
  explainOptions,
  explainRow,
  type ExplainOptions,
  type Explanation,
  type IdExplanation,
} from './explain.js';
import { FitSolver, lossWith, regRowsOn, solveExact } from './implicit-steps.js';
export type { Explanation, ExplainOptions, IdExplanation } from './explain.js';
import { indexList } from '../../recommend/filters.js';
import { indexOfId, withIds } from '../../recommend/ids.js';
import { checkOptions } from '../../recommend/requests.js';
import { matrixOf, replaceRows, rowsMatrix, userItemsMatrix } from '../../recommend/inputs.js';
import {
  checkFitBudget,
  checkSolve,
  heapRows,
  maxAbs,
  maxColNnz,
  maxRowNnz,
  Workspace,
  type FailureContext,
} from './solve.js';
import { warnZeroPreferences } from '../../data/zeros.js';
import { warnIfCollapsed } from '../common/collapse.js';
import { fitLoop } from '../common/fit-loop.js';
import { checkFitAbort, checkFitOptions, type FitOptions } from '../common/fit-options.js';
import { FitValidation } from '../common/fit-validation.js';

/**
 * Implicit-feedback ALS.
 *
 * Minimises Σ_{u,i} c_ui·(p_ui − x_uᵀy_i)² + Σ_u λ_u‖x_u‖² + Σ_i λ_i‖y_i‖² over all user–item pairs:
 * p_ui = 1 if r_ui > 0 else 0; c_ui = 1 + α·g(r_ui)/s with g(r) = log(1 + |r|/ε) (`confidence: 'log'`,
 * default) or |r| (`'linear'`) and s the mean of g over the training values (`scaleConfidence`, default;
 * else 1), so α means the same for 0/1 data, ratings and play counts; unobserved pairs have c = 1, p = 0;
 * negative values give p = 0 with confidence from |r| ("watched and disliked", as Spark and implicit).
 * The penalty is frequency-scaled (after Rendle et al. 2021): λ_u = λ·(Σ_{i∈I_u} c_ui)^ν
 * (`frequencyScaling`, default 1); ν = 0 is the plain λ of Hu, Koren & Volinsky and implicit. Per row:
 * (YᵀY + Σ_{i∈I_u}(c_ui − 1)·y_i·y_iᵀ + λ_u·I)·x_u = Σ c_ui·p_ui·y_i, YᵀY once per half-iteration.
 *
 * factors, λ and α are derived from the training data unless given (`'auto'`, see `fittedOptions`; README,
 * "Defaults that hold out of the box"). lowrank 0.1's model is `{ regularization: 0.01, alpha: 40,
 * confidence: 'linear', scaleConfidence: false, frequencyScaling: 0 }`; files saved by it load with it.
 *
 * **Difference from benfred/implicit.** implicit reads its input matrix as the confidence itself,
 * c = α·r, without our "1 +", and its λ is plain. With `confidence: 'linear', scaleConfidence: false,
 * frequencyScaling: 0` here: our model on values r with our α ≡ implicit on the matrix 1 + α·r (its
 * alpha = 1); implicit on M ≡ ours on M − 1 with `alpha: 1` (exact where M > 1).
 *
 * Factors start uniform in [0, 0.01) from `seed` (as implicit does): the same seed gives identical
 * factors, and the wasm and js backends agree to rounding. Solvers: `'cholesky'` is exact (f32 SIMD
 * factorization with one f64 refinement step; with plain λ, rows with ≤ 12 interactions via the Woodbury
 * identity in f64); `'cg'` runs `cgSteps` f32 conjugate-gradient steps per row per half-iteration,
 * warm-started.
 *
 * @example
 * const model = new ImplicitALS({ seed: 1 }); // defaults that hold for ratings, counts and 0/1 data
 * await model.fit(interactions);
 * const { items, scores } = model.recommend(0, { n: 10 });
 */
export class ImplicitALS extends FactorModel {
  /** tune()'s default search space: factors, regularization, alpha. */
  static readonly tuneSpace = IMPLICIT_TUNE_SPACE;
  readonly modelType = 'ImplicitALS';
  /** The options as given and as the current (or running, or last) fit uses them. */
  private readonly state: ImplicitOptionState;
  /** s of the confidence 1 + α·g(r)/s, fitted with `scaleConfidence` (else 1); saved with the model. */
  private scale = 1;

  constructor(options: ImplicitALSOptions = {}) {
    super();
    this.state = new ImplicitOptionState(options);
  }

  /** The options of the current (or running) fit, the `'auto'` settings derived from its data. */
  private get opts(): FittedImplicitALSOptions {
    return this.state.fitted;
  }

  /**
   * The resolved options (every default filled in, including the seed actually used). `factors`,
   * `regularization` and `alpha` are `'auto'` until a fit derives them from the data; a fitted model shows
   * the values used, so `new ImplicitALS(model.options)` fits the same model.
   */
  get options(): ResolvedImplicitALSOptions {
    return this.state.shown;
  }

  /** The options `fit(data)` would use: `'auto'` settings derived from `data` (see `fittedOptions`). */
  optionsFor(data: SparseMatrix | { matrix: SparseMatrix }): FittedImplicitALSOptions {
    const { matrix } = matrixOf(data, 'ImplicitALS.optionsFor');
    return this.state.forData(matrix);
  }

  /**
   * Fit on a users × items matrix of interaction strengths (counts, durations, …; not confidences). Resolves to
   * the model. With a `signal`, aborting stops the fit within one iteration with an AbortError and leaves the
   * model as it was. Throws ModelFitError (naming the row and likely cause) instead of NaN/Inf factors.
   */
  async fit(
    interactions: SparseMatrix | { matrix: SparseMatrix; users?: IdMap; items?: IdMap },
    options?: FitOptions,
  ): Promise<this> {
    this.checkNotDisposed('fit');
    const fo = checkFitOptions('ImplicitALS.fit', options);
    const { matrix: Cui, users, items } = matrixOf(interactions, 'ImplicitALS.fit');
    warnZeroPreferences(Cui, 'ImplicitALS'); // p = 1[r > 0]: stored zeros weigh as no entry
    const backend = await ensureBackend();
    checkFitAbort(fo.signal, 'ImplicitALS');
    // This fit's options ('auto' derived from Cui); a failed fit leaves the model as it was.
    await this.state.during(Cui, () => this.fitWith(backend, Cui, fo, users, items));
    return this;
  }

  /** The body of fit, with this fit's options in `opts`. */
  private async fitWith(backend: Backend, Cui: SparseMatrix, fo: FitOptions, users?: unknown, items?: unknown) {
    const o = this.opts;
    const k = o.factors;
    const [nU, nI] = Cui.shape;
    if (o.regularization === 0 && Cui.nnz > 0 && k > Math.min(nU, nI)) {
      const [side, n] = nI <= nU ? ['item', nI] : ['user', nU];
      throw new ModelFitError(
        `ImplicitALS.fit: every row: factors (${k}) exceed the number of ${side}s (${n}) with regularization 0, so YᵀY is singular; use regularization > 0 or at most ${n} factors`,
      );
    }
    const val = fo.validation !== undefined ? new FitValidation(fo.validation, Cui, o.iterations) : undefined;
    const maxNnz = Math.max(maxRowNnz(Cui), maxColNnz(Cui));
    // (+ the mapped confidence values of 'log', see fit-confidence.ts)
    checkFitBudget('ImplicitALS', backend, Cui, k, k, maxNnz, o.confidence === 'log' ? 4 * Cui.nnz : 0);
    // The confidence scale of this fit; the model switches to it only once the fit succeeded.
    const scale = o.scaleConfidence ? confidenceScale(Cui, o.confidence === 'log', o.epsilon) : 1;
    const w = this.weightingWith(scale);
    // Frequency-scaled λ per user and per item (fixed for the fit: it depends on the data only).
    const reg = fitRegRows(backend.heap, Cui, w, o.regularization, o.frequencyScaling);
    const fitted = await this.loop(backend, Cui, fo, val, w, maxNnz, reg.users, reg.items).finally(() => reg.free());
    this.scale = scale;
    this.adoptFit(backend, fitted.X, fitted.Y, k, Cui, users as IdMap | undefined, items as IdMap | undefined);
    warnIfCollapsed('ImplicitALS', Cui, { X: fitted.X.view, Y: fitted.Y.view, dim: k, cols: k }, o); // too strong a λ
  }

  /** The alternating loop of one fit (see fitLoop), with the fit's confidence and per-row λ. */
  private async loop(
    backend: Backend,
    Cui: SparseMatrix,
    fo: FitOptions,
    val: FitValidation | undefined,
    w: Weighting,
    maxNnz: number,
    regU: RegRows,
    regI: RegRows,
  ): Promise<{ X: HeapArray<'f32'>; Y: HeapArray<'f32'> }> {
    const o = this.opts;
    const k = o.factors;
    const [nU, nI] = Cui.shape;
    const rng = new Rng(o.seed);
    const lambdaG = this.gramLambda;
    const scaleHint = `alpha × largest |value| = ${w.alpha * maxAbs(Cui)}`;
    // The matrix in the heap, its transpose, the mapped confidence, the eigenbasis (implicit-steps.ts).
    const fs = new FitSolver(o, backend, Cui, w);
    const { userRows: rowsUI, itemRows: rowsIU } = fs;
    const base = { model: 'ImplicitALS', factors: k, regularization: o.regularization, scaleHint };
    const userCtx: FailureContext = { ...base, side: 'user', fixedSide: 'item', fixedCount: nI, matrix: rowsUI };
    const itemCtx: FailureContext = { ...base, side: 'item', fixedSide: 'user', fixedCount: nU, matrix: rowsIU };
    // G = YᵀY + λI is left in the workspace by the loss; the next iteration's user step reuses it.
    let gramIsY = false;
    return fitLoop({
      model: 'ImplicitALS',
      backend,
      iterations: o.iterations,
      options: fo,
      validation: val,
      counts: [nU, nI],
      start: (X, Y) => {
        uniformFactors(rng, X);
        uniformFactors(rng, Y);
      },
      dim: k,
      workspace: () => new Workspace(backend, k, maxNnz),
      iterate: (X, Y, ws, abort) => {
        if (!gramIsY) ws.gram(Y, nI, k, k, lambdaG, fs.gram32);
        checkSolve(fs.half(fs.users, Y, nI, X, ws, regU.array), userCtx);
        abort();
        ws.gram(X, nU, k, k, lambdaG, fs.gram32);
        checkSolve(fs.half(fs.items, X, nU, Y, ws, regI.array), itemCtx);
        gramIsY = false;
      },
      loss: (X, Y, ws) => {
        if (!o.calculateTrainingLoss) return undefined;
        ws.gram(Y, nI, k, k, lambdaG);
        gramIsY = true;
        return lossWith(this.opts, backend, fs.users, X, Y, ws, fs.weighting, regU.array, regI.values);
      },
      measure: (factors) => {
        const probe = new ImplicitALS(this.opts);
        probe.useFactors(factors);
        try {
          return val!.measure(probe);
        } finally {
          probe.dispose();
        }
      },
    }).finally(() => fs.free());
  }

  /** The confidence the kernels apply with scale s (α already divided by it). */
  private weightingWith(scale: number): Weighting {
    return { alpha: this.opts.alpha / scale, epsilon: this.opts.epsilon, log: this.opts.confidence === 'log' };
  }

  /** The fitted model's confidence. */
  private get weighting(): Weighting {
    return this.weightingWith(this.scale);
  }

  /** λ on the Gram matrix: all of it, or none when each row brings its own (frequency scaling). */
  private get gramLambda(): number {
    return this.opts.frequencyScaling > 0 ? 0 : this.opts.regularization;
  }

  /**
   * The training objective of the current factors on `interactions` (default: the training matrix):
   * Σ c(p − x_uᵀy_i)² over all pairs + λ(Σ‖x‖² + Σ‖y‖²), computed with the YᵀY trick.
   */
  loss(interactions?: SparseMatrix): number {
    const { backend, X, Y } = this.requireFitted('loss');
    const m = interactions ?? this.trainMatrix;
    if (!(m instanceof SparseMatrix))
      throw new ValidationError('ImplicitALS.loss: pass the users × items matrix (the model has no training matrix)');
    if (m.rows !== this.userCount || m.cols !== this.itemCount) {
      throw new ValidationError(
        `ImplicitALS.loss: matrix shape [${m.rows}, ${m.cols}] does not match the model's [${this.userCount}, ${this.itemCount}]`,
      );
    }
    const ws = this.gramWorkspace('loss');
    const w = this.weighting;
    const regU = regRowsOn(this.opts, backend, m, w);
    try {
      const o = this.opts;
      const regI =
        o.frequencyScaling > 0
          ? colRegularization(this.trainMatrix ?? m, w, o.regularization, o.frequencyScaling)
          : undefined;
      return lossWith(this.opts, backend, heapRows(backend, m), X, Y, ws, w, regU.array, regI);
    } finally {
      regU.free();
    }
  }

  /**
   * The serving workspace with G = YᵀY + λI of the current item factors (for recalculateUser, explain,
   * partialFitUsers, loss), kept with the factors: it is freed with them and remade when they change.
   */
  private gramWorkspace(what: string): Workspace {
    const f = this.factors(what);
    return f.derive('gram', () => {
      const ws = new Workspace(f.backend, this.opts.factors, 0);
      ws.gram(f.Y, f.itemCount, this.opts.factors, this.opts.factors, this.gramLambda);
      return ws;
    });
  }

  /**
   * Exact solve of rows of `R` against the current item factors (`fixed` 'item': users' rows, count ×
   * items) or user factors ('user': items' rows), into a new heap block.
   */
  private solveRows(R: SparseMatrix, count: number, where: string, fixed: 'item' | 'user' = 'item'): HeapArray<'f32'> {
    const { backend, X, Y } = this.requireFitted(where);
    const o = this.opts;
    const k = o.factors;
    const againstItems = fixed === 'item';
    // Against the items, G = YᵀY + λI is kept with the factors; against the users it is made for this call.
    const ws = againstItems ? this.gramWorkspace(where) : new Workspace(backend, k, maxRowNnz(R));
    const w = this.weighting;
    let out: HeapArray<'f32'> | undefined;
    let reg: RegRows | undefined;
    try {
      if (againstItems) ws.reserve(maxRowNnz(R));
      else ws.gram(X, this.userCount, k, k, this.gramLambda);
      out = backend.heap.allocArray('f32', count * k);
      reg = regRowsOn(o, backend, R, w);
      const code = solveExact(o, heapRows(backend, R), againstItems ? Y : X, out, ws, count, w, reg.array);
      checkSolve(code, {
        model: 'ImplicitALS',
        method: where,
        side: againstItems ? 'user' : 'item',
        fixedSide: fixed,
        fixedCount: againstItems ? this.itemCount : this.userCount,
        factors: k,
        regularization: o.regularization,
        matrix: heapRows(backend, R),
        scaleHint: `alpha × largest |value| = ${w.alpha * maxAbs(R)}`,
      });
    } catch (e) {
      out?.free();
      throw e;
    } finally {
      reg?.free();
      if (!againstItems) ws.free();
      R.releaseHeap();
    }
    return out;
  }

  /**
   * The exact least-squares factors of a user with interactions `userItems` (new, or whose history changed),
   * given the current item factors — like implicit's `recalculate_user`. Does not change the model.
   */
  recalculateUser(userItems: UserItems): Float32Array {
    this.requireFitted('recalculateUser');
    const R = userItemsMatrix(userItems, this.itemCount, 'ImplicitALS.recalculateUser');
    const out = this.solveRows(R, 1, 'recalculateUser');
    const x = out.toArray();
    out.free();
    return x;
  }

  /**
   * Why `item` scores as it does for `user` (HKV 2008 §5): with W = (YᵀC_uY + λI)⁻¹, the score
   * x_uᵀy_i = Σ_{j∈I_u} (y_iᵀ W y_j)·c_uj·p_uj is a sum of one contribution per liked item j. Returns the
   * score and the `n` largest contributions (default 10), explained from `userItems` (else row `user` of
   * `interactions`, else the user's training row); the score uses x_u recomputed from them exactly, as
   * implicit's `explain` does. By id: `explainById`.
   */
  explain(user: number, item: number, options?: ExplainOptions): Explanation;
  /** @deprecated Pass `{ userItems }` or `{ interactions }` and `{ n }` as options; this form warns once. */
  explain(user: number, item: number, userItems: UserItems | SparseMatrix | undefined, n?: number): Explanation;
  explain(user: number, item: number, options?: ExplainOptions | UserItems | SparseMatrix, n?: number): Explanation {
    const { Y } = this.requireFitted('explain');
    const o = this.opts;
    const eo = explainOptions(options, n, 'ImplicitALS.explain');
    const top = eo.n ?? 10;
    if (!Number.isInteger(item) || item < 0 || item >= this.itemCount)
      throw new ValidationError(`ImplicitALS.explain: item ${item} is outside [0, ${this.itemCount})`);
    if (!Number.isInteger(top) || top < 1)
      throw new ValidationError(`ImplicitALS.explain: n must be a positive integer, got ${top}`);
    const { idx, vals } = explainedItems(user, eo, this.itemCount, this.trainMatrix);
    const weighting = this.weighting;
    const G = { view: this.gramWorkspace('explain').G64.view, kp: rnd4(o.factors) };
    const reg = explainedRegularization(idx, vals, weighting, o);
    const row = { idx, vals, item, n: top, user };
    return explainRow({ G, reg, Y: Y.view, k: o.factors, weighting, regularization: o.regularization, ...row });
  }

  /** `explain` by original ids: the contributions come with their item ids. */
  explainById(userId: Id, itemId: Id, options: Omit<ExplainOptions, 'userItems'> = {}): IdExplanation {
    const where = 'ImplicitALS.explainById';
    const { users, items } = this.requireIds(where);
    checkOptions(options, where, ['n', 'interactions']);
    const e = this.explain(indexOfId(users, userId, 'user', where), indexOfId(items, itemId, 'item', where), options);
    return { score: e.score, contributions: withIds(items, e.contributions) };
  }

  protected override saveExtra(): ExtraState {
    return { json: { confidenceScale: this.scale } };
  }

  /** The fitted confidence scale of a saved model; options an older file lacks take their legacy values. */
  protected override loadExtra(extra: ExtraState): void {
    const s = (extra.json as { confidenceScale?: unknown } | undefined)?.confidenceScale;
    this.scale = typeof s === 'number' && Number.isFinite(s) && s > 0 ? s : 1;
    this.state.loaded();
  }

  /**
   * Recompute (or add) users' factors from their complete new interaction rows, given the current item
   * factors, without a full refit. `rows`: a users.length × items matrix or one `{ indices, values }` per
   * user. Indices ≥ userCount grow the model (rows in between get zero factors). The stored training rows
   * of these users are replaced, so `recommend` filters the new items.
   */
  partialFitUsers(users: ArrayLike<number>, rows: SparseMatrix | readonly UserItems[]): this {
    this.requireFitted('partialFitUsers');
    const k = this.opts.factors;
    const ids = indexList(users, Infinity, 'users', 'ImplicitALS.partialFitUsers', true);
    const R = rowsMatrix(rows, ids.length, this.itemCount, 'ImplicitALS.partialFitUsers');
    const out = this.solveRows(R, ids.length, 'partialFitUsers');
    const { backend, X, Y } = this.requireFitted('partialFitUsers');
    const nU = Math.max(this.userCount, ...Array.from(ids, (i) => i + 1));
    try {
      this.setFactors(backend, withRows(X, out, ids, nU, k), Y, k);
    } finally {
      out.free();
    }
    this.trainMatrix = replaceRows(this.trainMatrix, ids, R, [nU, this.itemCount]);
    return this;
  }

  /**
   * Recompute (or add) items' factors from their complete new interaction columns, given the current user
   * factors. `cols`: an items.length × users matrix (row j = the users of items[j]) or one
   * `{ indices: users, values }` per item. Indices ≥ itemCount grow the model.
   */
  partialFitItems(items: ArrayLike<number>, cols: SparseMatrix | readonly UserItems[]): this {
    this.requireFitted('partialFitItems');
    const k = this.opts.factors;
    const ids = indexList(items, Infinity, 'items', 'ImplicitALS.partialFitItems', true);
    const R = rowsMatrix(cols, ids.length, this.userCount, 'ImplicitALS.partialFitItems');
    const out = this.solveRows(R, ids.length, 'partialFitItems', 'user');
    const { backend, X, Y } = this.requireFitted('partialFitItems');
    const nI = Math.max(this.itemCount, ...Array.from(ids, (i) => i + 1));
    try {
      this.setFactors(backend, X, withRows(Y, out, ids, nI, k), k);
    } finally {
      out.free();
    }
    const T = this.trainMatrix ? this.trainMatrix.transpose() : undefined;
    this.trainMatrix = replaceRows(T, ids, R, [nI, this.userCount]).transpose();
    return this;
  }
}

registerModel('ImplicitALS', ImplicitALS);
