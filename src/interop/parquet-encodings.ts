/**
 * Parquet's value and level encodings for the factor-table reader (parquet-factors.ts), each bounded by
 * what the page holds: the RLE / bit-packed hybrid (levels, dictionary indices), PLAIN and
 * BYTE_STREAM_SPLIT numbers, dictionary lookups. Every run, count and index is checked before it is used.
 * @module
 */
import { ModelFormatError } from '../errors.js';

function fail(where: string, msg: string): never {
  throw new ModelFormatError(`${where}: ${msg}`);
}

/** The non-null values of one page, in order. */
export interface Values {
  next(): number;
}

/** `count` values of the RLE / bit-packed hybrid encoding (levels, dictionary indices) in `b`. */
export function hybrid(b: Uint8Array, width: number, count: number, where: string): Uint8Array {
  if (width > 8) fail(where, `level bit width ${width} is not supported`);
  return hybridInto(b, width, new Uint8Array(count), where);
}

/**
 * Decodes the hybrid encoding into `out` (its length is the value count). Bits are gathered with
 * arithmetic, not shifts, so widths up to 32 (large dictionaries) stay exact.
 */
function hybridInto<T extends Uint8Array | Uint32Array>(b: Uint8Array, width: number, out: T, where: string): T {
  const count = out.length;
  let p = 0;
  let k = 0;
  while (k < count) {
    const header = varint(b, p, where);
    p = header.next;
    if (header.value & 1) {
      const groups = Math.floor(header.value / 2);
      const bytes = groups * width;
      if (p + bytes > b.length) fail(where, 'bit-packed run past the page');
      for (let g = 0; g < groups * 8 && k < count; g++, k++) {
        const bit = g * width;
        let v = 0;
        for (let i = 0; i < width; i++) {
          const at = bit + i;
          v += ((b[p + Math.floor(at / 8)] >> (at % 8)) & 1) * 2 ** i;
        }
        out[k] = v;
      }
      p += bytes;
    } else {
      const run = Math.floor(header.value / 2);
      const w = (width + 7) >> 3;
      if (p + w > b.length) fail(where, 'RLE run past the page');
      let v = 0;
      for (let i = 0; i < w; i++) v += b[p + i] * 2 ** (8 * i);
      p += w;
      if (run === 0) fail(where, 'empty RLE run');
      const stop = Math.min(count, k + run);
      out.fill(v, k, stop);
      k = stop;
    }
  }
  return out;
}

function varint(b: Uint8Array, p: number, where: string): { value: number; next: number } {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 5; i++) {
    if (p >= b.length) fail(where, 'encoded levels end early');
    const byte = b[p++];
    value += (byte & 0x7f) * mul;
    if (!(byte & 0x80)) return { value, next: p };
    mul *= 128;
  }
  return fail(where, 'varint too long');
}

const SIZES: Record<string, number> = { INT32: 4, INT64: 8, FLOAT: 4, DOUBLE: 8 };

/** `count` PLAIN values of `type` from `b` at `at`. */
export function plainValues(
  b: Uint8Array,
  at: number,
  count: number,
  type: string,
  where: string,
): Float64Array | Float32Array | Int32Array | BigInt64Array {
  const size = SIZES[type];
  if (!size) fail(where, `values of type ${type} are not supported`);
  if (!Number.isSafeInteger(count) || count < 0 || at + count * size > b.length)
    fail(where, `${count} values run past the page`);
  const copy = b.slice(at, at + count * size); // aligned
  const buf = copy.buffer;
  if (type === 'INT32') return new Int32Array(buf, 0, count);
  if (type === 'INT64') return new BigInt64Array(buf, 0, count);
  if (type === 'FLOAT') return new Float32Array(buf, 0, count);
  return new Float64Array(buf, 0, count);
}

export function pageValues(
  b: Uint8Array,
  encoding: string,
  count: number,
  type: string,
  dictionary: ArrayLike<number | bigint> | undefined,
  where: string,
): Values {
  let data: ArrayLike<number | bigint>;
  if (encoding === 'PLAIN') data = plainValues(b, 0, count, type, where);
  else if (encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY') {
    if (!dictionary) fail(where, 'dictionary-encoded page without a dictionary page');
    if (b.length < 1) fail(where, 'dictionary page data is empty');
    const width = b[0];
    if (width > 32) fail(where, `dictionary index bit width ${width}`);
    const idx = hybridInto(b.subarray(1), width, new Uint32Array(count), where);
    const dict = dictionary;
    for (let i = 0; i < count; i++)
      if (idx[i] >= dict.length) fail(where, `dictionary index ${idx[i]} past the dictionary's ${dict.length} values`);
    let i = 0;
    return { next: () => Number(dict[idx[i++]]) };
  } else if (encoding === 'BYTE_STREAM_SPLIT') {
    const size = SIZES[type];
    if (!size || count * size > b.length) fail(where, `${count} BYTE_STREAM_SPLIT values run past the page`);
    const joined = new Uint8Array(count * size);
    for (let i = 0; i < count; i++) for (let s = 0; s < size; s++) joined[i * size + s] = b[s * count + i];
    data = plainValues(joined, 0, count, type, where);
  } else return fail(where, `encoding ${encoding} is not supported`);
  let i = 0;
  return { next: () => Number(data[i++]) };
}
