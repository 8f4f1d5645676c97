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
import { OptionReader } from '../options.js';
import type { Id } from '../data/idmap.js';
import type { SparseMatrix } from '../data/csr.js';
import type { Interactions } from '../data/interactions.js';
import { ImplicitALS } from '../models/als/implicit.js';
import type { FactorModel } from '../models/common/factor-model.js';
import { ensureBackend, type Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';
import { ByteBudget, resolveMaxBytes } from '../limits.js';
import { rebuild, snapshot, trainingMatrix } from './bridge.js';
import { npyDecodedBytes, npyScalar, type NpyArray, type NpyHeader } from './npy.js';
import { NpzArchive, writeNpz } from './npz.js';

/** Options of {@link importImplicit}. */
export interface ImportImplicitOptions {
  /** Backend whose heap receives the factors (default: the active one, initialised if needed). */
  backend?: Backend;
  /**
   * Most bytes the import may allocate (factors as float32, ids, hyperparameters), counted from the
   * `.npy` headers before anything is inflated; past it a `SizeLimitError`. Default `DEFAULT_MAX_BYTES`
   * (1 GiB). Raise it only for files you trust.
   */
  maxBytes?: number;
  /**
   * The matrix the model was trained on (users × items in implicit's row order, as a SparseMatrix, or
   * Interactions of the same shape), attached as the model's training matrix so `recommend` filters
   * already-liked items as implicit's `recommend(u, user_items[u])` does. Without it (and without
   * `interactions` per call) nothing is filtered, and the first such `recommend` warns once.
   */
  interactions?: SparseMatrix | Interactions;
}

/** Options of {@link exportImplicit}. */
export interface ExportImplicitOptions {
  /** Deflate the archive (`np.savez_compressed`); default false, like implicit's `save`. */
  compress?: boolean;
}

const USER_IDS = 'lowrank_user_ids';
const ITEM_IDS = 'lowrank_item_ids';
/** Prefix of the members holding ImplicitALS options implicit has no counterpart for. */
const LOWRANK_PREFIX = 'lowrank_';

/** Shape of a factor member, checked before anything is read. */
function factorShape(h: NpyHeader, name: string): { rows: number; cols: number } {
  if (h.shape.length !== 2)
    throw new ModelFormatError(
      `importImplicit: ${name} has shape (${h.shape.join(', ')}); expected a 2-d (rows, factors) array`,
    );
  if (h.dtype !== 'f4' && h.dtype !== 'f8')
    throw new ModelFormatError(`importImplicit: ${name} has dtype ${h.dtype}; expected float32 or float64 factors`);
  return { rows: h.shape[0], cols: h.shape[1] };
}

/** Bytes of float64 factors converted per step (a multiple of 8). */
const CONVERT_CHUNK = 8 << 20;

/** Inflate a factor member straight into its heap block (float64 members are converted chunk by chunk). */
function readFactors(z: NpzArchive, name: string, dst: HeapArray<'f32'>): void {
  const h = z.header(name);
  if (h.dtype === 'f4') {
    // No heap allocation happens while the member inflates, so this view stays valid throughout.
    z.readInto(name, dst.bytes(0, h.dataBytes / 4));
    return;
  }
  z.readChunks(name, CONVERT_CHUNK, (piece, offset) => {
    const src = new Float64Array(piece.buffer, piece.byteOffset, piece.length / 8);
    dst.view.set(src, offset / 8);
  });
}

function idList(a: NpyArray | undefined, n: number, name: string): Id[] | null {
  if (!a) return null;
  if (a.shape.length !== 1 || a.shape[0] !== n)
    throw new ModelFormatError(`importImplicit: ${name} has shape (${a.shape.join(', ')}); expected (${n},)`);
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
 * `model.recommend(u, { interactions })` matches implicit's `model.recommend(u, user_items[u])`, and
 * `similarItems(i)` its `similar_items(i)`. The fitted-on matrix is not in the file: pass it as
 * `{ interactions }` here (or per call) to filter already-liked items.
 *
 * Safe for untrusted files: sizes come from the `.npy` headers and are checked against `maxBytes` before
 * anything is inflated, each member inflates only as far as its header declares, and the factors inflate
 * straight into their heap blocks (peak memory ≈ the model's size, not a multiple of it).
 *
 * Hyperparameters map as factors → factors, regularization, alpha, iterations, use_cg → solver
 * ('cg' / 'cholesky'), cg_steps → cgSteps, random_state → seed, calculate_training_loss. Members lowrank
 * does not understand are ignored. Note that implicit's confidence is c = α·r where lowrank's is
 * c = 1 + α·r: the factors (so every score) are implicit's exactly, but a refit uses lowrank's formula.
 * @throws ModelFormatError if the archive is not an implicit model (no `user_factors` / `item_factors`),
 *   the factor arrays disagree with each other or with `factors`, or an array is of an unsupported dtype
 * @throws SizeLimitError if the arrays declare more than `maxBytes`
 * @throws ValidationError if `interactions` is not a users × items matrix of the model's shape
 */
export async function importImplicit(
  bytes: Uint8Array | ArrayBuffer,
  options: ImportImplicitOptions = {},
): Promise<ImplicitALS> {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) {
    throw new ValidationError(
      `importImplicit: expected the .npz file's bytes (Uint8Array or ArrayBuffer), got ${Object.prototype.toString.call(bytes)}`,
    );
  }
  new OptionReader('importImplicit', options, ['backend', 'maxBytes', 'interactions'], { nullIsDefaults: false });
  const budget = new ByteBudget(resolveMaxBytes(options.maxBytes, 'importImplicit'), 'importImplicit');
  const z = new NpzArchive(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), 'importImplicit');
  for (const need of ['user_factors', 'item_factors']) {
    if (!z.has(need)) {
      throw new ModelFormatError(
        `importImplicit: the archive has no ${need}.npy (members: ${z.names().join(', ') || 'none'}); expected an implicit AlternatingLeastSquares.save() file`,
      );
    }
  }
  // Everything is sized from the headers first: nothing large is inflated or allocated past the cap.
  const U = factorShape(z.header('user_factors'), 'user_factors');
  const V = factorShape(z.header('item_factors'), 'item_factors');
  if (U.cols !== V.cols)
    throw new ModelFormatError(
      `importImplicit: rank mismatch: user_factors has ${U.cols} columns but item_factors has ${V.cols}`,
    );
  if (U.cols < 1) throw new ModelFormatError('importImplicit: the factor arrays have 0 columns');
  budget.add(U.rows * U.cols * 4, `user_factors (${U.rows} × ${U.cols}) as float32`);
  budget.add(V.rows * V.cols * 4, `item_factors (${V.rows} × ${V.cols}) as float32`);
  const ids = (name: string, n: number): Id[] | null => {
    if (!z.has(name)) return null;
    const h = z.header(name);
    budget.add(npyDecodedBytes(h) + h.size * 16, `${name} (${h.size} ids)`);
    return idList(z.read(name), n, name);
  };
  const userIds = ids(USER_IDS, U.rows);
  const itemIds = ids(ITEM_IDS, V.rows);
  const { options: o, extra } = implicitOptions(z, U.cols);
  const interactions = trainingMatrix(options.interactions, U.rows, V.rows, userIds, itemIds, 'importImplicit');
  const backend = options.backend ?? (await ensureBackend());
  let X: HeapArray<'f32'> | undefined;
  let Y: HeapArray<'f32'> | undefined;
  try {
    X = backend.heap.allocArray('f32', U.rows * U.cols);
    Y = backend.heap.allocArray('f32', V.rows * V.cols);
    readFactors(z, 'user_factors', X);
    readFactors(z, 'item_factors', Y);
  } catch (e) {
    X?.free();
    Y?.free();
    throw e;
  }
  const model = await rebuild<ImplicitALS>(
    { modelType: 'ImplicitALS', options: o, dim: U.cols, X, Y, userIds, itemIds, extra, interactions },
    backend,
  );
  if (!interactions) model.warnUnfiltered = true;
  return model;
}

/** A scalar hyperparameter member, or undefined (absent, not a scalar, or one numpy could only pickle). */
function scalarParam(z: NpzArchive, name: string): number | boolean | string | undefined {
  if (!z.has(name)) return undefined;
  try {
    if (z.header(name).size !== 1 || z.header(name).dataBytes > 4096) return undefined;
    const v = npyScalar(z.read(name), name);
    return typeof v === 'bigint' ? undefined : v;
  } catch (e) {
    if (e instanceof ModelFormatError) return undefined;
    throw e;
  }
}

/**
 * ImplicitALS options (and extra state) from an implicit archive's hyperparameter members. Members
 * lowrank does not understand, or of an unexpected type, are skipped (e.g. random_state=None).
 */
function implicitOptions(z: NpzArchive, rank: number): { options: Record<string, unknown>; extra: object | null } {
  const param = (name: string) => scalarParam(z, name);
  const factors = param('factors');
  if (typeof factors === 'number' && factors !== rank) {
    throw new ModelFormatError(
      `importImplicit: rank mismatch: the hyperparameter factors = ${factors} but the factor arrays have ${rank} columns`,
    );
  }
  const o: Record<string, unknown> = { factors: rank };
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
  // lowrank's own confidence options (written by exportImplicit; implicit ignores them). Without them the
  // model keeps lowrank 0.1's linear, unscaled confidence, the nearest to implicit's.
  const conf = param(LOWRANK_PREFIX + 'confidence');
  if (conf === 'log' || conf === 'linear') o.confidence = conf;
  const eps = param(LOWRANK_PREFIX + 'epsilon');
  if (typeof eps === 'number' && eps > 0 && Number.isFinite(eps)) o.epsilon = eps;
  const scaled = param(LOWRANK_PREFIX + 'scale_confidence');
  if (typeof scaled === 'boolean') o.scaleConfidence = scaled;
  const nu = param(LOWRANK_PREFIX + 'frequency_scaling');
  if (nonNeg(nu) && (nu as number) <= 2) o.frequencyScaling = nu;
  const scale = param(LOWRANK_PREFIX + 'confidence_scale');
  const extra = typeof scale === 'number' && scale > 0 && Number.isFinite(scale) ? { confidenceScale: scale } : null;
  return { options: o, extra };
}

function idArray(ids: Id[], what: string): NpyArray {
  if (ids.every((id) => typeof id === 'string')) return { dtype: 'U', shape: [ids.length], data: ids as string[] };
  if (ids.every((id) => typeof id === 'number')) {
    const nums = ids as number[];
    if (nums.every(Number.isSafeInteger))
      return { dtype: 'i8', shape: [ids.length], data: BigInt64Array.from(nums, (v) => BigInt(v)) };
    return { dtype: 'f8', shape: [ids.length], data: Float64Array.from(nums) };
  }
  throw new ValidationError(
    `exportImplicit: ${what} ids mix strings and numbers, which one .npy array cannot hold; use ids of one type`,
  );
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
  new OptionReader('exportImplicit', options, ['compress'], { nullIsDefaults: false });
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
  // lowrank's confidence options, only where they differ from the linear, unscaled confidence an import
  // assumes without them (so a model imported from implicit exports implicit's members exactly).
  const scale = (s.extra as { confidenceScale?: unknown } | null)?.confidenceScale;
  if (
    s.modelType === 'ImplicitALS' &&
    (o.confidence !== 'linear' || o.scaleConfidence !== false || o.frequencyScaling !== 0 || (scale ?? 1) !== 1)
  ) {
    arrays[LOWRANK_PREFIX + 'confidence'] = { dtype: 'U', shape: [], data: [String(o.confidence)] };
    arrays[LOWRANK_PREFIX + 'epsilon'] = f8(num(o.epsilon, 1));
    arrays[LOWRANK_PREFIX + 'scale_confidence'] = b1(o.scaleConfidence === true);
    arrays[LOWRANK_PREFIX + 'frequency_scaling'] = f8(num(o.frequencyScaling, 0));
    arrays[LOWRANK_PREFIX + 'confidence_scale'] = f8(num(scale, 1));
  }
  if (s.userIds) arrays[USER_IDS] = idArray(s.userIds, 'user');
  if (s.itemIds) arrays[ITEM_IDS] = idArray(s.itemIds, 'item');
  return writeNpz(arrays, { compress: options.compress ?? false });
}
