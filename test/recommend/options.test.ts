// Options behave the same for every public model class and truncatedSVD: omitted or null means all
// defaults, the seed defaults to 0 (same call, same result), unknown options are errors.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { init } from '../../src/runtime/backend.js';
import { ALS, ImplicitALS } from '../../src/models/als/index.js';
import { truncatedSVD } from '../../src/svd/index.js';
import { PureSVD } from '../../src/models/puresvd/puresvd.js';
import { synthetic } from '../../src/data/synthetic.js';

const CLASSES = [
  ['ImplicitALS', ImplicitALS],
  ['ALS', ALS],
  ['PureSVD', PureSVD],
] as const;

describe.each(CLASSES)('%s options', (name, C) => {
  it('undefined, null and {} all give the documented defaults, with seed 0', () => {
    const Ctor = C as unknown as new (o?: unknown) => { options: Record<string, unknown> };
    const defaults = new Ctor().options;
    expect(new Ctor(null).options).toEqual(defaults);
    expect(new Ctor({}).options).toEqual(defaults);
    expect(defaults.seed).toBe(0);
  });

  it('rejects a non-object and an unknown option with a ValidationError naming it', () => {
    const Ctor = C as unknown as new (o?: unknown) => unknown;
    expect(() => new Ctor(5)).toThrow(new RegExp(`${name}: options must be an object`));
    expect(() => new Ctor({ factorz: 3 })).toThrow(ValidationError);
    expect(() => new Ctor({ factorz: 3 })).toThrow(/unknown option "factorz"/);
  });

  it('two default-seeded fits give identical factors', async () => {
    await init({ backend: 'wasm' });
    const m = synthetic({ users: 60, items: 40, rank: 3, density: 0.2, seed: 2 }).matrix;
    const fit = () =>
      (new (C as typeof ImplicitALS)({ factors: 4, ...(C === PureSVD ? {} : { iterations: 2 }) }) as ImplicitALS).fit(
        m,
      );
    const [a, b] = [await fit(), await fit()];
    expect(a.userFactors).toEqual(b.userFactors);
  });
});

describe('truncatedSVD options', () => {
  it('needs k: omitted or null options are the same error; the seed defaults to 0', async () => {
    const m = synthetic({ users: 30, items: 20, rank: 3, density: 0.3, seed: 2 }).matrix;
    await expect(truncatedSVD(m, undefined as never)).rejects.toThrow(/expected an options object \{ k, \.\.\. \}/);
    await expect(truncatedSVD(m, null as never)).rejects.toThrow(/expected an options object \{ k, \.\.\. \}/);
    await expect(truncatedSVD(m, { k: 2, kk: 1 } as never)).rejects.toThrow(/unknown option "kk"/);
    const [a, b] = [
      await truncatedSVD(m, { k: 2, method: 'randomized' }),
      await truncatedSVD(m, { k: 2, method: 'randomized', seed: 0 }),
    ];
    expect(a.U).toEqual(b.U);
  });
});
