/**
 * Between lowrank models and plain factor arrays, through the persistence codec's model state
 * (`toState` / `FactorModel.fromState`), so interop needs no access to a model's protected state and
 * every check a loaded file gets (shapes, finiteness, id maps, options) applies to imported factors too.
 * @module
 */
import { ValidationError } from '../errors.js';
import { IdMap, type Id } from '../data/idmap.js';
import { SparseMatrix } from '../data/csr.js';
import { Interactions } from '../data/interactions.js';
import { FactorModel } from '../models/common/factor-model.js';
import { checkModelState, freeState, type FactorBlock, type PlacedModelState } from '../models/common/factor-state.js';
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
  if (!(model instanceof FactorModel))
    throw new ValidationError(
      `${where}: expected a fitted lowrank model (ImplicitALS, ALS, …), got ${Object.prototype.toString.call(model)}`,
    );
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

/** What {@link rebuild} takes: a snapshot whose X and Y may already be heap blocks (adopted, not copied). */
export interface ImportedModel extends Omit<FactorSnapshot, 'X' | 'Y'> {
  X: FactorBlock;
  Y: FactorBlock;
  /** The users × items training matrix to attach (filters already-liked items), if any. */
  interactions?: SparseMatrix;
}

/**
 * Build a fitted model of a registered class from plain data. Heap blocks in `s.X` / `s.Y` must belong to
 * the backend's heap; they are adopted without a copy (and freed if the model cannot be built).
 * @throws ModelFormatError if the class rejects the options or the arrays are inconsistent
 */
export async function rebuild<T extends FactorModel = FactorModel>(s: ImportedModel, backend?: Backend): Promise<T> {
  let state: PlacedModelState;
  let b: Backend;
  try {
    b = backend ?? (await ensureBackend());
    state = checkModelState({ ...s, extra: { json: s.extra ?? undefined, arrays: {} } });
  } catch (e) {
    freeState(s);
    throw e;
  }
  return FactorModel.fromState(state, { backend: b }) as T;
}

/**
 * The `interactions` option of the importers as the model's training matrix: a users × items
 * SparseMatrix as it is, or Interactions whose ids are mapped onto the model's (pairs with ids the model
 * does not know are dropped: it cannot recommend for them anyway).
 * @throws ValidationError for another type, a matrix of another shape, or Interactions sharing no id with the model
 */
export function trainingMatrix(
  value: unknown,
  users: number,
  items: number,
  userIds: Id[] | null,
  itemIds: Id[] | null,
  where: string,
): SparseMatrix | undefined {
  if (value === undefined) return undefined;
  if (value instanceof SparseMatrix) {
    if (value.rows !== users || value.cols !== items) {
      throw new ValidationError(
        `${where}: interactions is ${value.rows} × ${value.cols} but the model has ${users} users × ${items} items; pass the matrix the model was trained on (rows = users, columns = items, in the model's order)`,
      );
    }
    return value;
  }
  if (!(value instanceof Interactions))
    throw new ValidationError(
      `${where}: interactions must be a SparseMatrix (users × items) or Interactions, got ${Object.prototype.toString.call(value)}`,
    );
  if (!userIds || !itemIds) {
    if (value.matrix.rows !== users || value.matrix.cols !== items) {
      throw new ValidationError(
        `${where}: interactions has ${value.matrix.rows} users × ${value.matrix.cols} items but the model (which has no ids) has ${users} × ${items}`,
      );
    }
    return value.matrix;
  }
  const um = IdMap.from(userIds);
  const im = IdMap.from(itemIds);
  const rowOf = Int32Array.from(value.users.ids(), (id) => um.indexOf(id));
  const colOf = Int32Array.from(value.items.ids(), (id) => im.indexOf(id));
  const m = value.matrix;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let r = 0; r < m.rows; r++) {
    const u = rowOf[r];
    if (u < 0) continue;
    for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++) {
      const i = colOf[m.indices[k]];
      if (i < 0) continue;
      rows.push(u);
      cols.push(i);
      vals.push(m.data[k]);
    }
  }
  if (rows.length === 0 && m.nnz > 0)
    throw new ValidationError(
      `${where}: none of the interactions' (user, item) ids are in the model; are they the ids it was trained on?`,
    );
  return SparseMatrix.fromCOO({ rows, cols, values: vals, shape: [users, items] });
}
