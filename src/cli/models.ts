/**
 * The CLI's model choices: names, hyperparameter flags, construction and fitting with a progress bar.
 * @module
 */
import {
  ALS,
  BPR,
  EASE,
  ImplicitALS,
  ItemKNN,
  LogisticMF,
  PureSVD,
  ValidationError,
  type Interactions,
  type Model,
  type SparseMatrix,
} from '../index.js';
import { type FactorModel } from '../advanced.js';
import { plural } from './output.js';
import { startBar } from './progress.js';

/** `--model` values. */
export const MODEL_CHOICES = ['implicit-als', 'als', 'puresvd', 'bpr', 'lmf', 'item-knn', 'ease'] as const;
/** A `--model` value. */
export type ModelName = (typeof MODEL_CHOICES)[number];

/** Hyperparameter flags shared by `fit` and `evaluate` (undefined = the model's default). */
export interface ModelFlags {
  model: string;
  factors?: number;
  iterations?: number;
  regularization?: number;
  /** ItemKNN: neighbours kept per item. */
  neighbors?: number;
  /** ItemKNN: cosine, tfidf, bm25 or none. */
  weighting?: string;
  alpha?: number;
  solver?: string;
  confidence?: string;
  seed?: number;
  /** ImplicitALS: compute the training loss after each iteration (shown on the bar). */
  loss?: boolean;
  /** `--param [model.]key=value`, repeatable: any option of the model's constructor. */
  param?: string[];
}

/** Accept `explicit-als` and case variants as aliases. */
export function modelName(raw: string): ModelName {
  const name = raw.toLowerCase() === 'explicit-als' ? 'als' : raw.toLowerCase();
  if (!(MODEL_CHOICES as readonly string[]).includes(name)) {
    throw new ValidationError(`unknown model ${JSON.stringify(raw)}; expected one of ${MODEL_CHOICES.join(', ')}`);
  }
  return name as ModelName;
}

/** The models each hyperparameter flag applies to (the library option it sets is the flag's own name, or `option`). */
const FLAG_MODELS: { flag: keyof ModelFlags; models: readonly ModelName[]; option?: string }[] = [
  { flag: 'factors', models: ['implicit-als', 'als', 'puresvd', 'bpr', 'lmf'] },
  { flag: 'iterations', models: ['implicit-als', 'als', 'bpr', 'lmf'] },
  { flag: 'regularization', models: ['implicit-als', 'als', 'bpr', 'lmf', 'ease'] },
  { flag: 'neighbors', models: ['item-knn'] },
  { flag: 'weighting', models: ['item-knn'] },
  { flag: 'alpha', models: ['implicit-als', 'lmf'] },
  { flag: 'solver', models: ['implicit-als'] },
  { flag: 'confidence', models: ['implicit-als'] },
  { flag: 'loss', models: ['implicit-als'], option: 'calculateTrainingLoss' },
];

const cliFlag = (f: string): string => `--${f}`;

/** Models without randomness (no `seed` option). */
const UNSEEDED: readonly ModelName[] = ['item-knn', 'ease'];

/** A `--param` value: a number, true/false, or text. */
function paramValue(raw: string): number | boolean | string {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
}

/** `--param` entries as { model (undefined: every model), key, value }. */
export function parseParams(
  raw: readonly string[] | undefined,
  names: readonly ModelName[],
): { model?: ModelName; key: string; value: number | boolean | string }[] {
  return (raw ?? []).map((p) => {
    const eq = p.indexOf('=');
    const lhs = eq > 0 ? p.slice(0, eq).trim() : '';
    const dot = lhs.lastIndexOf('.');
    const key = lhs.slice(dot + 1);
    if (eq <= 0 || key === '' || p.slice(eq + 1).trim() === '') {
      throw new ValidationError(
        `--param takes model.option=value, e.g. --param implicit-als.alpha=1 (got ${JSON.stringify(p)})`,
      );
    }
    const model = dot > 0 ? modelName(lhs.slice(0, dot)) : undefined;
    if (model && !names.includes(model))
      throw new ValidationError(`--param ${p}: ${model} is not among the models (${names.join(', ')})`);
    return { model, key, value: paramValue(p.slice(eq + 1).trim()) };
  });
}

/**
 * The constructor options of each listed model from the flags: a flag applies to the models that take
 * it (with several models, the others leave it out); a flag no listed model takes is an error, as is a
 * `--param` the model does not know (the library says which options it has).
 */
export function modelOptions(names: readonly ModelName[], flags: ModelFlags): Record<string, unknown>[] {
  for (const { flag, models } of FLAG_MODELS) {
    if (flags[flag] === undefined || flags[flag] === false) continue;
    if (!names.some((n) => models.includes(n))) {
      const why =
        names.length === 1 && names[0] === 'puresvd' && models.includes('als')
          ? ' (it is a truncated SVD); use --factors'
          : '';
      throw new ValidationError(`${cliFlag(flag)} applies to ${models.join(', ')} only, not ${names.join(', ')}${why}`);
    }
  }
  const params = parseParams(flags.param, names);
  return names.map((name) => {
    // The item–item models are deterministic closed forms: they take no seed.
    const o: Record<string, unknown> = UNSEEDED.includes(name) ? {} : { seed: flags.seed ?? 0 };
    for (const { flag, models, option } of FLAG_MODELS) {
      if (flags[flag] !== undefined && models.includes(name)) o[option ?? flag] = flags[flag];
    }
    if (name === 'puresvd') o.tol = 1e-6;
    for (const p of params) if (p.model === undefined || p.model === name) o[p.key] = p.value;
    return o;
  });
}

/** Build unfitted models from the flags; the library validates every value. */
export function makeModels(names: readonly ModelName[], flags: ModelFlags): Model[] {
  const options = modelOptions(names, flags);
  return names.map((name, k) => {
    try {
      if (name === 'implicit-als') return new ImplicitALS(options[k]);
      if (name === 'als') return new ALS(options[k]);
      if (name === 'bpr') return new BPR(options[k]);
      if (name === 'lmf') return new LogisticMF(options[k]);
      if (name === 'item-knn') return new ItemKNN(options[k]);
      if (name === 'ease') return new EASE(options[k]);
      return new PureSVD(options[k]);
    } catch (e) {
      // The library names the option; say which model it was for when several are listed.
      if (e instanceof ValidationError && names.length > 1) throw new ValidationError(`${name}: ${e.message}`);
      throw e;
    }
  });
}

/** Build the one unfitted model `flags.model` names. */
export function makeModel(flags: ModelFlags): Model {
  return makeModels([modelName(flags.model)], flags)[0];
}

/** Format a loss for a bar: 3 significant digits in exponent form. */
function lossText(loss: number | undefined): string {
  return loss === undefined ? '' : `loss ${loss.toExponential(3)}`;
}

/**
 * Fit `model` on `data` (Interactions keep ids in the model; a bare matrix does not), drawing a bar
 * labelled `label`. Resolves to the wall-clock seconds of the fit.
 */
export async function fitWithProgress(
  model: Model,
  data: Interactions | SparseMatrix,
  label: string,
  progress: boolean,
): Promise<number> {
  const input = 'matrix' in data ? { matrix: data.matrix, users: data.users, items: data.items } : data;
  const t0 = performance.now();
  if (model instanceof PureSVD) {
    // With factors 'auto' the rank is chosen first (the bar then shows the final SVD at that rank).
    const given = model.options.factors;
    const bar = startBar(label, given === 'auto' ? 1 : given, 'converged', progress);
    let restarts = 0;
    await model.fit(input, {
      onProgress: (p) => {
        restarts = p.restarts;
        bar.update(given === 'auto' ? 0 : p.converged, `restart ${p.restarts}`);
      },
    });
    const k = model.options.factors as number;
    bar.setTotal(k);
    bar.update(k);
    bar.stop(given === 'auto' ? `rank ${k} (auto), ${plural(restarts, 'restart')}` : plural(restarts, 'restart'));
  } else if (
    model instanceof ImplicitALS ||
    model instanceof ALS ||
    model instanceof BPR ||
    model instanceof LogisticMF
  ) {
    const its = model.options.iterations;
    const bar = startBar(label, its, 'iterations', progress);
    await model.fit(input, { onIteration: (info) => bar.update(info.iteration + 1, lossText(info.loss)) });
    bar.stop();
  } else {
    // ItemKNN and EASE: one closed-form step each.
    const bar = startBar(label, 1, 'fit', progress);
    await model.fit(input);
    bar.update(1);
    bar.stop();
  }
  return (performance.now() - t0) / 1000;
}
