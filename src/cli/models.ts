/**
 * The CLI's model choices: names, hyperparameter flags, construction and fitting with a progress bar.
 * @module
 */
import { ALS, ImplicitALS, PureSVD, ValidationError, type FactorModel, type Interactions, type SparseMatrix } from '../index.js';
import { startBar } from './progress.js';

/** `--model` values. */
export const MODEL_CHOICES = ['implicit-als', 'als', 'puresvd'] as const;
/** A `--model` value. */
export type ModelName = (typeof MODEL_CHOICES)[number];

/** Hyperparameter flags shared by `fit` and `evaluate` (undefined = the model's default). */
export interface ModelFlags {
  model: string;
  factors?: number;
  iterations?: number;
  regularization?: number;
  alpha?: number;
  solver?: string;
  seed?: number;
  /** ImplicitALS: compute the training loss after each iteration (shown on the bar). */
  loss?: boolean;
}

/** Accept `explicit-als` and case variants as aliases. */
export function modelName(raw: string): ModelName {
  const name = raw.toLowerCase() === 'explicit-als' ? 'als' : raw.toLowerCase();
  if (!(MODEL_CHOICES as readonly string[]).includes(name)) {
    throw new ValidationError(`unknown model ${JSON.stringify(raw)}; expected one of ${MODEL_CHOICES.join(', ')}`);
  }
  return name as ModelName;
}

/** Build an unfitted model from the flags; the library validates every value. */
export function makeModel(flags: ModelFlags): FactorModel {
  const name = modelName(flags.model);
  const seed = flags.seed ?? 0;
  const given = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  if (name === 'implicit-als') {
    if (flags.solver !== undefined && flags.solver !== 'cg' && flags.solver !== 'cholesky') {
      throw new ValidationError(`--solver must be cg or cholesky, got ${JSON.stringify(flags.solver)}`);
    }
    return new ImplicitALS(given({
      factors: flags.factors,
      iterations: flags.iterations,
      regularization: flags.regularization,
      alpha: flags.alpha,
      solver: flags.solver as 'cg' | 'cholesky' | undefined,
      seed,
      calculateTrainingLoss: flags.loss ?? false,
    }));
  }
  for (const [flag, v] of [['--alpha', flags.alpha], ['--solver', flags.solver]] as const) {
    if (v !== undefined) throw new ValidationError(`${flag} applies to implicit-als only, not ${name}`);
  }
  if (name === 'als') return new ALS(given({ factors: flags.factors, iterations: flags.iterations, regularization: flags.regularization, seed }));
  for (const [flag, v] of [['--iterations', flags.iterations], ['--regularization', flags.regularization]] as const) {
    if (v !== undefined) throw new ValidationError(`${flag} does not apply to puresvd (it is a truncated SVD); use --factors`);
  }
  return new PureSVD(given({ factors: flags.factors, seed, tol: 1e-6 }));
}

/** Format a loss for a bar: 3 significant digits in exponent form. */
function lossText(loss: number | undefined): string {
  return loss === undefined ? '' : `loss ${loss.toExponential(3)}`;
}

/**
 * Fit `model` on `data` (Interactions keep ids in the model; a bare matrix does not), drawing a bar
 * labelled `label`. Resolves to the wall-clock seconds of the fit.
 */
export async function fitWithProgress(model: FactorModel, data: Interactions | SparseMatrix, label: string, progress: boolean): Promise<number> {
  const input = 'matrix' in data ? { matrix: data.matrix, users: data.users, items: data.items } : data;
  const t0 = performance.now();
  if (model instanceof PureSVD) {
    const k = model.options.factors;
    const bar = startBar(label, k, 'converged', progress);
    let restarts = 0;
    await model.fit(input, {
      onProgress: (p) => {
        restarts = p.restarts;
        bar.update(p.converged, `restart ${p.restarts}`);
      },
    });
    bar.update(k);
    bar.stop(`${restarts} restarts`);
  } else if (model instanceof ImplicitALS || model instanceof ALS) {
    const its = model.options.iterations;
    const bar = startBar(label, its, 'iterations', progress);
    await model.fit(input, { onIteration: (info) => bar.update(info.iteration + 1, lossText(info.loss)) });
    bar.stop();
  } else {
    throw new ValidationError(`cannot fit a ${(model as FactorModel).modelType} from the CLI`);
  }
  return (performance.now() - t0) / 1000;
}
