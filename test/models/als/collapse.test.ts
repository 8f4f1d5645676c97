// A penalty so strong that the factors shrink to ~0 (every score 0, the ranking arbitrary) is not an
// error, but fit says so once, with the figure and the options that fix it; healthy fits stay silent.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImplicitALS } from '../../../src/index.js';
import { meanTrainingPrediction, resetCollapseWarning } from '../../../src/models/common/collapse.js';
import { SparseMatrix } from '../../../src/data/csr.js';
import { groupedMatrix } from '../helpers.js';

afterEach(() => vi.restoreAllMocks());

const collapseWarnings = (warn: { mock: { calls: unknown[][] } }) =>
  warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('shrank to almost nothing'));

describe('ImplicitALS: factors that collapse under too strong a penalty', () => {
  it('meanTrainingPrediction is the mean of x_u·y_i over the entries (all of them when few)', () => {
    const m = SparseMatrix.fromCOO({ rows: [0, 0, 1], cols: [0, 1, 1], values: [1, 1, 1], shape: [2, 2] });
    // dim 3, the first 2 columns the factors proper (the third must be ignored)
    const X = Float32Array.of(1, 2, 9, 0.5, 0, 9);
    const Y = Float32Array.of(1, 1, 9, 2, 3, 9);
    expect(meanTrainingPrediction(m, X, Y, 3, 2)).toBeCloseTo((3 + 8 + 1) / 3, 6);
  });

  for (const seed of [1, 2, 3]) {
    it(`warns once naming regularization and frequencyScaling when λ is far too strong (seed ${seed})`, async () => {
      resetCollapseWarning();
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const m = groupedMatrix(seed);
      await new ImplicitALS({ factors: 8, iterations: 3, seed }).fit(m);
      expect(collapseWarnings(warn)).toEqual([]);
      await new ImplicitALS({ factors: 8, iterations: 3, regularization: 1e4, seed }).fit(m);
      await new ImplicitALS({ factors: 8, iterations: 3, regularization: 1e4, seed }).fit(m);
      const said = collapseWarnings(warn);
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(
        /ImplicitALS\.fit: .*regularization 10000 with frequencyScaling 1 .*leave regularization unset/,
      );
    });
  }
});
