// The data-derived defaults of ImplicitALS ('auto' factors, regularization and alpha): the rule's values
// from the data's statistics (an independent count here), what a fit uses and shows, refits from the
// shown options, a failed fit leaving the model as it was, and sane values at the extremes.
import { describe, expect, it } from 'vitest';
import { init } from '../../../src/runtime/backend.js';
import { ImplicitALS } from '../../../src/models/als/index.js';
import { EDGE_SCALE, ROW_MASS, autoFactors } from '../../../src/models/als/defaults.js';
import { SparseMatrix } from '../../../src/data/csr.js';
import { AbortError } from '../../../src/errors.js';
import { randomMatrix } from './helpers.js';

/** Users and items with entries, entries: counted directly from COO triples. */
function shapeOf(m: SparseMatrix) {
  const users = new Set<number>();
  const items = new Set<number>();
  for (let u = 0; u < m.rows; u++) {
    const { indices } = m.row(u);
    if (indices.length) users.add(u);
    for (const i of indices) items.add(i);
  }
  return { users: users.size, items: items.size, nnz: m.nnz };
}

describe("ImplicitALS 'auto' defaults", () => {
  it('0/1 data: α gives the average row a confidence mass of ROW_MASS; λ puts its penalty at the noise edge', () => {
    const m = randomMatrix(3, 300, 200, 0.05, () => 1);
    const s = shapeOf(m);
    const perUser = s.nnz / s.users;
    const o = new ImplicitALS().optionsFor(m);
    const alpha = Math.max(1, Math.min(100, ROW_MASS / perUser - 1));
    expect(o.alpha).toBeCloseTo(alpha, 10);
    const edge = Math.sqrt(perUser) + Math.sqrt(s.nnz / s.items);
    // ν = 1: λ·W̄ = τ·edge with W̄ = (1 + α)·perUser (binary values, scaled confidence: every c = 1 + α)
    expect(o.frequencyScaling).toBe(1);
    expect(o.regularization).toBeCloseTo((EDGE_SCALE * edge) / ((1 + alpha) * perUser), 10);
    expect(o.factors).toBe(autoFactors({ users: s.users, items: s.items, nnz: s.nnz, mass: 0 }));
  });

  it('given settings are kept; the others still derived', () => {
    const m = randomMatrix(4, 200, 150, 0.05, () => 1);
    const d = new ImplicitALS().optionsFor(m);
    const o = new ImplicitALS({ factors: 7, alpha: 'auto', regularization: 0.3 }).optionsFor(m);
    expect(o).toMatchObject({ factors: 7, regularization: 0.3, alpha: d.alpha });
  });

  it('a fit shows the values it used; refitting with them gives the same factors', async () => {
    await init({ backend: 'wasm' });
    const m = randomMatrix(5, 120, 90, 0.08, (r) => 1 + Math.floor(r.next() * 5));
    const model = new ImplicitALS({ iterations: 3, seed: 2 });
    expect(model.options).toMatchObject({ factors: 'auto', regularization: 'auto', alpha: 'auto' });
    const want = model.optionsFor(m);
    await model.fit(m);
    expect(model.options).toEqual(want);
    const again = await new ImplicitALS(model.options).fit(m);
    expect(again.userFactors).toEqual(model.userFactors);
    // a saved model loads with the values used
    const back = ImplicitALS.load(model.save());
    expect(back.options).toEqual(model.options);
  });

  it('a fit that fails leaves the options as they were', async () => {
    await init({ backend: 'wasm' });
    const m = randomMatrix(6, 80, 60, 0.1, () => 1);
    const model = new ImplicitALS({ iterations: 5 });
    const ctl = new AbortController();
    await expect(model.fit(m, { signal: ctl.signal, onIteration: () => ctl.abort() })).rejects.toThrow(AbortError);
    expect(model.options.factors).toBe('auto');
  });

  it('tiny and lopsided data: factors at most the smaller side, λ and α finite and positive', () => {
    for (const [rows, cols, density] of [
      [3, 4, 0.6],
      [2000, 5, 0.5],
      [5, 3000, 0.2],
    ] as const) {
      const m = randomMatrix(7, rows, cols, density, () => 1);
      const s = shapeOf(m);
      const o = new ImplicitALS().optionsFor(m);
      expect(o.factors).toBeGreaterThanOrEqual(1);
      expect(o.factors).toBeLessThanOrEqual(Math.min(s.users, s.items));
      expect(Number.isFinite(o.regularization) && o.regularization > 0).toBe(true);
      expect(o.alpha).toBeGreaterThanOrEqual(1);
      expect(o.alpha).toBeLessThanOrEqual(100);
    }
  });
});
