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
export function encodeModelFile(header: Record<string, unknown>, arrays: ReadonlyArray<[string, StoredArray]>): Uint8Array {
  const table: ArrayEntry[] = arrays.map(([name, a]) => {
    if (!(a instanceof Float32Array) && !(a instanceof Int32Array)) throw new ValidationError(`save: array ${name} must be a Float32Array or Int32Array`);
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

/** Parse and verify a saved model. Throws `ModelFormatError` naming the first problem found. */
export function decodeModelFile(bytes: Uint8Array, source = 'model file'): DecodedModelFile {
  if (!(bytes instanceof Uint8Array)) throw new ValidationError(`load: expected the saved model as a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  const len = bytes.length;
  const head = bytes.subarray(0, Math.min(len, MODEL_MAGIC.length));
  for (let i = 0; i < head.length; i++) {
    if (head[i] !== MODEL_MAGIC[i]) {
      throw new ModelFormatError(`${source}: wrong magic bytes (${hex(head)}; expected ${hex(MODEL_MAGIC)}): not a lowrank model file`);
    }
  }
  if (len < PREAMBLE) throw new ModelFormatError(`${source}: truncated: ${len} bytes, shorter than the ${PREAMBLE}-byte preamble`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, len);
  const version = dv.getUint32(8, true);
  if (version > MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(`${source}: format version ${version} is newer than this lowrank reads (up to ${MODEL_FORMAT_VERSION}); upgrade lowrank to load it`);
  }
  if (version < 1) throw new ModelFormatError(`${source}: corrupted: invalid format version ${version}`);
  const total = dv.getUint32(16, true) + dv.getUint32(20, true) * 2 ** 32;
  if (total > len) throw new ModelFormatError(`${source}: truncated: ${len} bytes, but the file declares ${total}`);
  if (total < len) throw new ModelFormatError(`${source}: corrupted: ${len - total} unexpected bytes after the declared end (${total} bytes)`);
  const stored = dv.getUint32(24, true);
  const actual = crc32(bytes, crc32(bytes, 0, 0, 24), PREAMBLE, len);
  if (stored !== actual) {
    throw new ModelFormatError(`${source}: corrupted: CRC-32 mismatch (stored ${stored.toString(16).padStart(8, '0')}, computed ${actual.toString(16).padStart(8, '0')})`);
  }
  const jsonLen = dv.getUint32(12, true);
  const dataStart = align4(PREAMBLE + jsonLen);
  if (dataStart > len) throw new ModelFormatError(`${source}: corrupted: header length ${jsonLen} exceeds the file`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE, PREAMBLE + jsonLen)));
  } catch (e) {
    throw new ModelFormatError(`${source}: corrupted: the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new ModelFormatError(`${source}: corrupted: the header is not a JSON object`);
  const table = header.arrays;
  if (!Array.isArray(table)) throw new ModelFormatError(`${source}: corrupted: the header has no array table`);
  const arrays = new Map<string, StoredArray>();
  let off = dataStart;
  for (const e of table as ArrayEntry[]) {
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.name !== 'string' ||
      (e.dtype !== 'f32' && e.dtype !== 'i32') ||
      !Number.isSafeInteger(e.length) ||
      e.length < 0 ||
      arrays.has(e.name)
    ) {
      throw new ModelFormatError(`${source}: corrupted: bad array table entry ${JSON.stringify(e)}`);
    }
    const end = off + e.length * 4;
    if (end > len) throw new ModelFormatError(`${source}: corrupted: array ${e.name} (${e.length} values) runs past the end of the file`);
    let a: StoredArray;
    if (LITTLE_ENDIAN) {
      // Copy out: the caller's bytes may be unaligned and must not be aliased by the model. Not
      // bytes.slice(): on a Node Buffer that is a view into a shared pool, not a copy.
      const copy = new Uint8Array(end - off);
      copy.set(bytes.subarray(off, end));
      a = e.dtype === 'f32' ? new Float32Array(copy.buffer) : new Int32Array(copy.buffer);
    } else {
      a = e.dtype === 'f32' ? new Float32Array(e.length) : new Int32Array(e.length);
      for (let i = 0; i < e.length; i++) a[i] = e.dtype === 'f32' ? dv.getFloat32(off + 4 * i, true) : dv.getInt32(off + 4 * i, true);
    }
    arrays.set(e.name, a);
    off = end;
  }
  if (off !== len) throw new ModelFormatError(`${source}: corrupted: the array table covers ${off} of ${len} bytes`);
  delete header.arrays;
  return { header, arrays, version };
}
