// The demo's model table (demo/models.js) and plot helpers (demo/plots.js): every entry names a class the
// package exports or one still to come; axis ticks are round and cover the range; counts read in English.
import { describe, expect, it } from 'vitest';
import * as lowrank from '../../src/index.js';
// @ts-expect-error — plain JS module without type declarations
import { MODELS, availableModels, plural } from '../../demo/models.js';
// @ts-expect-error — plain JS module without type declarations
import { niceTicks } from '../../demo/plots.js';

interface Entry {
  key: string;
  cls: string;
  fields: { key: string }[];
}

describe('demo model table', () => {
  it('lists every model class the package exports, each field an option of the class', () => {
    const exported = availableModels(lowrank) as Entry[];
    expect(exported.map((m) => m.cls)).toEqual(
      expect.arrayContaining(['ImplicitALS', 'ALS', 'PureSVD', 'BPR', 'LogisticMF']),
    );
    for (const m of exported) {
      const Cls = (lowrank as unknown as Record<string, new () => { options: object; dispose(): void }>)[m.cls];
      const blank = new Cls();
      for (const f of m.fields) expect(Object.keys(blank.options), `${m.cls}.${f.key}`).toContain(f.key);
      blank.dispose();
    }
    expect(new Set((MODELS as Entry[]).map((m) => m.key)).size).toBe(MODELS.length);
  });
  it('an entry whose class the package does not export is left out, and listed once it is', () => {
    const keys = (lib: object) => (availableModels(lib) as Entry[]).map((m) => m.key);
    expect(keys({ ImplicitALS: class {} })).toEqual(['implicit-als']);
    expect(keys({ ImplicitALS: class {}, ItemKNN: class {}, EASE: class {} })).toEqual([
      'implicit-als',
      'item-knn',
      'ease',
    ]);
  });
  it('plural', () => {
    expect(plural(1, 'item')).toBe('1 item');
    expect(plural(0, 'item')).toBe('0 items');
    expect(plural(2, 'match', 'matches')).toBe('2 matches');
  });
  it('axis ticks: round steps covering the range', () => {
    expect(niceTicks(1, 15, 8)).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(niceTicks(0, 543.45, 4)).toEqual([0, 200, 400]);
    const t = niceTicks(1.857e5, 2.22e5, 4);
    expect(t).toEqual([1.9e5, 2e5, 2.1e5, 2.2e5]);
    expect(niceTicks(0.1, 0.1)).toEqual([0.1]);
  });
});
