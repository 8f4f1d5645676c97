// maxBytes caps on every reader of outside bytes, counted from headers before anything large is inflated or
// allocated; archives' own size fields are not trusted; imported models take their training interactions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { init, getBackend } from '../../src/runtime/backend.js';
import { ModelFormatError, SizeLimitError, ValidationError } from '../../src/errors.js';
import { DEFAULT_MAX_BYTES } from '../../src/limits.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { IdMap } from '../../src/data/idmap.js';
import { Interactions } from '../../src/data/interactions.js';
import { ImplicitALS } from '../../src/models/als/implicit.js';
import { loadModel, loadModelFile } from '../../src/models/load.js';
import {
  exportImplicit,
  exportSparkALS,
  importImplicit,
  importSparkALS,
  readNpz,
  writeNpy,
} from '../../src/formats.js';
import { unzipEntries } from '../../src/data/datasets/archive.js';

/** An .npz whose user_factors is `rows × cols` zeros, deflated (a small file that inflates to rows·cols·4 bytes). */
function zerosNpz(rows: number, cols: number): Uint8Array {
  return zipSync(
    {
      'user_factors.npy': [
        writeNpy({ dtype: 'f4', shape: [rows, cols], data: new Float32Array(rows * cols) }),
        { level: 9 },
      ],
      'item_factors.npy': [
        writeNpy({ dtype: 'f4', shape: [3, cols], data: new Float32Array(3 * cols).fill(0.5) }),
        { level: 9 },
      ],
    },
    {},
  );
}

/** Set the zip's declared uncompressed sizes (local and central headers) of every member to `size`. */
function lieAboutSizes(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const dv = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = dv.getUint32(i, true);
    if (sig === 0x04034b50) dv.setUint32(i + 22, size, true);
    else if (sig === 0x02014b50) dv.setUint32(i + 24, size, true);
  }
  return out;
}

const train = SparseMatrix.fromCOO({
  rows: [0, 0, 1, 2, 3, 3],
  cols: [0, 1, 2, 3, 4, 0],
  values: [1, 1, 1, 1, 1, 1],
  shape: [4, 5],
});

let model: ImplicitALS;
beforeAll(async () => {
  await init({ backend: 'wasm' });
  model = await new ImplicitALS({ factors: 3, iterations: 2, seed: 1 }).fit({
    matrix: train,
    users: IdMap.from([196, 7, 8, 9]),
    items: IdMap.from([50, 51, 52, 53, 54]),
  });
});

describe('importImplicit / readNpz caps', () => {
  it('refuses an .npz that inflates past the cap at once, before inflating or allocating it', async () => {
    const bytes = zerosNpz(4000, 1000); // ~16 MB of zeros in a few KB
    expect(bytes.length).toBeLessThan(100_000);
    const heap = getBackend().heap;
    const before = heap.bytesInUse;
    const err = await importImplicit(bytes, { maxBytes: 1 << 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SizeLimitError);
    expect((err as SizeLimitError).declared).toBe(4000 * 1000 * 4 + 0);
    expect((err as SizeLimitError).limit).toBe(1 << 20);
    expect((err as Error).message).toMatch(
      /user_factors \(4000 × 1000\) as float32 needs 15\.3 MiB \(16000000 bytes\), over the cap of 1\.00 MiB/,
    );
    expect(heap.bytesInUse).toBe(before);
    expect(() => readNpz(bytes, 'z.npz', { maxBytes: 1 << 20 })).toThrow(SizeLimitError);
  });

  it('loads it under a cap that allows it, with the values of the file', async () => {
    const m = await importImplicit(zerosNpz(4000, 10), { maxBytes: 1 << 20 });
    expect(m.userCount).toBe(4000);
    expect(m.itemFactors.every((v) => v === 0.5)).toBe(true);
    m.dispose();
  });

  it('ignores the archive’s declared sizes (huge or zero) and inflates only what the .npy header declares', async () => {
    const good = exportImplicit(model, { compress: true });
    for (const size of [0xfffffff0, 0, 7]) {
      const m = await importImplicit(lieAboutSizes(good, size));
      expect(m.userFactors).toEqual(model.userFactors);
      m.dispose();
    }
  });

  it('reports a member shorter than its header declares as truncated', async () => {
    const npy = writeNpy({ dtype: 'f4', shape: [10, 3], data: new Float32Array(30) });
    const short = zipSync({
      'user_factors.npy': npy.subarray(0, npy.length - 8),
      'item_factors.npy': writeNpy({ dtype: 'f4', shape: [2, 3], data: new Float32Array(6) }),
    });
    await expect(importImplicit(short)).rejects.toThrow(/user_factors.npy: truncated data/);
  });

  it('validates maxBytes', async () => {
    await expect(importImplicit(zerosNpz(2, 2), { maxBytes: -1 })).rejects.toThrow(ValidationError);
    expect(DEFAULT_MAX_BYTES).toBe(2 ** 30);
  });
});

describe('saved models (.lrk) caps and streamed loading', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lowrank-caps-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('load / loadFile refuse a model past maxBytes before allocating, and load it under a larger cap', async () => {
    const bytes = model.save();
    const path = join(dir, 'm.lrk');
    writeFileSync(path, bytes);
    const heap = getBackend().heap;
    const before = heap.bytesInUse;
    expect(() => loadModel(bytes, { maxBytes: 100 })).toThrow(SizeLimitError);
    await expect(loadModelFile(path, { maxBytes: 100 })).rejects.toThrow(/over the cap of 100 B/);
    expect(heap.bytesInUse).toBe(before);
    const a = loadModel(bytes, { maxBytes: 1 << 20 }) as ImplicitALS;
    const b = (await loadModelFile(path)) as ImplicitALS;
    expect(b.userFactors).toEqual(model.userFactors);
    expect(b.recommendById(196).ids).toEqual(model.recommendById(196).ids);
    expect(a.itemFactors).toEqual(model.itemFactors);
    a.dispose();
    b.dispose();
  });

  it('loadFile checks the CRC over the streamed bytes and frees what it allocated when it fails', async () => {
    const bytes = model.save();
    bytes[bytes.length - 3] ^= 0x40;
    const path = join(dir, 'bad.lrk');
    writeFileSync(path, bytes);
    const heap = getBackend().heap;
    const before = heap.bytesInUse;
    await expect(loadModelFile(path)).rejects.toThrow(ModelFormatError);
    await expect(loadModelFile(path)).rejects.toThrow(/CRC-32 mismatch/);
    expect(heap.bytesInUse).toBe(before);
  });
});

describe('imported models and their interactions (issue 20)', () => {
  it('importSparkALS(dir, { interactions }) filters what each user rated; without it, one warning', async () => {
    const files = await exportSparkALS(model);
    const rated = new Interactions({
      matrix: train,
      users: IdMap.from([196, 7, 8, 9]),
      items: IdMap.from([50, 51, 52, 53, 54]),
    });
    const withI = await importSparkALS(files, { implicitPrefs: true, interactions: rated });
    expect(withI.recommendById(196, { n: 5 }).ids).toEqual(model.recommendById(196, { n: 5 }).ids);
    expect(withI.recommendById(196, { n: 5 }).ids).not.toContain(50);
    const bare = await importSparkALS(files, { implicitPrefs: true });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(bare.recommendById(196, { n: 5 }).ids).toContain(50);
      bare.recommendById(7);
      bare.recommendBatch([0, 1]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/imported model knows no interactions.*pass \{ interactions \}/);
      // interactions per call still works, and says nothing
      expect(bare.recommendById(196, { n: 5, interactions: train }).ids).toEqual(
        model.recommendById(196, { n: 5 }).ids,
      );
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
    withI.dispose();
    bare.dispose();
  });

  it('importImplicit(bytes, { interactions }) takes a users × items matrix, shape-checked', async () => {
    const bytes = exportImplicit(model);
    const m = await importImplicit(bytes, { interactions: train });
    expect(m.recommend(0, { n: 5 }).items).toEqual(model.recommend(0, { n: 5 }).items);
    await expect(
      importImplicit(bytes, { interactions: SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [4, 6] }) }),
    ).rejects.toThrow(/interactions is 4 × 6 but the model has 4 users × 5 items/);
    await expect(importImplicit(bytes, { interactions: 'ratings.csv' as never })).rejects.toThrow(ValidationError);
    m.dispose();
  });

  it('importSparkALS refuses a model past maxBytes from its footers', async () => {
    const files = await exportSparkALS(model);
    await expect(importSparkALS(files, { maxBytes: 64 })).rejects.toThrow(SizeLimitError);
  });
});

describe('data set archives', () => {
  it('refuse entries past the cap and entries that inflate past their declared size', () => {
    const data = new Uint8Array(200_000); // zeros: deflates to almost nothing
    const zip = zipSync({ 'ml/u.data': [data, { level: 9 }] });
    expect(() => unzipEntries(zip, 'a.zip', () => true, 100_000)).toThrow(SizeLimitError);
    expect(unzipEntries(zip, 'a.zip', () => true, 300_000).get('ml/u.data')!.length).toBe(200_000);
    expect(() => unzipEntries(lieAboutSizes(zip, 1000), 'a.zip', () => true)).toThrow(
      /holds more than the 1000 bytes it declares/,
    );
  });
});
