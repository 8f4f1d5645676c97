/**
 * Model classes by saved name, so `loadModel(bytes)` can rebuild whatever a file holds. Each model class
 * registers itself where it is defined: `registerModel('ImplicitALS', ImplicitALS)`.
 * @module
 */
import { ValidationError } from '../errors.js';
import type { Recommender } from './types.js';

/**
 * A model class: constructed from its JSON-serialisable options object. (Typed by the Recommender
 * contract so this module needs no import of FactorModel; loading checks `instanceof FactorModel`.)
 */
export type ModelClass = new (options?: any) => Recommender; // eslint-disable-line @typescript-eslint/no-explicit-any

const byType = new Map<string, ModelClass>();

/**
 * Make a model class loadable by `loadModel`. `modelType` must equal the instances' `modelType` (it is
 * what `save` writes). Registering the same class again is a no-op; another class under a taken name is
 * an error.
 */
export function registerModel(modelType: string, ctor: ModelClass): void {
  if (typeof modelType !== 'string' || modelType.length === 0)
    throw new ValidationError('registerModel: modelType must be a non-empty string');
  if (typeof ctor !== 'function')
    throw new ValidationError(`registerModel(${JSON.stringify(modelType)}): expected a model class`);
  const had = byType.get(modelType);
  if (had && had !== ctor)
    throw new ValidationError(
      `registerModel: model type ${JSON.stringify(modelType)} is already registered to another class`,
    );
  byType.set(modelType, ctor);
}

/** The class registered under `modelType`, if any. */
export function modelClass(modelType: string): ModelClass | undefined {
  return byType.get(modelType);
}

/** The name a class was registered under, if any. */
export function modelTypeOf(ctor: unknown): string | undefined {
  for (const [name, c] of byType) if (c === ctor) return name;
  return undefined;
}

/** Names of all registered model types. */
export function registeredModelTypes(): string[] {
  return [...byType.keys()];
}
