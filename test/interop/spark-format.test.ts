import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { gzipSync } from 'fflate';
import { ModelFormatError } from '../../src/errors.js';
import { Rng } from '../../src/random.js';
import {
  SPARK_ALS_CLASS,
  parseSparkALSMetadata,
  readSparkALSData,
  readSparkFactors,
  sparkALSFiles,
  writeSparkFactors,
  type SparkFactorTable,
} from '../../src/interop/spark-format.js';
import { writeFileTree } from '../../src/interop/files.js';
import { readWithParquetWasm, recompress } from './arrow-reader.js';

function table(n: number, rank: number, seed: number, idBase = 1000): SparkFactorTable {
  const rng = new Rng(seed);
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = idBase + 7 * i - (i % 3 === 0 ? 2 ** 31 - idBase : 0); // includes negatives
  const features = new Float32Array(n * rank);
  for (let i = 0; i < features.length; i++) features[i] = rng.uniform(-2, 2);
  return { ids, features };
}

/** A factor part file written with a caller-chosen schema (to test what other writers produce). */
function customPart(
  schema: object[],
  columnData: { name: string; data: unknown[] | Int32Array }[],
  extra: object = {},
): Uint8Array {
  return new Uint8Array(
    parquetWriteBuffer({ schema, columnData, ...extra } as Parameters<typeof parquetWriteBuffer>[0]),
  );
}

const LIST_FEATURES = (leaf: object) => [
  { name: 'features', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', ...leaf },
];

describe('Spark ALSModel layout: factor tables', () => {
  it('round-trips ids (arbitrary int32) and float32 features exactly', async () => {
    const t = table(2500, 6, 1); // > 1000 rows: several row groups
    const bytes = writeSparkFactors(t, 6);
    const back = await readSparkFactors([{ path: 'p', bytes }], 6, 'userFactors');
    expect(back.ids).toEqual(t.ids);
    expect(back.features).toEqual(t.features);
  });

  it('is read by an independent reader (parquet-wasm) with the exact Spark schema and values', () => {
    const t = table(40, 5, 2);
    const { schema, columns } = readWithParquetWasm(writeSparkFactors(t, 5));
    // Spark: id int not null; features array<float> nullable, containsNull = false.
    expect(schema.children).toEqual([
      { format: 'i', name: 'id', nullable: false, children: [] },
      {
        format: '+l',
        name: 'features',
        nullable: true,
        children: [{ format: 'f', name: 'element', nullable: false, children: [] }],
      },
    ]);
    expect(columns.id).toEqual(Array.from(t.ids));
    expect(columns.features).toEqual(
      Array.from({ length: 40 }, (_, r) => Array.from(t.features.subarray(r * 5, r * 5 + 5))),
    );
  });

  it('reads several part files, empty parts, and parts recompressed by another writer (zstd, gzip, brotli, lz4)', async () => {
    const a = table(30, 4, 3, 0);
    const b = table(20, 4, 4, 10_000);
    const empty = { ids: new Int32Array(0), features: new Float32Array(0) };
    const parts = [
      { path: 'part-00000.zstd.parquet', bytes: recompress(writeSparkFactors(a, 4), 'ZSTD') },
      { path: 'part-00001.parquet', bytes: writeSparkFactors(empty, 4) },
      { path: 'part-00002.gz.parquet', bytes: recompress(writeSparkFactors(b, 4), 'GZIP') },
    ];
    const back = await readSparkFactors(parts, 4, 'itemFactors');
    expect(back.ids).toEqual(Int32Array.from([...a.ids, ...b.ids]));
    expect(back.features).toEqual(Float32Array.from([...a.features, ...b.features]));
    for (const codec of ['BROTLI', 'LZ4_RAW', 'UNCOMPRESSED'] as const) {
      const t = await readSparkFactors([{ path: codec, bytes: recompress(writeSparkFactors(a, 4), codec) }], 4, 'x');
      expect(t.features).toEqual(a.features);
    }
  });

  it('accepts optional list elements, the legacy Spark bag/array list, INT64 ids, DOUBLE features and gzip from hyparquet-writer', async () => {
    const ids = [3, 1, 2];
    const feats = [
      [1, 2],
      [3, 4],
      [5, 6.5],
    ];
    const variants = [
      customPart(
        [
          { name: 'root', num_children: 2 },
          { name: 'id', type: 'INT32', repetition_type: 'OPTIONAL' },
          ...LIST_FEATURES({ type: 'FLOAT', repetition_type: 'OPTIONAL' }),
        ],
        [
          { name: 'id', data: ids },
          { name: 'features', data: feats },
        ],
      ),
      customPart(
        [
          { name: 'root', num_children: 2 },
          { name: 'id', type: 'INT64', repetition_type: 'REQUIRED' },
          ...LIST_FEATURES({ type: 'DOUBLE', repetition_type: 'REQUIRED' }),
        ],
        [
          { name: 'id', data: ids.map(BigInt) as unknown as unknown[] },
          { name: 'features', data: feats },
        ],
        { codec: 'GZIP', compressors: { GZIP: (x: Uint8Array) => gzipSync(x) } },
      ),
      customPart(
        [
          { name: 'root', num_children: 2 },
          { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
          { name: 'features', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
          { name: 'bag', repetition_type: 'REPEATED', num_children: 1 },
          { name: 'array', type: 'FLOAT', repetition_type: 'OPTIONAL' },
        ],
        [
          { name: 'id', data: ids },
          { name: 'features', data: feats },
        ],
      ),
    ];
    for (const bytes of variants) {
      const t = await readSparkFactors([{ path: 'p', bytes }], 2, 'userFactors');
      expect(Array.from(t.ids)).toEqual(ids);
      expect(Array.from(t.features)).toEqual(feats.flat());
    }
  });

  it('rejects bad tables with clear ModelFormatErrors', async () => {
    const root = { name: 'root', num_children: 2 };
    const idCol = { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' };
    const cases: [string, Uint8Array, number, RegExp][] = [
      [
        'rank mismatch',
        writeSparkFactors(table(5, 3, 5), 3),
        4,
        /rank mismatch: the metadata says rank 4 but every features vector has length 3/,
      ],
      [
        'ragged',
        customPart(
          [root, idCol, ...LIST_FEATURES({ type: 'FLOAT', repetition_type: 'REQUIRED' })],
          [
            { name: 'id', data: [1, 2, 3] },
            { name: 'features', data: [[1, 2], [3], [4, 5]] },
          ],
        ),
        2,
        /id 2 has features of length 1; expected rank 2/,
      ],
      [
        'duplicate id',
        writeSparkFactors({ ids: Int32Array.from([4, 9, 4]), features: new Float32Array(6) }, 2),
        2,
        /duplicate id 4/,
      ],
      [
        'string ids',
        customPart(
          [
            root,
            { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
            ...LIST_FEATURES({ type: 'FLOAT', repetition_type: 'REQUIRED' }),
          ],
          [
            { name: 'id', data: ['a'] },
            { name: 'features', data: [[1, 2]] },
          ],
        ),
        2,
        /column id has Parquet type BYTE_ARRAY; expected INT32/,
      ],
      [
        'int features',
        customPart(
          [root, idCol, ...LIST_FEATURES({ type: 'INT32', repetition_type: 'REQUIRED' })],
          [
            { name: 'id', data: [1] },
            { name: 'features', data: [[1, 2]] },
          ],
        ),
        2,
        /features has Parquet type LIST<INT32>; expected LIST<FLOAT>/,
      ],
      [
        'flat features',
        customPart(
          [root, idCol, { name: 'features', type: 'FLOAT', repetition_type: 'REQUIRED' }],
          [
            { name: 'id', data: [1] },
            { name: 'features', data: [1] },
          ],
        ),
        1,
        /features has Parquet type FLOAT; expected LIST<FLOAT>/,
      ],
      [
        'missing column',
        customPart([{ name: 'root', num_children: 1 }, idCol], [{ name: 'id', data: [1] }]),
        1,
        /expected columns id and features.*found id/,
      ],
      [
        'null features',
        customPart(
          [root, idCol, ...LIST_FEATURES({ type: 'FLOAT', repetition_type: 'REQUIRED' })],
          [
            { name: 'id', data: [1, 2] },
            { name: 'features', data: [[1], null] },
          ],
        ),
        1,
        /id 2 has null features/,
      ],
      ['NaN', writeNaN(), 1, /non-finite feature NaN/],
      [
        'LZO',
        customPart(
          [root, idCol, ...LIST_FEATURES({ type: 'FLOAT', repetition_type: 'REQUIRED' })],
          [
            { name: 'id', data: [1] },
            { name: 'features', data: [[1]] },
          ],
          { codec: 'LZO', compressors: { LZO: (x: Uint8Array) => x } },
        ),
        1,
        /compressed with LZO, which lowrank cannot read/,
      ],
      ['not parquet', new TextEncoder().encode('PAR1 nope'), 1, /not a Parquet file/],
    ];
    for (const [name, bytes, rank, message] of cases) {
      const err = await readSparkFactors([{ path: 'userFactors/part-00000.parquet', bytes }], rank, 'userFactors').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, name).toBeInstanceOf(ModelFormatError);
      expect((err as Error).message, name).toMatch(message);
    }
  });
});

function writeNaN(): Uint8Array {
  return customPart(
    [
      { name: 'root', num_children: 2 },
      { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
      ...LIST_FEATURES({ type: 'FLOAT', repetition_type: 'REQUIRED' }),
    ],
    [
      { name: 'id', data: [1] },
      { name: 'features', data: [[NaN]] },
    ],
  );
}

describe('Spark ALSModel layout: metadata and directory', () => {
  const meta = (o: object) =>
    JSON.stringify({
      class: SPARK_ALS_CLASS,
      timestamp: 1,
      sparkVersion: '3.5.0',
      uid: 'als_x',
      paramMap: {},
      defaultParamMap: {},
      rank: 3,
      ...o,
    });

  it('parses real-shaped metadata and rejects wrong class, bad JSON, bad rank', () => {
    const m = parseSparkALSMetadata(`${meta({ paramMap: { blockSize: 4096, userCol: 'u' } })}\n`);
    expect(m.rank).toBe(3);
    expect(m.paramMap.userCol).toBe('u');
    expect(() =>
      parseSparkALSMetadata(meta({ class: 'org.apache.spark.ml.classification.LogisticRegressionModel' })),
    ).toThrow(/LogisticRegressionModel" model; expected class org.apache.spark.ml.recommendation.ALSModel/);
    expect(() => parseSparkALSMetadata('{nope')).toThrow(/not valid JSON/);
    expect(() => parseSparkALSMetadata('')).toThrow(/empty/);
    expect(() => parseSparkALSMetadata(meta({ rank: 0 }))).toThrow(/rank 0; expected a positive integer/);
    expect(() => parseSparkALSMetadata(meta({ rank: undefined }))).toThrow(/rank undefined/);
    expect(() => parseSparkALSMetadata(meta({ paramMap: { rank: 4 } }))).toThrow(/rank mismatch inside the metadata/);
    // The variant: rank only in paramMap.
    expect(parseSparkALSMetadata(meta({ rank: undefined, paramMap: { rank: 7, implicitPrefs: true } })).rank).toBe(7);
  });

  it('writes Spark-loadable metadata: only ALSModel params, rank at top level, lowrank extras apart', () => {
    const files = sparkALSFiles(
      table(3, 2, 6),
      table(4, 2, 7),
      2,
      { modelType: 'ImplicitALS', implicitPrefs: true },
      { timestamp: 5, uid: 'als_0123456789ab' },
    );
    const paths = [...files.keys()];
    expect(paths.filter((p) => p.startsWith('metadata/'))).toEqual(['metadata/part-00000', 'metadata/_SUCCESS']);
    expect(paths.filter((p) => /^userFactors\/part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/.test(p))).toHaveLength(
      1,
    );
    expect(paths).toContain('itemFactors/_SUCCESS');
    const text = new TextDecoder().decode(files.get('metadata/part-00000'));
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trim().includes('\n')).toBe(false);
    const m = JSON.parse(text);
    expect(m).toMatchObject({
      class: SPARK_ALS_CLASS,
      timestamp: 5,
      sparkVersion: '3.5.0',
      uid: 'als_0123456789ab',
      rank: 2,
    });
    const allowed = ['userCol', 'itemCol', 'predictionCol', 'coldStartStrategy', 'blockSize'];
    expect(Object.keys(m.paramMap).every((k) => allowed.includes(k))).toBe(true);
    expect(Object.keys(m.defaultParamMap).every((k) => allowed.includes(k))).toBe(true);
    expect(m.lowrank).toEqual({ modelType: 'ImplicitALS', implicitPrefs: true });
    // Spark 2.4 has no blockSize param; writing it would break its loader.
    const old = JSON.parse(
      new TextDecoder().decode(
        sparkALSFiles(table(1, 1, 1), table(1, 1, 2), 1, undefined, { sparkVersion: '2.4.8' }).get(
          'metadata/part-00000',
        ),
      ),
    );
    expect(old.paramMap.blockSize).toBeUndefined();
    expect(old.defaultParamMap.blockSize).toBeUndefined();
  });

  it('reads a directory from disk, a { path: bytes } map and browser File objects', async () => {
    const users = table(12, 3, 8);
    const items = table(9, 3, 9, 50);
    const files = sparkALSFiles(users, items, 3, undefined);
    const dir = mkdtempSync(join(tmpdir(), 'lowrank-spark-'));
    try {
      await writeFileTree(join(dir, 'model'), files, 'test');
      // Spark's local writer also leaves .crc files; they must be ignored.
      writeFileSync(join(dir, 'model', 'userFactors', '.part-00000.crc'), 'crc');
      expect(readdirSync(join(dir, 'model')).sort()).toEqual(['itemFactors', 'metadata', 'userFactors']);
      const fromDisk = await readSparkALSData(join(dir, 'model'));
      const fromMap = await readSparkALSData(Object.fromEntries(files));
      const asFiles = [...files].map(
        ([p, b]) => Object.assign(new File([b as Uint8Array<ArrayBuffer>], p.split('/').pop()!), {}) as File,
      );
      asFiles.forEach((f, k) =>
        Object.defineProperty(f, 'webkitRelativePath', { value: `picked/model/${[...files.keys()][k]}` }),
      );
      const fromFiles = await readSparkALSData(asFiles);
      for (const d of [fromDisk, fromMap, fromFiles]) {
        expect(d.metadata.rank).toBe(3);
        expect(d.users.ids).toEqual(users.ids);
        expect(d.users.features).toEqual(users.features);
        expect(d.items.ids).toEqual(items.ids);
        expect(d.items.features).toEqual(items.features);
      }
      await expect(writeFileTree(join(dir, 'model'), files, 'test')).rejects.toThrow(/already exists/);
      await writeFileTree(join(dir, 'model'), files, 'test', true);
      expect(readdirSync(join(dir, 'model', 'userFactors')).filter((f) => f.endsWith('.parquet'))).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing metadata folder, missing factor parts and files without paths', async () => {
    const files = sparkALSFiles(table(2, 2, 1), table(2, 2, 2), 2, undefined);
    const noMeta = Object.fromEntries([...files].filter(([p]) => !p.startsWith('metadata/')));
    await expect(readSparkALSData(noMeta)).rejects.toThrow(
      /no metadata\/part-00000 found.*Spark ML ALSModel directory/,
    );
    const noItems = Object.fromEntries([...files].filter(([p]) => !p.startsWith('itemFactors/part')));
    await expect(readSparkALSData(noItems)).rejects.toThrow(/no itemFactors\/part-\*\.parquet/);
    await expect(readSparkALSData([new File([new Uint8Array(1)], 'part-00000')])).rejects.toThrow(/webkitdirectory/);
    const dir = mkdtempSync(join(tmpdir(), 'lowrank-spark-'));
    try {
      mkdirSync(join(dir, 'empty'));
      await expect(readSparkALSData(join(dir, 'empty'))).rejects.toThrow(ModelFormatError);
      await expect(readSparkALSData(join(dir, 'nope'))).rejects.toThrow(/does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
