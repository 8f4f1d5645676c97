// Bad inputs to truncatedSVD and to evaluation: splits, rating and ranking metrics, metric names,
// cross-validation and the validation hook.
import { AbortError, ValidationError } from '../../../src/errors.js';
import { SparseMatrix } from '../../../src/data/csr.js';
import { truncatedSVD } from '../../../src/svd/index.js';
import {
  crossValidate,
  EarlyStopping,
  leaveKOut,
  mae,
  makeValidator,
  parseMetric,
  rankingMetrics,
  ratingMetrics,
  rmse,
  temporalSplit,
  trainTestSplit,
} from '../../../src/eval/index.js';
import type { BadInput } from '../catalogue.js';

const any = (v: unknown) => v as never;
const M = () =>
  SparseMatrix.fromCOO({
    rows: [0, 0, 1, 2, 2, 3],
    cols: [0, 1, 1, 2, 3, 0],
    values: [1, 2, 3, 4, 5, 3],
    shape: [4, 4],
  });
const svd =
  (o: unknown, A: unknown = M()) =>
  () =>
    truncatedSVD(any(A), any(o));

export const svdCases: BadInput[] = [
  {
    name: 'svd: A not a SparseMatrix',
    call: svd({ k: 1 }, [[1, 2]]),
    error: ValidationError,
    message: 'A must be a SparseMatrix',
  },
  {
    name: 'svd: options null',
    call: svd(null),
    error: ValidationError,
    message: 'expected an options object { k, ... }',
  },
  {
    name: 'svd: k missing',
    call: svd({}),
    error: ValidationError,
    message: 'k must be an integer in [1, 4], got undefined',
  },
  { name: 'svd: k 0', call: svd({ k: 0 }), error: ValidationError, message: 'k must be an integer in [1, 4], got 0' },
  {
    name: 'svd: k > min(rows, cols)',
    call: svd({ k: 5 }),
    error: ValidationError,
    message: 'k must be an integer in [1, 4], got 5',
  },
  { name: 'svd: k fractional', call: svd({ k: 1.5 }), error: ValidationError, message: 'k must be an integer' },
  {
    name: 'svd: k a string',
    call: svd({ k: '2' }),
    error: ValidationError,
    message: 'k must be an integer in [1, 4], got "2"',
  },
  { name: 'svd: k NaN', call: svd({ k: NaN }), error: ValidationError, message: 'got NaN' },
  {
    name: 'svd: tol 0',
    call: svd({ k: 1, tol: 0 }),
    error: ValidationError,
    message: 'tol must be a number in (0, 1)',
  },
  {
    name: 'svd: tol NaN',
    call: svd({ k: 1, tol: NaN }),
    error: ValidationError,
    message: 'tol must be a number in (0, 1), got NaN',
  },
  {
    name: 'svd: tol negative',
    call: svd({ k: 1, tol: -1e-6 }),
    error: ValidationError,
    message: 'tol must be a number in (0, 1)',
  },
  {
    name: 'svd: maxRestarts negative',
    call: svd({ k: 1, maxRestarts: -1 }),
    error: ValidationError,
    message: 'maxRestarts must be a non-negative integer',
  },
  {
    name: 'svd: subspace ≤ k',
    call: svd({ k: 2, subspace: 2 }),
    error: ValidationError,
    message: 'subspace must be an integer in [3, 4]',
  },
  {
    name: 'svd: subspace > min dim',
    call: svd({ k: 1, subspace: 9 }),
    error: ValidationError,
    message: 'subspace must be an integer in [2, 4], got 9',
  },
  {
    name: 'svd: center unknown',
    call: svd({ k: 1, center: 'median' }),
    error: ValidationError,
    message: "center must be 'none', 'global', 'rows', 'cols' or 'pca'",
  },
  {
    name: 'svd: method unknown',
    call: svd({ k: 1, method: 'qr' }),
    error: ValidationError,
    message: "method must be 'lanczos' or 'randomized'",
  },
  {
    name: 'svd: seed Infinity',
    call: svd({ k: 1, seed: Infinity }),
    error: ValidationError,
    message: 'seed must be a finite number',
  },
  {
    name: 'svd: oversample negative',
    call: svd({ k: 1, method: 'randomized', oversample: -1 }),
    error: ValidationError,
    message: 'oversample must be a non-negative integer',
  },
  {
    name: 'svd: powerIterations fractional',
    call: svd({ k: 1, method: 'randomized', powerIterations: 1.5 }),
    error: ValidationError,
    message: 'powerIterations must be a non-negative integer',
  },
  {
    name: 'svd: onProgress not a function',
    call: svd({ k: 1, onProgress: 3 }),
    error: ValidationError,
    message: 'onProgress must be a function',
  },
  {
    name: 'svd: signal not an AbortSignal',
    call: svd({ k: 1, signal: 5 }),
    error: ValidationError,
    message: 'signal must be an AbortSignal',
  },
  {
    name: 'svd: already aborted',
    call: svd({ k: 1, signal: AbortSignal.abort() }),
    error: AbortError,
    message: 'aborted before it started',
  },
  {
    name: 'svd: 0×3 matrix',
    call: svd({ k: 1 }, SparseMatrix.fromCOO({ rows: [], cols: [], shape: [0, 3] })),
    error: ValidationError,
    message: 'the matrix is empty (shape 0×3)',
  },
  {
    name: 'svd: no stored entries',
    call: svd({ k: 1 }, SparseMatrix.fromCOO({ rows: [], cols: [], shape: [3, 3] })),
    error: ValidationError,
    message: 'has no stored entries',
  },
  {
    name: 'svd: NaN smuggled in through SparseMatrix.trusted',
    call: svd({ k: 1 }, SparseMatrix.trusted(Int32Array.of(0, 1), Int32Array.of(0), Float32Array.of(NaN), [1, 1])),
    error: ValidationError,
    message: 'non-finite value NaN at row 0, column 0',
  },
];

/** A model stub whose recommendBatch returns `fill` in every slot. */
const stub = (fill: (u: ArrayLike<number>, n: number) => Int32Array, itemCount = 4) => ({
  itemCount,
  recommendBatch: (u: ArrayLike<number>, o: { n: number }) => {
    const items = fill(u, o.n);
    return { items, scores: new Float32Array(items.length), n: o.n };
  },
});

export const evalCases: BadInput[] = [
  {
    name: 'trainTestSplit: not a matrix',
    call: () => trainTestSplit(any([[1]])),
    error: ValidationError,
    message: 'expected a SparseMatrix, got Array',
  },
  {
    name: 'trainTestSplit: options a number',
    call: () => trainTestSplit(M(), any(5)),
    error: ValidationError,
    message: 'options must be an object',
  },
  {
    name: 'trainTestSplit: testFraction 0',
    call: () => trainTestSplit(M(), { testFraction: 0 }),
    error: ValidationError,
    message: 'testFraction must be a number in (0, 1), got 0',
  },
  {
    name: 'trainTestSplit: testFraction 1',
    call: () => trainTestSplit(M(), { testFraction: 1 }),
    error: ValidationError,
    message: 'testFraction must be a number in (0, 1), got 1',
  },
  {
    name: 'trainTestSplit: testFraction NaN',
    call: () => trainTestSplit(M(), { testFraction: NaN }),
    error: ValidationError,
    message: 'got NaN',
  },
  {
    name: 'trainTestSplit: seed NaN',
    call: () => trainTestSplit(M(), { seed: NaN }),
    error: ValidationError,
    message: 'seed must be a finite number',
  },
  {
    name: 'leaveKOut: k 0',
    call: () => leaveKOut(M(), { k: 0 }),
    error: ValidationError,
    message: 'k must be an integer ≥ 1, got 0',
  },
  {
    name: 'leaveKOut: k fractional',
    call: () => leaveKOut(M(), { k: 1.5 }),
    error: ValidationError,
    message: 'k must be an integer ≥ 1',
  },
  {
    name: 'temporalSplit: no timestamps',
    call: () => temporalSplit(any({ matrix: M() }), { testFraction: 0.5 }),
    error: ValidationError,
    message: 'these interactions have no timestamps',
  },
  {
    name: 'temporalSplit: both testFraction and before',
    call: () => temporalSplit({ matrix: M(), timestamps: new Float64Array(6) }, { testFraction: 0.5, before: 1 }),
    error: ValidationError,
    message: 'give exactly one of testFraction',
  },
  {
    name: 'temporalSplit: neither',
    call: () => temporalSplit({ matrix: M(), timestamps: new Float64Array(6) }, {}),
    error: ValidationError,
    message: 'give exactly one of testFraction',
  },
  {
    name: 'temporalSplit: timestamps length',
    call: () => temporalSplit({ matrix: M(), timestamps: new Float64Array(5) }, { testFraction: 0.5 }),
    error: ValidationError,
    message: 'one entry per stored entry (6), got 5',
  },
  {
    name: 'temporalSplit: NaN timestamp',
    call: () => temporalSplit({ matrix: M(), timestamps: new Float64Array(6).fill(NaN) }, { testFraction: 0.5 }),
    error: ValidationError,
    message: 'non-finite timestamp NaN',
  },
  {
    name: 'temporalSplit: before Infinity',
    call: () => temporalSplit({ matrix: M(), timestamps: new Float64Array(6) }, { before: Infinity }),
    error: ValidationError,
    message: 'before must be a finite timestamp',
  },
  {
    name: 'temporalSplit: options missing',
    call: () => temporalSplit({ matrix: M(), timestamps: new Float64Array(6) }, any(undefined)),
    error: ValidationError,
    message: 'options must be an object',
  },
  {
    name: 'parseMetric: unknown name',
    call: () => parseMetric('foo@3'),
    error: ValidationError,
    message: "unknown metric 'foo@3'",
  },
  {
    name: 'parseMetric: k 0',
    call: () => parseMetric('ndcg@0'),
    error: ValidationError,
    message: "metric 'ndcg@0': k must be an integer ≥ 1",
  },
  {
    name: 'parseMetric: k fractional',
    call: () => parseMetric('ndcg@1.5'),
    error: ValidationError,
    message: "unknown metric 'ndcg@1.5'",
  },
  {
    name: 'parseMetric: rmse with @k',
    call: () => parseMetric('rmse@5'),
    error: ValidationError,
    message: 'rmse takes no @k',
  },
  {
    name: 'parseMetric: not a string',
    call: () => parseMetric(any(5)),
    error: ValidationError,
    message: 'metric must be a string',
  },
  {
    name: 'rmse: prediction count mismatch',
    call: () => rmse([1, 2], M()),
    error: ValidationError,
    message: 'got 2 predictions for 6 test entries',
  },
  {
    name: 'rmse: NaN prediction',
    call: () => rmse([NaN, 1, 1, 1, 1, 1], M()),
    error: ValidationError,
    message: 'the prediction for (user 0, item 0) is NaN',
  },
  {
    name: 'mae: Infinity prediction',
    call: () => mae([Infinity, 1, 1, 1, 1, 1], M()),
    error: ValidationError,
    message: 'is Infinity; predictions must be finite',
  },
  {
    name: 'rmse: test not a matrix',
    call: () => rmse([1], any(null)),
    error: ValidationError,
    message: 'test must be a SparseMatrix',
  },
  {
    name: 'rmse: unseen policy unknown',
    call: () => rmse([1, 1, 1, 1, 1, 1], M(), { unseen: any('x') }),
    error: ValidationError,
    message: "unseen must be 'model', 'skip', 'mean' or a finite number",
  },
  {
    name: 'rmse: clip reversed',
    call: () => rmse([1, 1, 1, 1, 1, 1], M(), { clip: [2, 1] }),
    error: ValidationError,
    message: 'clip must be [lo, hi] with finite lo ≤ hi',
  },
  {
    name: 'rmse: empty test matrix',
    call: () => rmse([], SparseMatrix.fromCOO({ rows: [], cols: [], shape: [2, 2] })),
    error: ValidationError,
    message: 'no test pair was scored',
  },
  {
    name: 'ratingMetrics: model without predict',
    call: () => ratingMetrics(any({}), M()),
    error: ValidationError,
    message: 'expected a model with predict(users, items)',
  },
  {
    name: 'ratingMetrics: train of another shape',
    call: () =>
      ratingMetrics([1, 1, 1, 1, 1, 1], M(), { train: SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [2, 2] }) }),
    error: ValidationError,
    message: 'train is 2×2 but test is 4×4',
  },
  {
    name: 'rankingMetrics: model without recommendBatch',
    call: () => rankingMetrics(any({}), M(), M()),
    error: ValidationError,
    message: 'model must have a recommendBatch',
  },
  {
    name: 'rankingMetrics: train/test shapes differ',
    call: () =>
      rankingMetrics(
        stub(() => new Int32Array(0)),
        M(),
        SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [4, 5] }),
      ),
    error: ValidationError,
    message: 'train is 4×4 but test is 4×5',
  },
  {
    name: 'rankingMetrics: k 0',
    call: () =>
      rankingMetrics(
        stub(() => new Int32Array(0)),
        M(),
        M(),
        { k: 0 },
      ),
    error: ValidationError,
    message: 'k must be an integer ≥ 1, got 0',
  },
  {
    name: 'rankingMetrics: user out of range',
    call: () =>
      rankingMetrics(
        stub(() => new Int32Array(0)),
        M(),
        M(),
        { users: [9] },
      ),
    error: ValidationError,
    message: 'users[0] = 9 is not a user index in [0, 4)',
  },
  {
    name: 'rankingMetrics: user listed twice',
    call: () =>
      rankingMetrics(
        stub(() => new Int32Array(0)),
        M(),
        M(),
        { users: [0, 0] },
      ),
    error: ValidationError,
    message: 'user 0 is listed twice',
  },
  {
    name: 'rankingMetrics: empty test',
    call: () =>
      rankingMetrics(
        stub(() => new Int32Array(0)),
        M(),
        SparseMatrix.fromCOO({ rows: [], cols: [], shape: [4, 4] }),
      ),
    error: ValidationError,
    message: 'no user has items in the test matrix',
  },
  {
    name: 'rankingMetrics: model itemCount differs',
    call: () =>
      rankingMetrics(
        stub(() => new Int32Array(0), 3),
        M(),
        M(),
      ),
    error: ValidationError,
    message: 'the model has 3 items but the matrices have 4 columns',
  },
  {
    name: 'rankingMetrics: model returns a plain array',
    call: () => rankingMetrics(any({ itemCount: 4, recommendBatch: () => ({ items: [1] }) }), M(), M()),
    error: ValidationError,
    message: 'must return { items: Int32Array }',
  },
  {
    name: 'rankingMetrics: model returns an unknown item',
    call: () =>
      rankingMetrics(
        stub((u, n) => new Int32Array(u.length * n).fill(77)),
        M(),
        M(),
      ),
    error: ValidationError,
    message: 'returned item 77 for user 0',
  },
  {
    name: 'rankingMetrics: model returns an item twice',
    call: () =>
      rankingMetrics(
        stub((u, n) => new Int32Array(u.length * n).fill(1)),
        M(),
        M(),
        { k: 3 },
      ),
    error: ValidationError,
    message: 'returned item 1 twice for user 0',
  },
  {
    name: 'crossValidate: factory not a function',
    call: () => crossValidate(any(5), M(), {}),
    error: ValidationError,
    message: 'factory must be a function',
  },
  {
    name: 'crossValidate: 1 fold',
    call: () =>
      crossValidate(
        any(() => undefined),
        M(),
        { folds: 1 },
      ),
    error: ValidationError,
    message: 'folds must be an integer in [2, min(nnz, 65536)] = [2, 6], got 1',
  },
  {
    name: 'crossValidate: more folds than entries',
    call: () =>
      crossValidate(
        any(() => undefined),
        M(),
        { folds: 7 },
      ),
    error: ValidationError,
    message: 'got 7',
  },
  {
    name: 'crossValidate: empty metrics',
    call: () =>
      crossValidate(
        any(() => undefined),
        M(),
        { metrics: [] },
      ),
    error: ValidationError,
    message: 'metrics must be a non-empty array',
  },
  {
    name: 'crossValidate: factory returns nothing',
    call: () =>
      crossValidate(
        any(() => undefined),
        M(),
        { folds: 2, metrics: ['rmse'] },
      ),
    error: ValidationError,
    message: 'factory returned undefined for fold 0',
  },
  {
    name: 'makeValidator: spec null',
    call: () => makeValidator(any(null), M()),
    error: ValidationError,
    message: 'expected { data, metric?, every?, patience? }',
  },
  {
    name: 'makeValidator: every 0',
    call: () => makeValidator({ data: M(), every: 0 }, M()),
    error: ValidationError,
    message: 'every must be an integer ≥ 1',
  },
  {
    name: 'makeValidator: data of another shape',
    call: () => makeValidator({ data: SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [2, 2] }) }, M()),
    error: ValidationError,
    message: 'data is 2×2 but the training matrix is 4×4',
  },
  {
    name: 'EarlyStopping: patience 0',
    call: () => new EarlyStopping(true, 0),
    error: ValidationError,
    message: 'patience must be an integer ≥ 1 or Infinity',
  },
];

export const cases: BadInput[] = [...svdCases, ...evalCases];
