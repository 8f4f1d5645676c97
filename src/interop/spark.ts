/**
 * Spark ML ALS models in and out: `importSparkALS` reads a saved `ALSModel` directory into an ImplicitALS
 * or ALS model, `exportSparkALS` writes a lowrank model as a directory Spark's `ALSModel.load` reads.
 * The layout itself is in spark-format.ts.
 * @module
 */
import { ModelFormatError, ValidationError } from '../errors.js';
import { OptionReader } from '../options.js';
import type { Id } from '../data/idmap.js';
import type { SparseMatrix } from '../data/csr.js';
import type { Interactions } from '../data/interactions.js';
import { ByteBudget, resolveMaxBytes } from '../limits.js';
import { ensureBackend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';
import { ImplicitALS } from '../models/als/implicit.js';
import { ALS } from '../models/als/explicit.js';
import type { FactorModel } from '../models/common/factor-model.js';
import { modelClass } from '../recommend/registry.js';
import type { Backend } from '../runtime/backend.js';
import { rebuild, snapshot, trainingMatrix } from './bridge.js';
import { writeFileTree, type FileMap, type FileTree } from './files.js';
import {
  decodeSparkFactors,
  planSparkALS,
  sparkALSFiles,
  type LowrankSparkExtra,
  type SparkALSMetadata,
  type SparkWriteOptions,
} from './spark-format.js';

/** Options of {@link importSparkALS}. */
export interface ImportSparkALSOptions {
  /**
   * Build an ImplicitALS (`true`) or an ALS (`false`) model. Default: `paramMap.implicitPrefs` if the
   * metadata has it, else what lowrank recorded when it exported the model, else `false` (Spark's
   * default). Spark itself does not save `implicitPrefs` with an ALSModel, so for a model trained by
   * Spark with `implicitPrefs=true`, pass `true` here.
   */
  implicitPrefs?: boolean;
  /** Backend whose heap receives the factors (default: the active one, initialised if needed). */
  backend?: Backend;
  /**
   * Most bytes the import may allocate (factors as float32, ids, id maps, footers), counted from the
   * metadata and Parquet footers before any factor data is read; past it a `SizeLimitError`. Default
   * `DEFAULT_MAX_BYTES` (1 GiB). Raise it only for models you trust.
   */
  maxBytes?: number;
  /**
   * The training interactions, attached as the model's training matrix so `recommend` filters
   * already-liked items: Interactions with Spark's user and item ids (mapped onto the model's; pairs with
   * ids the model lacks are dropped), or a users × items SparseMatrix in the model's row order. Without it
   * (and without `interactions` per call) nothing is filtered, and the first such `recommend` warns once.
   */
  interactions?: Interactions | SparseMatrix;
}

/**
 * Read a Spark ML `ALSModel` directory (Spark 2.4–3.x: `metadata/`, `userFactors/`, `itemFactors/`).
 *
 * Spark's integer ids become the model's `userIds` / `itemIds` (so `recommendById(sparkUserId)` works);
 * factor rows keep the order of the Parquet files. Hyperparameters found in the metadata (`regParam`,
 * `alpha`) become the model's options; the scores `recommend` returns are X_u·Y_i, Spark's prediction.
 *
 * A model that lowrank exported comes back as the same class with the same options (including an ALS
 * with biases, whose bias columns Spark sees as extra factor columns).
 *
 * Safe for untrusted directories: sizes come from the metadata and the Parquet footers and are checked
 * against `maxBytes` first; the factor tables are then decoded page by page straight into their heap
 * blocks (files on disk are read in ranges), so peak memory is about the model's size.
 *
 * @param source the directory: a path (Node), the `FileList` / `File[]` of a directory picked in the
 *   browser (`<input type="file" webkitdirectory>`), or a `{ 'metadata/part-00000': bytes, … }` map
 * @throws ModelFormatError for a missing or foreign metadata file, mistyped or inconsistent factor tables
 *   (rank mismatch, wrong-length or non-finite vectors, duplicate ids) or unreadable Parquet
 * @throws SizeLimitError if the model declares more than `maxBytes`
 * @throws ValidationError if `interactions` does not fit the model
 */
export async function importSparkALS(
  source: FileTree,
  options: ImportSparkALSOptions = {},
): Promise<ImplicitALS | ALS> {
  const r = new OptionReader('importSparkALS', options, ['implicitPrefs', 'backend', 'maxBytes', 'interactions'], {
    nullIsDefaults: false,
  });
  if (options.implicitPrefs !== undefined) r.bool('implicitPrefs', false);
  const budget = new ByteBudget(resolveMaxBytes(options.maxBytes, 'importSparkALS'), 'importSparkALS');
  const plan = await planSparkALS(source, budget);
  let X: HeapArray<'f32'> | undefined;
  let Y: HeapArray<'f32'> | undefined;
  let userIds: Int32Array;
  let itemIds: Int32Array;
  const { metadata } = plan;
  const rank = metadata.rank;
  let backend: Backend;
  try {
    backend = options.backend ?? (await ensureBackend());
    X = backend.heap.allocArray('f32', plan.users.rows * rank);
    Y = backend.heap.allocArray('f32', plan.items.rows * rank);
    userIds = new Int32Array(plan.users.rows);
    itemIds = new Int32Array(plan.items.rows);
    const xs = X;
    const ys = Y;
    await decodeSparkFactors(plan.users, rank, userIds, () => xs.view);
    await decodeSparkFactors(plan.items, rank, itemIds, () => ys.view);
  } catch (e) {
    X?.free();
    Y?.free();
    throw e;
  } finally {
    await plan.close();
  }
  const { type, options: modelOptions, state } = sparkModelOptions(metadata, rank, options.implicitPrefs);
  const users = Array.from(userIds) as Id[];
  const items = Array.from(itemIds) as Id[];
  let interactions: SparseMatrix | undefined;
  try {
    if (!modelClass(type)) throw new ModelFormatError(`importSparkALS: model class ${type} is not registered`);
    interactions = trainingMatrix(
      options.interactions,
      plan.users.rows,
      plan.items.rows,
      users,
      items,
      'importSparkALS',
    );
  } catch (e) {
    X.free();
    Y.free();
    throw e;
  }
  let model: ImplicitALS | ALS;
  try {
    model = await rebuild<ImplicitALS | ALS>(
      {
        modelType: type,
        options: modelOptions,
        dim: rank,
        X,
        Y,
        userIds: users,
        itemIds: items,
        extra: state,
        interactions,
      },
      backend,
    );
  } catch (e) {
    if (e instanceof ModelFormatError) throw new ModelFormatError(`importSparkALS: ${e.message}`);
    throw e;
  }
  if (!interactions) model.warnUnfiltered = true;
  return model;
}

/**
 * The model a Spark ALS model becomes: ImplicitALS or ALS (Spark's implicitPrefs, unless given), with the
 * options lowrank exported it with, or else Spark's own parameters mapped to lowrank's.
 */
function sparkModelOptions(
  metadata: SparkALSMetadata,
  rank: number,
  implicitPrefsOption: boolean | undefined,
): { type: 'ImplicitALS' | 'ALS'; options: Record<string, unknown>; state: unknown } {
  const pm = metadata.paramMap;
  const extra: LowrankSparkExtra = metadata.lowrank && typeof metadata.lowrank === 'object' ? metadata.lowrank : {};
  const flag = (v: unknown) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined);
  const implicitPrefs = implicitPrefsOption ?? flag(pm.implicitPrefs) ?? flag(extra.implicitPrefs) ?? false;
  const type = implicitPrefs ? 'ImplicitALS' : 'ALS';
  // Exported by lowrank: restore exactly.
  if (extra.modelType === type && extra.options && typeof extra.options === 'object')
    return { type, options: extra.options, state: extra.state ?? null };
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
  const options: Record<string, unknown> = { factors: rank };
  if (num(pm.regParam) !== undefined) options.regularization = num(pm.regParam);
  if (Number.isInteger(pm.maxIter) && (pm.maxIter as number) > 0) options.iterations = pm.maxIter;
  if (implicitPrefs) {
    if (num(pm.alpha) !== undefined) options.alpha = num(pm.alpha);
  } else {
    // Spark's explicit ALS has no bias terms and scales λ by each row's rating count (ALS-WR).
    options.biases = false;
    options.weightedRegularization = true;
  }
  return { type, options, state: null };
}

/** Options of {@link exportSparkALS}. */
export interface ExportSparkALSOptions extends SparkWriteOptions {
  /** Write into an existing non-empty directory, replacing its `metadata/`, `userFactors/`, `itemFactors/`. Default false. */
  overwrite?: boolean;
  /**
   * Spark ids must be 32-bit integers. `'original'` (default) writes the model's ids and throws if one is
   * not; `'index'` writes row indices 0…n-1 instead (a model without ids always uses indices).
   */
  ids?: 'original' | 'index';
}

/**
 * Write a fitted lowrank model as a Spark ML `ALSModel` directory that `ALSModel.load(dir)` reads:
 * snappy Parquet factor tables with Spark's exact schema, and metadata with only the params an ALSModel
 * has (plus lowrank's own hyperparameters under an extra `"lowrank"` key, which Spark ignores).
 *
 * Spark scores a (user, item) pair as the dot product of their vectors, so every stored column is
 * written: an ALS with biases exports rank = factors + 2 (its bias columns), which makes Spark's
 * predictions equal lowrank's.
 *
 * @param dir where to write (Node only); omit it to just get the files (e.g. to zip them in a browser)
 * @returns the files written, as relative path → bytes
 * @throws ValidationError for an unfitted model, ids Spark cannot hold, or an existing non-empty `dir`
 */
export async function exportSparkALS(
  model: FactorModel,
  dir?: string,
  options: ExportSparkALSOptions = {},
): Promise<FileMap> {
  new OptionReader(
    'exportSparkALS',
    options,
    ['overwrite', 'ids', 'sparkVersion', 'uid', 'timestamp', 'userCol', 'itemCol'],
    { nullIsDefaults: false },
  );
  if (options.ids !== undefined && options.ids !== 'original' && options.ids !== 'index') {
    throw new ValidationError(`exportSparkALS: ids must be 'original' or 'index', got ${JSON.stringify(options.ids)}`);
  }
  if (dir !== undefined && typeof dir !== 'string')
    throw new ValidationError('exportSparkALS: dir must be a directory path (string) or omitted');
  const s = snapshot(model, 'exportSparkALS');
  const sparkIds = (ids: Id[] | null, n: number, what: string): Int32Array => {
    const out = new Int32Array(n);
    if (ids === null || options.ids === 'index') {
      for (let i = 0; i < n; i++) out[i] = i;
      return out;
    }
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < -2147483648 || id > 2147483647) {
        throw new ValidationError(
          `exportSparkALS: ${what} id ${JSON.stringify(id)} is not a 32-bit integer, which Spark ALS requires; pass { ids: 'index' } to write row indices instead`,
        );
      }
      out[i] = id;
    }
    return out;
  };
  const nU = s.X.length / s.dim;
  const nI = s.Y.length / s.dim;
  const extra: LowrankSparkExtra = {
    modelType: s.modelType,
    implicitPrefs: s.modelType === 'ImplicitALS',
    options: s.options,
  };
  if (s.extra !== null && s.extra !== undefined) extra.state = s.extra;
  const files = sparkALSFiles(
    { ids: sparkIds(s.userIds, nU, 'user'), features: s.X },
    { ids: sparkIds(s.itemIds, nI, 'item'), features: s.Y },
    s.dim,
    extra,
    options,
  );
  if (dir !== undefined) await writeFileTree(dir, files, 'exportSparkALS', options.overwrite ?? false);
  return files;
}
