import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '../../src/runtime/backend.js';
import { ModelFormatError, ValidationError } from '../../src/errors.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { IdMap } from '../../src/data/idmap.js';
import { Rng } from '../../src/random.js';
import { ImplicitALS } from '../../src/models/als/implicit.js';
import { ALS } from '../../src/models/als/explicit.js';
import { exportSparkALS, importSparkALS } from '../../src/interop/spark.js';
import { SPARK_ALS_CLASS, sparkALSFiles } from '../../src/interop/spark-format.js';
import { readWithParquetWasm } from './arrow-reader.js';

function data(seed: number, users = 50, items = 30, nnz = 400): SparseMatrix {
  const rng = new Rng(seed);
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  for (let k = 0; k < nnz; k++) {
    rows.push(Math.floor(rng.next() * users));
    cols.push(Math.floor(rng.next() * items));
    values.push(1 + Math.floor(rng.next() * 5));
  }
  return SparseMatrix.fromCOO({ rows, cols, values, shape: [users, items], duplicates: 'last' });
}

// Spark-style ids: sparse, arbitrary, some negative.
const userIds = IdMap.from(Array.from({ length: 50 }, (_, i) => 17 * i - 300));
const itemIds = IdMap.from(Array.from({ length: 30 }, (_, i) => 1_000_003 * (i + 1)));

describe.each(['wasm', 'js'] as const)('Spark ALSModel import/export (%s backend)', (backend) => {
  it('ImplicitALS → Spark directory → lowrank gives identical factors, ids and recommendations', async () => {
    await init({ backend });
    const m = data(1);
    const model = new ImplicitALS({ factors: 5, iterations: 3, seed: 4 });
    await model.fit({ matrix: m, users: userIds, items: itemIds });
    const dir = mkdtempSync(join(tmpdir(), 'lowrank-spark-'));
    try {
      const files = await exportSparkALS(model, join(dir, 'als'));
      expect(readdirSync(join(dir, 'als')).sort()).toEqual(['itemFactors', 'metadata', 'userFactors']);
      // The independent reader sees Spark's ids and float vectors.
      const upath = [...files.keys()].find((p) => p.startsWith('userFactors/part-'))!;
      const { columns } = readWithParquetWasm(files.get(upath)!);
      expect(columns.id).toEqual(userIds.ids());
      expect(new Float32Array((columns.features as number[][]).flat())).toEqual(model.userFactors);

      const back = await importSparkALS(join(dir, 'als'));
      expect(back).toBeInstanceOf(ImplicitALS);
      expect(back.options).toEqual(model.options);
      expect(back.userIds!.ids()).toEqual(userIds.ids());
      expect(back.itemIds!.ids()).toEqual(itemIds.ids());
      expect((back as ImplicitALS).userFactors).toEqual(model.userFactors);
      expect((back as ImplicitALS).itemFactors).toEqual(model.itemFactors);
      for (const u of [0, 13, 49]) {
        expect(back.recommend(u, { n: 10, interactions: m })).toEqual(model.recommend(u, { n: 10 }));
        const id = userIds.id(u);
        expect(back.recommendById(id, { n: 6, interactions: m })).toEqual(model.recommendById(id, { n: 6 }));
      }
      expect(back.similarItems(2, { n: 5 })).toEqual(model.similarItems(2, { n: 5 }));
      back.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      model.dispose();
    }
  });

  it('explicit ALS with biases survives (bias columns ride along as factor columns)', async () => {
    await init({ backend });
    const m = data(2);
    const model = new ALS({ factors: 4, iterations: 3, seed: 9 });
    await model.fit({ matrix: m, users: userIds, items: itemIds });
    const files = await exportSparkALS(model);
    const meta = JSON.parse(new TextDecoder().decode(files.get('metadata/part-00000')));
    expect(meta.rank).toBe(6);
    expect(meta.lowrank).toMatchObject({ modelType: 'ALS', implicitPrefs: false });
    const back = await importSparkALS(files);
    expect(back).toBeInstanceOf(ALS);
    expect(back.options).toEqual(model.options);
    for (const u of [1, 20]) expect(back.recommend(u, { n: 8, interactions: m })).toEqual(model.recommend(u, { n: 8 }));
    // b_u + μ is what the stored column holds (μ itself is not in ALS's saved state yet).
    const withMean = (a: ALS) => Array.from(a.userBiases, (b) => Math.fround(b + a.globalMean));
    expect(withMean(back as ALS)).toEqual(withMean(model));
    expect((back as ALS).itemBiases).toEqual(model.itemBiases);
    back.dispose();
    model.dispose();
  });
});

describe('Spark ALSModel import of models Spark wrote', () => {
  function sparkModel(o: { paramMap?: object; rank?: number }) {
    const rng = new Rng(5);
    const rank = o.rank ?? 3;
    const mk = (n: number, base: number) => ({
      ids: Int32Array.from({ length: n }, (_, i) => base + 2 * i),
      features: Float32Array.from({ length: n * rank }, () => rng.uniform(-1, 1)),
    });
    const files = sparkALSFiles(mk(6, 10), mk(5, 500), rank, undefined, { timestamp: 1 });
    const meta = JSON.parse(new TextDecoder().decode(files.get('metadata/part-00000')));
    files.set(
      'metadata/part-00000',
      new TextEncoder().encode(JSON.stringify({ ...meta, paramMap: { ...meta.paramMap, ...(o.paramMap ?? {}) } })),
    );
    return files;
  }

  it('builds ALS by default (Spark does not save implicitPrefs), ImplicitALS when asked or when paramMap says so', async () => {
    await init({ backend: 'js' });
    const plain = await importSparkALS(sparkModel({}));
    expect(plain).toBeInstanceOf(ALS);
    expect(plain.options).toMatchObject({ factors: 3, biases: false });
    expect(plain.userIds!.ids()).toEqual([10, 12, 14, 16, 18, 20]);
    const asked = await importSparkALS(sparkModel({}), { implicitPrefs: true });
    expect(asked).toBeInstanceOf(ImplicitALS);
    const flagged = await importSparkALS(sparkModel({ paramMap: { implicitPrefs: true, alpha: 7, regParam: 0.2 } }));
    expect(flagged).toBeInstanceOf(ImplicitALS);
    expect(flagged.options).toMatchObject({ factors: 3, alpha: 7, regularization: 0.2 });
    // Scores are Spark's prediction: the dot product of the stored vectors.
    const r = plain.recommend(0, { n: 5, filterAlreadyLiked: false });
    const again = asked.recommend(0, { n: 5, filterAlreadyLiked: false });
    expect(r).toEqual(again);
    for (const m of [plain, asked, flagged]) m.dispose();
  });

  it('reports bad directories as ModelFormatErrors and bad exports as ValidationErrors', async () => {
    await init({ backend: 'js' });
    const files = sparkModel({});
    const wrongClass = new Map(files);
    wrongClass.set(
      'metadata/part-00000',
      new TextEncoder().encode(JSON.stringify({ class: 'org.apache.spark.ml.feature.PCAModel', rank: 3 })),
    );
    await expect(importSparkALS(wrongClass)).rejects.toThrow(/PCAModel" model; expected class/);
    const rankOff = new Map(files);
    const meta = JSON.parse(new TextDecoder().decode(files.get('metadata/part-00000')));
    rankOff.set('metadata/part-00000', new TextEncoder().encode(JSON.stringify({ ...meta, rank: 4 })));
    await expect(importSparkALS(rankOff)).rejects.toThrow(ModelFormatError);
    await expect(importSparkALS(rankOff)).rejects.toThrow(
      /rank mismatch: the metadata says rank 4 but every features vector has length 3/,
    );
    expect(meta.class).toBe(SPARK_ALS_CLASS);

    const m = new ImplicitALS({ factors: 2, iterations: 1, seed: 1 });
    await expect(exportSparkALS(m)).rejects.toThrow(/not fitted/);
    await m.fit({ matrix: data(3, 4, 3, 8), users: IdMap.from(['a', 'b', 'c', 'd']), items: IdMap.range(3) });
    await expect(exportSparkALS(m)).rejects.toThrow(ValidationError);
    await expect(exportSparkALS(m)).rejects.toThrow(/user id "a" is not a 32-bit integer.*ids: 'index'/);
    const byIndex = await importSparkALS(await exportSparkALS(m, undefined, { ids: 'index' }));
    expect(byIndex.userIds!.ids()).toEqual([0, 1, 2, 3]);
    byIndex.dispose();
    m.dispose();
  });
});
