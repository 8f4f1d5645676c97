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
import { cholesky, choleskySolve } from '../kernels/cholesky.js';
import { rnd4 } from '../runtime/declarations.js';
import { uniformFactors } from './init.js';
import { checkFitOptions, resolveImplicitOptions, type FitOptions, type ImplicitALSOptions, type ResolvedImplicitALSOptions } from './options.js';
import { indexList } from '../recommend/filters.js';
import { matrixOf, replaceRows, rowsMatrix, userItemsMatrix } from '../recommend/inputs.js';
import { checkAbort, checkFitBudget, checkSolve, csrArgs, heapRows, maxAbs, maxColNnz, maxRowNnz, Workspace, type FailureContext, type HeapRows } from './solve.js';
import { heapTranspose } from '../data/csr-heap.js';
import { fitLoop } from './fit.js';
import { FitValidation } from './validate.js';

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
 * Minimises Σ_{u,i} c_ui·(p_ui − x_uᵀy_i)² + λ·(Σ‖x_u‖² + Σ‖y_i‖²) over all user–item pairs, where
 * p_ui = 1 if r_ui > 0 else 0 and c_ui = 1 + α·|r_ui| (`confidence: 'linear'`) or
 * 1 + α·log(1 + |r_ui|/ε) (`'log'`). Unobserved pairs have r = 0, so c = 1, p = 0. Negative values give
 * p = 0 with confidence from |r| (as Spark and implicit do): "watched and disliked".
 *
 * Per row the normal equations are (YᵀY + Σ_{i∈I_u}(c_ui − 1)·y_i·y_iᵀ + λI)·x_u = Σ c_ui·p_ui·y_i; YᵀY
 * is computed once per half-iteration and only the row's own items are added.
 *
 * **Difference from benfred/implicit.** implicit reads its input matrix as the confidence itself,
 * c = α·r (its `alpha` scales the matrix you pass), without our "1 +". To reproduce one with the other:
 * - our model on raw values r with our α ≡ implicit fitted on the matrix 1 + α·r (with its alpha = 1);
 * - implicit fitted on a matrix M (alpha = 1) ≡ our model on values M − 1 with `alpha: 1` (exact for
 *   entries with M > 1; entries with M ≤ 1 would get p = 0 here).
 * For large α (e.g. 40 on 0/1 data: c = 41 here, 40 there) the difference is negligible.
 *
 * Factors start uniform in [0, 0.01) from `seed` (as implicit does): the same seed gives identical
 * factors, and the wasm and js backends agree to rounding. Solvers: `'cholesky'` is exact (f32 SIMD
 * factorization with one f64 refinement step; rows with ≤ 12 interactions via the Woodbury identity in
 * f64); `'cg'` runs `cgSteps` f32 conjugate-gradient steps per row per half-iteration, warm-started.
 *
 * @example
 * const model = new ImplicitALS({ factors: 64, iterations: 15, seed: 1 });
 * await model.fit(userItems);
 * const { items, scores } = model.recommend(0, { n: 10 });
 */
export class ImplicitALS extends FactorModel {
  readonly modelType = 'ImplicitALS';
  private readonly opts: ResolvedImplicitALSOptions;

  constructor(options: ImplicitALSOptions = {}) {
    super();
    this.opts = resolveImplicitOptions(options);
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
    this.checkNotDisposed('fit');
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
    const maxNnz = Math.max(maxRowNnz(Cui), maxColNnz(Cui));
    checkFitBudget('ImplicitALS', backend, Cui, k, k, maxNnz);
    const rng = new Rng(o.seed);
    const scaleHint = `alpha × largest |value| = ${o.alpha * maxAbs(Cui)}`;
    // The matrix moves into the heap (its one copy from now on) and its transpose is built there, for this fit only.
    const rowsUI = heapRows(backend, Cui, true);
    const rowsIU = heapTranspose(backend, rowsUI.csr, nU, nI);
    const base = { model: 'ImplicitALS', factors: k, regularization: o.regularization, scaleHint };
    const userCtx: FailureContext = { ...base, side: 'user', fixedSide: 'item', fixedCount: nI, matrix: rowsUI };
    const itemCtx: FailureContext = { ...base, side: 'item', fixedSide: 'user', fixedCount: nU, matrix: rowsIU };
    // G = YᵀY + λI is left in the workspace by the loss; the next iteration's user step reuses it.
    let gramIsY = false;
    const { X, Y } = await fitLoop({
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
        if (!gramIsY) ws.gram(Y, nI, k, k, o.regularization);
        checkSolve(this.halfStep(rowsUI, Y, X, ws, nU), userCtx);
        abort();
        ws.gram(X, nU, k, k, o.regularization);
        checkSolve(this.halfStep(rowsIU, X, Y, ws, nI), itemCtx);
        gramIsY = false;
      },
      loss: (X, Y, ws) => {
        if (!o.calculateTrainingLoss) return undefined;
        ws.gram(Y, nI, k, k, o.regularization);
        gramIsY = true;
        return this.lossWith(backend, rowsUI, X, Y, ws);
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
    }).finally(() => rowsIU.free());
    this.adoptFit(backend, X, Y, k, Cui, users as IdMap | undefined, items as IdMap | undefined);
    return this;
  }

  /** The confidence arguments every implicit kernel takes. */
  private confidenceArgs(): { k: number; alpha: number; eps: number; logConf: number } {
    const o = this.opts;
    return { k: o.factors, alpha: o.alpha, eps: o.epsilon, logConf: o.confidence === 'log' ? 1 : 0 };
  }

  /** Exact solve of every row of `m` into `out` given `fixed` (ws holds G = fixedᵀfixed + λI); returns the kernel code. */
  private solveExact(m: HeapRows, fixed: HeapArray<'f32'>, out: HeapArray<'f32'>, ws: Workspace, rows: number): number {
    const args = { ...csrArgs(m.csr), Y: fixed.ptr, G64: ws.G64.ptr, G32: ws.G32.ptr, X: out.ptr, ...this.confidenceArgs() };
    return ws.solveRows('alsImplicitCholesky', args, m, rows, this.opts.factors);
  }

  /** One half-iteration: solve every row of `m` (rows × fixed-count) into `out` given `fixed`. */
  private halfStep(m: HeapRows, fixed: HeapArray<'f32'>, out: HeapArray<'f32'>, ws: Workspace, rows: number): number {
    const o = this.opts;
    if (o.solver === 'cholesky') return this.solveExact(m, fixed, out, ws, rows);
    const args = { ...csrArgs(m.csr), Y: fixed.ptr, G32: ws.G32.ptr, X: out.ptr, ...this.confidenceArgs(), steps: o.cgSteps };
    return ws.solveRows('alsImplicitCg', args, m, rows, o.factors);
  }

  /** The full objective, with ws holding G = YᵀY + λI of the current Y. */
  private lossWith(backend: Backend, Cui: HeapRows, X: HeapArray<'f32'>, Y: HeapArray<'f32'>, ws: Workspace): number {
    const o = this.opts;
    const k = o.factors;
    const args = { ...csrArgs(Cui.csr), X: X.ptr, Y: Y.ptr, G64: ws.G64.ptr, r0: 0, r1: Cui.rows, ...this.confidenceArgs(), scratch: ws.scratch };
    const rows = backend.kernels.call('alsImplicitLoss', args);
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
    const ws = this.gramWorkspace('loss');
    return this.lossWith(backend, heapRows(backend, m), X, Y, ws);
  }

  /**
   * The serving workspace with G = YᵀY + λI of the current item factors (for recalculateUser, explain,
   * partialFitUsers, loss), kept with the factors: it is freed with them and remade when they change.
   */
  private gramWorkspace(what: string): Workspace {
    const f = this.factors(what);
    return f.derive('gram', () => {
      const ws = new Workspace(f.backend, this.opts.factors, 0);
      ws.gram(f.Y, f.itemCount, this.opts.factors, this.opts.factors, this.opts.regularization);
      return ws;
    });
  }

  /** Exact solve of rows of `R` (count × items) against the current item factors, into a new heap block. */
  private solveRows(R: SparseMatrix, count: number, where: string): HeapArray<'f32'> {
    const { backend, Y } = this.requireFitted(where);
    const o = this.opts;
    const ws = this.gramWorkspace(where);
    const out = backend.heap.allocArray('f32', count * o.factors);
    try {
      ws.reserve(maxRowNnz(R));
      const code = this.solveExact(heapRows(backend, R), Y, out, ws, count);
      checkSolve(code, {
        model: 'ImplicitALS', method: where, side: 'user', fixedSide: 'item', fixedCount: this.itemCount, factors: o.factors,
        regularization: o.regularization, matrix: heapRows(backend, R), scaleHint: `alpha × largest |value| = ${o.alpha * maxAbs(R)}`,
      });
    } catch (e) {
      out.free();
      throw e;
    } finally {
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
    const ws = this.gramWorkspace('explain');
    const kp = rnd4(k);
    const g = ws.G64.view;
    const A = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) A[a * k + b] = g[a * kp + b];
    const y = Y.view;
    const conf = (r: number): number => (o.confidence === 'log' ? 1 + o.alpha * Math.log(1 + Math.abs(r) / o.epsilon) : 1 + o.alpha * Math.abs(r));
    for (let q = 0; q < idx.length; q++) {
      const j = idx[q];
      const c1 = conf(vals ? vals[q] : 1) - 1;
      for (let a = 0; a < k; a++) {
        const s = c1 * y[j * k + a];
        for (let b = 0; b <= a; b++) A[a * k + b] += s * y[j * k + b];
      }
    }
    const invd = new Float64Array(k);
    if (cholesky(A, invd, k, k) !== -1) throw new ModelFitError(`ImplicitALS.explain: user ${user}'s system is not positive definite (regularization ${o.regularization}); use regularization > 0`);
    const w = Float64Array.from(y.subarray(item * k, item * k + k));
    choleskySolve(A, invd, w, k, k);
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
    const ids = indexList(users, Infinity, 'users', 'ImplicitALS.partialFitUsers', true);
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
    const ids = indexList(items, Infinity, 'items', 'ImplicitALS.partialFitItems', true);
    const R = rowsMatrix(cols, ids.length, this.userCount, 'ImplicitALS.partialFitItems');
    const nI = Math.max(this.itemCount, ...Array.from(ids, (i) => i + 1));
    const ws = new Workspace(backend, k, maxRowNnz(R));
    let out: HeapArray<'f32'> | undefined;
    try {
      ws.gram(X, this.userCount, k, k, o.regularization);
      out = backend.heap.allocArray('f32', ids.length * k);
      const code = this.solveExact(heapRows(backend, R), X, out, ws, ids.length);
      checkSolve(code, {
        model: 'ImplicitALS', method: 'partialFitItems', side: 'item', fixedSide: 'user', fixedCount: this.userCount, factors: k,
        regularization: o.regularization, matrix: heapRows(backend, R), scaleHint: `alpha × largest |value| = ${o.alpha * maxAbs(R)}`,
      });
      let Y2 = Y;
      if (nI > this.itemCount) {
        Y2 = backend.heap.allocArray('f32', nI * k);
        Y2.view.set(Y.view);
      }
      const yv = Y2.view;
      const ov = out.view;
      for (let j = 0; j < ids.length; j++) yv.set(ov.subarray(j * k, j * k + k), ids[j] * k);
      this.setFactors(backend, X, Y2, k);
    } finally {
      out?.free();
      ws.free();
      R.releaseHeap();
    }
    const T = this.trainMatrix ? this.trainMatrix.transpose() : undefined;
    this.trainMatrix = replaceRows(T, ids, R, [nI, this.userCount]).transpose();
    return this;
  }
}

registerModel('ImplicitALS', ImplicitALS);
