// Deflated zip members of any size (issue 26): the inflate step size used to overflow after ~23 steps,
// so every member with more than ~190 KB of compressed data looped forever. Each test here uses a member
// large enough to have looped; they hang on the code before the fix (run one with `timeout 120 npx vitest
// run test/data/zip.test.ts -t …` to see it).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { unzipEntries } from '../../src/data/datasets/archive.js';
import { ZipEntryReader, zipEntries } from '../../src/data/zip.js';
import { readScipyNpz, importImplicit } from '../../src/index.js';
import { readNpz, writeNpy } from '../../src/internal.js';
import { python, runPython } from './python.js';

const MB = 1e6;
const dir = mkdtempSync(join(tmpdir(), 'lowrank-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `n` seeded random 32-bit words (xorshift32): data deflate cannot shrink. */
function randomInts(n: number, seed = 1): Int32Array {
  const out = new Int32Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x;
  }
  return out;
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const sameBytes = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.compare(Buffer.from(bytesOf(a)), Buffer.from(bytesOf(b))) === 0;

describe('zip: deflated members of any size (JS deflater)', () => {
  it('a 1 MB compressed member inflates completely (past the step where the step size overflowed)', () => {
    const data = bytesOf(randomInts(262_144, 7));
    const zip = zipSync({ 'a.bin': data }, { level: 1 });
    const [entry] = zipEntries(zip);
    expect(entry.method).toBe(8);
    expect(entry.compressedSize).toBeGreaterThan(MB);
    const out = new Uint8Array(data.length + 10);
    const reader = new ZipEntryReader(zip, entry);
    expect(reader.read(out)).toBe(data.length);
    expect(sameBytes(out.subarray(0, data.length), data)).toBe(true);
    expect(reader.hasMore()).toBe(false);
  });

  it('a .npz member of ≥ 50 MB compressed loads and equals the array', () => {
    const a = randomInts(13_500_000, 3);
    const npz = zipSync({ 'a.npy': writeNpy({ dtype: 'i4', shape: [a.length], data: a }) }, { level: 1 });
    const [entry] = zipEntries(npz);
    expect(entry.method).toBe(8);
    expect(entry.compressedSize).toBeGreaterThanOrEqual(50 * MB);
    const got = readNpz(npz, 'big.npz', { maxBytes: 2 ** 27 }).get('a')!;
    expect(got.shape).toEqual([a.length]);
    expect(sameBytes(got.data as Int32Array, a)).toBe(true);
  }, 120_000);

  it('a data set archive with a ≥ 5 MB compressed member extracts it whole', () => {
    const big = bytesOf(randomInts(1_500_000, 11));
    const small = new TextEncoder().encode('1\t2\t3\t4\n');
    const zip = zipSync({ 'ml/u.data': big, 'ml/u.item': small }, { level: 6 });
    expect(zipEntries(zip)[0].compressedSize).toBeGreaterThanOrEqual(5 * MB);
    const files = unzipEntries(zip, 'test.zip', () => true, 2 ** 27);
    expect(sameBytes(files.get('ml/u.data')!, big)).toBe(true);
    expect(new TextDecoder().decode(files.get('ml/u.item')!)).toBe('1\t2\t3\t4\n');
  }, 60_000);
});

describe.skipIf(!python)('zip: files written by numpy and scipy (python3 with numpy/scipy)', () => {
  it('np.savez_compressed with a ≥ 50 MB compressed member: readNpz equals the array', () => {
    const npz = join(dir, 'big.npz');
    const raw = join(dir, 'big.raw');
    runPython(`import numpy as np
a = np.frombuffer(np.random.default_rng(5).bytes(54_000_000), dtype=np.int32)
np.savez_compressed(${JSON.stringify(npz)}, a=a)
a.tofile(${JSON.stringify(raw)})`);
    const bytes = new Uint8Array(readFileSync(npz));
    expect(zipEntries(bytes)[0].compressedSize).toBeGreaterThanOrEqual(50 * MB);
    const got = readNpz(bytes, 'big.npz', { maxBytes: 2 ** 27 }).get('a')!;
    expect(got.shape).toEqual([13_500_000]);
    expect(sameBytes(got.data as Int32Array, new Uint8Array(readFileSync(raw)))).toBe(true);
  }, 180_000);

  it('scipy.sparse.save_npz (compressed by default) with a ≥ 50 MB member: readScipyNpz equals the matrix', () => {
    const npz = join(dir, 'sparse.npz');
    runPython(`import numpy as np, scipy.sparse as sp
g = np.random.default_rng(1)
rows, per = 20000, 400
# 400 distinct sorted columns per row (a stride of 12 from a random start): 8M entries, built directly.
cols = np.sort((g.integers(0, 5000, rows)[:, None] + 12 * np.arange(per)[None, :]) % 5000, axis=1)
m = sp.csr_matrix((g.random(rows * per), cols.ravel().astype(np.int32), np.arange(0, rows * per + 1, per, dtype=np.int32)), shape=(rows, 5000))
sp.save_npz(${JSON.stringify(npz)}, m)
m.indptr.astype(np.int32).tofile(${JSON.stringify(`${npz}.indptr`)})
m.indices.astype(np.int32).tofile(${JSON.stringify(`${npz}.indices`)})
m.data.astype(np.float32).tofile(${JSON.stringify(`${npz}.data`)})`);
    const bytes = new Uint8Array(readFileSync(npz));
    const data = zipEntries(bytes).find((e) => e.name === 'data.npy')!;
    expect(data.method).toBe(8);
    expect(data.compressedSize).toBeGreaterThanOrEqual(50 * MB);
    const m = readScipyNpz(bytes);
    expect(m.shape).toEqual([20000, 5000]);
    expect(m.nnz).toBe(8_000_000);
    expect(sameBytes(m.indptr, readFileSync(`${npz}.indptr`))).toBe(true);
    expect(sameBytes(m.indices, readFileSync(`${npz}.indices`))).toBe(true);
    expect(sameBytes(m.data, readFileSync(`${npz}.data`))).toBe(true);
  }, 240_000);

  it("importImplicit reads a np.savez_compressed model (the issue's 20,000 × 100 and 3,000 × 100 float32)", async () => {
    const npz = join(dir, 'model.npz');
    runPython(`import numpy as np
g = np.random.default_rng(2)
u = g.standard_normal((20000, 100), dtype=np.float32)
i = g.standard_normal((3000, 100), dtype=np.float32)
np.savez_compressed(${JSON.stringify(npz)}, user_factors=u, item_factors=i, factors=np.int64(100), regularization=np.float64(0.01), alpha=np.float64(1.0))
u.tofile(${JSON.stringify(`${npz}.u`)})
i.tofile(${JSON.stringify(`${npz}.i`)})`);
    const model = await importImplicit(new Uint8Array(readFileSync(npz)));
    expect([model.userCount, model.itemCount]).toEqual([20000, 3000]);
    expect(sameBytes(model.userFactors, readFileSync(`${npz}.u`))).toBe(true);
    expect(sameBytes(model.itemFactors, readFileSync(`${npz}.i`))).toBe(true);
    model.dispose();
  }, 120_000);

  it('an all-zeros np.savez_compressed member inflating to 1.2 GB is refused under the default cap and loads with a raised one', () => {
    const npz = join(dir, 'zeros.npz');
    runPython(`import numpy as np
np.savez_compressed(${JSON.stringify(npz)}, z=np.zeros((300000, 1000), dtype=np.float32))`);
    const bytes = new Uint8Array(readFileSync(npz));
    expect(bytes.length).toBeLessThan(2 * MB);
    expect(() => readNpz(bytes)).toThrow(/maxBytes/);
    const z = readNpz(bytes, 'zeros.npz', { maxBytes: 2 ** 31 }).get('z')!;
    expect(z.shape).toEqual([300000, 1000]);
    const d = z.data as Float32Array;
    expect(d[0] === 0 && d[d.length - 1] === 0 && d[d.length >> 1] === 0).toBe(true);
  }, 180_000);
});
