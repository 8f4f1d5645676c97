/**
 * Loading any saved model with its class kept: `loadModel(bytes)` returns the union of the model classes
 * lowrank ships (`Model`, discriminated by `modelType`), and `loadModel(bytes, ImplicitALS)` an ImplicitALS
 * (the file must hold one). A new model class is registered where it is defined (`registerModel`) and
 * listed in `Model` here.
 * @module
 */
import { ValidationError } from '../errors.js';
import { RecommenderBase, type LoadOptions } from '../recommend/base.js';
import type { ALS } from './als/explicit.js';
import type { ImplicitALS } from './als/implicit.js';
import type { BPR } from './bpr/model.js';
import type { EASE } from './ease/model.js';
import type { ItemKNN } from './item-knn/model.js';
import type { LogisticMF } from './lmf/model.js';
import type { PureSVD } from './puresvd/puresvd.js';

/**
 * Every model class lowrank ships, told apart by `modelType` (`if (m.modelType === 'ImplicitALS')
 * m.explain(…)`): what `loadModel` returns. A class you register yourself loads too; pass it to
 * `loadModel(bytes, YourModel)` to get its type.
 */
export type Model = ImplicitALS | ALS | PureSVD | BPR | LogisticMF | ItemKNN | EASE;

// biome-ignore lint/suspicious/noExplicitAny: constructor parameters of any model class
type ModelClassOf<T> = abstract new (...args: any[]) => T;

function isModelClass(x: unknown): x is ModelClassOf<RecommenderBase> {
  return typeof x === 'function' && (x === RecommenderBase || x.prototype instanceof RecommenderBase);
}

/**
 * Rebuild a model from `save()` bytes: any registered class (typed as `Model`), or, given a class, a model
 * of that class (a file holding another is a ModelFormatError) — `loadModel(bytes, ImplicitALS)` is
 * `ImplicitALS.load(bytes)`. Throws ModelFormatError for truncated, corrupted or inconsistent files.
 */
export function loadModel(bytes: Uint8Array, options?: LoadOptions): Model;
export function loadModel<T extends RecommenderBase>(
  bytes: Uint8Array,
  modelClass: ModelClassOf<T>,
  options?: LoadOptions,
): T;
export function loadModel(bytes: Uint8Array, a?: unknown, b?: LoadOptions): RecommenderBase {
  if (typeof a === 'function') {
    if (!isModelClass(a)) throw new ValidationError('loadModel: the second argument must be a model class');
    return RecommenderBase.load.call(a, bytes, b);
  }
  return RecommenderBase.load(bytes, a as LoadOptions | undefined);
}

/** `loadModel` from a file (Node): any registered class typed as `Model`, or a model of the class given. */
export function loadModelFile(path: string, options?: LoadOptions): Promise<Model>;
export function loadModelFile<T extends RecommenderBase>(
  path: string,
  modelClass: ModelClassOf<T>,
  options?: LoadOptions,
): Promise<T>;
export function loadModelFile(path: string, a?: unknown, b?: LoadOptions): Promise<RecommenderBase> {
  if (typeof a === 'function') {
    if (!isModelClass(a)) throw new ValidationError('loadModelFile: the second argument must be a model class');
    return RecommenderBase.loadFile.call(a, path, b);
  }
  return RecommenderBase.loadFile(path, a as LoadOptions | undefined);
}
