// Bad inputs to the models: every constructor option of ImplicitALS, ALS and PureSVD, fit, and the serving
// methods every FactorModel shares (recommend, recommendBatch, similarItems/Users, recalculateUser, the
// id-level helpers, save/saveFile), plus the model-specific ones (explain, partialFit*, predict, loss).
import { AbortError, LowrankError, ModelFitError, NotFittedError, ValidationError } from '../../../src/errors.js';
import { init } from '../../../src/runtime/backend.js';
import { SparseMatrix } from '../../../src/data/csr.js';
import { Interactions } from '../../../src/data/interactions.js';
import { ImplicitALS, ALS } from '../../../src/models/als/index.js';
import { PureSVD } from '../../../src/models/puresvd/puresvd.js';
import type { FactorModel } from '../../../src/models/common/factor-model.js';
import type { BadInput } from '../catalogue.js';

const any = (v: unknown) => v as never;

/** 4 users × 4 items, every user and item with at least one entry. */
export const M = () =>
  SparseMatrix.fromCOO({
    rows: [0, 0, 1, 2, 2, 3],
    cols: [0, 1, 1, 2, 3, 0],
    values: [1, 2, 3, 4, 5, 3],
    shape: [4, 4],
  });

type Ctor = typeof ImplicitALS | typeof ALS | typeof PureSVD;
const MODELS: [string, Ctor][] = [
  ['ImplicitALS', ImplicitALS],
  ['ALS', ALS],
  ['PureSVD', PureSVD],
];
const small = (C: Ctor) => new C(any({ factors: 2, ...(C === PureSVD ? {} : { iterations: 2 }), seed: 1 }));

/** Fitted models by name, filled by `setup`. */
const fitted = new Map<string, FactorModel>();
const withIds = new Map<string, FactorModel>();
const fx = (name: string) => fitted.get(name)!;
const fxI = () => fitted.get('ImplicitALS') as ImplicitALS;
const fxA = () => fitted.get('ALS') as ALS;
const fxIds = (name: string) => withIds.get(name)! as FactorModel;

export async function setup(): Promise<void> {
  await init({ backend: 'wasm' });
  const data = Interactions.fromRows([
    ['u1', 'a', 1],
    ['u1', 'b', 2],
    ['u2', 'b', 1],
    ['u3', 'c', 4],
    ['u3', 'a', 1],
  ]);
  for (const [name, C] of MODELS) {
    fitted.set(name, await small(C).fit(M()));
    withIds.set(name, await small(C).fit(data));
  }
}

function constructorCases(name: string, C: Ctor): BadInput[] {
  const mk = (o: unknown) => () => new C(any(o));
  const common: [string, unknown, string | RegExp][] = [
    ['options a number', 5, 'options must be an object'],
    ['options a string', 'x', 'options must be an object'],
    ['factors 0', { factors: 0 }, 'factors must be'],
    ['factors negative', { factors: -3 }, 'factors must be'],
    ['factors fractional', { factors: 2.5 }, 'factors must be'],
    ['factors a string', { factors: '2' }, 'factors must be'],
    ['factors NaN', { factors: NaN }, 'factors must be'],
    ['factors Infinity', { factors: Infinity }, 'factors must be'],
    ['seed NaN', { seed: NaN }, 'seed must be a finite number'],
    ['seed Infinity', { seed: Infinity }, 'seed must be a finite number'],
    ['seed a string', { seed: '1' }, 'seed must be a finite number'],
    ['unknown option', { factorz: 8 }, 'unknown option "factorz"'],
  ];
  const specific: [string, unknown, string | RegExp][] =
    C === PureSVD
      ? [
          ['center unknown', { center: 'median' }, "center must be 'none', 'global', 'rows', 'cols' or 'pca'"],
          ['tol 0', { tol: 0 }, 'tol must be a number in (0, 1)'],
          ['tol 1', { tol: 1 }, 'tol must be a number in (0, 1)'],
          ['tol NaN', { tol: NaN }, 'tol must be a number in (0, 1)'],
          ['method unknown', { method: 'qr' }, "method must be 'lanczos' or 'randomized'"],
          ['an ALS option (regularization)', { regularization: 0.1 }, 'unknown option "regularization"'],
        ]
      : [
          ['factors above 4096', { factors: 5000 }, 'factors must be an integer in [1, 4096]'],
          ['regularization negative', { regularization: -1 }, 'regularization must be a finite number ≥ 0'],
          ['regularization NaN', { regularization: NaN }, 'regularization must be a finite number ≥ 0'],
          ['regularization Infinity', { regularization: Infinity }, 'regularization must be a finite number ≥ 0'],
          ['iterations negative', { iterations: -1 }, 'iterations must be a non-negative integer'],
          ['iterations fractional', { iterations: 1.5 }, 'iterations must be a non-negative integer'],
          ['iterations absurd (1e7)', { iterations: 1e7 }, 'iterations must be a non-negative integer'],
          ...(C === ImplicitALS
            ? ([
                ['alpha negative', { alpha: -1 }, 'alpha must be a finite number ≥ 0'],
                ['alpha NaN', { alpha: NaN }, 'alpha must be a finite number ≥ 0'],
                ['epsilon 0', { epsilon: 0 }, 'epsilon must be a finite number > 0'],
                ['epsilon -Infinity', { epsilon: -Infinity }, 'epsilon must be a finite number > 0'],
                ['confidence unknown', { confidence: 'sqrt' }, "confidence must be 'linear' or 'log'"],
                ['solver unknown', { solver: 'lu' }, "solver must be 'cg', 'cholesky' or 'ials++'"],
                ['cgSteps 0', { cgSteps: 0 }, 'cgSteps must be an integer'],
                [
                  'calculateTrainingLoss a string',
                  { calculateTrainingLoss: 'yes' },
                  'calculateTrainingLoss must be true or false',
                ],
                ['an explicit-ALS option (biases)', { biases: true }, 'unknown option "biases"'],
              ] as [string, unknown, string][])
            : ([
                ['biases a string', { biases: 'yes' }, 'biases must be true or false'],
                [
                  'weightedRegularization a number',
                  { weightedRegularization: 1 },
                  'weightedRegularization must be true or false',
                ],
                ['an implicit option (alpha)', { alpha: 40 }, 'unknown option "alpha"'],
              ] as [string, unknown, string][])),
        ];
  return [...common, ...specific].map(([what, o, message]) => ({
    name: `new ${name}: ${what}`,
    call: mk(o),
    error: ValidationError,
    message,
  }));
}

function fitCases(name: string, C: Ctor): BadInput[] {
  const f = (m: unknown, o?: unknown) => () => small(C).fit(any(m), any(o));
  const cases: BadInput[] = [
    {
      name: `${name}.fit: null`,
      call: f(null),
      error: ValidationError,
      message: 'expected a SparseMatrix (rows = users, columns = items) or Interactions',
    },
    {
      name: `${name}.fit: dense array`,
      call: f([
        [1, 2],
        [3, 4],
      ]),
      error: ValidationError,
      message: 'expected a SparseMatrix',
    },
    {
      name: `${name}.fit: { matrix } not a SparseMatrix`,
      call: f({ matrix: [[1]] }),
      error: ValidationError,
      message: 'expected a SparseMatrix',
    },
    {
      name: `${name}.fit: options a number`,
      call: f(M(), 5),
      error: ValidationError,
      message: 'options must be an object',
    },
    {
      name: `${name}.fit: signal not an AbortSignal`,
      call: f(M(), { signal: 5 }),
      error: ValidationError,
      message: 'signal must be an AbortSignal',
    },
    {
      name: `${name}.fit: already aborted`,
      call: f(M(), { signal: AbortSignal.abort() }),
      error: AbortError,
      message: 'abort',
    },
  ];
  if (C === PureSVD) {
    cases.push(
      {
        name: 'PureSVD.fit: onProgress not a function',
        call: f(M(), { onProgress: 1 }),
        error: ValidationError,
        message: 'onProgress must be a function',
      },
      {
        name: 'PureSVD.fit: factors > min(users, items)',
        call: () => new PureSVD({ factors: 5 }).fit(M()),
        error: ValidationError,
        message: 'factors (5) exceed min(users, items) = 4',
      },
      {
        name: 'PureSVD.fit: empty 0×0 matrix',
        call: f(SparseMatrix.fromCOO({ rows: [], cols: [], shape: [0, 0] })),
        error: ValidationError,
        message: 'exceed min(users, items) = 0',
      },
      {
        name: 'PureSVD.fit: no stored entries',
        call: f(SparseMatrix.fromCOO({ rows: [], cols: [], shape: [3, 3] })),
        error: ValidationError,
        message: 'no stored entries',
      },
    );
  } else {
    cases.push(
      {
        name: `${name}.fit: onIteration not a function`,
        call: f(M(), { onIteration: 1 }),
        error: ValidationError,
        message: 'onIteration must be a function',
      },
      {
        name: `${name}.fit: factors > items with regularization 0`,
        call: () => new C(any({ factors: 10, regularization: 0, iterations: 1, seed: 1 })).fit(M()),
        error: ModelFitError,
        message: /factors \((10|11)\) exceed the number of items \(4\) with regularization 0/,
      },
      {
        // ImplicitALS's default confidence (log, scaled to the data) takes such values in its stride; the
        // raw linear one, c = 1 + α·r, cannot.
        name: `${name}.fit: values near float32 max explode`,
        call: () =>
          new C(
            any({
              factors: 2,
              iterations: 2,
              seed: 1,
              ...(C === ImplicitALS ? { confidence: 'linear', scaleConfidence: false } : {}),
            }),
          ).fit(SparseMatrix.fromCOO({ rows: [0, 1], cols: [0, 1], values: [3e38, -3e38] })),
        error: ModelFitError,
        message: /exploded|not finite|scale the values down/,
      },
    );
  }
  return cases;
}

function servingCases(name: string): BadInput[] {
  const m = () => fx(name);
  const c = (
    what: string,
    call: () => unknown,
    message: string | RegExp,
    error: BadInput['error'] = ValidationError,
  ): BadInput => ({ name: `${name}.${what}`, call, error, message });
  return [
    c(
      'recommend before fit',
      () => small(MODELS.find(([n]) => n === name)![1]).recommend(0),
      'the model is not fitted',
      NotFittedError,
    ),
    c(
      'similarItems before fit',
      () => small(MODELS.find(([n]) => n === name)![1]).similarItems(0),
      'the model is not fitted',
      NotFittedError,
    ),
    c(
      'save before fit',
      () => small(MODELS.find(([n]) => n === name)![1]).save(),
      'the model is not fitted',
      NotFittedError,
    ),
    c('recommend: user -1', () => m().recommend(-1), 'user index -1 is out of range [0, 4)'),
    c('recommend: user = userCount', () => m().recommend(4), 'user index 4 is out of range [0, 4)'),
    c('recommend: user fractional', () => m().recommend(1.5), 'user index 1.5 is out of range'),
    c('recommend: user NaN', () => m().recommend(NaN), 'user index NaN is out of range'),
    c('recommend: user a string', () => m().recommend(any('0')), 'user index 0 is out of range'),
    c('recommend: options null', () => m().recommend(0, any(null)), 'options must be an object'),
    c('recommend: n 0', () => m().recommend(0, { n: 0 }), 'n must be a positive integer, got 0'),
    c('recommend: n negative', () => m().recommend(0, { n: -5 }), 'n must be a positive integer'),
    c('recommend: n Infinity', () => m().recommend(0, { n: Infinity }), 'n must be a positive integer, got Infinity'),
    c('recommend: n fractional', () => m().recommend(0, { n: 2.5 }), 'n must be a positive integer'),
    c(
      'recommend: filterItems out of range',
      () => m().recommend(0, { filterItems: [9] }),
      'filterItems[0] = 9 is not an index in [0, 4)',
    ),
    c('recommend: filterItems NaN', () => m().recommend(0, { filterItems: [NaN] }), 'filterItems[0] = NaN'),
    c('recommend: items negative', () => m().recommend(0, { items: [-1] }), 'items[0] = -1 is not an index'),
    c('recommend: items a string', () => m().recommend(0, { items: any('12') }), 'items must be an array of indices'),
    c(
      'recommend: userItems index out of range',
      () => m().recommend(0, { userItems: { indices: [9] } }),
      'userItems.indices[0] = 9',
    ),
    c(
      'recommend: userItems values length',
      () => m().recommend(0, { userItems: { indices: [1], values: [1, 2] } }),
      'userItems.values must have one value per index',
    ),
    c(
      'recommend: interactions with other columns',
      () => m().recommend(0, { interactions: SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [1, 3] }) }),
      'interactions has 3 columns but the model has 4 items',
    ),
    c(
      'recommend: interactions with too few rows',
      () => m().recommend(2, { interactions: SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [1, 4] }) }),
      'user index 2 is out of range [0, 1)',
    ),
    c(
      'recommend: recalculateUser with NaN value',
      () => m().recommend(0, { recalculateUser: true, userItems: { indices: [1], values: [NaN] } }),
      'non-finite value NaN',
    ),
    c(
      'recommend: recalculateUser for unknown user without userItems',
      () => m().recommend(99, { recalculateUser: true }),
      'recalculateUser needs userItems or interactions for user 99',
    ),
    c('recommendBatch: user out of range', () => m().recommendBatch([0, 7]), 'users[1] = 7 is not an index in [0, 4)'),
    c('recommendBatch: users a string', () => m().recommendBatch(any('01')), 'users must be an array of indices'),
    c('recommendBatch: n 0', () => m().recommendBatch([0], { n: 0 }), 'n must be a positive integer'),
    c(
      'recommendBatch: userItems of one user',
      () => m().recommendBatch([0], { userItems: { indices: [0] } }),
      "userItems is one user's items; a batch takes interactions (a users × items SparseMatrix)",
    ),
    c(
      'recommend: interactions not a matrix',
      () => m().recommend(0, { interactions: any({ indices: [0] }) }),
      'interactions must be a SparseMatrix (rows = users',
    ),
    c(
      'recommend: a matrix as both interactions and userItems',
      () =>
        m().recommend(0, {
          interactions: SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [1, 4] }),
          userItems: SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [1, 4] }),
        }),
      'give interactions (a matrix) or userItems',
    ),
    c(
      'recommendBatch: interactions with too few rows',
      () => m().recommendBatch([0, 3], { interactions: SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [1, 4] }) }),
      'user index 3 is out of range [0, 1)',
    ),
    c('similarItems: item -1', () => m().similarItems(-1), 'item index -1 is out of range [0, 4)'),
    c('similarItems: item = itemCount', () => m().similarItems(4), 'item index 4 is out of range [0, 4)'),
    c('similarItems: n 0', () => m().similarItems(0, { n: 0 }), 'n must be a positive integer'),
    c('similarItems: filterItems out of range', () => m().similarItems(0, { filterItems: [9] }), 'filterItems[0] = 9'),
    c('similarItems: items fractional', () => m().similarItems(0, { items: [0.5] }), 'items[0] = 0.5'),
    c('similarUsers: user out of range', () => m().similarUsers(9), 'user index 9 is out of range [0, 4)'),
    c('similarUsers: options null', () => m().similarUsers(0, any(null)), 'options must be an object'),
    c('similarUsers: filterUsers out of range', () => m().similarUsers(0, { filterUsers: [9] }), 'filterUsers[0] = 9'),
    c('similarUsers: users fractional', () => m().similarUsers(0, { users: [0.5] }), 'users[0] = 0.5'),
    c(
      'similarUsers: old and new filter names together',
      () => m().similarUsers(0, any({ filterItems: [1], filterUsers: [2] })),
      'give filterUsers and users (user indices), not filterItems or items',
    ),
    c('recalculateUser: null', () => m().recalculateUser(any(null)), 'expected { indices, values? }'),
    c(
      'recalculateUser: index out of range',
      () => m().recalculateUser({ indices: [9] }),
      'item index 9 is outside [0, 4)',
    ),
    c(
      'recalculateUser: fractional index',
      () => m().recalculateUser({ indices: [1.5] }),
      'item index 1.5 is outside [0, 4)',
    ),
    c('recalculateUser: NaN value', () => m().recalculateUser({ indices: [1], values: [NaN] }), 'non-finite value NaN'),
    c(
      'recalculateUser: Infinity value',
      () => m().recalculateUser({ indices: [1], values: [Infinity] }),
      'non-finite value Infinity',
    ),
    c('recalculateUser: value beyond float32', () => m().recalculateUser({ indices: [1], values: [1e39] }), 'float32'),
    c(
      'recalculateUser: values length mismatch',
      () => m().recalculateUser({ indices: [1], values: [1, 2] }),
      'indices has 1 entries but values has 2',
    ),
    c('recommendById: model without id maps', () => m().recommendById(0), 'the model has no id maps'),
    c('similarItemsById: model without id maps', () => m().similarItemsById(0), 'the model has no id maps'),
    c('recommendById: unknown user id', () => fxIds(name).recommendById('nobody'), 'unknown user id "nobody"'),
    c(
      'recommendById: unknown candidate item id',
      () => fxIds(name).recommendById('u1', { items: ['zzz'] }),
      'unknown item id "zzz"',
    ),
    c(
      'recommendById: filterItems not iterable',
      () => fxIds(name).recommendById('u1', { filterItems: any(5) }),
      'filterItems must be an iterable of ids',
    ),
    c('similarItemsById: unknown item id', () => fxIds(name).similarItemsById('zzz'), 'unknown item id "zzz"'),
    c('save: options a number', () => m().save(any(5)), 'options must be an object'),
    c('saveFile: empty path', () => m().saveFile(''), 'saveFile: path must be a non-empty string'),
    c('saveFile: path not a string', () => m().saveFile(any(42)), 'saveFile: path must be a non-empty string'),
    c(
      'saveFile: missing directory',
      () => m().saveFile('/nonexistent-dir-lowrank/x.lrk'),
      'saveFile: cannot write /nonexistent-dir-lowrank/x.lrk: its directory does not exist (ENOENT)',
      LowrankError,
    ),
  ];
}

const specificCases: BadInput[] = [
  {
    name: 'ALS.predict: users/items lengths differ',
    call: () => fxA().predict([0, 1], [0]),
    error: ValidationError,
    message: 'users and items must be arrays of the same length',
  },
  {
    name: 'ALS.predict: user out of range',
    call: () => fxA().predict([7], [0]),
    error: ValidationError,
    message: 'user 7 (position 0) is outside [0, 4)',
  },
  {
    name: 'ALS.predict: item NaN',
    call: () => fxA().predict([0], [NaN]),
    error: ValidationError,
    message: 'item NaN (position 0)',
  },
  {
    name: 'ImplicitALS.explain: item out of range',
    call: () => fxI().explain(0, 9),
    error: ValidationError,
    message: 'item 9 is outside [0, 4)',
  },
  {
    name: 'ImplicitALS.explain: n 0',
    call: () => fxI().explain(0, 1, { n: 0 }),
    error: ValidationError,
    message: 'n must be a positive integer',
  },
  {
    name: 'ImplicitALS.explain: unknown option',
    call: () => fxI().explain(0, 1, any({ top: 3 })),
    error: ValidationError,
    message: 'unknown option',
  },
  {
    name: 'ImplicitALS.explain: interactions not a matrix',
    call: () => fxI().explain(0, 1, any({ interactions: [1, 2] })),
    error: ValidationError,
    message: 'interactions must be a SparseMatrix',
  },
  {
    name: 'ImplicitALS.explain: user out of range',
    call: () => fxI().explain(9, 1),
    error: ValidationError,
    message: 'user 9 is outside [0, 4)',
  },
  {
    name: 'ImplicitALS.loss: wrong shape',
    call: () => fxI().loss(SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [2, 2] })),
    error: ValidationError,
    message: 'does not match the model',
  },
  {
    name: 'ImplicitALS.partialFitUsers: repeated user',
    call: () => fxI().partialFitUsers([1, 1], [{ indices: [0] }, { indices: [1] }]),
    error: ValidationError,
    message: 'users[1] = 1 repeats an earlier index',
  },
  {
    name: 'ImplicitALS.partialFitUsers: negative user',
    call: () => fxI().partialFitUsers([-1], [{ indices: [0] }]),
    error: ValidationError,
    message: 'users[0] = -1 is not an index in [0, 2^31 − 1)',
  },
  {
    name: 'ImplicitALS.partialFitUsers: rows/users count mismatch',
    call: () => fxI().partialFitUsers([5], [{ indices: [0] }, { indices: [1] }]),
    error: ValidationError,
    message: '2 rows given for 1 indices',
  },
  {
    name: 'ImplicitALS.partialFitItems: item index in a row out of range',
    call: () => fxI().partialFitItems([1], [{ indices: [9] }]),
    error: ValidationError,
    message: 'item index 9 is outside [0, 4)',
  },
];

export const cases: BadInput[] = [
  ...MODELS.flatMap(([n, C]) => constructorCases(n, C)),
  ...MODELS.flatMap(([n, C]) => fitCases(n, C)),
  ...MODELS.flatMap(([n]) => servingCases(n)),
  ...specificCases,
];
