/**
 * Writing NumPy `.npy` arrays (format 1.0, or 2.0 for headers past 64 KiB), little-endian, C order — what
 * `np.load` reads, for exporting to implicit and scipy.
 * @module
 */
import { ValidationError } from '../errors.js';
import { MAGIC, npySize, type NpyArray } from './npy.js';

/**
 * Serialize an array as `.npy` (format 1.0, or 2.0 when the header would exceed 64 KiB), little-endian,
 * C order. Strings are written as `<U<n>` (or `|S<n>` for `dtype: 'S'`, latin-1) with `n` the longest.
 * @throws ValidationError if `data` does not match `dtype` or `shape`
 */
export function writeNpy(array: NpyArray): Uint8Array {
  const { shape, data } = array;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ValidationError(
      `writeNpy: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  }
  const n = npySize(shape);
  if (data.length !== n)
    throw new ValidationError(`writeNpy: shape (${shape.join(', ')}) has ${n} elements but data has ${data.length}`);
  const { descr, body } = npyBody(array, n);
  return npyFile(descr, shape, body);
}

/** The dtype descriptor and the data bytes of `array` (n elements), checked against its dtype. */
function npyBody({ dtype, data }: NpyArray, n: number): { descr: string; body: Uint8Array } {
  let descr: string;
  let body: Uint8Array;
  const typed = (ok: boolean, name: string): Uint8Array => {
    if (!ok) throw new ValidationError(`writeNpy: dtype '${dtype}' needs a ${name}`);
    const d = data as ArrayBufferView;
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  };
  switch (dtype) {
    case 'f4':
      descr = '<f4';
      body = typed(data instanceof Float32Array, 'Float32Array');
      break;
    case 'f8':
      descr = '<f8';
      body = typed(data instanceof Float64Array, 'Float64Array');
      break;
    case 'i4':
      descr = '<i4';
      body = typed(data instanceof Int32Array, 'Int32Array');
      break;
    case 'i8':
      descr = '<i8';
      body = typed(data instanceof BigInt64Array, 'BigInt64Array');
      break;
    case 'b1': {
      descr = '|b1';
      body = typed(data instanceof Uint8Array, 'Uint8Array of 0/1').map((v) => (v ? 1 : 0));
      break;
    }
    case 'U': {
      if (!Array.isArray(data) || !data.every((s) => typeof s === 'string'))
        throw new ValidationError("writeNpy: dtype 'U' needs an array of strings");
      const cps = data.map((s) => Array.from(s, (ch) => ch.codePointAt(0) as number));
      const width = Math.max(1, ...cps.map((c) => c.length));
      descr = `<U${width}`;
      const dv = new DataView(new ArrayBuffer(n * width * 4));
      cps.forEach((c, i) => c.forEach((cp, j) => dv.setUint32((i * width + j) * 4, cp, true)));
      body = new Uint8Array(dv.buffer);
      break;
    }
    case 'S': {
      if (!Array.isArray(data) || !data.every((s) => typeof s === 'string'))
        throw new ValidationError("writeNpy: dtype 'S' needs an array of strings");
      const width = Math.max(1, ...data.map((s) => s.length));
      descr = `|S${width}`;
      body = new Uint8Array(n * width);
      data.forEach((s, i) => {
        for (let j = 0; j < s.length; j++) {
          const c = s.charCodeAt(j);
          if (c > 255)
            throw new ValidationError(
              `writeNpy: byte string ${JSON.stringify(s)} has a character outside latin-1; use dtype 'U'`,
            );
          body[i * width + j] = c;
        }
      });
      break;
    }
    default:
      throw new ValidationError(
        `writeNpy: unsupported dtype ${JSON.stringify(dtype)}; expected one of f4, f8, i4, i8, b1, U, S`,
      );
  }
  return { descr, body };
}

/** Header (padded so the data starts on a 64-byte boundary, as numpy writes it) and data. */
function npyFile(descr: string, shape: readonly number[], body: Uint8Array): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // numpy pads the header with spaces and a final newline so the data starts on a 64-byte boundary.
  let pre = 10;
  let total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  if (total - pre > 0xffff) {
    pre = 12;
    total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  }
  const headerLen = total - pre;
  const out = new Uint8Array(total + body.length);
  out.set(MAGIC, 0);
  out[6] = pre === 10 ? 1 : 2;
  out[7] = 0;
  if (pre === 10) {
    out[8] = headerLen & 0xff;
    out[9] = headerLen >> 8;
  } else {
    new DataView(out.buffer).setUint32(8, headerLen, true);
  }
  for (let i = 0; i < headerLen - 1; i++) out[pre + i] = i < dict.length ? dict.charCodeAt(i) : 0x20;
  out[total - 1] = 0x0a;
  out.set(body, total);
  return out;
}
