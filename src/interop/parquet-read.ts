/**
 * Reading Parquet with hyparquet (+ hyparquet-compressors), behind checks that turn what hyparquet would
 * reject deep inside, or decode into something unexpected, into ModelFormatErrors that name the file,
 * the column and what was expected.
 * @module
 */
import {
  parquetMetadata,
  parquetRead,
  parquetSchema,
  type FileMetaData,
  type SchemaElement,
  type SchemaTree,
} from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { ModelFormatError } from '../errors.js';
import { loadCodecs } from './codecs.js';

/** Codecs hyparquet-compressors decodes. LZO (deprecated in the format) is the one it lacks. */
const READABLE_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW']);

/** A parsed Parquet file: its bytes, footer and schema tree. */
export interface ParquetFile {
  source: string;
  buffer: ArrayBuffer;
  metadata: FileMetaData;
  schema: SchemaTree;
  numRows: number;
}

/** What a column holds, as far as the readers here care. */
export interface ColumnShape {
  /** Physical type of the leaf. */
  type: string;
  /** True for a LIST (3-level or legacy 2-level) of primitive leaves. */
  list: boolean;
  /** The leaf schema element. */
  leaf: SchemaElement;
}

/**
 * Parse a Parquet file's footer and check that every column chunk uses a codec we can decode.
 * @throws ModelFormatError if the bytes are not Parquet, the footer is corrupt, or a codec is unsupported
 */
export function openParquet(bytes: Uint8Array | ArrayBuffer, source: string): ParquetFile {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const magic = (o: number) => u8[o] === 0x50 && u8[o + 1] === 0x41 && u8[o + 2] === 0x52 && u8[o + 3] === 0x31;
  if (u8.length < 12 || !magic(0) || !magic(u8.length - 4)) {
    throw new ModelFormatError(`${source}: not a Parquet file (expected 'PAR1' at both ends; ${u8.length} bytes)`);
  }
  const buffer =
    u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength && u8.buffer instanceof ArrayBuffer
      ? u8.buffer
      : u8.slice().buffer;
  let metadata: FileMetaData;
  let schema: SchemaTree;
  try {
    metadata = parquetMetadata(buffer);
    // A schema whose num_children overruns its element list makes hyparquet throw a TypeError (found by
    // bench/fuzz): inside the try, so it is a ModelFormatError like any other corrupt footer.
    schema = parquetSchema(metadata);
  } catch (e) {
    throw new ModelFormatError(`${source}: corrupt Parquet footer: ${(e as Error).message}`);
  }
  for (const rg of metadata.row_groups) {
    for (const chunk of rg.columns) {
      const md = chunk.meta_data;
      if (md && !READABLE_CODECS.has(md.codec)) {
        throw new ModelFormatError(
          `${source}: column ${md.path_in_schema.join('.')} is compressed with ${md.codec}, which lowrank cannot read; ` +
            `supported: ${[...READABLE_CODECS].join(', ')} (rewrite the data with snappy, gzip or zstd)`,
        );
      }
    }
  }
  return { source, buffer, metadata, schema, numRows: Number(metadata.num_rows) };
}

/** The shape of top-level column `name`, or undefined if the file has no such column. */
export function columnShape(file: ParquetFile, name: string): ColumnShape | undefined {
  const node = file.schema.children.find((c) => c.element.name === name);
  if (!node) return undefined;
  if (node.children.length === 0) {
    if (node.element.repetition_type === 'REPEATED')
      return { type: `repeated ${node.element.type}`, list: false, leaf: node.element };
    return { type: node.element.type ?? 'GROUP', list: false, leaf: node.element };
  }
  // LIST: group (LIST) { repeated group list { element } } or the legacy group (LIST) { repeated element }.
  const isList = node.element.converted_type === 'LIST' || node.element.logical_type?.type === 'LIST';
  if (isList && node.children.length === 1) {
    const rep = node.children[0];
    if (rep.element.repetition_type === 'REPEATED') {
      if (rep.children.length === 0) return { type: rep.element.type ?? 'GROUP', list: true, leaf: rep.element };
      if (rep.children.length === 1 && rep.children[0].children.length === 0) {
        const leaf = rep.children[0].element;
        return { type: leaf.type ?? 'GROUP', list: true, leaf };
      }
    }
  }
  return { type: describe(node), list: false, leaf: node.element };
}

function describe(node: SchemaTree): string {
  if (node.children.length === 0) return node.element.type ?? 'GROUP';
  const tag = node.element.converted_type ?? node.element.logical_type?.type ?? 'GROUP';
  return `${tag}<${node.children.map((c) => `${c.element.name}: ${describe(c)}`).join(', ')}>`;
}

/**
 * Read whole top-level columns. Values come back as hyparquet decodes them: numbers, bigints for INT64,
 * strings for UTF8, arrays for lists; the result arrays have one entry per row.
 * @throws ModelFormatError if decoding fails (corrupt pages, unsupported encodings)
 */
export async function readColumns(file: ParquetFile, names: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const n of names) out[n] = new Array(file.numRows);
  const { compressors } = await loadCodecs();
  try {
    await parquetRead({
      file: file.buffer,
      metadata: file.metadata,
      columns: names,
      compressors,
      onChunk: ({ columnName, columnData, rowStart }) => {
        const dst = out[columnName];
        if (!dst) return;
        for (let i = 0; i < columnData.length && rowStart + i < dst.length; i++) dst[rowStart + i] = columnData[i];
      },
    });
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    throw new ModelFormatError(`${file.source}: could not decode columns ${names.join(', ')}: ${(e as Error).message}`);
  }
  return out;
}

/**
 * Walk every page header of every column chunk (headers only) and check what hyparquet would otherwise
 * trust: each page lies inside its chunk, declares no more uncompressed bytes than the chunk (nor than
 * `limit`) and no more values than the chunk. Run before `readColumns` on files from elsewhere.
 * @throws ModelFormatError naming the column and the page that fails
 */
export function checkPages(file: ParquetFile, limit: number): void {
  for (const rg of file.metadata.row_groups) {
    for (const chunk of rg.columns) {
      const md = chunk.meta_data;
      if (!md) continue;
      const where = `${file.source}: column ${md.path_in_schema.join('.')}`;
      const dataAt = Number(md.data_page_offset);
      const dictAt = md.dictionary_page_offset !== undefined ? Number(md.dictionary_page_offset) : undefined;
      const start = dictAt !== undefined && dictAt > 0 && dictAt < dataAt ? dictAt : dataAt;
      const end = start + Number(md.total_compressed_size);
      const maxPage = Math.min(Number(md.total_uncompressed_size), limit);
      const values = Number(md.num_values);
      if (!(start >= 4 && end <= file.buffer.byteLength - 8 && start <= end))
        throw new ModelFormatError(`${where}: the column chunk lies outside the file`);
      let pos = start;
      let seen = 0;
      while (pos < end && seen < values) {
        const reader = { view: new DataView(file.buffer, 0, end), offset: pos };
        let h: ReturnType<typeof parquetHeader>;
        try {
          h = parquetHeader(reader);
        } catch (e) {
          throw new ModelFormatError(`${where}: corrupt page header at byte ${pos} (${(e as Error).message})`);
        }
        const next = reader.offset + h.compressed_page_size;
        if (!Number.isSafeInteger(h.compressed_page_size) || h.compressed_page_size < 0 || next > end)
          throw new ModelFormatError(`${where}: a page of ${h.compressed_page_size} bytes runs past its column chunk`);
        if (
          !Number.isSafeInteger(h.uncompressed_page_size) ||
          h.uncompressed_page_size < 0 ||
          h.uncompressed_page_size > maxPage
        ) {
          throw new ModelFormatError(
            `${where}: a page declares ${h.uncompressed_page_size} uncompressed bytes, more than its chunk (${maxPage})`,
          );
        }
        const n = h.data_page_header?.num_values ?? h.data_page_header_v2?.num_values ?? 0;
        if (!Number.isSafeInteger(n) || n < 0 || seen + n > values)
          throw new ModelFormatError(`${where}: a page declares ${n} values; the chunk holds ${values}`);
        if (
          h.dictionary_page_header &&
          !(h.dictionary_page_header.num_values >= 0 && h.dictionary_page_header.num_values <= h.uncompressed_page_size)
        ) {
          throw new ModelFormatError(
            `${where}: a dictionary page declares ${h.dictionary_page_header.num_values} values in ${h.uncompressed_page_size} bytes`,
          );
        }
        seen += n;
        pos = next;
      }
    }
  }
}
