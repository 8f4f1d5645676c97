import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { ModelFormatError, ValidationError } from '../../src/errors.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { Interactions } from '../../src/data/interactions.js';
import { Rng } from '../../src/random.js';
import { readParquet, writeParquet } from '../../src/interop/parquet-data.js';
import { readScipyNpz, writeScipyNpz } from '../../src/interop/scipy.js';
import { readNpz, writeNpz } from '../../src/interop/npz.js';
import { readWithParquetWasm, recompress } from './arrow-reader.js';

const fx = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/interop/${name}`, import.meta.url)));
const expected = JSON.parse(readFileSync(new URL('../fixtures/interop/expected.json', import.meta.url), 'utf8')) as {
  dense: number[][];
};

function dense(m: SparseMatrix): number[][] {
  const out = Array.from({ length: m.rows }, () => new Array(m.cols).fill(0));
  for (let r = 0; r < m.rows; r++) for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) out[r][m.indices[p]] = m.data[p];
  return out;
}

function sample(seed: number, withTimes: boolean, idKind: 'int' | 'string' = 'int'): Interactions {
  const rng = new Rng(seed);
  const rows = [];
  for (let k = 0; k < 300; k++) {
    const u = Math.floor(rng.next() * 40);
    const i = Math.floor(rng.next() * 25);
    const user = idKind === 'int' ? 1_000_000 + 37 * u : `user-${u}`;
    const item = idKind === 'int' ? -5 + 3 * i : `item-${i}`;
    rows.push({
      user,
      item,
      value: 0.5 * (1 + Math.floor(rng.next() * 10)),
      ...(withTimes ? { timestamp: 1_600_000_000 + k * 60 } : {}),
    });
  }
  return Interactions.fromRows(rows, { duplicates: 'last' });
}

describe('training data as Parquet', () => {
  it('round-trips interactions (original int ids, ratings, timestamps)', async () => {
    const a = sample(1, true);
    const b = await readParquet(writeParquet(a));
    expect(b.users.ids()).toEqual(a.users.ids());
    expect(b.items.ids()).toEqual(a.items.ids());
    expect(dense(b.matrix)).toEqual(dense(a.matrix));
    expect(b.timestamps).toEqual(a.timestamps);
  });

  it("writes Spark ALS's input schema, read back exactly by parquet-wasm", () => {
    const a = sample(2, true);
    const { schema, columns } = readWithParquetWasm(writeParquet(a));
    expect(schema.children).toEqual([
      { format: 'i', name: 'user', nullable: false, children: [] },
      { format: 'i', name: 'item', nullable: false, children: [] },
      { format: 'f', name: 'rating', nullable: false, children: [] },
      { format: 'l', name: 'timestamp', nullable: false, children: [] },
    ]);
    const m = a.matrix;
    let p = 0;
    for (let r = 0; r < m.rows; r++) {
      for (; p < m.indptr[r + 1]; p++) {
        expect(columns.user[p]).toBe(a.users.id(r));
        expect(columns.item[p]).toBe(a.items.id(m.indices[p]));
        expect(columns.rating[p]).toBe(m.data[p]);
        expect(columns.timestamp[p]).toBe(BigInt(a.timestamps![p]));
      }
    }
    expect(columns.user).toHaveLength(m.nnz);
  });

  it('writes indices or strings on request, and refuses string ids for Spark by default', async () => {
    const a = sample(3, false, 'string');
    expect(() => writeParquet(a)).toThrow(ValidationError);
    expect(() => writeParquet(a)).toThrow(/user id "user-.*" is not a 32-bit integer.*ids: 'index'/);
    const asStrings = await readParquet(writeParquet(a, { ids: 'string' }));
    expect(asStrings.users.ids()).toEqual(a.users.ids());
    expect(dense(asStrings.matrix)).toEqual(dense(a.matrix));
    const { schema } = readWithParquetWasm(writeParquet(a, { ids: 'index', codec: 'UNCOMPRESSED' }));
    expect(schema.children.map((c) => c.format)).toEqual(['i', 'i', 'f']);
    const asIndex = await readParquet(writeParquet(a, { ids: 'index' }));
    expect(asIndex.users.ids()).toEqual(Array.from({ length: a.users.size }, (_, i) => i));
    expect(dense(asIndex.matrix)).toEqual(dense(a.matrix));
  });

  it('reads tables other writers made: zstd/gzip parts, custom column names, no rating column', async () => {
    const a = sample(4, false);
    const t = writeParquet(a, { userCol: 'uid', itemCol: 'iid', ratingCol: 'r' });
    const parts = [recompress(t, 'ZSTD'), recompress(t, 'GZIP')];
    const b = await readParquet(parts, { userCol: 'uid', itemCol: 'iid', ratingCol: 'r' });
    expect(dense(b.matrix)).toEqual(dense(a.matrix).map((row) => row.map((v) => 2 * v))); // duplicates summed
    const noRating = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'user', data: ['x', 'y', 'x'], type: 'STRING' },
          { name: 'item', data: BigInt64Array.of(5n, 5n, 9n), type: 'INT64' },
        ],
      }),
    );
    const c = await readParquet(noRating);
    expect(c.users.ids()).toEqual(['x', 'y']);
    expect(c.items.ids()).toEqual([5, 9]);
    expect(dense(c.matrix)).toEqual([
      [1, 1],
      [1, 0],
    ]);
  });

  it('rejects tables it cannot use with ModelFormatErrors', async () => {
    const w = (columnData: object[], extra: object = {}) =>
      new Uint8Array(parquetWriteBuffer({ columnData, ...extra } as Parameters<typeof parquetWriteBuffer>[0]));
    const cases: [string, Uint8Array, RegExp][] = [
      ['no item column', w([{ name: 'user', data: [1], type: 'INT32' }]), /no column "item" \(columns: user\)/],
      [
        'null user',
        w([
          { name: 'user', data: [1, null], type: 'INT32' },
          { name: 'item', data: [1, 2], type: 'INT32' },
        ]),
        /row 1: user is null/,
      ],
      [
        'fractional id',
        w([
          { name: 'user', data: [1.5], type: 'DOUBLE' },
          { name: 'item', data: [1], type: 'INT32' },
        ]),
        /fractional part/,
      ],
      [
        'json rating',
        w([
          { name: 'user', data: [1], type: 'INT32' },
          { name: 'item', data: [1], type: 'INT32' },
          { name: 'rating', data: ['5'], type: 'STRING' },
        ]),
        /column rating has Parquet type BYTE_ARRAY/,
      ],
      [
        'LZO',
        w(
          [
            { name: 'user', data: [1], type: 'INT32' },
            { name: 'item', data: [1], type: 'INT32' },
          ],
          { codec: 'LZO', compressors: { LZO: (x: Uint8Array) => x } },
        ),
        /compressed with LZO/,
      ],
    ];
    for (const [name, bytes, message] of cases) {
      const err = await readParquet(bytes).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, name).toBeInstanceOf(ModelFormatError);
      expect((err as Error).message, name).toMatch(message);
    }
    await expect(readParquet([])).rejects.toThrow(ValidationError);
  });
});

describe('scipy sparse .npz', () => {
  it.each(['scipy-csr.npz', 'scipy-csr-f4.npz', 'scipy-csc.npz', 'scipy-coo.npz'])(
    'reads %s written by scipy',
    (file) => {
      const m = readScipyNpz(fx(file));
      expect(m.shape).toEqual([5, 4]);
      expect(dense(m)).toEqual(expected.dense);
    },
  );

  it('writes what scipy writes (members, dtypes) and round-trips', () => {
    const m = SparseMatrix.fromCOO({
      rows: [0, 2, 2, 3],
      cols: [1, 0, 3, 2],
      values: [1.5, 2, -3.25, 4],
      shape: [5, 4],
    });
    const mine = readNpz(writeScipyNpz(m));
    const theirs = readNpz(fx('scipy-csr-f4.npz'));
    expect([...mine.keys()]).toEqual([...theirs.keys()]);
    for (const [k, a] of theirs) {
      expect(mine.get(k)!.dtype, k).toBe(a.dtype);
      expect(Array.from(mine.get(k)!.data as ArrayLike<unknown>), k).toEqual(Array.from(a.data as ArrayLike<unknown>));
    }
    const back = readScipyNpz(writeScipyNpz(m, { compress: false }));
    expect(dense(back)).toEqual(dense(m));
  });

  it('sums duplicates and sorts unsorted indices like scipy', () => {
    const bytes = writeNpz({
      indices: { dtype: 'i4', shape: [4], data: Int32Array.of(2, 0, 2, 1) },
      indptr: { dtype: 'i4', shape: [3], data: Int32Array.of(0, 3, 4) },
      format: { dtype: 'S', shape: [], data: ['csr'] },
      shape: { dtype: 'i8', shape: [2], data: BigInt64Array.of(2n, 3n) },
      data: { dtype: 'f8', shape: [4], data: Float64Array.of(1, 2, 3, 4) },
    });
    expect(dense(readScipyNpz(bytes))).toEqual([
      [2, 0, 4],
      [0, 4, 0],
    ]);
  });

  it('rejects other archives and formats', () => {
    expect(() => readScipyNpz(fx('implicit-0.7.3-als.npz'))).toThrow(/no format\.npy/);
    const z = readNpz(fx('scipy-csr.npz'));
    z.set('format', { dtype: 'S', shape: [], data: ['bsr'] });
    expect(() => readScipyNpz(writeNpz(z))).toThrow(/sparse format "bsr" is not supported/);
    z.set('format', { dtype: 'S', shape: [], data: ['csr'] });
    z.set('indices', { dtype: 'i4', shape: [4], data: Int32Array.of(0, 1, 9, 2) });
    expect(() => readScipyNpz(writeNpz(z))).toThrow(ModelFormatError);
  });
});
