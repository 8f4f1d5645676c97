/**
 * The saved-model container format (version 1). All integers little-endian.
 *
 * | offset | size | content                                                              |
 * |-------:|-----:|----------------------------------------------------------------------|
 * | 0      | 8    | magic `89 4C 52 4B 0D 0A 1A 0A` (`\x89LRK\r\n\x1a\n`, catches text-mode mangling) |
 * | 8      | 4    | format version (u32)                                                 |
 * | 12     | 4    | JSON header length in bytes (u32)                                    |
 * | 16     | 8    | total file length in bytes (u64), so truncation is told from damage  |
 * | 24     | 4    | CRC-32 of bytes [0, 24) followed by [28, end)                        |
 * | 28     | H    | UTF-8 JSON header, then spaces up to a multiple of 4                 |
 * | …      |      | arrays in header order, each `length` f32 or i32 values              |
 *
 * The header lists the arrays as `arrays: [{ name, dtype, length }]`; everything else in it belongs to the
 * caller (the model header: class, options, shapes, id maps). Decoding checks, in order: magic, version,
 * length, CRC, header, array table — each failure is a `ModelFormatError` saying which.
 * @module
 */
import { ModelFormatError, ValidationError } from '../errors.js';
import { ByteBudget, resolveMaxBytes } from '../limits.js';
import { HeapArray, type Heap } from '../runtime/heap.js';
import { crc32 } from './crc32.js';

/** The first 8 bytes of every saved model. */
export const MODEL_MAGIC: Uint8Array = Uint8Array.of(0x89, 0x4c, 0x52, 0x4b, 0x0d, 0x0a, 0x1a, 0x0a);
/** The format version this build writes (and the newest it reads). */
export const MODEL_FORMAT_VERSION = 1;

const PREAMBLE = 28;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

export type ArrayDType = 'f32' | 'i32';
export type StoredArray = Float32Array | Int32Array;

interface ArrayEntry {
  name: string;
  dtype: ArrayDType;
  length: number;
}

/** A decoded file: the caller's header fields and the named arrays (fresh, aligned copies). */
export interface DecodedModelFile {
  header: Record<string, unknown>;
  arrays: Map<string, StoredArray>;
  version: number;
}

// Not `(n + 3) & ~3`: that is 32-bit and turns a corrupt header length ≥ 2^31 negative.
const align4 = (n: number) => Math.ceil(n / 4) * 4;

/** Serialise `header` (JSON-serialisable; must not use the key `arrays`) and named arrays. */
export function encodeModelFile(
  header: Record<string, unknown>,
  arrays: ReadonlyArray<[string, StoredArray]>,
): Uint8Array {
  const table: ArrayEntry[] = arrays.map(([name, a]) => {
    if (!(a instanceof Float32Array) && !(a instanceof Int32Array))
      throw new ValidationError(`save: array ${name} must be a Float32Array or Int32Array`);
    return { name, dtype: a instanceof Float32Array ? 'f32' : 'i32', length: a.length };
  });
  const json = new TextEncoder().encode(JSON.stringify({ ...header, arrays: table }));
  const dataStart = align4(PREAMBLE + json.length);
  let total = dataStart;
  for (const [, a] of arrays) total += a.length * 4;
  if (total > 2 ** 53) throw new ValidationError('save: model too large to serialise');
  const out = new Uint8Array(total);
  out.set(MODEL_MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, MODEL_FORMAT_VERSION, true);
  dv.setUint32(12, json.length, true);
  dv.setUint32(16, total % 2 ** 32, true);
  dv.setUint32(20, Math.floor(total / 2 ** 32), true);
  out.set(json, PREAMBLE);
  out.fill(0x20, PREAMBLE + json.length, dataStart);
  let off = dataStart;
  for (const [, a] of arrays) {
    if (LITTLE_ENDIAN) {
      out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off);
    } else if (a instanceof Float32Array) {
      for (let i = 0; i < a.length; i++) dv.setFloat32(off + 4 * i, a[i], true);
    } else {
      for (let i = 0; i < a.length; i++) dv.setInt32(off + 4 * i, a[i], true);
    }
    off += a.byteLength;
  }
  dv.setUint32(24, crc32(out, crc32(out, 0, 0, 24), PREAMBLE, total), true);
  return out;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Options of {@link decodeModelFile} and {@link readModelFile}. */
export interface DecodeOptions {
  /**
   * Most bytes decoding may allocate (the arrays plus an estimate for the JSON header), counted from the
   * preamble and header before any array is allocated; past it a `SizeLimitError`. Default
   * {@link DEFAULT_MAX_BYTES}.
   */
  maxBytes?: number;
  /** Place the f32 arrays named in `heapArrays` straight into this heap (one copy, no staging buffer). */
  heap?: Heap;
  /** Arrays to place in `heap`: names, or a function of the header that gives them (default none). */
  heapArrays?: readonly string[] | ((header: Record<string, unknown>) => readonly string[]);
}

/** An array of a decoded file: in JS memory, or a heap block when the caller asked for one. */
export type DecodedArray = StoredArray | HeapArray<'f32'>;

/** A decoded file whose heap-placed arrays are `HeapArray`s (owned by the caller, who must free them). */
export interface PlacedModelFile {
  header: Record<string, unknown>;
  arrays: Map<string, DecodedArray>;
  version: number;
}

/**
 * What JSON.parse of a header of `n` bytes may allocate: strings become UTF-16 and arrays of small
 * numbers take 8 bytes per 2-byte element, so 4× the text bounds it in practice.
 */
const JSON_EXPANSION = 4;

interface Preamble {
  version: number;
  total: number;
  jsonLen: number;
  dataStart: number;
  storedCrc: number;
}

/** Check the fixed 28 bytes (`head` may be shorter if the file is); `len` is the file's actual length. */
function readPreamble(head: Uint8Array, len: number, source: string): Preamble {
  const magic = head.subarray(0, Math.min(head.length, MODEL_MAGIC.length));
  for (let i = 0; i < magic.length; i++) {
    if (magic[i] !== MODEL_MAGIC[i]) {
      throw new ModelFormatError(
        `${source}: wrong magic bytes (${hex(magic)}; expected ${hex(MODEL_MAGIC)}): not a lowrank model file`,
      );
    }
  }
  if (len < PREAMBLE || head.length < PREAMBLE)
    throw new ModelFormatError(`${source}: truncated: ${len} bytes, shorter than the ${PREAMBLE}-byte preamble`);
  const dv = new DataView(head.buffer, head.byteOffset, PREAMBLE);
  const version = dv.getUint32(8, true);
  if (version > MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(
      `${source}: format version ${version} is newer than this lowrank reads (up to ${MODEL_FORMAT_VERSION}); upgrade lowrank to load it`,
    );
  }
  if (version < 1) throw new ModelFormatError(`${source}: corrupted: invalid format version ${version}`);
  const total = dv.getUint32(16, true) + dv.getUint32(20, true) * 2 ** 32;
  if (total > len) throw new ModelFormatError(`${source}: truncated: ${len} bytes, but the file declares ${total}`);
  if (total < len)
    throw new ModelFormatError(
      `${source}: corrupted: ${len - total} unexpected bytes after the declared end (${total} bytes)`,
    );
  const jsonLen = dv.getUint32(12, true);
  const dataStart = align4(PREAMBLE + jsonLen);
  if (dataStart > len) throw new ModelFormatError(`${source}: corrupted: header length ${jsonLen} exceeds the file`);
  return { version, total, jsonLen, dataStart, storedCrc: dv.getUint32(24, true) };
}

interface Layout {
  header: Record<string, unknown>;
  entries: (ArrayEntry & { offset: number })[];
}

/** Parse the JSON header and its array table, checking placement against the file and sizes against the cap. */
function readLayout(json: Uint8Array, p: Preamble, budget: ByteBudget, source: string): Layout {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (e) {
    throw new ModelFormatError(`${source}: corrupted: the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    throw new ModelFormatError(`${source}: corrupted: the header is not a JSON object`);
  const table = header.arrays;
  if (!Array.isArray(table)) throw new ModelFormatError(`${source}: corrupted: the header has no array table`);
  const entries: Layout['entries'] = [];
  const names = new Set<string>();
  let off = p.dataStart;
  for (const e of table as ArrayEntry[]) {
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.name !== 'string' ||
      (e.dtype !== 'f32' && e.dtype !== 'i32') ||
      !Number.isSafeInteger(e.length) ||
      e.length < 0 ||
      names.has(e.name)
    ) {
      throw new ModelFormatError(`${source}: corrupted: bad array table entry ${JSON.stringify(e)}`);
    }
    const end = off + e.length * 4;
    if (end > p.total)
      throw new ModelFormatError(
        `${source}: corrupted: array ${e.name} (${e.length} values) runs past the end of the file`,
      );
    budget.add(e.length * 4, `array ${e.name} (${e.length} values)`);
    names.add(e.name);
    entries.push({ name: e.name, dtype: e.dtype, length: e.length, offset: off });
    off = end;
  }
  if (off !== p.total)
    throw new ModelFormatError(`${source}: corrupted: the array table covers ${off} of ${p.total} bytes`);
  delete header.arrays;
  return { header, entries };
}

/** Allocate the destination of every entry: a heap block for the placed ones, a typed array otherwise. */
function allocate(layout: Layout, o: DecodeOptions): Map<string, DecodedArray> {
  const names = typeof o.heapArrays === 'function' ? o.heapArrays(layout.header) : (o.heapArrays ?? []);
  const placed = new Set(o.heap ? names : []);
  const arrays = new Map<string, DecodedArray>();
  try {
    for (const e of layout.entries) {
      // A placed name stored as i32 stays a plain array: the model's own checks report it.
      if (placed.has(e.name) && e.dtype === 'f32') {
        arrays.set(e.name, o.heap!.allocArray('f32', e.length));
      } else arrays.set(e.name, e.dtype === 'f32' ? new Float32Array(e.length) : new Int32Array(e.length));
    }
  } catch (e) {
    freeDecoded(arrays);
    throw e;
  }
  return arrays;
}

/** Free the heap blocks of a decoded file (after a failure, or arrays nobody adopted). */
export function freeDecoded(arrays: Map<string, DecodedArray>): void {
  for (const a of arrays.values()) if (a instanceof HeapArray) a.free();
}

/** Bytes of `src` (little-endian values) into the destination's elements `[at, at + src.length/4)`. */
function fill(dst: DecodedArray, src: Uint8Array, at: number): void {
  if (dst instanceof HeapArray) {
    dst.bytes(at, at + src.length / 4).set(src);
  } else if (LITTLE_ENDIAN) {
    new Uint8Array(dst.buffer, dst.byteOffset + at * 4, src.length).set(src);
  } else {
    const dv = new DataView(src.buffer, src.byteOffset, src.length);
    for (let i = 0; i < src.length / 4; i++)
      dst[at + i] = dst instanceof Float32Array ? dv.getFloat32(4 * i, true) : dv.getInt32(4 * i, true);
  }
}

/**
 * Parse and verify a saved model. Throws `ModelFormatError` naming the first problem found, and
 * `SizeLimitError` when the header declares more than `maxBytes` (before anything large is allocated).
 * Arrays are fresh, aligned copies (or heap blocks, see {@link DecodeOptions.heap}).
 */
export function decodeModelFile(
  bytes: Uint8Array,
  source?: string,
  options?: DecodeOptions & { heap?: undefined },
): DecodedModelFile;
export function decodeModelFile(bytes: Uint8Array, source: string, options: DecodeOptions): PlacedModelFile;
export function decodeModelFile(
  bytes: Uint8Array,
  source = 'model file',
  options: DecodeOptions = {},
): PlacedModelFile {
  if (!(bytes instanceof Uint8Array))
    throw new ValidationError(
      `load: expected the saved model as a Uint8Array, got ${Object.prototype.toString.call(bytes)}`,
    );
  const budget = new ByteBudget(resolveMaxBytes(options.maxBytes, 'load'), source);
  const len = bytes.length;
  const p = readPreamble(bytes.subarray(0, PREAMBLE), len, source);
  const actual = crc32(bytes, crc32(bytes, 0, 0, 24), PREAMBLE, len);
  if (p.storedCrc !== actual) throw crcError(source, p.storedCrc, actual);
  budget.add(p.jsonLen * JSON_EXPANSION, `the ${p.jsonLen}-byte header`);
  const layout = readLayout(bytes.subarray(PREAMBLE, PREAMBLE + p.jsonLen), p, budget, source);
  const arrays = allocate(layout, options);
  for (const e of layout.entries) fill(arrays.get(e.name)!, bytes.subarray(e.offset, e.offset + e.length * 4), 0);
  return { header: layout.header, arrays, version: p.version };
}

function crcError(source: string, stored: number, actual: number): ModelFormatError {
  return new ModelFormatError(
    `${source}: corrupted: CRC-32 mismatch (stored ${stored.toString(16).padStart(8, '0')}, computed ${actual.toString(16).padStart(8, '0')})`,
  );
}

/** Random access to a file's bytes (a Node file handle, a browser Blob, or bytes in memory). */
export interface ByteSource {
  readonly size: number;
  /** Bytes `[start, end)`, exactly `end - start` of them. */
  read(start: number, end: number): Promise<Uint8Array>;
}

/** Pieces a file is read in: small enough to be negligible beside the model, large enough to be fast. */
const READ_CHUNK = 4 << 20;

/**
 * `decodeModelFile` from a file read in pieces: the arrays are read straight into their destinations
 * (heap blocks for `heapArrays`), so the whole file is never in memory at once. The CRC is checked over
 * every byte before returning; on any failure the heap blocks are freed.
 */
export async function readModelFile(
  src: ByteSource,
  source: string,
  options: DecodeOptions = {},
): Promise<PlacedModelFile> {
  const budget = new ByteBudget(resolveMaxBytes(options.maxBytes, 'loadFile'), source);
  const len = src.size;
  const head = await src.read(0, Math.min(len, PREAMBLE));
  const p = readPreamble(head, len, source);
  budget.add(p.jsonLen * JSON_EXPANSION, `the ${p.jsonLen}-byte header`);
  const json = await src.read(PREAMBLE, PREAMBLE + p.jsonLen);
  let crc = crc32(json, crc32(head, 0, 0, 24));
  const layout = readLayout(json, p, budget, source);
  const arrays = allocate(layout, options);
  try {
    let pos = PREAMBLE + p.jsonLen;
    if (pos < p.dataStart) {
      crc = crc32(await src.read(pos, p.dataStart), crc);
      pos = p.dataStart;
    }
    for (const e of layout.entries) {
      const dst = arrays.get(e.name)!;
      const end = e.offset + e.length * 4;
      for (let at = e.offset; at < end; ) {
        const stop = Math.min(end, at + READ_CHUNK);
        const piece = await src.read(at, stop);
        crc = crc32(piece, crc);
        fill(dst, piece, (at - e.offset) / 4);
        at = stop;
      }
    }
    if (crc !== p.storedCrc) throw crcError(source, p.storedCrc, crc);
  } catch (e) {
    freeDecoded(arrays);
    throw e;
  }
  return { header: layout.header, arrays, version: p.version };
}
