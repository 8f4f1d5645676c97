/**
 * LogisticMF: logistic matrix factorization for implicit feedback (Johnson, "Logistic Matrix
 * Factorization for Implicit Feedback Data", NIPS 2014 workshop), fitted by alternating AdaGrad steps.
 * @module
 */
import { SparseMatrix } from '../../data/csr.js';
import type { IdMap } from '../../data/idmap.js';
import { ensureBackend, type Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import { registerModel } from '../../recommend/registry.js';
import type { UserItems } from '../../recommend/types.js';
import { matrixOf, userItemsMatrix } from '../../recommend/inputs.js';
import { Rng } from '../../random.js';
import { confidenceScale } from '../common/confidence.js';
import { FactorModel, type ExtraState } from '../common/factor-model.js';
import { fitLoop } from '../common/fit-loop.js';
import { checkFitAbort, checkFitOptions, type FitOptions } from '../common/fit-options.js';
import { FitValidation } from '../common/fit-validation.js';
import { positiveEntries } from '../common/positives.js';
import { checkFinite } from '../common/finite.js';
import { LmfFit } from './fit.js';
import { foldInUser } from './foldin.js';
import {
  LMF_TUNE_SPACE,
  resolveLogisticMFOptions,
  type LogisticMFOptions,
  type ResolvedLogisticMFOptions,
} from './options.js';

/**
 * Logistic matrix factorization with implicit's API (`LogisticMatrixFactorization`: factors,
 * learningRate, regularization, iterations, negProp), but as the paper defines it. p(u likes i) =
 * σ(x_u·y_i + b_u + b_i); the log-likelihood Σ_{u,i} [c_ui·ln p_ui + ln(1 − p_ui)] − (λ/2)(‖X‖² + ‖Y‖²)
 * is maximised by alternating AdaGrad steps (all users, then all items), c_ui = α·g(r_ui)/s for stored
 * entries > 0 and 0 elsewhere. Rows are stored [x, 1, b_u] and [y, b_i, 1], so X·Yᵀ is the logit.
 *
 * **Differences from implicit 0.7.3's lmf.pyx** (which ranks barely above popularity, or below):
 * - its negatives are capped at `factors + 2` per row (`n_items` reads the factor count, `shape[1]`);
 * - it draws negatives by popularity (the column of a random stored entry), unweighted, so the
 *   "ln(1 − p)" sum over all pairs is neither estimated without bias nor at its scale; here the draws are
 *   uniform over all rows of the other side, weighted by count/draws, and exact when that is cheaper;
 * - it starts from N(0, 1) factors, which saturate σ from the first step; here N(0, 0.01²);
 * - it penalises the biases and keeps AdaGrad sums for the constant columns; here neither;
 * - its threads make a seed reproducible only per thread count; here every row draws from its own
 *   stream, so the factors are the same bits whatever the thread count.
 *
 * @example
 * const model = new LogisticMF({ seed: 1 });
 * await model.fit(interactions);
 * const { items, scores } = model.recommend(0, { n: 10 });
 */
export class LogisticMF extends FactorModel {
  /** tune()'s default search space: factors, learningRate, regularization, alpha. */
  static readonly tuneSpace = LMF_TUNE_SPACE;
  readonly modelType = 'LogisticMF';
  private readonly opts: ResolvedLogisticMFOptions;
  /** s of c = α·g(r)/s (fitted with `scaleConfidence`, else 1); saved with the model. */
  private scale = 1;
  /** w0, the weight of an unobserved pair: negProp × the training density; saved with the model. */
  private negWeight = 1;

  constructor(options: LogisticMFOptions = {}) {
    super();
    this.opts = resolveLogisticMFOptions(options);
  }

  /** The resolved options (every default filled in, including the seed actually used). */
  get options(): ResolvedLogisticMFOptions {
    return { ...this.opts };
  }

  /** Cosine similarity uses the latent factors only, not the bias columns. */
  protected override get factorColumns(): number {
    return this.opts.factors;
  }

  /**
   * Fit on a users × items matrix of interaction strengths (entries > 0 count). With a `signal`,
   * aborting stops the fit within one half-step with an AbortError and leaves the model as it was;
   * `validation` evaluates (and with `patience` stops early, keeping the best iteration's factors).
   */
  async fit(
    interactions: SparseMatrix | { matrix: SparseMatrix; users?: IdMap; items?: IdMap },
    options?: FitOptions,
  ): Promise<this> {
    this.checkNotDisposed('fit');
    const fo = checkFitOptions('LogisticMF.fit', options);
    const { matrix, users, items } = matrixOf(interactions, 'LogisticMF.fit');
    const backend = await ensureBackend();
    checkFitAbort(fo.signal, 'LogisticMF');
    const o = this.opts;
    const val = fo.validation !== undefined ? new FitValidation(fo.validation, matrix, o.iterations) : undefined;
    const pos = positiveEntries(matrix);
    const scale = o.scaleConfidence ? confidenceScale(pos, o.confidence === 'log', o.epsilon) : 1;
    const negWeight = unobservedWeight(pos, o.negProp);
    const fitted = await this.loop(backend, this.weightsOf(pos, scale), fo, val, negWeight);
    checkFinite('LogisticMF.fit', fitted.X, fitted.Y, o.factors + 2, o.learningRate);
    this.scale = scale;
    this.negWeight = negWeight;
    this.adoptFit(
      backend,
      fitted.X,
      fitted.Y,
      o.factors + 2,
      matrix,
      users as IdMap | undefined,
      items as IdMap | undefined,
    );
    return this;
  }

  /** The positives with their weights c = α·g(r)/s as values. */
  private weightsOf(pos: SparseMatrix, scale: number): SparseMatrix {
    const { indptr, indices, data } = pos.arrays();
    const { alpha, epsilon, confidence } = this.opts;
    const c = Float32Array.from(data, (r) => (alpha * (confidence === 'log' ? Math.log(1 + r / epsilon) : r)) / scale);
    return SparseMatrix.trusted(indptr, indices, c, pos.shape);
  }

  private loop(
    backend: Backend,
    weights: SparseMatrix,
    fo: FitOptions,
    val: FitValidation | undefined,
    negWeight: number,
  ): Promise<{ X: HeapArray<'f32'>; Y: HeapArray<'f32'> }> {
    const o = this.opts;
    const rng = new Rng(o.seed);
    const initRng = rng.fork();
    const key0 = rng.nextUint32() | 0;
    return fitLoop({
      model: 'LogisticMF',
      backend,
      iterations: o.iterations,
      options: fo,
      validation: val,
      counts: weights.shape as [number, number],
      dim: o.factors + 2,
      start: (X, Y) => startFactors(initRng, X, Y, o.factors),
      workspace: () => new LmfFit(backend, weights, o, key0, negWeight),
      iterate: (X, Y, ws, abort) => ws.iterate(X, Y, abort),
      measure: (factors) => {
        const probe = new LogisticMF(this.opts);
        probe.negWeight = negWeight;
        probe.useFactors(factors);
        try {
          return (val as FitValidation).measure(probe);
        } finally {
          probe.dispose();
        }
      },
    });
  }

  /**
   * Factors (factors + 2 columns) of a user with interactions `userItems`: `iterations` AdaGrad steps of
   * the fit's user step against the fixed item factors, from zero (see foldin.ts). Deterministic; does not
   * change the model.
   */
  recalculateUser(userItems: UserItems): Float32Array {
    const { backend, Y } = this.requireFitted('recalculateUser');
    const R = positiveEntries(userItemsMatrix(userItems, this.itemCount, 'LogisticMF.recalculateUser'));
    return foldInUser(backend, Y, this.weightsOf(R, this.scale), this.opts, this.negWeight);
  }

  protected override saveExtra(): ExtraState {
    return { json: { confidenceScale: this.scale, negWeight: this.negWeight } };
  }

  protected override loadExtra(extra: ExtraState): void {
    const j = (extra.json ?? {}) as { confidenceScale?: unknown; negWeight?: unknown };
    const positive = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 1);
    this.scale = positive(j.confidenceScale);
    this.negWeight = positive(j.negWeight);
  }
}

/**
 * w0 = negProp·nnz/(users·items): every row's unobserved pairs then weigh negProp × the mean interactions
 * per row of its side in total (the same w0 for users and items, so both half-steps climb one
 * objective) — what negProp draws per interaction at weight 1 give, as in implicit. It makes α mean the
 * same on dense and sparse data (with weight 1, the best α differed 60× between MovieLens and Gowalla).
 */
function unobservedWeight(pos: SparseMatrix, negProp: number): number {
  const cells = pos.rows * pos.cols;
  return cells > 0 && pos.nnz > 0 ? (negProp * pos.nnz) / cells : 1;
}

/** N(0, 0.01²) factors, zero biases, the constant columns 1: users [x, 1, 0], items [y, 0, 1]. */
function startFactors(rng: Rng, X: Float32Array, Y: Float32Array, k: number): void {
  const dim = k + 2;
  for (const [F, one] of [
    [X, k],
    [Y, k + 1],
  ] as const) {
    for (let r = 0; r < F.length / dim; r++) {
      for (let c = 0; c < k; c++) F[r * dim + c] = 0.01 * rng.normal();
      F[r * dim + k] = 0;
      F[r * dim + k + 1] = 0;
      F[r * dim + one] = 1;
    }
  }
}

registerModel('LogisticMF', LogisticMF);
