/**
 * NumPy `.npy` arrays, read (writing is npy-write.ts): the format numpy's `np.save` produces and implicit
 * and scipy store their models and matrices in.
 *
 * Supported: header versions 1, 2 (and 3, which only differs in header encoding), C order, little-endian
 * `f4 f8 i4 i8 b1`, unicode strings `<U<n>` and byte strings `|S<n>`. Anything else (big-endian data,
 * Fortran order for arrays of 2+ dimensions, structured or object dtypes) is a ModelFormatError, because
 * guessing would give silently wrong numbers.
 * @module
 */
import { ModelFormatError, ValidationError } from '../errors.js';
import { ByteBudget, resolveMaxBytes } from '../limits.js';
import { parsePyLiteral } from './py-literal.js';

/** Element types this module reads and writes (numpy's dtype kind + item size, without byte order). */
export type NpyDtype = 'f4' | 'f8' | 'i4' | 'i8' | 'b1' | 'U' | 'S';

/** The storage each dtype decodes to. `b1` is 0/1 bytes; `U` and `S` are strings. */
export interface NpyDataTypes {
  f4: Float32Array;
  f8: Float64Array;
  i4: Int32Array;
  i8: BigInt64Array;
  b1: Uint8Array;
  U: string[];
  S: string[];
}

/** An n-dimensional array in C (row-major) order. A 0-d array (`shape: []`) holds one element. */
export type NpyArray = {
  [K in NpyDtype]: { dtype: K; shape: number[]; data: NpyDataTypes[K] };
}[NpyDtype];

export const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const FIXED: Record<string, number> = { f4: 4, f8: 8, i4: 4, i8: 8, b1: 1 };
const SUPPORTED = "'<f4', '<f8', '<i4', '<i8', '|b1', '<U<n>', '|S<n>'";

/** Number of elements of `shape` (1 for a 0-d array). */
export function npySize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

// ---------- reading ----------

/**
 * Longest header accepted (1 MiB). numpy refuses headers over 10,000 bytes unless told otherwise; ours
 * reach that only for arrays of tens of thousands of dimensions, so anything longer is corrupt or hostile.
 */
const MAX_HEADER = 1 << 20;

/** What an `.npy` header declares, before any data is read. */
export interface NpyHeader {
  dtype: NpyDtype;
  descr: string;
  itemSize: number;
  shape: number[];
  /** Element count. */
  size: number;
  /** Bytes of data that follow the header (`size × itemSize`). */
  dataBytes: number;
  /** Bytes of the preamble plus header: the data starts here. */
  headerBytes: number;
}

/** Options of {@link readNpy} and {@link readNpz}. */
export interface ReadNpyOptions {
  /**
   * Most bytes the decoded arrays may take, counted from the headers before anything is allocated or
   * inflated; past it a `SizeLimitError`. Default {@link DEFAULT_MAX_BYTES} (1 GiB).
   */
  maxBytes?: number;
}

/**
 * Bytes the decoded array occupies: its data for numeric dtypes; for strings an estimate (the raw
 * characters, read transiently, plus a slot and a string header per element).
 */
export function npyDecodedBytes(h: NpyHeader): number {
  return h.dtype === 'U' || h.dtype === 'S' ? h.dataBytes + h.size * 24 : h.dataBytes;
}

/**
 * Length of the preamble plus header of an `.npy` whose first 12 (or more) bytes are `b`.
 * @throws ModelFormatError for a missing magic string, an unknown version or an oversized header
 */
export function npyHeaderLength(b: Uint8Array, source: string): number {
  for (let i = 0; i < MAGIC.length; i++) {
    if (b[i] !== MAGIC[i])
      throw new ModelFormatError(`${source}: not a .npy file (missing the \\x93NUMPY magic string)`);
  }
  const major = b[6];
  let headerLen: number;
  let start: number;
  if (major === 1) {
    if (b.length < 10) throw new ModelFormatError(`${source}: truncated .npy header`);
    headerLen = b[8] | (b[9] << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (b.length < 12) throw new ModelFormatError(`${source}: truncated .npy header`);
    headerLen = (b[8] | (b[9] << 8) | (b[10] << 16)) + b[11] * 2 ** 24;
    start = 12;
  } else {
    throw new ModelFormatError(
      `${source}: .npy format version ${major}.${b[7]} is not supported (expected 1.0, 2.0 or 3.0)`,
    );
  }
  if (headerLen > MAX_HEADER)
    throw new ModelFormatError(
      `${source}: .npy header of ${headerLen} bytes is over the ${MAX_HEADER}-byte limit (corrupt file?)`,
    );
  return start + headerLen;
}

/**
 * Parse the preamble and header (`b` holds at least `npyHeaderLength(b)` bytes).
 * @throws ModelFormatError for a malformed header, an unsupported dtype or order, or a size past 2^53
 */
export function parseNpyHeader(b: Uint8Array, source: string): NpyHeader {
  const headerBytes = npyHeaderLength(b, source);
  if (headerBytes > b.length)
    throw new ModelFormatError(`${source}: truncated .npy header (${headerBytes} bytes declared, ${b.length} present)`);
  const major = b[6];
  const raw = b.subarray(major === 1 ? 10 : 12, headerBytes);
  // v1/v2 headers are latin-1; v3 is utf-8. Both are ASCII for every dtype we accept.
  const header = major === 3 ? new TextDecoder().decode(raw) : latin1(raw);
  let dict: unknown;
  try {
    dict = parsePyLiteral(header);
  } catch (e) {
    throw new ModelFormatError(
      `${source}: unreadable .npy header ${JSON.stringify(header.trim().slice(0, 200))}: ${(e as Error).message}`,
    );
  }
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict))
    throw new ModelFormatError(`${source}: .npy header is not a dict: ${header.trim().slice(0, 200)}`);
  const { descr, fortran_order: fortran, shape } = dict as Record<string, unknown>;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw new ModelFormatError(
      `${source}: .npy header has shape ${JSON.stringify(shape)}; expected a tuple of non-negative integers`,
    );
  }
  if (typeof fortran !== 'boolean') throw new ModelFormatError(`${source}: .npy header has no boolean 'fortran_order'`);
  if (typeof descr !== 'string') {
    throw new ModelFormatError(
      `${source}: structured dtype ${JSON.stringify(descr)} is not supported; supported dtypes: ${SUPPORTED}`,
    );
  }
  const dims = shape as number[];
  if (fortran && dims.filter((d) => d !== 1).length > 1) {
    throw new ModelFormatError(
      `${source}: array of shape (${dims.join(', ')}) is stored in Fortran order; only C order is supported (save np.ascontiguousarray(a) instead)`,
    );
  }
  const { dtype, itemSize } = parseDescr(descr, source);
  const size = npySize(dims);
  const dataBytes = size * itemSize;
  if (!Number.isSafeInteger(dataBytes))
    throw new ModelFormatError(`${source}: shape (${dims.join(', ')}) of '${descr}' declares more than 2^53 bytes`);
  return { dtype, descr, itemSize, shape: dims.slice(), size, dataBytes, headerBytes };
}

/**
 * Parse the bytes of one `.npy` file.
 * @param source what to name in error messages (e.g. the member name inside an `.npz`)
 * @throws ModelFormatError if the bytes are not an `.npy` file, are truncated, or use an unsupported dtype or order
 * @throws SizeLimitError if the array would take more than `maxBytes`
 */
export function readNpy(bytes: Uint8Array | ArrayBuffer, source = '.npy', options: ReadNpyOptions = {}): NpyArray {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer))
    throw new ValidationError(
      `readNpy: expected the file's bytes (Uint8Array or ArrayBuffer), got ${Object.prototype.toString.call(bytes)}`,
    );
  const limit = resolveMaxBytes(options.maxBytes, 'readNpy');
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const h = parseNpyHeader(b, source);
  new ByteBudget(limit, source).add(npyDecodedBytes(h), `array of shape (${h.shape.join(', ')}) '${h.descr}'`);
  if (b.length - h.headerBytes < h.dataBytes) {
    throw new ModelFormatError(
      `${source}: truncated data: shape (${h.shape.join(', ')}) of '${h.descr}' needs ${h.dataBytes} bytes, found ${b.length - h.headerBytes}`,
    );
  }
  // Copy into a fresh buffer: the data offset inside a zip member is rarely aligned for typed arrays.
  return decodeNpyData(h, b.slice(h.headerBytes, h.headerBytes + h.dataBytes), source);
}

/**
 * The array `h` declares, from exactly `h.dataBytes` bytes of data in a buffer of its own (`raw` is
 * adopted, not copied, for numeric dtypes).
 */
export function decodeNpyData(h: NpyHeader, raw: Uint8Array, source: string): NpyArray {
  const { dtype, size: n, itemSize } = h;
  const shapeOut = h.shape.slice();
  const buf = raw.buffer as ArrayBuffer;
  switch (dtype) {
    case 'f4':
      return { dtype, shape: shapeOut, data: new Float32Array(buf, raw.byteOffset, n) };
    case 'f8':
      return { dtype, shape: shapeOut, data: new Float64Array(buf, raw.byteOffset, n) };
    case 'i4':
      return { dtype, shape: shapeOut, data: new Int32Array(buf, raw.byteOffset, n) };
    case 'i8':
      return { dtype, shape: shapeOut, data: new BigInt64Array(buf, raw.byteOffset, n) };
    case 'b1': {
      for (let i = 0; i < n; i++)
        if (raw[i] > 1)
          throw new ModelFormatError(`${source}: boolean element ${i} has byte value ${raw[i]}; expected 0 or 1`);
      return { dtype, shape: shapeOut, data: raw };
    }
    case 'U': {
      const chars = itemSize / 4;
      const dv = new DataView(buf, raw.byteOffset, raw.byteLength);
      const out: string[] = new Array(n);
      for (let i = 0; i < n; i++) {
        let s = '';
        for (let c = 0; c < chars; c++) {
          const cp = dv.getUint32((i * chars + c) * 4, true);
          if (cp === 0) break; // numpy pads with NUL
          if (cp > 0x10ffff) throw new ModelFormatError(`${source}: element ${i} holds invalid code point ${cp}`);
          s += String.fromCodePoint(cp);
        }
        out[i] = s;
      }
      return { dtype, shape: shapeOut, data: out };
    }
    case 'S': {
      const out: string[] = new Array(n);
      for (let i = 0; i < n; i++) {
        let end = i * itemSize;
        const stop = end + itemSize;
        while (end < stop && raw[end] !== 0) end++;
        out[i] = latin1(raw.subarray(i * itemSize, end));
      }
      return { dtype, shape: shapeOut, data: out };
    }
  }
}

function parseDescr(descr: string, source: string): { dtype: NpyDtype; itemSize: number } {
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  if (!m) throw new ModelFormatError(`${source}: dtype '${descr}' is not supported; supported dtypes: ${SUPPORTED}`);
  const [, order, kind, sizeText] = m;
  const size = Number(sizeText);
  if (kind === 'U' || kind === 'S') {
    if (kind === 'U' && order === '>')
      throw new ModelFormatError(
        `${source}: big-endian dtype '${descr}' is not supported; save with a little-endian dtype ('<U${size}')`,
      );
    return { dtype: kind, itemSize: kind === 'U' ? size * 4 : size };
  }
  const key = `${kind}${size}`;
  if (!(key in FIXED))
    throw new ModelFormatError(`${source}: dtype '${descr}' is not supported; supported dtypes: ${SUPPORTED}`);
  if (order === '>' && size > 1) {
    throw new ModelFormatError(
      `${source}: big-endian dtype '${descr}' is not supported; convert with a.astype('<${key}') before saving`,
    );
  }
  return { dtype: key as NpyDtype, itemSize: size };
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + 8192)));
  return s;
}

// ---------- helpers for callers ----------

/**
 * The single element of a 0-d (or one-element) array as a JS value: number for floats and int32,
 * number for int64 within ±2^53 (bigint beyond), boolean for `b1`, string for `U`/`S`.
 */
export function npyScalar(array: NpyArray, source = 'array'): number | bigint | boolean | string {
  if (array.data.length !== 1)
    throw new ModelFormatError(`${source}: expected a single value, got shape (${array.shape.join(', ')})`);
  const v = array.data[0];
  if (array.dtype === 'b1') return v === 1;
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  return v as number | string;
}

/**
 * A numeric array's elements as a Float64Array (int64 must be within ±2^53).
 * @throws ModelFormatError for string arrays or int64 values that a double cannot hold exactly
 */
export function npyToFloat64(array: NpyArray, source = 'array'): Float64Array {
  if (array.dtype === 'U' || array.dtype === 'S')
    throw new ModelFormatError(`${source}: expected a numeric array, got strings ('${array.dtype}')`);
  if (array.dtype === 'i8') {
    const out = new Float64Array(array.data.length);
    for (let i = 0; i < out.length; i++) {
      const v = array.data[i];
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
        throw new ModelFormatError(`${source}: element ${i} (${v}) is beyond ±2^53`);
      out[i] = Number(v);
    }
    return out;
  }
  return Float64Array.from(array.data as ArrayLike<number>);
}
