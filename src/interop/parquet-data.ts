/**
 * Training data as Parquet: `writeParquet` writes interactions as a table with columns user, item, rating
 * (and timestamp) that Spark's `ALS.fit(spark.read.parquet(path))` reads as-is (int32 ids, float ratings);
 * `readParquet` reads such a table (from Spark, pandas, DuckDB, …) back into Interactions.
 * @module
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { ModelFormatError, ValidationError } from '../errors.js';
import { OptionReader } from '../options.js';
import { Interactions, type InteractionRow } from '../data/interactions.js';
import type { Id, IdOrder } from '../data/idmap.js';
import type { DuplicatePolicy } from '../data/csr.js';
import { ByteBudget, resolveMaxBytes } from '../limits.js';
import type { ParquetFile } from './parquet-read.js';

/** Column names of the interaction table. */
export interface InteractionColumns {
  /** Default `'user'` (Spark ALS's default userCol). */
  userCol?: string;
  /** Default `'item'`. */
  itemCol?: string;
  /** Default `'rating'`. */
  ratingCol?: string;
  /** Default `'timestamp'`. */
  timestampCol?: string;
}

/** The column-name options both directions take (InteractionColumns). */
const COLUMN_KEYS = ['userCol', 'itemCol', 'ratingCol', 'timestampCol'];

/** Options of {@link writeParquet}. */
export interface WriteParquetOptions extends InteractionColumns {
  /**
   * How ids are written. `'original'` (default): the interactions' ids, as int32 — Spark's ALS needs
   * integer ids, so other ids are an error. `'index'`: the row/column indices 0…n-1 (int32). `'string'`:
   * every id as a UTF-8 string (for other tools; Spark's ALS cannot use it).
   */
  ids?: 'original' | 'index' | 'string';
  /** Page compression: `'SNAPPY'` (default, like Spark) or `'UNCOMPRESSED'`. */
  codec?: 'SNAPPY' | 'UNCOMPRESSED';
}

/** Options of {@link readParquet}. */
export interface ReadParquetOptions extends InteractionColumns {
  /** Repeated (user, item) pairs: `'sum'` (default), `'last'` or `'error'`. */
  duplicates?: DuplicatePolicy;
  /** Id → index order, as in `Interactions.fromRows` (default `'sorted'`). */
  idOrder?: IdOrder;
  /**
   * Most bytes reading may allocate, estimated from the footers (rows × columns, uncompressed column
   * sizes) before any column is decoded; past it a `SizeLimitError`. Default `DEFAULT_MAX_BYTES` (1 GiB).
   */
  maxBytes?: number;
}

const INT32 = (v: Id) => typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;

/**
 * Interactions as a Parquet file (one row per stored entry, in CSR order): `user` and `item` (int32,
 * required), `rating` (float, required) and, when the interactions have timestamps, `timestamp` (int64
 * if every time is an integer, else double).
 * @throws ValidationError for ids that cannot be written as requested
 */
export function writeParquet(interactions: Interactions, options: WriteParquetOptions = {}): Uint8Array {
  if (!(interactions instanceof Interactions))
    throw new ValidationError(
      'writeParquet: expected an Interactions object (e.g. from Interactions.fromRows or a parser)',
    );
  new OptionReader('writeParquet', options, ['ids', 'codec', ...COLUMN_KEYS], { nullIsDefaults: false });
  const {
    userCol = 'user',
    itemCol = 'item',
    ratingCol = 'rating',
    timestampCol = 'timestamp',
    ids = 'original',
    codec = 'SNAPPY',
  } = options;
  if (ids !== 'original' && ids !== 'index' && ids !== 'string')
    throw new ValidationError(`writeParquet: ids must be 'original', 'index' or 'string', got ${JSON.stringify(ids)}`);
  if (codec !== 'SNAPPY' && codec !== 'UNCOMPRESSED')
    throw new ValidationError(`writeParquet: codec must be 'SNAPPY' or 'UNCOMPRESSED', got ${JSON.stringify(codec)}`);
  const names = [userCol, itemCol, ratingCol, timestampCol];
  if (names.some((n) => typeof n !== 'string' || n.length === 0) || new Set(names).size !== names.length) {
    throw new ValidationError(
      `writeParquet: column names must be distinct non-empty strings, got ${JSON.stringify(names)}`,
    );
  }
  const m = interactions.matrix;
  const nnz = m.nnz;
  const idColumn = (
    map: Interactions['users'],
    index: Int32Array,
    what: string,
  ): { data: Int32Array | string[]; type: 'INT32' | 'STRING' } => {
    if (ids === 'index') return { data: index, type: 'INT32' };
    const list = map.ids();
    if (ids === 'string') return { data: Array.from(index, (i) => String(list[i])), type: 'STRING' };
    const bad = list.find((id) => !INT32(id));
    if (bad !== undefined) {
      throw new ValidationError(
        `writeParquet: ${what} id ${JSON.stringify(bad)} is not a 32-bit integer, which Spark's ALS requires; pass { ids: 'index' } (write indices) or { ids: 'string' }`,
      );
    }
    return { data: Int32Array.from(index, (i) => list[i] as number), type: 'INT32' };
  };
  const rows = new Int32Array(nnz);
  for (let r = 0; r < m.rows; r++) rows.fill(r, m.indptr[r], m.indptr[r + 1]);
  const u = idColumn(interactions.users, rows, 'user');
  const it = idColumn(interactions.items, m.indices, 'item');
  const columnData: { name: string; data: Int32Array | Float32Array | Float64Array | BigInt64Array | string[] }[] = [
    { name: userCol, data: u.data },
    { name: itemCol, data: it.data },
    { name: ratingCol, data: m.data },
  ];
  const leaf = (name: string, type: string, extra: object = {}) => ({
    name,
    type,
    repetition_type: 'REQUIRED',
    ...extra,
  });
  const schema: object[] = [
    { name: 'spark_schema', num_children: 3 },
    u.type === 'INT32' ? leaf(userCol, 'INT32') : leaf(userCol, 'BYTE_ARRAY', { converted_type: 'UTF8' }),
    it.type === 'INT32' ? leaf(itemCol, 'INT32') : leaf(itemCol, 'BYTE_ARRAY', { converted_type: 'UTF8' }),
    leaf(ratingCol, 'FLOAT'),
  ];
  const t = interactions.timestamps;
  if (t) {
    const integral = t.every((v) => Number.isSafeInteger(v));
    columnData.push({ name: timestampCol, data: integral ? BigInt64Array.from(t, (v) => BigInt(v)) : t });
    schema.push(leaf(timestampCol, integral ? 'INT64' : 'DOUBLE'));
    (schema[0] as { num_children: number }).num_children = 4;
  }
  const buf = parquetWriteBuffer({
    columnData,
    schema,
    codec,
    createdBy: 'lowrank (hyparquet-writer)',
  } as Parameters<typeof parquetWriteBuffer>[0]);
  return new Uint8Array(buf);
}

/**
 * Read an interaction table (one file, or the part files of a Spark/Hive directory as an array) into
 * Interactions. `user` and `item` may be integers or strings; `rating` (any numeric type) defaults to 1
 * when the column is absent; `timestamp` (integer, double or a TIMESTAMP type, as milliseconds) is kept
 * when present.
 * @throws ModelFormatError for a missing id column, an unsupported column type or compression, or nulls
 */
export async function readParquet(
  files: Uint8Array | ArrayBuffer | ArrayLike<Uint8Array | ArrayBuffer>,
  options: ReadParquetOptions = {},
): Promise<Interactions> {
  new OptionReader('readParquet', options, ['duplicates', 'idOrder', 'maxBytes', ...COLUMN_KEYS], {
    nullIsDefaults: false,
  });
  const { userCol = 'user', itemCol = 'item', ratingCol = 'rating', timestampCol = 'timestamp' } = options;
  const list = files instanceof Uint8Array || files instanceof ArrayBuffer ? [files] : Array.from(files ?? []);
  if (list.length === 0 || !list.every((f) => f instanceof Uint8Array || f instanceof ArrayBuffer)) {
    throw new ValidationError(
      'readParquet: expected the bytes of a Parquet file (Uint8Array or ArrayBuffer) or an array of them',
    );
  }
  const budget = new ByteBudget(resolveMaxBytes(options.maxBytes, 'readParquet'), 'readParquet');
  // The Parquet reader (hyparquet and the checks around it) loads on first use, not with the library.
  const { checkPages, columnShape, openParquet, readColumns } = await import('./parquet-read.js');
  const opened = list.map((bytes, f) => openParquet(bytes, list.length > 1 ? `readParquet: part ${f}` : 'readParquet'));
  for (const file of opened) {
    // Decoded values are JS numbers in per-column arrays, then one row each: ~200 bytes a row covers them.
    budget.add(file.numRows * 200, `${file.source}: ${file.numRows} rows`);
    for (const rg of file.metadata.row_groups)
      for (const c of rg.columns)
        budget.add(
          Number(c.meta_data?.total_uncompressed_size ?? 0),
          `${file.source}: column ${c.meta_data?.path_in_schema.join('.')}`,
        );
    checkPages(file, budget.limit);
  }
  const rows: InteractionRow[] = [];
  let withTimes: boolean | undefined;
  for (let f = 0; f < list.length; f++) {
    const file = opened[f];
    const kind = (name: string, required: boolean, allowed: readonly string[], what: string) => {
      const s = columnShape(file, name);
      if (!s) {
        if (!required) return undefined;
        const have = file.schema.children.map((c) => c.element.name).join(', ');
        throw new ModelFormatError(
          `${file.source}: no column ${JSON.stringify(name)} (columns: ${have}); name the ${what} column with the ${what}Col option`,
        );
      }
      if (s.list || !allowed.includes(s.type))
        throw new ModelFormatError(
          `${file.source}: column ${name} has Parquet type ${s.list ? `LIST<${s.type}>` : s.type}; expected ${allowed.join(', ')}`,
        );
      return s;
    };
    const idTypes = ['INT32', 'INT64', 'BYTE_ARRAY', 'FLOAT', 'DOUBLE'] as const;
    kind(userCol, true, idTypes, 'user');
    kind(itemCol, true, idTypes, 'item');
    const hasRating = kind(ratingCol, false, ['INT32', 'INT64', 'FLOAT', 'DOUBLE', 'BOOLEAN'], 'rating') !== undefined;
    const hasTime =
      kind(timestampCol, false, ['INT32', 'INT64', 'FLOAT', 'DOUBLE', 'INT96'], 'timestamp') !== undefined;
    if (withTimes !== undefined && withTimes !== hasTime)
      throw new ModelFormatError(`${file.source}: some part files have a ${timestampCol} column and some do not`);
    withTimes = hasTime;
    const names = [userCol, itemCol, ...(hasRating ? [ratingCol] : []), ...(hasTime ? [timestampCol] : [])];
    const cols = await readColumns(file, names);
    for (let r = 0; r < file.numRows; r++) {
      const user = idValue(cols[userCol][r], file, userCol, r);
      const item = idValue(cols[itemCol][r], file, itemCol, r);
      const value = hasRating ? numberValue(cols[ratingCol][r], file, ratingCol, r) : 1;
      if (hasTime) rows.push([user, item, value, numberValue(cols[timestampCol][r], file, timestampCol, r)]);
      else rows.push([user, item, value]);
    }
  }
  return Interactions.fromRows(rows, { duplicates: options.duplicates, idOrder: options.idOrder });
}

function idValue(v: unknown, file: ParquetFile, col: string, row: number): Id {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
      throw new ModelFormatError(`${file.source}: row ${row}: ${col} ${v} is beyond ±2^53`);
    return Number(v);
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    if (!Number.isInteger(v))
      throw new ModelFormatError(
        `${file.source}: row ${row}: ${col} ${v} has a fractional part; ids must be integers or strings`,
      );
    return v;
  }
  throw new ModelFormatError(
    `${file.source}: row ${row}: ${col} is ${v === undefined || v === null ? 'null' : String(v)}; every interaction needs a ${col}`,
  );
}

function numberValue(v: unknown, file: ParquetFile, col: string, row: number): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  throw new ModelFormatError(
    `${file.source}: row ${row}: ${col} is ${v === undefined || v === null ? 'null' : String(v)}; expected a finite number`,
  );
}
