import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { init } from '../../src/runtime/backend.js';
import { ModelFormatError, ValidationError } from '../../src/errors.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { IdMap } from '../../src/data/idmap.js';
import { ImplicitALS } from '../../src/models/als/implicit.js';
import { ALS } from '../../src/models/als/explicit.js';
import { importImplicit, exportImplicit } from '../../src/interop/implicit.js';
import { readNpz, writeNpz } from '../../src/interop/npz.js';
import type { NpyArray } from '../../src/interop/npy.js';

const fx = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/interop/${name}`, import.meta.url)));
const ref = JSON.parse(
  readFileSync(new URL('../fixtures/interop/implicit-0.7.3-als.json', import.meta.url), 'utf8'),
) as {
  matrix: { shape: [number, number]; indptr: number[]; indices: number[]; data: number[] };
  recommend: { users: number[]; N: number; ids: number[][]; scores: number[][] };
  similar_items: { items: number[]; N: number; ids: number[][]; scores: number[][] };
};
const train = new SparseMatrix(
  Int32Array.from(ref.matrix.indptr),
  Int32Array.from(ref.matrix.indices),
  Float32Array.from(ref.matrix.data),
  ref.matrix.shape,
);

/** Relative difference in units of float32 epsilon (2^-23). */
const f32ulps = (a: number, b: number) => Math.abs(a - b) / (Math.max(1, Math.abs(b)) * 2 ** -23);

const worst = { recommend: 0, similar: 0 };

describe.each(['wasm', 'js'] as const)('implicit .npz (%s backend)', (backend) => {
  it('loads the file implicit 0.7.3 wrote and reproduces its recommend / similar_items', async () => {
    await init({ backend });
    const model = await importImplicit(fx('implicit-0.7.3-als.npz'));
    expect(model).toBeInstanceOf(ImplicitALS);
    expect(model.userCount).toBe(60);
    expect(model.itemCount).toBe(40);
    expect(model.options).toMatchObject({
      factors: 8,
      regularization: 0.05,
      alpha: 2,
      iterations: 10,
      seed: 3,
      solver: 'cg',
      cgSteps: 3,
      calculateTrainingLoss: false,
    });
    ref.recommend.users.forEach((u, k) => {
      const r = model.recommend(u, { n: ref.recommend.N, interactions: train });
      expect(Array.from(r.items), `user ${u}`).toEqual(ref.recommend.ids[k]);
      r.scores.forEach((s, j) => {
        const d = f32ulps(s, ref.recommend.scores[k][j]);
        worst.recommend = Math.max(worst.recommend, d);
        expect(d, `user ${u} rank ${j}`).toBeLessThanOrEqual(4);
      });
    });
    ref.similar_items.items.forEach((i, k) => {
      const r = model.similarItems(i, { n: ref.similar_items.N });
      expect(Array.from(r.items), `item ${i}`).toEqual(ref.similar_items.ids[k]);
      r.scores.forEach((s, j) => {
        const d = f32ulps(s, ref.similar_items.scores[k][j]);
        worst.similar = Math.max(worst.similar, d);
        expect(d, `item ${i} rank ${j}`).toBeLessThanOrEqual(4);
      });
    });
    model.dispose();
  });

  it('round-trips lowrank → npz → lowrank with identical factors, options, ids and recommendations', async () => {
    await init({ backend });
    const model = new ImplicitALS({
      factors: 6,
      iterations: 4,
      seed: 11,
      alpha: 3,
      regularization: 0.1,
      solver: 'cholesky',
    });
    await model.fit({
      matrix: train,
      users: IdMap.from(Array.from({ length: 60 }, (_, i) => `u${i}`)),
      items: IdMap.from(Array.from({ length: 40 }, (_, i) => 1000 + i)),
    });
    for (const compress of [false, true]) {
      const back = await importImplicit(exportImplicit(model, { compress }));
      expect(back.userFactors).toEqual(model.userFactors);
      expect(back.itemFactors).toEqual(model.itemFactors);
      expect(back.options).toEqual(model.options);
      expect(back.userIds!.ids()).toEqual(model.userIds!.ids());
      expect(back.itemIds!.ids()).toEqual(model.itemIds!.ids());
      for (const u of [0, 7, 59]) {
        const a = model.recommend(u, { n: 10 });
        const b = back.recommend(u, { n: 10, interactions: train });
        expect(b.items).toEqual(a.items);
        expect(b.scores).toEqual(a.scores);
        expect(back.recommendById(`u${u}`, { n: 5, interactions: train }).ids).toEqual(
          model.recommendById(`u${u}`, { n: 5 }).ids,
        );
      }
      expect(back.similarItems(3, { n: 8 })).toEqual(model.similarItems(3, { n: 8 }));
      // the fitted confidence scale comes back too: a fold-in solves the same system
      const liked = { indices: [1, 5, 9], values: [2, 7, 30] };
      expect(back.recalculateUser(liked)).toEqual(model.recalculateUser(liked));
      back.dispose();
    }
    model.dispose();
  });
});

describe('implicit .npz: what is written and what is rejected', () => {
  it('writes the members, dtypes and order implicit 0.7.3 writes', async () => {
    await init({ backend: 'js' });
    const model = await importImplicit(fx('implicit-0.7.3-als.npz'));
    const mine = readNpz(exportImplicit(model));
    const theirs = readNpz(fx('implicit-0.7.3-als.npz'));
    expect([...mine.keys()]).toEqual([...theirs.keys()]);
    for (const [k, a] of theirs) {
      const b = mine.get(k)!;
      expect(b.dtype, k).toBe(a.dtype);
      expect(b.shape, k).toEqual(a.shape);
      if (k !== 'num_threads' && k !== 'use_native')
        expect(Array.from(b.data as ArrayLike<unknown>), k).toEqual(Array.from(a.data as ArrayLike<unknown>));
    }
    model.dispose();
  });

  it('exports an explicit ALS (bias columns included) so its scores survive', async () => {
    await init({ backend: 'js' });
    const als = new ALS({ factors: 4, iterations: 3, seed: 2 });
    await als.fit(train);
    const back = await importImplicit(exportImplicit(als));
    expect(back.options.factors).toBe(6); // 4 factors + 2 bias columns
    expect(back.recommend(5, { n: 7, interactions: train })).toEqual(als.recommend(5, { n: 7 }));
    als.dispose();
    back.dispose();
  });

  it('rejects archives that are not implicit models, with clear ModelFormatErrors', async () => {
    await init({ backend: 'js' });
    const theirs = readNpz(fx('implicit-0.7.3-als.npz'));
    const variant = (change: (m: Map<string, NpyArray>) => void) => {
      const m = new Map(theirs);
      change(m);
      return writeNpz(m);
    };
    const cases: [string, Uint8Array, RegExp][] = [
      ['missing item_factors', variant((m) => m.delete('item_factors')), /no item_factors\.npy/],
      [
        'factors disagree',
        variant((m) => m.set('factors', { dtype: 'i8', shape: [], data: BigInt64Array.of(9n) })),
        /rank mismatch: the hyperparameter factors = 9 but the factor arrays have 8 columns/,
      ],
      [
        'columns disagree',
        variant((m) => m.set('item_factors', { dtype: 'f4', shape: [40, 7], data: new Float32Array(280) })),
        /rank mismatch: user_factors has 8 columns but item_factors has 7/,
      ],
      [
        '1-d factors',
        variant((m) => m.set('user_factors', { dtype: 'f4', shape: [480], data: new Float32Array(480) })),
        /expected a 2-d/,
      ],
      [
        'int factors',
        variant((m) => m.set('user_factors', { dtype: 'i4', shape: [60, 8], data: new Int32Array(480) })),
        /dtype i4; expected float32/,
      ],
      [
        'NaN',
        variant((m) => m.set('user_factors', { dtype: 'f4', shape: [1, 8], data: new Float32Array(8).fill(NaN) })),
        /non-finite/,
      ],
      ['scipy matrix', fx('scipy-csr.npz'), /no user_factors\.npy.*members: indices, indptr, format, shape, data/],
      ['Fortran factors', fortranFactors(), /Fortran order/],
      ['not a zip', new TextEncoder().encode('nope'), /not a zip archive/],
    ];
    for (const [name, bytes, message] of cases) {
      const err = await importImplicit(bytes).then(
        (m) => (m.dispose(), undefined),
        (e: unknown) => e,
      );
      expect(err, name).toBeInstanceOf(ModelFormatError);
      expect((err as Error).message, name).toMatch(message);
    }
    await expect(importImplicit('x' as unknown as Uint8Array)).rejects.toThrow(ValidationError);
  });

  it('skips hyperparameters it cannot read (e.g. a pickled random_state=None)', async () => {
    await init({ backend: 'js' });
    const theirs = readNpz(fx('implicit-0.7.3-als.npz'));
    const m = new Map(theirs);
    m.delete('random_state');
    const bytes = writeNpz(m);
    // Append an object-dtype member by hand: numpy would pickle None as '|O'.
    const { zipSync, unzipSync } = await import('fflate');
    const files: Record<string, Uint8Array> = unzipSync(bytes);
    files['random_state.npy'] = objectNpy();
    const model = await importImplicit(zipSync(files, { level: 0 }));
    expect(model.options.factors).toBe(8);
    model.dispose();
  });
});

function fortranFactors(): Uint8Array {
  const z = readNpz(fx('implicit-0.7.3-als.npz'));
  const bytes = writeNpz(z);
  const text = Buffer.from(bytes);
  // Flip user_factors' header to Fortran order (same length).
  const at = text.indexOf("'fortran_order': False", text.indexOf('user_factors.npy'));
  text.write("'fortran_order': True ", at, 'latin1');
  return new Uint8Array(text);
}

function objectNpy(): Uint8Array {
  const dict = "{'descr': '|O', 'fortran_order': False, 'shape': (), }";
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const out = new Uint8Array(total + 8);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, total - 10, 0]);
  for (let i = 0; i < total - 11; i++) out[10 + i] = i < dict.length ? dict.charCodeAt(i) : 0x20;
  out[total - 1] = 0x0a;
  return out;
}

afterAll(() => {
  // The measured agreement with implicit, for the report: largest |ours − implicit| in float32 ulps (relative).
  console.log(
    `implicit fixture: worst recommend score diff ${worst.recommend.toFixed(2)} ulp, similar_items ${worst.similar.toFixed(2)} ulp`,
  );
});
