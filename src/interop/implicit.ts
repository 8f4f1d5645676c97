/**
 * benfred/implicit models in and out: the `.npz` that `AlternatingLeastSquares.save(path)` writes
 * (`user_factors`, `item_factors` and the hyperparameters as 0-d arrays) and `.load(path)` reads.
 *
 * **Confidence.** implicit treats the matrix it is fitted on as the confidence itself, c = α·r; lowrank's
 * ImplicitALS uses c = 1 + α·r (Hu, Koren & Volinsky's form). Factors and therefore scores carry over
 * exactly in both directions, and `alpha` is copied as-is — but refitting an imported model on the same
 * data will not reproduce implicit's factors exactly (see ImplicitALS for how to emulate one with the other).
 * @module
 */
import { ModelFormatError, ValidationError } from '../errors.js';
import type { Id } from '../data/idmap.js';
import { ImplicitALS } from '../als/implicit.js';
import type { FactorModel } from '../recommend/base.js';
import type { Backend } from '../runtime/backend.js';
import { rebuild, snapshot } from './bridge.js';
import { readNpy, npyScalar, type NpyArray } from './npy.js';
import { readNpzMembers, writeNpz } from './npz.js';

/** Options of {@link importImplicit}. */
export interface ImportImplicitOptions {
  /** Backend whose heap receives the factors (default: the active one, initialised if needed). */
  backend?: Backend;
}

/** Options of {@link exportImplicit}. */
export interface ExportImplicitOptions {
  /** Deflate the archive (`np.savez_compressed`); default false, like implicit's `save`. */
  compress?: boolean;
}

const USER_IDS = 'lowrank_user_ids';
const ITEM_IDS = 'lowrank_item_ids';

function factorMatrix(a: NpyArray, name: string): { rows: number; cols: number; data: Float32Array } {
  if (a.shape.length !== 2) throw new ModelFormatError(`importImplicit: ${name} has shape (${a.shape.join(', ')}); expected a 2-d (rows, factors) array`);
  let data: Float32Array;
  if (a.dtype === 'f4') data = a.data;
  else if (a.dtype === 'f8') data = Float32Array.from(a.data);
  else throw new ModelFormatError(`importImplicit: ${name} has dtype ${a.dtype}; expected float32 or float64 factors`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new ModelFormatError(`importImplicit: ${name} row ${Math.floor(i / a.shape[1])} has a non-finite value ${data[i]}`);
  }
  return { rows: a.shape[0], cols: a.shape[1], data };
}

function idList(a: NpyArray | undefined, n: number, name: string): Id[] | null {
  if (!a) return null;
  if (a.shape.length !== 1 || a.shape[0] !== n) throw new ModelFormatError(`importImplicit: ${name} has shape (${a.shape.join(', ')}); expected (${n},)`);
  if (a.dtype === 'U' || a.dtype === 'S') return a.data.slice();
  if (a.dtype === 'i8') return Array.from(a.data, (v) => Number(v));
  if (a.dtype === 'i4' || a.dtype === 'f8') return Array.from(a.data);
  throw new ModelFormatError(`importImplicit: ${name} has dtype ${a.dtype}; expected integers or strings`);
}

/**
 * Read an implicit `AlternatingLeastSquares` model saved with `model.save(path)` (implicit ≥ 0.5; CPU or
 * GPU models, which implicit saves as CPU arrays) into an ImplicitALS.
 *
 * Users and items are implicit's row indices (the model has no id maps unless lowrank exported it), so
 * `model.recommend(u, { userItems })` matches implicit's `model.recommend(u, user_items[u])`, and
 * `similarItems(i)` its `similar_items(i)`. The fitted-on matrix is not in the file: pass it as
 * `userItems` to filter already-liked items.
 *
 * Hyperparameters map as factors → factors, regularization, alpha, iterations, use_cg → solver
 * ('cg' / 'cholesky'), cg_steps → cgSteps, random_state → seed, calculate_training_loss. Members lowrank
 * does not understand are ignored. Note that implicit's confidence is c = α·r where lowrank's is
 * c = 1 + α·r: the factors (so every score) are implicit's exactly, but a refit uses lowrank's formula.
 * @throws ModelFormatError if the archive is not an implicit model (no `user_factors` / `item_factors`),
 *   the factor arrays disagree with each other or with `factors`, or an array is of an unsupported dtype
 */
export async function importImplicit(bytes: Uint8Array | ArrayBuffer, options: ImportImplicitOptions = {}): Promise<ImplicitALS> {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) {
    throw new ValidationError(`importImplicit: expected the .npz file's bytes (Uint8Array or ArrayBuffer), got ${Object.prototype.toString.call(bytes)}`);
  }
  const members = readNpzMembers(bytes, 'importImplicit');
  for (const need of ['user_factors', 'item_factors']) {
    if (!members.has(need)) {
      throw new ModelFormatError(`importImplicit: the archive has no ${need}.npy (members: ${[...members.keys()].join(', ') || 'none'}); expected an implicit AlternatingLeastSquares.save() file`);
    }
  }
  const U = factorMatrix(readNpy(members.get('user_factors')!, 'user_factors.npy'), 'user_factors');
  const V = factorMatrix(readNpy(members.get('item_factors')!, 'item_factors.npy'), 'item_factors');
  if (U.cols !== V.cols) throw new ModelFormatError(`importImplicit: rank mismatch: user_factors has ${U.cols} columns but item_factors has ${V.cols}`);
  if (U.cols < 1) throw new ModelFormatError('importImplicit: the factor arrays have 0 columns');
  // Hyperparameters: a member numpy could only pickle (e.g. random_state=None) is skipped, not fatal.
  const param = (name: string): number | boolean | string | undefined => {
    const m = members.get(name);
    if (!m) return undefined;
    try {
      const v = npyScalar(readNpy(m, `${name}.npy`), name);
      return typeof v === 'bigint' ? undefined : v;
    } catch {
      return undefined;
    }
  };
  const factors = param('factors');
  if (typeof factors === 'number' && factors !== U.cols) {
    throw new ModelFormatError(`importImplicit: rank mismatch: the hyperparameter factors = ${factors} but the factor arrays have ${U.cols} columns`);
  }
  const o: Record<string, unknown> = { factors: U.cols };
  const nonNeg = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  const posInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
  const reg = param('regularization');
  if (nonNeg(reg)) o.regularization = reg;
  const alpha = param('alpha');
  if (nonNeg(alpha)) o.alpha = alpha;
  const iterations = param('iterations');
  if (typeof iterations === 'number' && Number.isInteger(iterations) && iterations >= 0) o.iterations = iterations;
  const useCg = param('use_cg');
  if (typeof useCg === 'boolean') o.solver = useCg ? 'cg' : 'cholesky';
  const cgSteps = param('cg_steps');
  if (posInt(cgSteps)) o.cgSteps = cgSteps;
  const seed = param('random_state');
  if (typeof seed === 'number' && Number.isSafeInteger(seed)) o.seed = seed;
  const loss = param('calculate_training_loss');
  if (typeof loss === 'boolean') o.calculateTrainingLoss = loss;
  const ids = (name: string, n: number) => (members.has(name) ? idList(readNpy(members.get(name)!, `${name}.npy`), n, name) : null);
  return rebuild<ImplicitALS>(
    { modelType: 'ImplicitALS', options: o, dim: U.cols, X: U.data, Y: V.data, userIds: ids(USER_IDS, U.rows), itemIds: ids(ITEM_IDS, V.rows), extra: null },
    options.backend,
  );
}

function idArray(ids: Id[], what: string): NpyArray {
  if (ids.every((id) => typeof id === 'string')) return { dtype: 'U', shape: [ids.length], data: ids as string[] };
  if (ids.every((id) => typeof id === 'number')) {
    const nums = ids as number[];
    if (nums.every(Number.isSafeInteger)) return { dtype: 'i8', shape: [ids.length], data: BigInt64Array.from(nums, (v) => BigInt(v)) };
    return { dtype: 'f8', shape: [ids.length], data: Float64Array.from(nums) };
  }
  throw new ValidationError(`exportImplicit: ${what} ids mix strings and numbers, which one .npy array cannot hold; use ids of one type`);
}

/**
 * Write a fitted model as the `.npz` implicit's `AlternatingLeastSquares.load(path)` reads: `user_factors`
 * and `item_factors` (float32) and implicit's hyperparameters as 0-d arrays (taken from an ImplicitALS's
 * options; other models export their stored columns as the factors, which keeps their scores). `alpha`
 * is written as-is although implicit's confidence is α·r and lowrank's 1 + α·r (see the module notes).
 *
 * If the model has id maps they are stored too, as `lowrank_user_ids` / `lowrank_item_ids` (implicit's
 * loader just keeps them as attributes), so `importImplicit` restores them.
 */
export function exportImplicit(model: FactorModel, options: ExportImplicitOptions = {}): Uint8Array {
  if (options === null || typeof options !== 'object') throw new ValidationError('exportImplicit: options must be an object');
  const s = snapshot(model, 'exportImplicit');
  const nU = s.X.length / s.dim;
  const nI = s.Y.length / s.dim;
  const o = s.modelType === 'ImplicitALS' ? s.options : {};
  const f8 = (v: number): NpyArray => ({ dtype: 'f8', shape: [], data: Float64Array.of(v) });
  const i8 = (v: number): NpyArray => ({ dtype: 'i8', shape: [], data: BigInt64Array.of(BigInt(Math.trunc(v))) });
  const b1 = (v: boolean): NpyArray => ({ dtype: 'b1', shape: [], data: Uint8Array.of(v ? 1 : 0) });
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  // Same members, order and dtypes as implicit 0.7's save (implicit's defaults where we have no value).
  const arrays: Record<string, NpyArray> = {
    user_factors: { dtype: 'f4', shape: [nU, s.dim], data: s.X },
    item_factors: { dtype: 'f4', shape: [nI, s.dim], data: s.Y },
    regularization: f8(num(o.regularization, 0.01)),
    factors: i8(s.dim),
    num_threads: i8(0),
    iterations: i8(num(o.iterations, 15)),
    use_native: b1(true),
    use_cg: b1(o.solver !== 'cholesky'),
    cg_steps: i8(num(o.cgSteps, 3)),
    calculate_training_loss: b1(o.calculateTrainingLoss === true),
    dtype: { dtype: 'U', shape: [], data: ['float32'] },
    random_state: i8(Number.isSafeInteger(o.seed) ? (o.seed as number) : 0),
    alpha: f8(num(o.alpha, 1)),
  };
  if (s.userIds) arrays[USER_IDS] = idArray(s.userIds, 'user');
  if (s.itemIds) arrays[ITEM_IDS] = idArray(s.itemIds, 'item');
  return writeNpz(arrays, { compress: options.compress ?? false });
}
