/**
 * Rating-prediction error (RMSE, MAE) over the stored entries of a test matrix, with an explicit report of
 * how many test pairs involved users or items the model never saw in training and how those were scored.
 * @module
 */
import { ValidationError } from '../errors.js';
import { OptionReader } from '../options.js';
import { SparseMatrix } from '../data/csr.js';

/** What rating evaluation needs from a model (explicit ALS has it; factor models score X_u · Y_i). */
export interface RatingModel {
  /** Predicted value per (users[j], items[j]) pair. */
  predict(users: Int32Array, items: Int32Array): Float32Array;
  /** If present, user indices ≥ userCount have no factors (unseen). */
  readonly userCount?: number;
  /** If present, item indices ≥ itemCount have no factors (unseen). */
  readonly itemCount?: number;
}

/**
 * How test pairs with an unseen user or item are scored:
 * - `'model'` (default): like every other pair (by the model, or from the given predictions). A model fitted
 *   with biases then predicts from its biases; pure factor models predict from untrained factors.
 *   Indices outside the model's factor range cannot be scored this way and raise a ValidationError.
 * - `'skip'`: left out of the error (counted in `skipped`).
 * - `'mean'`: the mean of `train`'s stored values (needs `train`).
 * - a number: that constant.
 */
export type UnseenPolicy = 'model' | 'skip' | 'mean' | number;

/** Options of {@link rmse}, {@link mae} and {@link ratingMetrics}. */
export interface RatingOptions {
  /**
   * The training matrix. With it, users whose train row is empty and items whose train column is empty are
   * "unseen"; without it only indices beyond the model's `userCount`/`itemCount` are.
   */
  train?: SparseMatrix;
  /** Scoring of pairs with an unseen user or item. Default `'model'`. */
  unseen?: UnseenPolicy;
  /** Clip every prediction to [lo, hi] before measuring (e.g. the rating scale [1, 5]). */
  clip?: readonly [number, number];
}

/** Error measures with the unseen-pair report. */
export interface RatingMetrics {
  /** sqrt( (1/n) Σ (r_ui − r̂_ui)² ) over the n scored test pairs. */
  rmse: number;
  /** (1/n) Σ |r_ui − r̂_ui| over the n scored test pairs. */
  mae: number;
  /** n, the test pairs that were scored. */
  count: number;
  /** Test pairs whose user is unseen. */
  unseenUsers: number;
  /** Test pairs whose item is unseen. */
  unseenItems: number;
  /** Test pairs whose user or item (or both) is unseen. */
  unseenPairs: number;
  /** Test pairs left out (only with `unseen: 'skip'`). */
  skipped: number;
  /** How unseen pairs were scored, e.g. `"model"`, `"skip"`, `"mean (3.529)"`, `"constant 3"`. */
  unseenScoring: string;
}

/** One measure (`rmse` or `mae`) with the same report. */
export interface RatingMetricResult extends Omit<RatingMetrics, 'rmse' | 'mae'> {
  metric: 'rmse' | 'mae';
  value: number;
}

const CHUNK = 1 << 18;

/**
 * RMSE and MAE of a model's predictions — or of precomputed `predictions`, one per stored entry of `test`
 * in CSR order — against `test`'s values.
 *
 * @example
 * const r = ratingMetrics(als, test, { train, unseen: 'mean', clip: [1, 5] });
 * console.log(r.rmse, r.mae, `${r.unseenPairs} unseen pairs scored by ${r.unseenScoring}`);
 */
export function ratingMetrics(
  source: RatingModel | ArrayLike<number>,
  test: SparseMatrix,
  options: RatingOptions = {},
): RatingMetrics {
  const fn = 'ratingMetrics';
  if (!(test instanceof SparseMatrix))
    throw new ValidationError(`${fn}: test must be a SparseMatrix of held-out ratings`);
  new OptionReader(fn, options, ['train', 'unseen', 'clip'], { nullIsDefaults: false });
  const { train, unseen = 'model', clip } = options;
  const model = checkSource(fn, source, test);
  if (train !== undefined) {
    if (!(train instanceof SparseMatrix)) throw new ValidationError(`${fn}: train must be a SparseMatrix`);
    if (train.rows !== test.rows || train.cols !== test.cols) {
      throw new ValidationError(
        `${fn}: train is ${train.rows}×${train.cols} but test is ${test.rows}×${test.cols}; they must have the same shape`,
      );
    }
  }
  const { fallback, unseenScoring } = unseenFallback(fn, unseen, train);
  const [lo, hi] = clipRange(fn, clip);
  const tally = new RatingTally(fn, test, lo, hi);
  const unseenOf = unseenTest(model, train);
  // Walk the test entries in chunks: collect the pairs the model must score, then measure.
  const { indptr, indices } = test;
  const nnz = test.nnz;
  let row = 0;
  const qu = new Int32Array(Math.min(CHUNK, Math.max(1, nnz)));
  const qi = new Int32Array(qu.length);
  const qp = new Int32Array(qu.length);
  for (let c0 = 0; c0 < nnz; c0 += CHUNK) {
    const c1 = Math.min(nnz, c0 + CHUNK);
    let nq = 0;
    const pending: number[] = []; // entries scored by the fallback
    for (let p = c0; p < c1; p++) {
      while (indptr[row + 1] <= p) row++;
      const i = indices[p];
      if (tally.countUnseen(unseenOf.user(row), unseenOf.item(i))) {
        if (unseen === 'skip') {
          tally.skipped++;
          continue;
        }
        if (unseen !== 'model') {
          pending.push(p);
          continue;
        }
        if (row >= unseenOf.users || i >= unseenOf.items) {
          throw new ValidationError(
            `${fn}: test pair (user ${row}, item ${i}) is outside the model's ${model!.userCount ?? '?'} users × ${model!.itemCount ?? '?'} items; pass unseen: 'skip', 'mean' or a number`,
          );
        }
      }
      qu[nq] = row;
      qi[nq] = i;
      qp[nq++] = p;
    }
    if (model) {
      const pred = nq > 0 ? model.predict(qu.subarray(0, nq), qi.subarray(0, nq)) : new Float32Array(0);
      if (!pred || typeof pred.length !== 'number' || pred.length !== nq)
        throw new ValidationError(`${fn}: model.predict returned ${pred?.length} values for ${nq} pairs`);
      for (let q = 0; q < nq; q++) tally.add(qp[q], pred[q]);
    } else {
      const pred = source as ArrayLike<number>;
      for (let q = 0; q < nq; q++) tally.add(qp[q], pred[qp[q]]);
    }
    for (const p of pending) tally.add(p, fallback);
  }
  return { ...tally.result(), unseenScoring };
}

/** The model behind `source` (undefined for an array of predictions, checked against the test entries). */
function checkSource(fn: string, source: RatingModel | ArrayLike<number>, test: SparseMatrix): RatingModel | undefined {
  const isModel =
    source !== null && typeof source === 'object' && typeof (source as RatingModel).predict === 'function';
  if (isModel) return source as RatingModel;
  if (source == null || typeof (source as ArrayLike<number>).length !== 'number') {
    throw new ValidationError(`${fn}: expected a model with predict(users, items) or an array of predictions`);
  }
  if ((source as ArrayLike<number>).length !== test.nnz) {
    throw new ValidationError(
      `${fn}: got ${(source as ArrayLike<number>).length} predictions for ${test.nnz} test entries; give one per stored entry in CSR order`,
    );
  }
  return undefined;
}

/** What scores an unseen pair: the `unseen` option, resolved (fallback NaN: the model, or skipped). */
function unseenFallback(
  fn: string,
  unseen: UnseenPolicy,
  train: SparseMatrix | undefined,
): { fallback: number; unseenScoring: string } {
  if (unseen === 'model' || unseen === 'skip') return { fallback: NaN, unseenScoring: unseen };
  if (unseen === 'mean') {
    if (!train || train.nnz === 0) throw new ValidationError(`${fn}: unseen: 'mean' needs a non-empty train matrix`);
    let s = 0;
    const values = train.arrays().data;
    for (let p = 0; p < values.length; p++) s += values[p];
    const fallback = s / train.nnz;
    return { fallback, unseenScoring: `mean (${+fallback.toPrecision(6)})` };
  }
  if (typeof unseen === 'number' && Number.isFinite(unseen))
    return { fallback: unseen, unseenScoring: `constant ${unseen}` };
  throw new ValidationError(`${fn}: unseen must be 'model', 'skip', 'mean' or a finite number, got ${String(unseen)}`);
}

/** The `clip` option as [lo, hi] ([-∞, ∞] without it). */
function clipRange(fn: string, clip: unknown): [number, number] {
  if (clip === undefined) return [-Infinity, Infinity];
  if (!Array.isArray(clip) || clip.length !== 2 || !clip.every(Number.isFinite) || clip[0] > clip[1]) {
    throw new ValidationError(`${fn}: clip must be [lo, hi] with finite lo ≤ hi, got ${JSON.stringify(clip)}`);
  }
  return [clip[0], clip[1]];
}

/** Which test users and items are unseen: past the model's counts, or without entries in `train`. */
function unseenTest(model: RatingModel | undefined, train: SparseMatrix | undefined) {
  const users = model?.userCount ?? Infinity;
  const items = model?.itemCount ?? Infinity;
  let colSeen: Uint8Array | undefined;
  if (train) {
    colSeen = new Uint8Array(train.cols);
    const cols = train.arrays().indices;
    for (let p = 0; p < cols.length; p++) colSeen[cols[p]] = 1;
  }
  return {
    users,
    items,
    user: (u: number) => u >= users || (train !== undefined && train.indptr[u + 1] === train.indptr[u]),
    item: (i: number) => i >= items || (colSeen !== undefined && colSeen[i] === 0),
  };
}

/** The error sums and unseen counts of ratingMetrics, one scored test entry at a time. */
class RatingTally {
  unseenUsers = 0;
  unseenItems = 0;
  unseenPairs = 0;
  skipped = 0;
  private count = 0;
  private se = 0;
  private ae = 0;

  constructor(
    private readonly fn: string,
    private readonly test: SparseMatrix,
    private readonly lo: number,
    private readonly hi: number,
  ) {}

  /** Count a test pair's unseen user and item; true when the pair is unseen. */
  countUnseen(userUnseen: boolean, itemUnseen: boolean): boolean {
    if (userUnseen) this.unseenUsers++;
    if (itemUnseen) this.unseenItems++;
    if (userUnseen || itemUnseen) this.unseenPairs++;
    return userUnseen || itemUnseen;
  }

  /** Test entry p predicted as y (clipped). */
  add(p: number, y: number): void {
    const { indptr, indices, data } = this.test;
    if (!Number.isFinite(y)) {
      let r = 0;
      while (indptr[r + 1] <= p) r++;
      throw new ValidationError(
        `${this.fn}: the prediction for (user ${r}, item ${indices[p]}) is ${y}; predictions must be finite`,
      );
    }
    const d = data[p] - Math.min(this.hi, Math.max(this.lo, y));
    this.se += d * d;
    this.ae += Math.abs(d);
    this.count++;
  }

  result(): Omit<RatingMetrics, 'unseenScoring'> {
    const { count } = this;
    if (count === 0) {
      throw new ValidationError(
        `${this.fn}: no test pair was scored (${this.test.nnz} test entries, ${this.skipped} skipped as unseen); nothing to measure`,
      );
    }
    return {
      rmse: Math.sqrt(this.se / count),
      mae: this.ae / count,
      count,
      unseenUsers: this.unseenUsers,
      unseenItems: this.unseenItems,
      unseenPairs: this.unseenPairs,
      skipped: this.skipped,
    };
  }
}

/**
 * Root-mean-square error, sqrt((1/n) Σ (r − r̂)²), over the scored test pairs, with the unseen-pair report.
 * See {@link ratingMetrics} for the arguments.
 */
export function rmse(
  source: RatingModel | ArrayLike<number>,
  test: SparseMatrix,
  options: RatingOptions = {},
): RatingMetricResult {
  const { rmse: value, mae: _mae, ...rest } = ratingMetrics(source, test, options);
  void _mae;
  return { metric: 'rmse', value, ...rest };
}

/**
 * Mean absolute error, (1/n) Σ |r − r̂|, over the scored test pairs, with the unseen-pair report.
 * See {@link ratingMetrics} for the arguments.
 */
export function mae(
  source: RatingModel | ArrayLike<number>,
  test: SparseMatrix,
  options: RatingOptions = {},
): RatingMetricResult {
  const { mae: value, rmse: _rmse, ...rest } = ratingMetrics(source, test, options);
  void _rmse;
  return { metric: 'mae', value, ...rest };
}
