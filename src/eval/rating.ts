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
  const isModel =
    source !== null && typeof source === 'object' && typeof (source as RatingModel).predict === 'function';
  if (!isModel && (source == null || typeof (source as ArrayLike<number>).length !== 'number')) {
    throw new ValidationError(`${fn}: expected a model with predict(users, items) or an array of predictions`);
  }
  if (!isModel && (source as ArrayLike<number>).length !== test.nnz) {
    throw new ValidationError(
      `${fn}: got ${(source as ArrayLike<number>).length} predictions for ${test.nnz} test entries; give one per stored entry in CSR order`,
    );
  }
  if (train !== undefined) {
    if (!(train instanceof SparseMatrix)) throw new ValidationError(`${fn}: train must be a SparseMatrix`);
    if (train.rows !== test.rows || train.cols !== test.cols) {
      throw new ValidationError(
        `${fn}: train is ${train.rows}×${train.cols} but test is ${test.rows}×${test.cols}; they must have the same shape`,
      );
    }
  }
  let fallback = NaN;
  let unseenScoring: string;
  if (unseen === 'model' || unseen === 'skip') unseenScoring = unseen;
  else if (unseen === 'mean') {
    if (!train || train.nnz === 0) throw new ValidationError(`${fn}: unseen: 'mean' needs a non-empty train matrix`);
    let s = 0;
    const values = train.arrays().data;
    for (let p = 0; p < values.length; p++) s += values[p];
    fallback = s / train.nnz;
    unseenScoring = `mean (${+fallback.toPrecision(6)})`;
  } else if (typeof unseen === 'number' && Number.isFinite(unseen)) {
    fallback = unseen;
    unseenScoring = `constant ${unseen}`;
  } else {
    throw new ValidationError(
      `${fn}: unseen must be 'model', 'skip', 'mean' or a finite number, got ${String(unseen)}`,
    );
  }
  let lo = -Infinity;
  let hi = Infinity;
  if (clip !== undefined) {
    if (!Array.isArray(clip) || clip.length !== 2 || !clip.every(Number.isFinite) || clip[0] > clip[1]) {
      throw new ValidationError(`${fn}: clip must be [lo, hi] with finite lo ≤ hi, got ${JSON.stringify(clip)}`);
    }
    [lo, hi] = clip;
  }

  // Which users/items are unseen.
  const model = isModel ? (source as RatingModel) : undefined;
  const uLimit = model?.userCount ?? Infinity;
  const iLimit = model?.itemCount ?? Infinity;
  let colSeen: Uint8Array | undefined;
  if (train) {
    colSeen = new Uint8Array(train.cols);
    const cols = train.arrays().indices;
    for (let p = 0; p < cols.length; p++) colSeen[cols[p]] = 1;
  }
  const userUnseen = (u: number) => u >= uLimit || (train !== undefined && train.indptr[u + 1] === train.indptr[u]);
  const itemUnseen = (i: number) => i >= iLimit || (colSeen !== undefined && colSeen[i] === 0);

  const { indptr, indices, data } = test;
  const nnz = test.nnz;
  let unseenUsers = 0;
  let unseenItems = 0;
  let unseenPairs = 0;
  let skipped = 0;
  let count = 0;
  let se = 0;
  let ae = 0;
  // Walk the test entries in chunks: collect the pairs the model must score, then measure.
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
      const uu = userUnseen(row);
      const iu = itemUnseen(i);
      if (uu) unseenUsers++;
      if (iu) unseenItems++;
      if (uu || iu) {
        unseenPairs++;
        if (unseen === 'skip') {
          skipped++;
          continue;
        }
        if (unseen !== 'model') {
          pending.push(p);
          continue;
        }
        if (row >= uLimit || i >= iLimit) {
          throw new ValidationError(
            `${fn}: test pair (user ${row}, item ${i}) is outside the model's ${model!.userCount ?? '?'} users × ${model!.itemCount ?? '?'} items; pass unseen: 'skip', 'mean' or a number`,
          );
        }
      }
      qu[nq] = row;
      qi[nq] = i;
      qp[nq++] = p;
    }
    let pred: ArrayLike<number>;
    if (model) {
      pred = nq > 0 ? model.predict(qu.subarray(0, nq), qi.subarray(0, nq)) : new Float32Array(0);
      if (!pred || typeof pred.length !== 'number' || pred.length !== nq)
        throw new ValidationError(`${fn}: model.predict returned ${pred?.length} values for ${nq} pairs`);
    } else {
      pred = source as ArrayLike<number>;
    }
    const add = (p: number, y: number) => {
      if (!Number.isFinite(y)) {
        let r = 0;
        while (indptr[r + 1] <= p) r++;
        throw new ValidationError(
          `${fn}: the prediction for (user ${r}, item ${indices[p]}) is ${y}; predictions must be finite`,
        );
      }
      const d = data[p] - Math.min(hi, Math.max(lo, y));
      se += d * d;
      ae += Math.abs(d);
      count++;
    };
    for (let q = 0; q < nq; q++) add(qp[q], model ? pred[q] : pred[qp[q]]);
    for (const p of pending) add(p, fallback);
  }
  if (count === 0) {
    throw new ValidationError(
      `${fn}: no test pair was scored (${nnz} test entries, ${skipped} skipped as unseen); nothing to measure`,
    );
  }
  return {
    rmse: Math.sqrt(se / count),
    mae: ae / count,
    count,
    unseenUsers,
    unseenItems,
    unseenPairs,
    skipped,
    unseenScoring,
  };
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
