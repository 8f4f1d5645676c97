/**
 * A streaming reader for Spark's factor tables (`id: int`, `features: array<float>`), page by page, straight
 * into the destination the caller allocated from the footers' row counts (the model's heap block). Unlike a
 * general Parquet reader it never builds per-row JS arrays, never holds more than one page's bytes, and
 * trusts no size in the file: every page size, value count, run length and dictionary index is checked
 * against what the footer declared (itself checked against `maxBytes` by the caller) before it is used.
 *
 * Covered: DATA_PAGE v1 and v2, dictionary pages (PLAIN_DICTIONARY / RLE_DICTIONARY), PLAIN and
 * BYTE_STREAM_SPLIT values, INT32/INT64 ids, FLOAT/DOUBLE features, 3-level and legacy 2-level lists,
 * required or optional elements, and every codec hyparquet-compressors decodes.
 * @module
 */
import { parquetMetadata, parquetSchema, type FileMetaData, type SchemaTree } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { snappyUncompress } from 'hyparquet/src/snappy.js';
import { ModelFormatError } from '../errors.js';
import type { ByteBudget } from '../limits.js';
import { columnShape, type ParquetFile } from './parquet-read.js';
import { loadCodecs, loadedCodecs } from './codecs.js';
import { hybrid, pageValues, plainValues, type Values } from './parquet-encodings.js';

/** Random access to one file's bytes. */
export interface RangeSource {
  readonly size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

/** A factor part file whose footer has been read and checked. */
export interface FactorPart {
  path: string;
  src: RangeSource;
  metadata: FileMetaData;
  rows: number;
  idColumn: ColumnPlan;
  featureColumn: ColumnPlan;
}

interface ColumnPlan {
  path: string[];
  type: string;
  maxDef: number;
  maxRep: number;
  /** Definition level at which the features list is non-null / non-empty (lists only). */
  defPresent: number;
  defNonEmpty: number;
}

const READABLE_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW']);

function fail(path: string, msg: string): never {
  throw new ModelFormatError(`${path}: ${msg}`);
}

/**
 * Read and check a part's footer: magic, footer length (counted in `budget`), schema, codecs, and that
 * every column chunk lies inside the file.
 */
export async function openFactorPart(path: string, src: RangeSource, budget: ByteBudget): Promise<FactorPart> {
  const size = src.size;
  if (size < 12) fail(path, `not a Parquet file (expected 'PAR1' at both ends; ${size} bytes)`);
  const head = await src.read(0, 4);
  const tail = await src.read(size - 8, size);
  const magic = (b: Uint8Array, o: number) =>
    b[o] === 0x50 && b[o + 1] === 0x41 && b[o + 2] === 0x52 && b[o + 3] === 0x31;
  if (!magic(head, 0) || !magic(tail, 4))
    fail(path, `not a Parquet file (expected 'PAR1' at both ends; ${size} bytes)`);
  const footerLen = new DataView(tail.buffer, tail.byteOffset, 8).getUint32(0, true);
  if (footerLen > size - 12) fail(path, `corrupt Parquet footer: length ${footerLen} exceeds the file (${size} bytes)`);
  // Thrift decoding makes objects of every field: count them generously.
  budget.add(footerLen * 16, `${path}: the ${footerLen}-byte Parquet footer`);
  const footer = await src.read(size - 8 - footerLen, size);
  let metadata: FileMetaData;
  let schema: SchemaTree;
  try {
    metadata = parquetMetadata(footer);
    schema = parquetSchema(metadata);
  } catch (e) {
    return fail(path, `corrupt Parquet footer: ${(e as Error).message}`);
  }
  const file = { source: path, schema } as ParquetFile;
  const id = columnShape(file, 'id');
  const features = columnShape(file, 'features');
  if (!id || !features) {
    const have = schema.children.map((c) => c.element.name).join(', ');
    fail(path, `expected columns id and features (a Spark ALS factor table), found ${have || 'none'}`);
  }
  if (id.list || (id.type !== 'INT32' && id.type !== 'INT64'))
    fail(path, `column id has Parquet type ${id.type}; expected INT32 (Spark's int)`);
  if (!features.list || (features.type !== 'FLOAT' && features.type !== 'DOUBLE')) {
    fail(
      path,
      `column features has Parquet type ${features.list ? `LIST<${features.type}>` : features.type}; expected LIST<FLOAT> (Spark's array<float>)`,
    );
  }
  let rows = 0;
  for (const rg of metadata.row_groups) {
    const n = Number(rg.num_rows);
    if (!Number.isSafeInteger(n) || n < 0)
      fail(path, `corrupt Parquet footer: a row group has ${String(rg.num_rows)} rows`);
    rows += n;
    for (const chunk of rg.columns) {
      const md = chunk.meta_data;
      if (!md) continue;
      if (!READABLE_CODECS.has(md.codec)) {
        fail(
          path,
          `column ${md.path_in_schema.join('.')} is compressed with ${md.codec}, which lowrank cannot read; supported: ${[...READABLE_CODECS].join(', ')} (rewrite the data with snappy, gzip or zstd)`,
        );
      }
      const { start, end } = chunkRange(md);
      if (!(start >= 4 && end <= size - 8 - footerLen && start <= end))
        fail(path, `column chunk ${md.path_in_schema.join('.')} (bytes ${start}–${end}) lies outside the file`);
    }
  }
  return { path, src, metadata, rows, idColumn: plan(schema, 'id'), featureColumn: plan(schema, 'features') };
}

function chunkRange(md: {
  data_page_offset: bigint | number;
  dictionary_page_offset?: bigint | number;
  total_compressed_size: bigint | number;
}): { start: number; end: number } {
  const dataAt = Number(md.data_page_offset);
  const dictAt = md.dictionary_page_offset !== undefined ? Number(md.dictionary_page_offset) : undefined;
  const start = dictAt !== undefined && dictAt > 0 && dictAt < dataAt ? dictAt : dataAt;
  return { start, end: start + Number(md.total_compressed_size) };
}

/** Levels of the column under top-level field `name` (its only leaf). */
function plan(schema: SchemaTree, name: string): ColumnPlan {
  const nodes: SchemaTree[] = [];
  let node = schema.children.find((c) => c.element.name === name)!;
  for (;;) {
    nodes.push(node);
    if (node.children.length === 0) break;
    node = node.children[0];
  }
  let def = 0;
  let rep = 0;
  let defPresent = 0;
  let defNonEmpty = 0;
  nodes.forEach((n, i) => {
    const r = n.element.repetition_type;
    if (r !== 'REQUIRED') def++;
    if (r === 'REPEATED') {
      rep++;
      defNonEmpty = def;
    }
    if (i === 0) defPresent = def;
  });
  return {
    path: nodes.map((n) => n.element.name),
    type: nodes[nodes.length - 1].element.type ?? 'GROUP',
    maxDef: def,
    maxRep: rep,
    defPresent,
    defNonEmpty,
  };
}

/** Where decoded values go: ids for a row range, features for the same rows. */
export interface FactorSink {
  ids: Int32Array;
  /** The current view of the features block (re-fetched per page: the heap may have been re-viewed). */
  features: () => Float32Array;
  rank: number;
  what: string;
}

/** State of the row-length check across the whole table. */
export interface LengthCheck {
  lengths: Set<number>;
  firstBad?: { id: number; len: number; path: string };
}

/**
 * Decode one part into `sink` starting at row `rowBase`. Wrong-length rows are recorded in `check` (and
 * reported by the caller once every part is read, as a rank mismatch or per id).
 */
export async function readFactorPart(
  part: FactorPart,
  sink: FactorSink,
  rowBase: number,
  check: LengthCheck,
): Promise<void> {
  let row = rowBase;
  for (const rg of part.metadata.row_groups) {
    const n = Number(rg.num_rows);
    const find = (p: ColumnPlan) =>
      rg.columns.find((c) => c.meta_data && c.meta_data.path_in_schema.join('.') === p.path.join('.'))?.meta_data;
    const idMd = find(part.idColumn);
    const fMd = find(part.featureColumn);
    if (n > 0 && (!idMd || !fMd)) fail(part.path, 'a row group lacks the id or features column chunk');
    if (n === 0) continue;
    let k = 0;
    await readChunk(part, idMd!, part.idColumn, (levels, values) => {
      for (let j = 0; j < levels.count; j++) {
        if (k >= n) fail(part.path, `column id has more values than the row group's ${n} rows`);
        if (levels.def !== undefined && levels.def[j] < part.idColumn.maxDef)
          fail(part.path, `row ${row - rowBase + k} has a null id`);
        const v = values.next();
        if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647)
          fail(part.path, `row ${row - rowBase + k} has id ${v}; expected a 32-bit integer`);
        sink.ids[row + k] = v;
        k++;
      }
    });
    if (k !== n) fail(part.path, `column id has ${k} values for ${n} rows`);
    const rank = sink.rank;
    const fc = part.featureColumn;
    let r = row - 1; // current row (absolute)
    let len = 0;
    const endRow = () => {
      if (r < row) return;
      check.lengths.add(len);
      if (len !== rank) check.firstBad ??= { id: sink.ids[r], len, path: part.path };
    };
    await readChunk(part, fMd!, fc, (levels, values) => {
      const out = sink.features();
      for (let j = 0; j < levels.count; j++) {
        if (levels.rep === undefined || levels.rep[j] === 0) {
          endRow();
          r++;
          len = 0;
          if (r >= row + n) fail(part.path, `column features has more rows than the row group's ${n}`);
        }
        const d = levels.def === undefined ? fc.maxDef : levels.def[j];
        if (d < fc.defPresent) fail(part.path, `${sink.what} id ${sink.ids[r]} has null features`);
        if (d < fc.defNonEmpty) continue; // an empty list
        if (d < fc.maxDef)
          fail(part.path, `${sink.what} id ${sink.ids[r]} has a non-finite feature null at position ${len}`);
        const v = values.next();
        if (len < rank) {
          const f = Math.fround(v);
          if (!Number.isFinite(f))
            fail(part.path, `${sink.what} id ${sink.ids[r]} has a non-finite feature ${v} at position ${len}`);
          out[r * rank + len] = f;
        }
        len++;
      }
    });
    endRow();
    if (r !== row + n - 1) fail(part.path, `column features has ${r - row + 1} rows for the row group's ${n}`);
    row += n;
  }
}

/** Levels of one page: `count` entries, and the rep/def arrays when the column has them. */
interface Levels {
  count: number;
  rep?: Uint8Array;
  def?: Uint8Array;
}

/** Read a column chunk page by page, calling `onPage` for each data page. */
async function readChunk(
  part: FactorPart,
  md: NonNullable<FactorPart['metadata']['row_groups'][number]['columns'][number]['meta_data']>,
  col: ColumnPlan,
  onPage: (levels: Levels, values: Values) => void,
): Promise<void> {
  const where = `${part.path}: column ${col.path.join('.')}`;
  const { start, end } = chunkRange(md);
  const declared = Number(md.num_values);
  const maxPage = Math.max(Number(md.total_uncompressed_size), 0);
  let dictionary: Float64Array | Float32Array | Int32Array | BigInt64Array | undefined;
  let seen = 0;
  let pos = start;
  if (md.codec !== 'UNCOMPRESSED' && md.codec !== 'SNAPPY') await loadCodecs(); // decompress() below uses it
  while (pos < end && seen < declared) {
    const { header, headerLen } = await readPageHeader(part, pos, end, where);
    const csize = header.compressed_page_size;
    const usize = header.uncompressed_page_size;
    if (!Number.isSafeInteger(csize) || csize < 0 || pos + headerLen + csize > end)
      fail(where, `page of ${csize} bytes runs past the column chunk`);
    if (!Number.isSafeInteger(usize) || usize < 0 || usize > maxPage)
      fail(where, `page declares ${usize} uncompressed bytes, more than the chunk's ${maxPage}`);
    const raw = await part.src.read(pos + headerLen, pos + headerLen + csize);
    pos += headerLen + csize;
    if (header.type === 'DICTIONARY_PAGE') {
      const dh = header.dictionary_page_header;
      if (!dh) fail(where, 'dictionary page without a header');
      const page = decompress(raw, usize, md.codec, where);
      dictionary = plainValues(page, 0, dh.num_values, col.type, where);
      continue;
    }
    if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') continue; // index pages and the like
    const v2 = header.type === 'DATA_PAGE_V2';
    const dh = v2 ? header.data_page_header_v2 : header.data_page_header;
    if (!dh) fail(where, `${header.type} without its header`);
    const count = dh.num_values;
    if (!Number.isSafeInteger(count) || count < 0 || seen + count > declared)
      fail(where, `page declares ${count} values; the chunk declares ${declared} in all`);
    seen += count;
    const { levels, page, at } = pageLevels(header, raw, col, md.codec, usize, count, where);
    let nonNull = count;
    if (levels.def) {
      nonNull = 0;
      for (let j = 0; j < count; j++) if (levels.def[j] === col.maxDef) nonNull++;
    }
    onPage(levels, pageValues(page.subarray(at), dh.encoding, nonNull, col.type, dictionary, where));
  }
  if (seen !== declared) fail(where, `the chunk declares ${declared} values but its pages hold ${seen}`);
}

/** The page header at `pos` (page headers are small: a window is read, and a larger one if it did not fit). */
async function readPageHeader(
  part: FactorPart,
  pos: number,
  end: number,
  where: string,
): Promise<{ header: ReturnType<typeof parquetHeader>; headerLen: number }> {
  let window = Math.min(end - pos, 1024);
  for (;;) {
    const bytes = await part.src.read(pos, pos + window);
    const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
    try {
      const header = parquetHeader(reader);
      if (reader.offset <= window) return { header, headerLen: reader.offset };
    } catch (e) {
      if (window >= end - pos || window >= 1 << 20)
        throw new ModelFormatError(`${where}: corrupt page header (${(e as Error).message})`);
    }
    window = Math.min(end - pos, window * 4);
  }
}

/**
 * A data page's repetition and definition levels and its (decompressed) values section, from `at`: v2
 * pages keep the levels uncompressed before the body, v1 pages length-prefix them inside it.
 */
function pageLevels(
  header: ReturnType<typeof parquetHeader>,
  raw: Uint8Array,
  col: ColumnPlan,
  codec: Parameters<typeof decompress>[2],
  usize: number,
  count: number,
  where: string,
): { levels: Levels; page: Uint8Array; at: number } {
  const levels: Levels = { count };
  if (header.type === 'DATA_PAGE_V2') {
    const h2 = header.data_page_header_v2!;
    const repLen = h2.repetition_levels_byte_length;
    const defLen = h2.definition_levels_byte_length;
    if (!(repLen >= 0 && defLen >= 0 && repLen + defLen <= raw.length)) fail(where, 'level lengths run past the page');
    if (col.maxRep > 0) levels.rep = hybrid(raw.subarray(0, repLen), bitWidth(col.maxRep), count, where);
    if (col.maxDef > 0) levels.def = hybrid(raw.subarray(repLen, repLen + defLen), bitWidth(col.maxDef), count, where);
    const body = raw.subarray(repLen + defLen);
    const page = h2.is_compressed === false ? body : decompress(body, usize - repLen - defLen, codec, where);
    return { levels, page, at: 0 };
  }
  const page = decompress(raw, usize, codec, where);
  let at = 0;
  const prefixed = (max: number): Uint8Array | undefined => {
    if (max === 0) return undefined;
    if (at + 4 > page.length) fail(where, 'levels run past the page');
    const n = new DataView(page.buffer, page.byteOffset + at, 4).getUint32(0, true);
    if (at + 4 + n > page.length) fail(where, 'levels run past the page');
    const out = hybrid(page.subarray(at + 4, at + 4 + n), bitWidth(max), count, where);
    at += 4 + n;
    return out;
  };
  levels.rep = prefixed(col.maxRep);
  levels.def = prefixed(col.maxDef);
  return { levels, page, at };
}

function bitWidth(max: number): number {
  return 32 - Math.clz32(max);
}

function decompress(bytes: Uint8Array, size: number, codec: string, where: string): Uint8Array {
  if (codec === 'UNCOMPRESSED') {
    if (bytes.length !== size) fail(where, `page holds ${bytes.length} bytes, its header says ${size}`);
    return bytes;
  }
  let out: Uint8Array;
  const codecs = loadedCodecs(); // loaded by readChunk for any codec but SNAPPY
  if (codec !== 'SNAPPY' && !codecs) fail(where, `the ${codec} decoder was not loaded before decoding`);
  try {
    if (codec === 'SNAPPY') {
      out = new Uint8Array(size);
      snappyUncompress(bytes, out);
    } else if (codec === 'ZSTD') {
      // With an output buffer fzstd writes into it and cannot be made to allocate what the frame claims.
      out = codecs!.decompressZstd(bytes, new Uint8Array(size));
    } else {
      out = (codecs!.compressors as Record<string, (b: Uint8Array, n: number) => Uint8Array>)[codec](bytes, size);
    }
  } catch (e) {
    return fail(where, `corrupt ${codec} page (${(e as Error).message})`);
  }
  if (out.length !== size) fail(where, `a ${codec} page inflated to ${out.length} bytes, its header says ${size}`);
  return out;
}
