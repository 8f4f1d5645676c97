import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { ModelFormatError, ValidationError } from '../../src/errors.js';
import { readNpy, npyScalar, npyToFloat64, type NpyArray } from '../../src/interop/npy.js';
import { writeNpy } from '../../src/interop/npy-write.js';
import { readNpz, writeNpz } from '../../src/interop/npz.js';

const fx = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/interop/${name}`, import.meta.url)));
const expected = JSON.parse(readFileSync(new URL('../fixtures/interop/expected.json', import.meta.url), 'utf8')) as {
  dtypes: Record<string, { shape: number[]; descr: string; values: (number | string | boolean)[] }>;
};

function values(a: NpyArray): (number | string | boolean)[] {
  if (a.dtype === 'i8') return Array.from(a.data, (v) => String(v));
  if (a.dtype === 'b1') return Array.from(a.data, (v) => v === 1);
  if (a.dtype === 'i4') return Array.from(a.data, (v) => String(v));
  return Array.from(a.data as ArrayLike<number | string>);
}

describe('npy/npz: arrays written by numpy', () => {
  for (const file of ['dtypes.npz', 'dtypes-compressed.npz']) {
    it(`reads every supported dtype from ${file}`, () => {
      const z = readNpz(fx(file));
      expect([...z.keys()].sort()).toEqual(Object.keys(expected.dtypes).sort());
      for (const [name, want] of Object.entries(expected.dtypes)) {
        const a = z.get(name)!;
        expect(a.shape, name).toEqual(want.shape);
        expect(values(a), name).toEqual(want.values);
      }
      expect(z.get('f4')!.data).toBeInstanceOf(Float32Array);
      expect(z.get('i8big')!.data[0]).toBe(2n ** 62n);
      expect(npyScalar(z.get('i8')!)).toBe(-(2 ** 40) - 3);
      expect(npyScalar(z.get('s')!)).toBe('csr');
      expect(() => npyToFloat64(z.get('i8big')!)).toThrow(ModelFormatError);
    });
  }

  it('writes the same bytes numpy wrote (header layout, padding, data)', () => {
    const members = unzipSync(fx('dtypes.npz'));
    for (const name of ['f4', 'f8', 'i4', 'i8', 'b1', 'u', 's', 'empty']) {
      const original = members[`${name}.npy`];
      expect(Buffer.from(writeNpy(readNpy(original))).equals(Buffer.from(original)), name).toBe(true);
    }
  });

  it('reads a version 2.0 header', () => {
    const a = readNpy(fx('v2.npy'));
    expect(a.dtype).toBe('f8');
    expect(a.shape).toEqual([3, 2]);
    expect(Array.from(a.data as Float64Array)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('writes a version 2.0 header when the header exceeds 64 KiB', () => {
    const shape = Array.from({ length: 30000 }, () => 1);
    const bytes = writeNpy({ dtype: 'f4', shape, data: new Float32Array([1.5]) });
    expect(bytes[6]).toBe(2);
    const back = readNpy(bytes);
    expect(back.shape.length).toBe(30000);
    expect(back.data[0]).toBe(1.5);
    expect((bytes.length - 4) % 64).toBe(0); // data starts on a 64-byte boundary; 4 bytes of data follow
  });

  it.each([
    ['fortran.npy', /Fortran order/],
    ['bigendian.npy', /big-endian dtype '>f4'/],
    ['int16.npy', /dtype '<i2' is not supported/],
    ['structured.npy', /structured dtype/],
  ])('rejects %s with a clear ModelFormatError', (file, message) => {
    expect(() => readNpy(fx(file))).toThrow(ModelFormatError);
    expect(() => readNpy(fx(file))).toThrow(message);
  });

  it('rejects truncated and non-npy bytes', () => {
    const good = writeNpy({ dtype: 'f8', shape: [4], data: new Float64Array(4) });
    expect(() => readNpy(good.subarray(0, good.length - 1))).toThrow(/truncated data/);
    expect(() => readNpy(good.subarray(0, 9))).toThrow(ModelFormatError);
    expect(() => readNpy(new TextEncoder().encode('hello world'))).toThrow(/not a \.npy file/);
    expect(() => readNpz(new TextEncoder().encode('hello world'))).toThrow(/not a zip archive/);
    const z = writeNpz({ a: { dtype: 'f4', shape: [1], data: new Float32Array(1) } });
    expect(() => readNpz(z.subarray(0, z.length - 10))).toThrow(ModelFormatError);
  });

  it('accepts fortran_order True for 1-d arrays (same layout as C order)', () => {
    const bytes = writeNpy({ dtype: 'i4', shape: [3], data: new Int32Array([1, 2, 3]) });
    const at = Buffer.from(bytes).indexOf("'fortran_order': False");
    bytes.set(new TextEncoder().encode("'fortran_order': True "), at);
    expect(Array.from(readNpy(bytes).data as Int32Array)).toEqual([1, 2, 3]);
  });

  it('round-trips every dtype through npz, stored and deflated', () => {
    const arrays: Record<string, NpyArray> = {
      f4: { dtype: 'f4', shape: [2, 2], data: new Float32Array([1, -0, Infinity, 3.25]) },
      f8: { dtype: 'f8', shape: [], data: new Float64Array([Math.PI]) },
      i4: { dtype: 'i4', shape: [3], data: new Int32Array([-1, 0, 7]) },
      i8: { dtype: 'i8', shape: [1, 2], data: new BigInt64Array([-(2n ** 60n), 5n]) },
      b1: { dtype: 'b1', shape: [2], data: new Uint8Array([1, 0]) },
      u: { dtype: 'U', shape: [2], data: ['ok', 'ünï😀'] },
      s: { dtype: 'S', shape: [], data: ['csr'] },
    };
    for (const compress of [false, true]) {
      const back = readNpz(writeNpz(arrays, { compress }));
      for (const [k, a] of Object.entries(arrays)) {
        const b = back.get(k)!;
        expect(b.dtype).toBe(a.dtype);
        expect(b.shape).toEqual(a.shape);
        expect(Array.from(b.data as ArrayLike<unknown>)).toEqual(Array.from(a.data as ArrayLike<unknown>));
      }
    }
  });

  it('validates what it writes', () => {
    expect(() => writeNpy({ dtype: 'f4', shape: [3], data: new Float32Array(2) })).toThrow(ValidationError);
    expect(() => writeNpy({ dtype: 'f4', shape: [2], data: new Float64Array(2) as unknown as Float32Array })).toThrow(
      /needs a Float32Array/,
    );
    expect(() => writeNpz({ '': { dtype: 'f4', shape: [0], data: new Float32Array(0) } })).toThrow(ValidationError);
  });
});
