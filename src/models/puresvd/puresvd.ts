/**
 * PureSVD (Cremonesi, Koren & Turrin, "Performance of Recommender Algorithms on Top-N Recommendation
 * Tasks", RecSys 2010): treat missing ratings as zeros, take the rank-k truncated SVD R ≈ U·Σ·Vᵀ, and
 * score a user's items by r_u·V·Vᵀ (the projection of their row onto the item subspace).
 * @module
 */
import { ValidationError } from '../../errors.js';
import { OptionReader } from '../../options.js';
import type { SparseMatrix } from '../../data/csr.js';
import type { IdMap } from '../../data/idmap.js';
import { matrixOf, userItemsMatrix } from '../../recommend/inputs.js';
import { ensureBackend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import { FactorModel, type ExtraState } from '../common/factor-model.js';
import { registerModel } from '../../recommend/registry.js';
import type { UserItems } from '../../recommend/types.js';
import type { Centering } from '../../svd/operator.js';
import { truncatedSVD } from '../../svd/truncated.js';
import type { SVDMethod, SVDProgress } from '../../svd/types.js';
import { chooseRank, type RankProbe } from './auto.js';
import type { SearchSpace } from '../../eval/search.js';

/** Hyperparameters of {@link PureSVD} (JSON-serialisable). */
export interface PureSVDOptions {
  /**
   * Rank k of the SVD (latent factors). Default `'auto'`: chosen at fit by scoring the ranks of one SVD on
   * held-out entries of the data (see `chooseRank`; costs about two to three fits); the fitted model's
   * `options` show the rank used.
   */
  factors?: number | 'auto';
  /**
   * Centering of the matrix before the SVD (see `truncatedSVD`'s `center`). Default `'none'`, as in the
   * paper. Centering only changes which item subspace V is found; scores are still r·V·Vᵀ on the raw row.
   */
  center?: Centering;
  /** Seed of the SVD's start vector. Default `0`. */
  seed?: number;
  /** SVD tolerance (relative residual). Default `1e-10`; ranking quality rarely needs more than 1e-6. */
  tol?: number;
  /** SVD method. Default `'lanczos'`; `'randomized'` is faster and approximate. */
  method?: SVDMethod;
}

/** {@link PureSVDOptions} with every default filled in (`factors` `'auto'` until a fit chooses it). */
export type ResolvedPureSVDOptions = Required<PureSVDOptions>;
/** The options a fit uses: the rank a number. */
type FittedPureSVDOptions = Omit<ResolvedPureSVDOptions, 'factors'> & { factors: number };

/** Options of one `fit` call (not part of the model). */
export interface PureSVDFitOptions {
  /** Cancels the SVD between restarts (AbortError; the model keeps its previous state). */
  signal?: AbortSignal;
  /** Called after every Lanczos restart with the SVD's progress. */
  onProgress?: (progress: SVDProgress) => void;
}

const OPTION_KEYS = ['factors', 'center', 'seed', 'tol', 'method'];

function resolve(options: PureSVDOptions | undefined): ResolvedPureSVDOptions {
  const r = new OptionReader('PureSVD', options, OPTION_KEYS);
  const f = r.raw('factors');
  return {
    factors: f === undefined || f === null || f === 'auto' ? 'auto' : r.int('factors', undefined, 1),
    center: r.oneOf('center', 'none', ['none', 'global', 'rows', 'cols', 'pca'] as const),
    seed: r.seed(),
    tol: r.between('tol', 1e-10, 0, 1),
    method: r.oneOf('method', 'lanczos', ['lanczos', 'randomized'] as const),
  };
}

/**
 * The PureSVD recommender. Item factors Y = V (items × k); user factors X = R·V, so that the score
 * X_u·Y_i = (r_u·V·Vᵀ)_i. A new or changed user is folded in without refitting: x = r·V
 * (`recalculateUser`), which for a training user reproduces their fitted row exactly.
 *
 * @example
 * const model = new PureSVD({ factors: 50 });
 * await model.fit(interactions);         // users × items
 * model.recommend(0, { n: 10 });
 * model.recalculateUser({ indices: [3, 17], values: [5, 4] }); // fold-in
 */
export class PureSVD extends FactorModel {
  /** tune()'s default search space: the rank. */
  static readonly tuneSpace: SearchSpace = { factors: { min: 4, max: 512, log: true, integer: true } };
  readonly modelType = 'PureSVD';
  private opts: ResolvedPureSVDOptions;
  /** The rank 'auto' chose in the last fit (the options show it once fitted). */
  private fittedFactors: number | undefined;
  private sv: Float64Array | undefined;

  constructor(options: PureSVDOptions = {}) {
    super();
    this.opts = resolve(options);
  }

  /** The resolved options (every default filled in). */
  get options(): ResolvedPureSVDOptions {
    return this.fittedFactors !== undefined ? { ...this.opts, factors: this.fittedFactors } : { ...this.opts };
  }

  /** The k singular values of the fitted matrix, descending (a copy). */
  get singularValues(): Float64Array {
    this.requireFitted('singularValues');
    return (this.sv ?? new Float64Array(0)).slice();
  }

  /**
   * Fit on a users × items matrix of ratings (or any interaction strengths; missing = 0), or on
   * `Interactions`. factors must not exceed min(users, items). If the SVD does not converge the model is
   * still fitted from the best approximation (a warning is printed).
   */
  async fit(
    interactions: SparseMatrix | { matrix: SparseMatrix; users?: IdMap; items?: IdMap },
    options: PureSVDFitOptions = {},
  ): Promise<this> {
    this.checkNotDisposed('fit');
    const { matrix, users, items } = matrixOf(interactions, 'PureSVD.fit');
    const r = new OptionReader('PureSVD.fit', options, ['signal', 'onProgress'], { nullIsDefaults: false });
    r.signal();
    r.fn('onProgress');
    const [nU, nI] = matrix.shape;
    const given = this.opts.factors;
    if (given !== 'auto' && given > Math.min(nU, nI)) {
      throw new ValidationError(
        `PureSVD.fit: factors (${given}) exceed min(users, items) = ${Math.min(nU, nI)} of the ${nU}×${nI} matrix; use at most ${Math.min(nU, nI)}`,
      );
    }
    const backend = await ensureBackend();
    const o: FittedPureSVDOptions = {
      ...this.opts,
      factors: given === 'auto' ? await chooseRank(matrix, this.rankProbe(options.signal), this.opts.seed, 50) : given,
    };
    const svd = await truncatedSVD(matrix, {
      k: o.factors,
      center: o.center,
      seed: o.seed,
      tol: o.tol,
      method: o.method,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    const k = o.factors;
    let X: HeapArray<'f32'> | undefined;
    let Y: HeapArray<'f32'> | undefined;
    try {
      Y = backend.heap.copyIn(Float32Array.from(svd.V));
      X = backend.heap.allocArray('f32', nU * k);
      const yv = Y.view;
      const xv = X.view;
      // After the allocations: the matrix may live in the heap now (the SVD moved it there).
      const { indptr, indices, data } = matrix.arrays();
      const acc = new Float64Array(k);
      for (let u = 0; u < nU; u++) {
        projectRow(indices, data, indptr[u], indptr[u + 1], yv, k, acc);
        for (let c = 0; c < k; c++) xv[u * k + c] = acc[c];
      }
    } catch (e) {
      X?.free();
      Y?.free();
      throw e;
    }
    this.adoptFit(backend, X, Y, k, matrix, users as IdMap | undefined, items as IdMap | undefined);
    this.sv = svd.s;
    this.fittedFactors = given === 'auto' ? k : undefined;
    return this;
  }

  /** Fits at a given rank and models of their top-j factors, for `factors: 'auto'`. */
  private rankProbe(signal: AbortSignal | undefined): RankProbe {
    const opts = { ...this.opts };
    return {
      fitAt: async (train, k) => {
        const m = await new PureSVD({ ...opts, factors: k }).fit(train, signal ? { signal } : {});
        const [X, Y] = [m.userFactors, m.itemFactors];
        m.dispose();
        const top = (F: Float32Array, j: number) => {
          const rows = F.length / k;
          const out = new Float32Array(rows * j);
          for (let r = 0; r < rows; r++) out.set(F.subarray(r * k, r * k + j), r * j);
          return out;
        };
        return {
          truncated: (j) =>
            PureSVD.fromState({
              modelType: 'PureSVD',
              options: { ...opts, factors: j },
              dim: j,
              X: top(X, j),
              Y: top(Y, j),
              interactions: train,
            }),
          dispose() {},
        };
      },
    };
  }

  /** Fold-in: x = r·V for a user with ratings `userItems` (values default 1). */
  recalculateUser(userItems: UserItems): Float32Array {
    const { Y } = this.requireFitted('recalculateUser');
    const k = this.dim;
    const r = userItemsMatrix(userItems, this.itemCount, 'PureSVD.recalculateUser');
    for (const v of r.data)
      if (!Number.isFinite(v)) throw new ValidationError(`PureSVD.recalculateUser: values must be finite, got ${v}`);
    const acc = new Float64Array(k);
    projectRow(r.indices, r.data, 0, r.nnz, Y.view, k, acc);
    return Float32Array.from(acc);
  }

  protected override saveExtra(): ExtraState | undefined {
    return this.sv ? { json: { singularValues: Array.from(this.sv) } } : undefined;
  }

  protected override loadExtra(extra: ExtraState): void {
    const s = (extra.json as { singularValues?: unknown } | null | undefined)?.singularValues;
    if (Array.isArray(s) && s.every((x) => typeof x === 'number')) this.sv = Float64Array.from(s as number[]);
  }

  override dispose(): void {
    super.dispose();
    this.sv = undefined;
  }
}

/** acc = Σ_{p∈[a,b)} data[p]·Y[indices[p], :] in f64 — one row of R·V (shared by fit and fold-in). */
function projectRow(
  indices: Int32Array,
  data: Float32Array,
  a: number,
  b: number,
  Y: Float32Array,
  k: number,
  acc: Float64Array,
): void {
  acc.fill(0);
  for (let p = a; p < b; p++) {
    const v = data[p];
    const row = indices[p] * k;
    for (let c = 0; c < k; c++) acc[c] += v * Y[row + c];
  }
}

registerModel('PureSVD', PureSVD);
