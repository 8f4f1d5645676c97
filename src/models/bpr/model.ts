/**
 * BPR: Bayesian Personalized Ranking (Rendle, Freudenthaler, Gantner & Schmidt-Thieme, UAI 2009) — matrix
 * factorization trained by SGD on (user, liked item, other item) triples to rank liked items first.
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';
import type { IdMap } from '../../data/idmap.js';
import { ensureBackend, type Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import { registerModel } from '../../recommend/registry.js';
import type { UserItems } from '../../recommend/types.js';
import { matrixOf, userItemsMatrix } from '../../recommend/inputs.js';
import { Rng } from '../../random.js';
import { FactorModel } from '../common/factor-model.js';
import { fitLoop } from '../common/fit-loop.js';
import { checkFitAbort, checkFitOptions, type FitOptions } from '../common/fit-options.js';
import { FitValidation } from '../common/fit-validation.js';
import { positiveEntries } from '../common/positives.js';
import { checkFinite } from '../common/finite.js';
import { BprFit, type EpochStats } from './fit.js';
import { foldInUser } from './foldin.js';
import { BPR_TUNE_SPACE, resolveBPROptions, type BPROptions, type ResolvedBPROptions } from './options.js';

/**
 * Bayesian Personalized Ranking, as implicit's `BayesianPersonalizedRanking`: scores x_u·y_i + b_i from
 * `factors` latent factors and an item bias (stored as a last column: users' is 1, items' is b_i), fitted
 * by SGD on samples (u, i, j) of a random interaction (u, i) and a negative item j, maximising
 * ln σ(score_ui − score_uj) − regularization·‖·‖². Stored entries with a value > 0 are the positives
 * (values are not weights, as in implicit).
 *
 * **Parallel and reproducible.** implicit runs hogwild SGD: threads race on shared rows, so a seed does
 * not reproduce a fit. Here users and items are cut into `blocks` blocks, re-drawn every epoch, and
 * (user block, item block) pairs that share no row train side by side on the worker pool, each block
 * drawing from its own seeded stream (stratified SGD, Gemulla et al. 2011; the order of the pairs is a
 * fixed two-level schedule, so two threads synchronise twice per epoch). The factors depend on the seed
 * and `blocks` only: any thread count, the same bits; the 'js' backend agrees to rounding.
 *
 * `recalculateUser` folds a new user in (see foldin.ts); implicit has no fold-in for BPR.
 *
 * @example
 * const model = new BPR({ seed: 1 });
 * await model.fit(interactions);
 * const { items, scores } = model.recommend(0, { n: 10 });
 */
export class BPR extends FactorModel {
  /** tune()'s default search space: factors, learningRate, regularization. */
  static readonly tuneSpace = BPR_TUNE_SPACE;
  readonly modelType = 'BPR';
  private readonly opts: ResolvedBPROptions;
  /** Counts of the last epoch of the last fit (not saved). */
  lastEpoch: EpochStats | undefined;

  constructor(options: BPROptions = {}) {
    super();
    this.opts = resolveBPROptions(options);
  }

  /** The resolved options (every default filled in, including the seed actually used). */
  get options(): ResolvedBPROptions {
    return { ...this.opts };
  }

  /** Cosine similarity uses the latent factors only, not the bias column. */
  protected override get factorColumns(): number {
    return this.opts.factors;
  }

  /**
   * Fit on a users × items matrix (entries > 0 are the positives). With a `signal`, aborting stops the
   * fit within one epoch with an AbortError and leaves the model as it was; `validation` evaluates (and
   * with `patience` stops early, keeping the best epoch's factors).
   */
  async fit(
    interactions: SparseMatrix | { matrix: SparseMatrix; users?: IdMap; items?: IdMap },
    options?: FitOptions,
  ): Promise<this> {
    this.checkNotDisposed('fit');
    const fo = checkFitOptions('BPR.fit', options);
    const { matrix, users, items } = matrixOf(interactions, 'BPR.fit');
    const backend = await ensureBackend();
    checkFitAbort(fo.signal, 'BPR');
    const val =
      fo.validation !== undefined ? new FitValidation(fo.validation, matrix, this.opts.iterations) : undefined;
    const fitted = await this.loop(backend, positiveEntries(matrix), fo, val);
    const dim = this.opts.factors + 1;
    checkFinite('BPR.fit', fitted.X, fitted.Y, dim, this.opts.learningRate);
    this.adoptFit(backend, fitted.X, fitted.Y, dim, matrix, users as IdMap | undefined, items as IdMap | undefined);
    return this;
  }

  private loop(
    backend: Backend,
    m: SparseMatrix,
    fo: FitOptions,
    val: FitValidation | undefined,
  ): Promise<{ X: HeapArray<'f32'>; Y: HeapArray<'f32'> }> {
    const o = this.opts;
    const rng = new Rng(o.seed);
    const initRng = rng.fork();
    const blockRng = rng.fork();
    const streamRng = rng.fork();
    return fitLoop({
      model: 'BPR',
      backend,
      iterations: o.iterations,
      options: fo,
      validation: val,
      counts: m.shape as [number, number],
      dim: o.factors + 1,
      start: (X, Y) => startFactors(initRng, m, X, Y, o.factors),
      workspace: () => new BprFit(backend, m, o, streamRng),
      iterate: (X, Y, ws) => {
        this.lastEpoch = ws.epoch(X, Y, blockRng);
      },
      measure: (factors) => {
        const probe = new BPR(this.opts);
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
   * Factors (factors + 1 columns) of a user with interactions `userItems` (entries > 0 count), trained
   * against the fixed item factors by the fit's SGD (see foldin.ts). Deterministic; does not change the model.
   */
  recalculateUser(userItems: UserItems): Float32Array {
    const { backend, Y } = this.requireFitted('recalculateUser');
    const R = positiveEntries(userItemsMatrix(userItems, this.itemCount, 'BPR.recalculateUser'));
    return foldInUser(backend, Y, R.indices, this.opts);
  }
}

/**
 * implicit's start: every column uniform in [−0.5, 0.5)/factors, rows without interactions zero, users'
 * last column 1. Items first, then users, from one stream.
 */
function startFactors(rng: Rng, m: SparseMatrix, X: Float32Array, Y: Float32Array, k: number): void {
  const dim = k + 1;
  const { indptr, indices } = m.arrays();
  const itemSeen = new Uint8Array(m.cols);
  for (let p = 0; p < indices.length; p++) itemSeen[indices[p]] = 1;
  for (let i = 0; i < m.cols; i++) {
    for (let c = 0; c < dim; c++) Y[i * dim + c] = itemSeen[i] ? (rng.next() - 0.5) / k : 0;
  }
  for (let u = 0; u < m.rows; u++) {
    const seen = indptr[u + 1] > indptr[u];
    for (let c = 0; c < k; c++) X[u * dim + c] = seen ? (rng.next() - 0.5) / k : 0;
    X[u * dim + k] = 1;
  }
}

registerModel('BPR', BPR);
