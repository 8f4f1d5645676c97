/**
 * ImplicitALS: matrix factorization for implicit feedback (Hu, Koren & Volinsky, "Collaborative Filtering
 * for Implicit Feedback Datasets", ICDM 2008), solved by alternating least squares with an exact
 * (Cholesky) or conjugate-gradient (Takács, Pilászy & Tikk 2011) solver per row.
 * @module
 */
import { ModelFitError, ValidationError } from '../errors.js';
import { SparseMatrix } from '../data/csr.js';
import type { IdMap } from '../data/idmap.js';
import { ensureBackend, type Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';
import { FactorModel } from '../recommend/base.js';
import { registerModel } from '../recommend/registry.js';
import type { Recommendation, UserItems } from '../recommend/types.js';
import { Rng } from '../random.js';
import { choleskyInPlace, choleskySolve } from './dense.js';
import { uniformFactors } from './init.js';
import { checkFitOptions, LEGACY_IMPLICIT_OPTIONS, resolveImplicitOptions, type FitOptions, type ImplicitALSOptions, type ResolvedImplicitALSOptions } from './options.js';
import { indexList, matrixOf, replaceRows, rowsMatrix, userItemsMatrix } from './rows.js';
import { checkAbort, checkFitBudget, checkSolve, csrPtrs, maxAbs, maxRowNnz, rnd4, Workspace, yieldToEventLoop, type FailureContext } from './solve.js';
import { FitValidation } from './validate.js';
import { confidenceOf, confidenceScale, rowRegularization, scaledRegularization, type Weighting } from './weights.js';
import type { ExtraState } from '../recommend/base.js';

/** What `explain` returns. */
export interface Explanation {
  /** The user's score for the item, x_uᵀy_i with x_u recomputed exactly from the given interactions. */
  score: number;
  /** The liked items that contribute most to `score`, largest first; the contributions sum to `score`. */
  contributions: Recommendation;
}

/**
 * Implicit-feedback ALS.
 *
 * Minimises Σ_{u,i} c_ui·(p_ui − x_uᵀy_i)² + Σ_u λ_u‖x_u‖² + Σ_i λ_i‖y_i‖² over all user–item pairs, where
 * p_ui = 1 if r_ui > 0 else 0 and c_ui = 1 + α·g(r_ui)/s with g(r) = log(1 + |r|/ε) (`confidence: 'log'`,
 * default) or |r| (`'linear'`), and s the mean of g over the training values (`scaleConfidence`, default;
 * else 1) — so α means the same for 0/1 data, ratings 1–5 and play counts. Unobserved pairs have c = 1,
 * p = 0. Negative values give p = 0 with confidence from |r| (as Spark and implicit do): "watched and
 * disliked". The penalty is frequency-scaled (after Rendle et al. 2021): λ_u = λ·(Σ_{i∈I_u} c_ui)^ν
 * (`frequencyScaling` ν, default 0.5), or plain λ with ν = 0 (Hu, Koren & Volinsky; implicit).
 *
 * Per row the normal equations are (YᵀY + Σ_{i∈I_u}(c_ui − 1)·y_i·y_iᵀ + λ_u·I)·x_u = Σ c_ui·p_ui·y_i; YᵀY
 * is computed once per half-iteration and only the row's own items are added.
 *
 * The defaults rank better than implicit's defaults on MovieLens ratings, Last.fm play counts and 0/1 data
 * (README, "Defaults"); lowrank 0.1's model is `{ regularization: 0.01, alpha: 40, confidence: 'linear',
 * scaleConfidence: false, frequencyScaling: 0 }`, and model files saved by it load with that behaviour.
 *
 * **Difference from benfred/implicit.** implicit reads its input matrix as the confidence itself,
 * c = α·r (its `alpha` scales the matrix you pass), without our "1 +", and its λ is plain. To reproduce one
 * with the other (with `scaleConfidence: false, frequencyScaling: 0, confidence: 'linear'` here):
 * - our model on raw values r with our α ≡ implicit fitted on the matrix 1 + α·r (with its alpha = 1);
 * - implicit fitted on a matrix M (alpha = 1) ≡ our model on values M − 1 with `alpha: 1` (exact for
 *   entries with M > 1; entries with M ≤ 1 would get p = 0 here).
 * For large α (e.g. 40 on 0/1 data: c = 41 here, 40 there) the difference is negligible.
 *
 * Factors start uniform in [0, 0.01) from `seed` (as implicit does): the same seed gives identical
 * factors, and the wasm and js backends agree to rounding. Solvers: `'cholesky'` is exact (f32 SIMD
 * factorization with one f64 refinement step; with plain λ, rows with ≤ 12 interactions via the Woodbury
 * identity in f64); `'cg'` runs `cgSteps` f32 conjugate-gradient steps per row per half-iteration,
 * warm-started.
 *
 * @example
 * const model = new ImplicitALS({ seed: 1 }); // defaults that hold on ratings, counts and 0/1 data
 * await model.fit(userItems);
 * const { items, scores } = model.recommend(0, { n: 10 });
 */
export class ImplicitALS extends FactorModel {
  readonly modelType = 'ImplicitALS';
  private opts: ResolvedImplicitALSOptions;
  /** s of the confidence 1 + α·g(r)/s, fitted with `scaleConfidence` (else 1); saved with the model. */
  private scale = 1;
  /** The option keys this model was constructed with (a saved model's file lists them all, an old one fewer). */
  private readonly givenKeys: readonly string[];
  /** YᵀY + λI of the current item factors, for recalculateUser / explain / partialFitUsers. */
  private servingWs: Workspace | undefined;
  private servingFresh = false;

  constructor(options: ImplicitALSOptions = {}) {
    super();
    this.opts = resolveImplicitOptions(options);
    this.givenKeys = options && typeof options === 'object' ? Object.keys(options) : [];
  }

  /** The confidence the kernels apply (α already divided by the fitted scale). */
  private get weighting(): Weighting {
    const o = this.opts;
    return { alpha: o.alpha / this.scale, epsilon: o.epsilon, log: o.confidence === 'log' };
  }

  /** λ on the Gram matrix: all of it, or none when each row gets its own (frequency scaling). */
  private get gramLambda(): number {
    return this.opts.frequencyScaling > 0 ? 0 : this.opts.regularization;
  }

  /** Per-row λ_u of rows of `m` on the heap (0 = none: λ is on the Gram matrix); free with the returned function. */
  private regRowsOn(backend: Backend, m: SparseMatrix): { ptr: number; values?: Float32Array; free(): void } {
    const o = this.opts;
    if (o.frequencyScaling === 0) return { ptr: 0, free() {} };
    const values = rowRegularization(m, this.weighting, o.regularization, o.frequencyScaling);
    const a = backend.heap.copyIn(values);
    return { ptr: a.ptr, values, free: () => a.free() };
  }

  /** The resolved options (every default filled in, including the seed actually used). */
  get options(): ResolvedImplicitALSOptions {
    return { ...this.opts };
  }

  /** User factors, a copy: row-major Float32Array of userCount × factors. */
  get userFactors(): Float32Array {
    return this.requireFitted('userFactors').X.toArray();
  }

  /** Item factors, a copy: row-major Float32Array of itemCount × factors. */
  get itemFactors(): Float32Array {
    return this.requireFitted('itemFactors').Y.toArray();
  }

  /**
   * Fit on a users × items matrix of interaction strengths (counts, durations, …; not confidences).
   * Resolves to the model. With a `signal`, aborting stops the fit within one iteration with an
   * AbortError and leaves the model as it was. Throws ModelFitError (naming the row and likely cause)
   * instead of ever producing NaN/Inf factors.
   */
  async fit(userItems: SparseMatrix | { matrix: SparseMatrix; users?: IdMap; items?: IdMap }, options?: FitOptions): Promise<this> {
    const fo = checkFitOptions('ImplicitALS.fit', options);
    const { matrix: Cui, users, items } = matrixOf(userItems, 'ImplicitALS.fit');
    const backend = await ensureBackend();
    checkAbort(fo.signal, 'ImplicitALS');
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
    const Ciu = Cui.transpose();
    const previousScale = this.scale;
    const scale = o.scaleConfidence ? confidenceScale(Cui, o.confidence === 'log', o.epsilon) : 1;
    const maxNnz = Math.max(maxRowNnz(Cui), maxRowNnz(Ciu));
    checkFitBudget('ImplicitALS', backend, Cui, k, k, maxNnz);
    const rng = new Rng(o.seed);
    const heap = backend.heap;
    const initX = uniformFactors(rng, nU, k);
    const initY = uniformFactors(rng, nI, k);
    let X: HeapArray<'f32'> | undefined;
    let Y: HeapArray<'f32'> | undefined;
    let ws: Workspace | undefined;
    let regU: { ptr: number; free(): void } | undefined;
    let regI: { ptr: number; values?: Float32Array; free(): void } | undefined;
    // The kernels read the scale through this.weighting; a failed or aborted fit puts the old one back.
    this.scale = scale;
    const lambdaG = this.gramLambda;
    try {
      X = heap.copyIn(initX);
      Y = heap.copyIn(initY);
      ws = new Workspace(backend, k, maxNnz);
      regU = this.regRowsOn(backend, Cui);
      regI = this.regRowsOn(backend, Ciu);
      const scaleHint = `alpha × largest |value| = ${(o.alpha / scale) * maxAbs(Cui)}`;
      const base = { model: 'ImplicitALS', factors: k, regularization: o.regularization, scaleHint };
      const userCtx: FailureContext = { ...base, side: 'user', fixedSide: 'item', fixedCount: nI, matrix: Cui };
      const itemCtx: FailureContext = { ...base, side: 'item', fixedSide: 'user', fixedCount: nU, matrix: Ciu };
      let gramIsY = false;
      for (let it = 0; it < o.iterations; it++) {
        checkAbort(fo.signal, 'ImplicitALS');
        const t0 = performance.now();
        if (!gramIsY) ws.gram(Y, nI, k, k, lambdaG);
        checkSolve(this.halfStep(backend, Cui, Y, X, ws, nU, regU.ptr), userCtx);
        checkAbort(fo.signal, 'ImplicitALS');
        ws.gram(X, nU, k, k, lambdaG);
        checkSolve(this.halfStep(backend, Ciu, X, Y, ws, nI, regI.ptr), itemCtx);
        const seconds = (performance.now() - t0) / 1000;
        let loss: number | undefined;
        gramIsY = false;
        if (o.calculateTrainingLoss) {
          ws.gram(Y, nI, k, k, lambdaG);
          gramIsY = true;
          loss = this.lossWith(backend, Cui, X, Y, ws, regU.ptr, regI.values);
        }
        const [Xc, Yc] = [X, Y]; // narrowed, for the closure
        const v = val?.check(it, Xc, Yc, () => {
          const probe = new ImplicitALS(this.opts);
          return probe.serveBorrowed(backend, Xc, Yc, k, () => val.measure(probe));
        });
        fo.onIteration?.({ iteration: it, ...(loss !== undefined ? { loss } : {}), seconds, ...(v?.validation ? { validation: v.validation } : {}) });
        if (v?.stop) break;
        await yieldToEventLoop();
      }
      val?.restoreBest(X, Y);
      checkAbort(fo.signal, 'ImplicitALS');
    } catch (e) {
      X?.free();
      Y?.free();
      this.scale = previousScale;
      throw e;
    } finally {
      ws?.free();
      regU?.free();
      regI?.free();
    }
    this.adoptFit(backend, X, Y, k, Cui, users as IdMap | undefined, items as IdMap | undefined);
    return this;
  }

  /** One half-iteration: solve every row of `m` (rows × fixed-count) into `out` given `fixed`. */
  private halfStep(backend: Backend, m: SparseMatrix, fixed: HeapArray<'f32'>, out: HeapArray<'f32'>, ws: Workspace, rows: number, regRows: number): number {
    const o = this.opts;
    const w = this.weighting;
    const [ip, ix, dt] = csrPtrs(m.onHeap(backend));
    const logConf = w.log ? 1 : 0;
    if (o.solver === 'cholesky') {
      return ws.solveRows('alsImplicitCholesky', [ip, ix, dt, fixed.ptr, ws.G64.ptr, ws.G32.ptr, out.ptr, 0, rows, o.factors, w.alpha, w.epsilon, logConf, ws.scratch, regRows], m, rows, o.factors);
    }
    return ws.solveRows('alsImplicitCg', [ip, ix, dt, fixed.ptr, ws.G32.ptr, out.ptr, 0, rows, o.factors, w.alpha, w.epsilon, logConf, o.cgSteps, ws.scratch, regRows], m, rows, o.factors);
  }

  /**
   * The full objective, with ws holding G = YᵀY + λ_G·I of the current Y; with frequency scaling the
   * per-row λ of the users (on the heap) and of the items (their values).
   */
  private lossWith(backend: Backend, Cui: SparseMatrix, X: HeapArray<'f32'>, Y: HeapArray<'f32'>, ws: Workspace, regUsers: number, regItems: Float32Array | undefined): number {
    const o = this.opts;
    const w = this.weighting;
    const k = o.factors;
    const [ip, ix, dt] = csrPtrs(Cui.onHeap(backend));
    const rows = backend.k.alsImplicitLoss(ip, ix, dt, X.ptr, Y.ptr, ws.G64.ptr, 0, Cui.rows, k, w.alpha, w.epsilon, w.log ? 1 : 0, ws.scratch, regUsers);
    if (regItems) {
      const y = Y.view;
      let items = 0;
      for (let i = 0; i < regItems.length; i++) {
        let sq = 0;
        for (let a = 0; a < k; a++) sq += y[i * k + a] * y[i * k + a];
        items += regItems[i] * sq;
      }
      return rows + items;
    }
    // λ‖Y‖² = λ·trace(YᵀY) = λ·(trace(G) − kλ).
    const g = ws.G64.view;
    const kp = rnd4(k);
    let trace = 0;
    for (let a = 0; a < k; a++) trace += g[a * kp + a] - o.regularization;
    return rows + o.regularization * trace;
  }

  /**
   * The training objective of the current factors on `userItems` (default: the training matrix):
   * Σ c(p − x_uᵀy_i)² over all pairs + λ(Σ‖x‖² + Σ‖y‖²), computed with the YᵀY trick.
   */
  loss(userItems?: SparseMatrix): number {
    const { backend, X, Y } = this.requireFitted('loss');
    const m = userItems ?? this.trainMatrix;
    if (!(m instanceof SparseMatrix)) throw new ValidationError('ImplicitALS.loss: pass the users × items matrix (the model has no training matrix)');
    if (m.rows !== this.userCount || m.cols !== this.itemCount) {
      throw new ValidationError(`ImplicitALS.loss: matrix shape [${m.rows}, ${m.cols}] does not match the model's [${this.userCount}, ${this.itemCount}]`);
    }
    const ws = this.serving();
    const regU = this.regRowsOn(backend, m);
    try {
      const regI = this.opts.frequencyScaling > 0 ? rowRegularization((this.trainMatrix ?? m).transpose(), this.weighting, this.opts.regularization, this.opts.frequencyScaling) : undefined;
      return this.lossWith(backend, m, X, Y, ws, regU.ptr, regI);
    } finally {
      regU.free();
    }
  }

  /** The serving workspace with G = YᵀY + λI of the current item factors. */
  private serving(): Workspace {
    const { backend, Y } = this.requireFitted('recalculateUser');
    if (this.servingWs && this.servingWs.backend !== backend) {
      this.servingWs.free();
      this.servingWs = undefined;
    }
    this.servingWs ??= new Workspace(backend, this.opts.factors, 0);
    if (!this.servingFresh) {
      this.servingWs.gram(Y, this.itemCount, this.opts.factors, this.opts.factors, this.gramLambda);
      this.servingFresh = true;
    }
    return this.servingWs;
  }

  protected override saveExtra(): ExtraState {
    return { json: { confidenceScale: this.scale } };
  }

  /**
   * A saved model's fitted confidence scale. Files written before `scaleConfidence` and
   * `frequencyScaling` existed list fewer options: the missing ones take the values that reproduce the
   * behaviour they were saved with (LEGACY_IMPLICIT_OPTIONS), not today's defaults.
   */
  protected override loadExtra(extra: ExtraState): void {
    const j = (extra.json ?? {}) as { confidenceScale?: unknown };
    const s = j.confidenceScale;
    this.scale = typeof s === 'number' && Number.isFinite(s) && s > 0 ? s : 1;
    const missing = Object.keys(LEGACY_IMPLICIT_OPTIONS).filter((key) => !this.givenKeys.includes(key));
    if (missing.length > 0) {
      const given = Object.fromEntries(this.givenKeys.map((key) => [key, this.opts[key as keyof ResolvedImplicitALSOptions]]));
      this.opts = resolveImplicitOptions({ ...LEGACY_IMPLICIT_OPTIONS, ...given });
    }
  }

  /** X or Y changed (fit, partial fit, load): the cached YᵀY + λI is stale. */
  protected override factorsChanged(): void {
    this.servingFresh = false;
    super.factorsChanged();
  }

  override dispose(): void {
    this.servingWs?.free();
    this.servingWs = undefined;
    this.servingFresh = false;
    super.dispose();
  }

  /** Exact solve of rows of `R` (count × items) against the current item factors, into a new heap block. */
  private solveRows(R: SparseMatrix, count: number, where: string): HeapArray<'f32'> {
    const { backend, Y } = this.requireFitted(where);
    const o = this.opts;
    const ws = this.serving();
    const w = this.weighting;
    const out = backend.heap.allocArray('f32', count * o.factors);
    let reg: { ptr: number; free(): void } | undefined;
    try {
      const scratch = ws.reserve(maxRowNnz(R));
      reg = this.regRowsOn(backend, R);
      const [ip, ix, dt] = csrPtrs(R.onHeap(backend));
      const code = backend.k.alsImplicitCholesky(ip, ix, dt, Y.ptr, ws.G64.ptr, ws.G32.ptr, out.ptr, 0, count, o.factors, w.alpha, w.epsilon, w.log ? 1 : 0, scratch, reg.ptr);
      checkSolve(code, {
        model: 'ImplicitALS', method: where, side: 'user', fixedSide: 'item', fixedCount: this.itemCount, factors: o.factors,
        regularization: o.regularization, matrix: R, scaleHint: `alpha × largest |value| = ${w.alpha * maxAbs(R)}`,
      });
    } catch (e) {
      out.free();
      throw e;
    } finally {
      reg?.free();
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
   * score and the `n` largest contributions (default 10). `userItems`: the user's interactions (default:
   * the user's training row); the score uses x_u recomputed from them exactly, as implicit's `explain` does.
   */
  explain(user: number, item: number, userItems?: UserItems | SparseMatrix, n = 10): Explanation {
    const { Y } = this.requireFitted('explain');
    const k = this.opts.factors;
    if (!Number.isInteger(item) || item < 0 || item >= this.itemCount) throw new ValidationError(`ImplicitALS.explain: item ${item} is outside [0, ${this.itemCount})`);
    if (!Number.isInteger(n) || n < 1) throw new ValidationError(`ImplicitALS.explain: n must be a positive integer, got ${n}`);
    let idx: ArrayLike<number>;
    let vals: ArrayLike<number> | undefined;
    if (userItems instanceof SparseMatrix) {
      ({ indices: idx, values: vals } = userItems.row(user));
    } else if (userItems !== undefined) {
      const R = userItemsMatrix(userItems, this.itemCount, 'ImplicitALS.explain');
      idx = R.indices;
      vals = R.data;
    } else {
      if (!this.trainMatrix) throw new ValidationError('ImplicitALS.explain: the model has no training interactions; pass userItems');
      if (!Number.isInteger(user) || user < 0 || user >= this.trainMatrix.rows) throw new ValidationError(`ImplicitALS.explain: user ${user} is outside [0, ${this.trainMatrix.rows})`);
      ({ indices: idx, values: vals } = this.trainMatrix.row(user));
    }
    const o = this.opts;
    const wt = this.weighting;
    const ws = this.serving();
    const kp = rnd4(k);
    const g = ws.G64.view;
    const A = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) A[a * k + b] = g[a * kp + b];
    const y = Y.view;
    const conf = (r: number): number => confidenceOf(r, wt);
    if (o.frequencyScaling > 0) {
      let weight = 0;
      for (let q = 0; q < idx.length; q++) weight += conf(vals ? vals[q] : 1);
      const reg = scaledRegularization(weight, o.regularization, o.frequencyScaling);
      for (let a = 0; a < k; a++) A[a * k + a] += reg;
    }
    for (let q = 0; q < idx.length; q++) {
      const j = idx[q];
      const c1 = conf(vals ? vals[q] : 1) - 1;
      for (let a = 0; a < k; a++) {
        const s = c1 * y[j * k + a];
        for (let b = 0; b <= a; b++) A[a * k + b] += s * y[j * k + b];
      }
    }
    if (!choleskyInPlace(A, k)) throw new ModelFitError(`ImplicitALS.explain: user ${user}'s system is not positive definite (regularization ${o.regularization}); use regularization > 0`);
    const w = choleskySolve(A, k, y.subarray(item * k, item * k + k));
    const contrib = new Float64Array(idx.length);
    let score = 0;
    for (let q = 0; q < idx.length; q++) {
      const r = vals ? vals[q] : 1;
      if (!(r > 0)) continue;
      const j = idx[q];
      let s = 0;
      for (let a = 0; a < k; a++) s += w[a] * y[j * k + a];
      contrib[q] = conf(r) * s;
      score += contrib[q];
    }
    const order = Array.from(contrib.keys()).filter((q) => (vals ? vals[q] : 1) > 0);
    order.sort((a, b) => contrib[b] - contrib[a] || idx[a] - idx[b]);
    const top = order.slice(0, n);
    return {
      score,
      contributions: { items: Int32Array.from(top, (q) => idx[q]), scores: Float32Array.from(top, (q) => contrib[q]) },
    };
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
    const ids = indexList(users, 'ImplicitALS.partialFitUsers');
    const R = rowsMatrix(rows, ids.length, this.itemCount, 'ImplicitALS.partialFitUsers');
    const out = this.solveRows(R, ids.length, 'partialFitUsers');
    const { backend, X, Y } = this.requireFitted('partialFitUsers');
    const nU = Math.max(this.userCount, ...Array.from(ids, (i) => i + 1));
    try {
      let X2 = X;
      if (nU > this.userCount) {
        X2 = backend.heap.allocArray('f32', nU * k);
        X2.view.set(X.view);
      }
      const xv = X2.view;
      const ov = out.view;
      for (let j = 0; j < ids.length; j++) xv.set(ov.subarray(j * k, j * k + k), ids[j] * k);
      this.setFactors(backend, X2, Y, k);
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
    const { backend, X, Y } = this.requireFitted('partialFitItems');
    const o = this.opts;
    const k = o.factors;
    const ids = indexList(items, 'ImplicitALS.partialFitItems');
    const R = rowsMatrix(cols, ids.length, this.userCount, 'ImplicitALS.partialFitItems');
    const nI = Math.max(this.itemCount, ...Array.from(ids, (i) => i + 1));
    const ws = new Workspace(backend, k, maxRowNnz(R));
    let out: HeapArray<'f32'> | undefined;
    const w = this.weighting;
    let reg: { ptr: number; free(): void } | undefined;
    try {
      ws.gram(X, this.userCount, k, k, this.gramLambda);
      out = backend.heap.allocArray('f32', ids.length * k);
      reg = this.regRowsOn(backend, R);
      const [ip, ix, dt] = csrPtrs(R.onHeap(backend));
      const code = backend.k.alsImplicitCholesky(ip, ix, dt, X.ptr, ws.G64.ptr, ws.G32.ptr, out.ptr, 0, ids.length, k, w.alpha, w.epsilon, w.log ? 1 : 0, ws.scratch, reg.ptr);
      checkSolve(code, {
        model: 'ImplicitALS', method: 'partialFitItems', side: 'item', fixedSide: 'user', fixedCount: this.userCount, factors: k,
        regularization: o.regularization, matrix: R, scaleHint: `alpha × largest |value| = ${w.alpha * maxAbs(R)}`,
      });
      let Y2 = Y;
      if (nI > this.itemCount) {
        Y2 = backend.heap.allocArray('f32', nI * k);
        Y2.view.set(Y.view);
      }
      this.servingFresh = false;
      const yv = Y2.view;
      const ov = out.view;
      for (let j = 0; j < ids.length; j++) yv.set(ov.subarray(j * k, j * k + k), ids[j] * k);
      this.setFactors(backend, X, Y2, k);
    } finally {
      out?.free();
      reg?.free();
      ws.free();
      R.releaseHeap();
    }
    const T = this.trainMatrix ? this.trainMatrix.transpose() : undefined;
    this.trainMatrix = replaceRows(T, ids, R, [nI, this.userCount]).transpose();
    return this;
  }
}

registerModel('ImplicitALS', ImplicitALS);
