import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '../../src/runtime/backend.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { IdMap } from '../../src/data/idmap.js';
import { ModelFormatError, ValidationError } from '../../src/errors.js';
import { loadModel, loadModelFile } from '../../src/models/load.js';
import { FactorModel } from '../../src/models/common/factor-model.js';
import { crc32 } from '../../src/recommend/crc32.js';
import { decodeModelFile, encodeModelFile, MODEL_FORMAT_VERSION, MODEL_MAGIC } from '../../src/recommend/persist.js';
import { registerModel } from '../../src/recommend/registry.js';
import type { UserItems } from '../../src/recommend/types.js';
import { FixtureModel, rng } from './fixture-model.js';

class OtherModel extends FactorModel {
  readonly modelType = 'TestOther';
  get options() {
    return {};
  }
  recalculateUser(userItems: UserItems): Float32Array {
    void userItems;
    return new Float32Array(this.dim);
  }
}
registerModel('TestOther', OtherModel);

async function fixture(name: 'wasm' | 'js', seed = 1) {
  const backend = await init({ backend: name });
  const rand = rng(seed);
  const dim = 6;
  const U = 12;
  const I = 40;
  const X = Float32Array.from({ length: U * dim }, () => rand() * 2 - 1);
  const Y = Float32Array.from({ length: I * dim }, () => rand() * 2 - 1);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < U; u++) for (let j = 0; j < 5; j++) rows.push(u), cols.push(Math.floor(rand() * I));
  const train = SparseMatrix.fromCOO({ rows, cols, shape: [U, I] });
  const userIds = IdMap.from(Array.from({ length: U }, (_, i) => `u${i}`));
  const itemIds = IdMap.from(Array.from({ length: I }, (_, i) => (i % 2 ? i * 10 : `item-${i}`)));
  return { backend, model: FixtureModel.fromFactors(backend, X, Y, dim, { train, userIds, itemIds }), U, I };
}

function sameRecommendations(a: FactorModel, b: FactorModel, U: number) {
  const users = Int32Array.from({ length: U }, (_, i) => i);
  const ba = a.recommendBatch(users, { n: 7 });
  const bb = b.recommendBatch(users, { n: 7 });
  expect(bb.items).toEqual(ba.items);
  expect(bb.scores).toEqual(ba.scores);
  expect(b.similarItems(3, { n: 5 })).toEqual(a.similarItems(3, { n: 5 }));
  expect(b.similarUsers(2, { n: 5 })).toEqual(a.similarUsers(2, { n: 5 }));
}

describe('CRC-32', () => {
  it('matches the standard check value and is incremental', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926);
    expect(crc32(bytes, crc32(bytes, 0, 0, 5), 5)).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

for (const name of ['wasm', 'js'] as const) {
  describe(`save/load on the ${name} backend`, () => {
    it('round-trips to identical recommendations, ids, options and extra state', async () => {
      const { model, U } = await fixture(name);
      model.note = 'hello';
      model.bias = Float32Array.of(1, 2, 3);
      const bytes = model.save();
      expect(Array.from(bytes.subarray(0, 8))).toEqual(Array.from(MODEL_MAGIC));
      const back = FixtureModel.load(bytes);
      expect(back).toBeInstanceOf(FixtureModel);
      expect(back.options).toEqual(model.options);
      expect(back.note).toBe('hello');
      expect(back.bias).toEqual(Float32Array.of(1, 2, 3));
      expect(back.userIds!.ids()).toEqual(model.userIds!.ids());
      expect(back.itemIds!.ids()).toEqual(model.itemIds!.ids());
      sameRecommendations(model, back, U);
      expect(back.recommendById('u3', { n: 4 })).toEqual(model.recommendById('u3', { n: 4 }));
      // Generic loader, and into the other backend.
      const other = await init({ backend: name === 'wasm' ? 'js' : 'wasm' });
      const generic = loadModel(bytes, { backend: other });
      expect(generic).toBeInstanceOf(FixtureModel);
      expect(generic.recommend(1, { n: 40 }).items).toEqual(model.recommend(1, { n: 40 }).items);
      // A re-save is byte-identical.
      expect(back.save()).toEqual(bytes);
      for (const m of [model, back, generic]) m.dispose();
    });

    it('includeInteractions: false drops the training matrix (no default filtering after load)', async () => {
      const { model } = await fixture(name, 2);
      const slim = model.save({ includeInteractions: false });
      expect(slim.length).toBeLessThan(model.save().length);
      const back = FixtureModel.load(slim);
      expect(back.recommend(0, { n: 40 }).items.length).toBe(40);
      expect(back.recommend(0, { n: 40, filterAlreadyLiked: false })).toEqual(
        model.recommend(0, { n: 40, filterAlreadyLiked: false }),
      );
      model.dispose();
      back.dispose();
    });

    it('saveFile/loadFile write atomically and read back', async () => {
      const { model, U } = await fixture(name, 3);
      const dir = await mkdtemp(join(tmpdir(), 'lowrank-persist-'));
      try {
        const path = join(dir, 'model.lrk');
        await writeFile(path, 'old contents');
        await model.saveFile(path);
        expect(await readdir(dir)).toEqual(['model.lrk']); // temp file renamed away
        const back = await FixtureModel.loadFile(path);
        sameRecommendations(model, back, U);
        const any = await loadModelFile(path);
        expect(any.modelType).toBe('TestFixture');
        await expect(OtherModel.loadFile(path)).rejects.toThrow(/holds a TestFixture model, not TestOther/);
        await expect(model.saveFile(join(dir, 'missing', 'x.lrk'))).rejects.toThrow();
        expect(await readdir(dir)).toEqual(['model.lrk']);
        back.dispose();
        any.dispose();
      } finally {
        await rm(dir, { recursive: true, force: true });
        model.dispose();
      }
    });
  });
}

describe('corrupted model files are rejected with ModelFormatError', async () => {
  const { model } = await fixture('js', 4);
  const bytes = model.save();

  const rejects = (b: Uint8Array, pattern: RegExp) => {
    let err: unknown;
    try {
      loadModel(b);
    } catch (e) {
      err = e;
    }
    expect(err, `expected a ModelFormatError matching ${pattern}`).toBeInstanceOf(ModelFormatError);
    expect((err as Error).message).toMatch(pattern);
  };

  it('truncated at any length', () => {
    for (let len = 0; len < bytes.length; len++) rejects(bytes.subarray(0, len), /truncated/);
  });

  it('any single corrupted byte', () => {
    for (let i = 0; i < bytes.length; i++) {
      const bad = bytes.slice();
      bad[i] ^= 1 << (i % 8);
      rejects(bad, i < 8 ? /wrong magic/ : /corrupted|truncated|version/);
    }
  });

  it('wrong magic', () => {
    rejects(
      new TextEncoder().encode('{"modelType":"TestFixture"} and some more text'),
      /wrong magic bytes .*not a lowrank model file/,
    );
    const png = bytes.slice();
    png.set([0x89, 0x50, 0x4e, 0x47], 0);
    rejects(png, /wrong magic/);
  });

  it('newer format version', () => {
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(8, MODEL_FORMAT_VERSION + 1, true);
    rejects(newer, new RegExp(`format version ${MODEL_FORMAT_VERSION + 1} is newer .* upgrade lowrank`));
  });

  it('trailing bytes, bad CRC, and well-formed files with inconsistent contents', () => {
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    rejects(longer, /3 unexpected bytes after the declared end/);
    const crc = bytes.slice();
    crc[24] ^= 0xff;
    rejects(crc, /CRC-32 mismatch/);
    const header = {
      modelType: 'TestFixture',
      options: {},
      dim: 2,
      users: 1,
      items: 1,
      userIds: null,
      itemIds: null,
      interactions: null,
      extra: null,
      extraArrays: [],
    };
    rejects(
      encodeModelFile({ ...header, modelType: 'Nope' }, [
        ['X', new Float32Array(2)],
        ['Y', new Float32Array(2)],
      ]),
      /Nope model, which is not registered/,
    );
    rejects(
      encodeModelFile(header, [
        ['X', new Float32Array(3)],
        ['Y', new Float32Array(2)],
      ]),
      /X must hold 1×2/,
    );
    rejects(
      encodeModelFile(header, [
        ['X', Float32Array.of(1, NaN)],
        ['Y', new Float32Array(2)],
      ]),
      /non-finite/,
    );
    rejects(
      encodeModelFile({ ...header, options: { regularization: -1 } }, [
        ['X', new Float32Array(2)],
        ['Y', new Float32Array(2)],
      ]),
      /options were rejected/,
    );
    rejects(
      encodeModelFile({ ...header, userIds: ['a', 'a'] }, [
        ['X', new Float32Array(2)],
        ['Y', new Float32Array(2)],
      ]),
      /userIds must list 1 ids/,
    );
    expect(() => OtherModel.load(bytes)).toThrow(/holds a TestFixture model, not TestOther/);
    expect(() => loadModel('not bytes' as unknown as Uint8Array)).toThrow(ValidationError);
    expect(decodeModelFile(bytes).header.modelType).toBe('TestFixture');
  });
});
