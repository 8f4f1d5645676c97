/**
 * Between lowrank models and plain factor arrays, through the models' own persistence (`save` /
 * `FactorModel.load`), so interop needs no access to a model's protected state and every check `load`
 * makes (shapes, finiteness, options) applies to imported factors too.
 * @module
 */
import { ModelFormatError, ValidationError } from '../errors.js';
import type { Id } from '../data/idmap.js';
import { FactorModel } from '../recommend/base.js';
import { decodeModelFile, encodeModelFile } from '../recommend/persist.js';
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
  const { header, arrays } = decodeModelFile(model.save({ includeInteractions: false }));
  const X = arrays.get('X');
  const Y = arrays.get('Y');
  if (!(X instanceof Float32Array) || !(Y instanceof Float32Array)) throw new ModelFormatError(`${where}: the model's saved form has no factors`);
  return {
    modelType: String(header.modelType),
    options: (header.options ?? {}) as Record<string, unknown>,
    dim: header.dim as number,
    X,
    Y,
    userIds: (header.userIds as Id[] | null) ?? null,
    itemIds: (header.itemIds as Id[] | null) ?? null,
    extra: header.extra ?? null,
  };
}

/**
 * Build a fitted model of a registered class from plain data.
 * @throws ModelFormatError if the class rejects the options or the arrays are inconsistent
 */
export async function rebuild<T extends FactorModel = FactorModel>(s: FactorSnapshot, backend?: Backend): Promise<T> {
  const users = s.X.length / s.dim;
  const items = s.Y.length / s.dim;
  const header = {
    modelType: s.modelType,
    options: s.options,
    dim: s.dim,
    users,
    items,
    userIds: s.userIds,
    itemIds: s.itemIds,
    interactions: null,
    extra: s.extra ?? null,
    extraArrays: [],
  };
  const bytes = encodeModelFile(header, [
    ['X', s.X],
    ['Y', s.Y],
  ]);
  return FactorModel.load(bytes, { backend: backend ?? (await ensureBackend()) }) as T;
}
