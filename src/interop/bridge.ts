/**
 * Between lowrank models and plain factor arrays, through the persistence codec's model state
 * (`toState` / `FactorModel.fromState`), so interop needs no access to a model's protected state and
 * every check a loaded file gets (shapes, finiteness, id maps, options) applies to imported factors too.
 * @module
 */
import { ValidationError } from '../errors.js';
import type { Id } from '../data/idmap.js';
import { FactorModel } from '../recommend/base.js';
import { checkModelState } from '../recommend/codec.js';
import type { Backend } from '../runtime/backend.js';
import { ensureBackend } from '../runtime/backend.js';

/** A model as plain data. */
export interface FactorSnapshot {
  modelType: string;
  options: Record<string, unknown>;
  /** Stored columns per row (factors plus bias columns, where the model has them). */
  dim: number;
  /** users × dim and items × dim, row-major. */
  X: Float32Array;
  Y: Float32Array;
  userIds: Id[] | null;
  itemIds: Id[] | null;
  /** The model's extra JSON state (e.g. a global mean), if any. */
  extra: unknown;
}

/** Take a fitted model apart (copies; the model is unchanged). */
export function snapshot(model: FactorModel, where: string): FactorSnapshot {
  if (!(model instanceof FactorModel)) throw new ValidationError(`${where}: expected a fitted lowrank model (ImplicitALS, ALS, …), got ${Object.prototype.toString.call(model)}`);
  const s = model.toState({ includeInteractions: false });
  return {
    modelType: s.modelType,
    options: (s.options ?? {}) as Record<string, unknown>,
    dim: s.dim,
    X: s.X,
    Y: s.Y,
    userIds: s.userIds ? s.userIds.ids() : null,
    itemIds: s.itemIds ? s.itemIds.ids() : null,
    extra: s.extra?.json ?? null,
  };
}

/**
 * Build a fitted model of a registered class from plain data.
 * @throws ModelFormatError if the class rejects the options or the arrays are inconsistent
 */
export async function rebuild<T extends FactorModel = FactorModel>(s: FactorSnapshot, backend?: Backend): Promise<T> {
  const state = checkModelState({ ...s, extra: { json: s.extra ?? undefined, arrays: {} } });
  return FactorModel.fromState(state, { backend: backend ?? (await ensureBackend()) }) as T;
}
