/**
 * The on-disk layout of a Spark ML `ALSModel` (Spark 2.4–3.x), independent of lowrank's model classes:
 *
 * ```
 * <dir>/metadata/part-00000     one line of JSON: class, timestamp, sparkVersion, uid, paramMap,
 *                               defaultParamMap, rank
 * <dir>/userFactors/part-*.parquet   id: int32 (required), features: array<float> (LIST, required elements)
 * <dir>/itemFactors/part-*.parquet
 * ```
 * plus `_SUCCESS` markers. The Parquet schema is what Spark's writer produces for the `toDF("id",
 * "features")` of an `RDD[(Int, Array[Float])]`:
 * `required int32 id; optional group features (LIST) { repeated group list { required float element } }`
 * (elements are `required` because Spark's `Array[Float]` has `containsNull = false`).
 *
 * Spark's `ALSModel` carries only serving params (userCol, itemCol, predictionCol, coldStartStrategy,
 * blockSize): `implicitPrefs`, `alpha`, `regParam` belong to the `ALS` estimator and are not saved, and a
 * param Spark does not know in `paramMap` makes `ALSModel.load` fail. lowrank therefore records its own
 * hyperparameters in an extra top-level `"lowrank"` field, which Spark ignores.
 * @module
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { ModelFormatError, ValidationError } from '../errors.js';
import { ByteBudget, resolveMaxBytes } from '../limits.js';
import { openFileTree, type FileMap, type FileTree } from './files.js';
import type { FactorPart, FactorSink, LengthCheck, RangeSource } from './parquet-factors.js';

// The Parquet factor reader (hyparquet and its decoders) loads on the first import of a model, not with the
// library: most apps never read a Spark model.
const factorReader = () => import('./parquet-factors.js');

/** The class name Spark writes for (and checks when loading) an ALS model. */
export const SPARK_ALS_CLASS = 'org.apache.spark.ml.recommendation.ALSModel';

/** What lowrank stores in the metadata's extra `"lowrank"` field (Spark ignores it). */
export interface LowrankSparkExtra {
  /** lowrank's class: `'ImplicitALS'` or `'ALS'`. */
  modelType?: string;
  implicitPrefs?: boolean;
  /** The model's constructor options (factors, regularization, alpha, …). */
  options?: Record<string, unknown>;
  /** The model's extra saved state (e.g. ALS's global mean), as its `save()` records it. */
  state?: unknown;
  version?: string;
}

/** The parsed `metadata/part-00000` of a Spark ALSModel. */
export interface SparkALSMetadata {
  class: string;
  timestamp: number;
  sparkVersion: string;
  uid: string;
  paramMap: Record<string, unknown>;
  defaultParamMap?: Record<string, unknown>;
  rank: number;
  lowrank?: LowrankSparkExtra;
  [key: string]: unknown;
}

/** One factor table: `ids[k]`'s vector is `features[k*rank … (k+1)*rank)`. */
export interface SparkFactorTable {
  ids: Int32Array;
  features: Float32Array;
}

/** A whole Spark ALS model as data. */
export interface SparkALSData {
  metadata: SparkALSMetadata;
  users: SparkFactorTable;
  items: SparkFactorTable;
}

/**
 * Parse and check the metadata JSON (the first line of `metadata/part-00000`).
 * @throws ModelFormatError for invalid JSON, another class, or a missing/invalid/inconsistent rank
 */
export function parseSparkALSMetadata(text: string, source = 'metadata/part-00000'): SparkALSMetadata {
  const line = text.split('\n').find((l) => l.trim().length > 0);
  if (line === undefined) throw new ModelFormatError(`${source}: the metadata file is empty`);
  let m: unknown;
  try {
    m = JSON.parse(line);
  } catch (e) {
    throw new ModelFormatError(`${source}: metadata is not valid JSON: ${(e as Error).message}`);
  }
  if (m === null || typeof m !== 'object' || Array.isArray(m))
    throw new ModelFormatError(`${source}: metadata must be a JSON object`);
  const md = m as Record<string, unknown>;
  if (md.class !== SPARK_ALS_CLASS) {
    throw new ModelFormatError(
      `${source}: this is a ${JSON.stringify(md.class)} model; expected class ${SPARK_ALS_CLASS}`,
    );
  }
  const paramMap = md.paramMap ?? {};
  if (paramMap === null || typeof paramMap !== 'object' || Array.isArray(paramMap))
    throw new ModelFormatError(`${source}: paramMap must be a JSON object`);
  const pm = paramMap as Record<string, unknown>;
  const rank = md.rank ?? pm.rank;
  if (!Number.isInteger(rank) || (rank as number) < 1)
    throw new ModelFormatError(`${source}: metadata has rank ${JSON.stringify(rank)}; expected a positive integer`);
  if (pm.rank !== undefined && pm.rank !== rank)
    throw new ModelFormatError(
      `${source}: rank mismatch inside the metadata: rank ${rank} but paramMap.rank ${JSON.stringify(pm.rank)}`,
    );
  return {
    ...md,
    class: SPARK_ALS_CLASS,
    timestamp: typeof md.timestamp === 'number' ? md.timestamp : 0,
    sparkVersion: typeof md.sparkVersion === 'string' ? md.sparkVersion : 'unknown',
    uid: typeof md.uid === 'string' ? md.uid : '',
    paramMap: pm,
    rank: rank as number,
  } as SparkALSMetadata;
}

/** A factor table being read: its parts (footers checked) and declared row count. */
export interface PlannedTable {
  what: string;
  parts: FactorPart[];
  rows: number;
}

/** Open the parts of one table: footers read and checked, rows counted into `budget` (ids and vectors). */
export async function planSparkFactors(
  parts: { path: string; file: RangeSource }[],
  rank: number,
  what: string,
  budget: ByteBudget,
): Promise<PlannedTable> {
  const { openFactorPart } = await factorReader();
  const opened: FactorPart[] = [];
  let rows = 0;
  for (const { path, file } of parts) {
    const part = await openFactorPart(path, file, budget);
    opened.push(part);
    rows += part.rows;
  }
  // Per row: the vector (float32), the id, and the id map's entry (an estimate).
  budget.add(rows * (rank * 4 + 4 + 48), `${what}: ${rows} rows of rank ${rank}`);
  return { what, parts: opened, rows };
}

/**
 * Decode a planned table into `ids` and the block behind `features` (rows × rank float32, e.g. a heap
 * block: `features` is called per page to get its current view).
 * @throws ModelFormatError for a null or wrong-length vector, a non-finite value, a rank that disagrees
 *   with the metadata, a duplicate id, or a corrupt page
 */
export async function decodeSparkFactors(
  t: PlannedTable,
  rank: number,
  ids: Int32Array,
  features: () => Float32Array,
): Promise<void> {
  const { readFactorPart } = await factorReader();
  const check: LengthCheck = { lengths: new Set() };
  const sink: FactorSink = { ids, features, rank, what: t.what };
  let row = 0;
  for (const part of t.parts) {
    await readFactorPart(part, sink, row, check);
    row += part.rows;
  }
  if (check.firstBad) {
    if (check.lengths.size === 1) {
      throw new ModelFormatError(
        `${t.what}: rank mismatch: the metadata says rank ${rank} but every features vector has length ${check.firstBad.len}`,
      );
    }
    throw new ModelFormatError(
      `${check.firstBad.path}: ${t.what} id ${check.firstBad.id} has features of length ${check.firstBad.len}; expected rank ${rank}`,
    );
  }
  const sorted = ids.slice().sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1])
      throw new ModelFormatError(`${t.what}: duplicate id ${sorted[i]}; each id must have exactly one vector`);
  }
}

/**
 * Read one factor table from its part files (any order; empty parts are fine).
 * @param what `'userFactors'` or `'itemFactors'`, for messages
 * @param options.maxBytes cap on what reading may allocate (default `DEFAULT_MAX_BYTES`)
 * @throws ModelFormatError for a missing or mistyped column, a null or wrong-length vector, a non-finite
 *   value, a rank that disagrees with the metadata, or a duplicate id
 * @throws SizeLimitError if the footers declare more than `maxBytes`
 */
export async function readSparkFactors(
  parts: { path: string; bytes: Uint8Array }[],
  rank: number,
  what: string,
  options: { maxBytes?: number } = {},
): Promise<SparkFactorTable> {
  const budget = new ByteBudget(resolveMaxBytes(options.maxBytes, 'readSparkFactors'), what);
  const t = await planSparkFactors(
    parts.map(({ path, bytes }) => ({
      path,
      file: { size: bytes.length, read: async (a: number, b: number) => bytes.subarray(a, b) },
    })),
    rank,
    what,
    budget,
  );
  const ids = new Int32Array(t.rows);
  const features = new Float32Array(t.rows * rank);
  await decodeSparkFactors(t, rank, ids, () => features);
  return { ids, features };
}

/** A Spark model directory opened for reading: metadata parsed, both tables planned (nothing large read yet). */
export interface PlannedSparkALS {
  metadata: SparkALSMetadata;
  users: PlannedTable;
  items: PlannedTable;
  close(): Promise<void>;
}

/**
 * Open a Spark ALSModel directory: read the metadata and every part's footer, and count what the factor
 * tables need into `budget` (so an oversized model is refused before anything large is read).
 * @throws ModelFormatError if the metadata is missing or wrong, or a footer is invalid
 * @throws SizeLimitError past the budget's cap
 */
export async function planSparkALS(tree: FileTree, budget: ByteBudget): Promise<PlannedSparkALS> {
  const { files, close } = await openFileTree(tree, 'importSparkALS', ['metadata', 'userFactors', 'itemFactors']);
  try {
    const inFolder = (folder: string) =>
      [...files.keys()]
        .filter((p) => p.startsWith(`${folder}/`) && p.slice(folder.length + 1).startsWith('part-'))
        .sort();
    const metaParts = inFolder('metadata');
    if (metaParts.length === 0) {
      throw new ModelFormatError(
        `importSparkALS: no metadata/part-00000 found${typeof tree === 'string' ? ` in ${tree}` : ''}; expected a Spark ML ALSModel directory (metadata/, userFactors/, itemFactors/)`,
      );
    }
    const metaFile = files.get(metaParts[0])!;
    budget.add(metaFile.size * JSON_EXPANSION, `${metaParts[0]} (${metaFile.size} bytes)`);
    const metadata = parseSparkALSMetadata(
      new TextDecoder().decode(await metaFile.read(0, metaFile.size)),
      metaParts[0],
    );
    const table = async (folder: string) => {
      const parts = inFolder(folder).filter((p) => p.endsWith('.parquet'));
      if (parts.length === 0)
        throw new ModelFormatError(
          `importSparkALS: no ${folder}/part-*.parquet files found; expected Spark's factor table`,
        );
      return planSparkFactors(
        parts.map((p) => ({ path: p, file: files.get(p)! })),
        metadata.rank,
        folder,
        budget,
      );
    };
    const users = await table('userFactors');
    const items = await table('itemFactors');
    return { metadata, users, items, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** JSON text becomes objects and UTF-16 strings: count 4× its bytes. */
const JSON_EXPANSION = 4;

/**
 * Read a Spark ALSModel directory as data (factors in plain arrays; `importSparkALS` reads them into the
 * heap instead).
 * @throws ModelFormatError if the metadata is missing or wrong, or a factor table is invalid
 * @throws SizeLimitError if the model declares more than `maxBytes`
 */
export async function readSparkALSData(tree: FileTree, options: { maxBytes?: number } = {}): Promise<SparkALSData> {
  const plan = await planSparkALS(
    tree,
    new ByteBudget(resolveMaxBytes(options.maxBytes, 'readSparkALSData'), 'readSparkALSData'),
  );
  try {
    const rank = plan.metadata.rank;
    const read = async (t: PlannedTable): Promise<SparkFactorTable> => {
      const ids = new Int32Array(t.rows);
      const features = new Float32Array(t.rows * rank);
      await decodeSparkFactors(t, rank, ids, () => features);
      return { ids, features };
    };
    return { metadata: plan.metadata, users: await read(plan.users), items: await read(plan.items) };
  } finally {
    await plan.close();
  }
}

/** Options of {@link sparkALSFiles}. */
export interface SparkWriteOptions {
  /** Spark version written in the metadata (default `'3.5.0'`). Below 3.0, `blockSize` is left out. */
  sparkVersion?: string;
  /** Model uid (default `als_` + 12 random hex digits, as Spark makes them). */
  uid?: string;
  /** Milliseconds since the epoch (default now). */
  timestamp?: number;
  /** Column names the Spark model will expect when serving (default `'user'`, `'item'`). */
  userCol?: string;
  itemCol?: string;
}

const randomHex = (bytes: number): string => {
  const b = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
};

const uuid = (): string => {
  const h = randomHex(16).split('');
  h[12] = '4';
  h[16] = '89ab'[parseInt(h[16], 16) & 3];
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
};

/** Spark's own row schema, stored in the file so Spark restores exact nullability. */
const SPARK_ROW_METADATA = JSON.stringify({
  type: 'struct',
  fields: [
    { name: 'id', type: 'integer', nullable: false, metadata: {} },
    {
      name: 'features',
      type: { type: 'array', elementType: 'float', containsNull: false },
      nullable: true,
      metadata: {},
    },
  ],
});

/**
 * Serialize one factor table as a Parquet file with Spark's exact schema (snappy-compressed, like Spark).
 * @throws ValidationError if sizes disagree or a value is not finite
 */
export function writeSparkFactors(table: SparkFactorTable, rank: number, sparkVersion = '3.5.0'): Uint8Array {
  const n = table.ids.length;
  if (table.features.length !== n * rank)
    throw new ValidationError(
      `writeSparkFactors: ${n} ids need ${n * rank} features (rank ${rank}), got ${table.features.length}`,
    );
  const rows: number[][] = new Array(n);
  for (let r = 0; r < n; r++) {
    const row = Array.from(table.features.subarray(r * rank, (r + 1) * rank));
    for (const v of row)
      if (!Number.isFinite(v))
        throw new ValidationError(`writeSparkFactors: id ${table.ids[r]} has a non-finite factor ${v}`);
    rows[r] = row;
  }
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: table.ids },
      { name: 'features', data: rows },
    ],
    schema: [
      { name: 'spark_schema', num_children: 2 },
      { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
      {
        name: 'features',
        repetition_type: 'OPTIONAL',
        converted_type: 'LIST',
        logical_type: { type: 'LIST' },
        num_children: 1,
      },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
    ],
    codec: 'SNAPPY',
    kvMetadata: [
      { key: 'org.apache.spark.version', value: sparkVersion },
      { key: 'org.apache.spark.sql.parquet.row.metadata', value: SPARK_ROW_METADATA },
    ],
    createdBy: 'lowrank (hyparquet-writer)',
  });
  return new Uint8Array(buf);
}

/**
 * The files of a Spark ALSModel directory (relative path → bytes) for `data`: `metadata/part-00000`,
 * `userFactors/part-00000-<uuid>-c000.snappy.parquet`, `itemFactors/…` and `_SUCCESS` markers.
 */
export function sparkALSFiles(
  users: SparkFactorTable,
  items: SparkFactorTable,
  rank: number,
  extra: LowrankSparkExtra | undefined,
  options: SparkWriteOptions = {},
): FileMap {
  if (!Number.isInteger(rank) || rank < 1)
    throw new ValidationError(`exportSparkALS: rank must be a positive integer, got ${rank}`);
  const sparkVersion = options.sparkVersion ?? '3.5.0';
  const major = Number(/^(\d+)/.exec(sparkVersion)?.[1] ?? 3);
  // These are the params an ALSModel has; anything else in paramMap would make Spark's loader throw.
  const params: Record<string, unknown> = {
    userCol: options.userCol ?? 'user',
    itemCol: options.itemCol ?? 'item',
    predictionCol: 'prediction',
    coldStartStrategy: 'nan',
  };
  if (major >= 3) params.blockSize = 4096;
  const metadata: Record<string, unknown> = {
    class: SPARK_ALS_CLASS,
    timestamp: options.timestamp ?? Date.now(),
    sparkVersion,
    uid: options.uid ?? `als_${randomHex(6)}`,
    paramMap: params,
    defaultParamMap: { ...params, userCol: 'user', itemCol: 'item' },
    rank,
  };
  if (extra) metadata.lowrank = extra;
  const files: FileMap = new Map();
  files.set('metadata/part-00000', new TextEncoder().encode(`${JSON.stringify(metadata)}\n`));
  files.set('metadata/_SUCCESS', new Uint8Array(0));
  for (const [folder, table] of [
    ['userFactors', users],
    ['itemFactors', items],
  ] as const) {
    files.set(`${folder}/part-00000-${uuid()}-c000.snappy.parquet`, writeSparkFactors(table, rank, sparkVersion));
    files.set(`${folder}/_SUCCESS`, new Uint8Array(0));
  }
  return files;
}
