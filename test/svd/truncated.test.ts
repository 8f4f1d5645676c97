// truncatedSVD against an independent dense oracle (ml-matrix's SVD) on random sparse matrices, both backends.
import { describe, expect, it, vi } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { AbortError, ValidationError } from '../../src/errors.js';
import { truncatedSVD } from '../../src/svd/index.js';
import { Rng } from '../../src/random.js';
import { dense, oracleSingularValues, orthoError, randomSparse, trueResiduals } from './helpers.js';

/** Singular values to 1e-10 relative (absolute, relative to σ₁, for numerically zero ones). */
function expectSingularValues(s: Float64Array, oracle: number[]): void {
  for (let i = 0; i < s.length; i++) {
    const scale = oracle[i] > 1e-8 * oracle[0] ? oracle[i] : oracle[0];
    expect(Math.abs(s[i] - oracle[i]) / scale, `σ${i + 1}: ${s[i]} vs ${oracle[i]}`).toBeLessThan(1e-10);
  }
  for (let i = 1; i < s.length; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
}

for (const name of ['wasm', 'js'] as const) {
  describe(`truncatedSVD (${name})`, () => {
    const cases: [number, number, number, number][] = [
      // rows, cols, density, k
      [300, 200, 0.05, 10],
      [300, 200, 0.05, 25],
      [200, 300, 0.04, 20],
      [120, 80, 0.1, 1],
      [60, 150, 0.08, 7],
    ];
    for (const [rows, cols, density, k] of cases) {
      it(`${rows}×${cols} k=${k}: values to 1e-10, residuals below tol, orthonormal vectors`, async () => {
        await init({ backend: name });
        const A = randomSparse(rows, cols, density, rows * 31 + cols + k);
        const D = dense(A);
        const r = await truncatedSVD(A, { k, seed: 3 });
        expect(r.converged).toBe(true);
        expect(r.s.length).toBe(k);
        expect(r.U.length).toBe(rows * k);
        expect(r.V.length).toBe(cols * k);
        expectSingularValues(r.s, oracleSingularValues(D));
        for (const res of trueResiduals(D, r.s, r.U, r.V, k)) expect(res).toBeLessThan(1e-10);
        for (const res of r.residuals) expect(res).toBeLessThanOrEqual(1e-10);
        expect(orthoError(r.U, rows, k)).toBeLessThan(1e-10);
        expect(orthoError(r.V, cols, k)).toBeLessThan(1e-10);
        expect(r.matvecs).toBeGreaterThan(0);
      });
    }

    it('k = min(rows, cols) on a rank-deficient matrix: the exact full SVD', async () => {
      await init({ backend: name });
      const A = randomSparse(45, 30, 0.04, 11); // several empty rows/columns: zero singular values
      const D = dense(A);
      const r = await truncatedSVD(A, { k: 30 });
      expect(r.converged).toBe(true);
      expectSingularValues(r.s, oracleSingularValues(D));
      expect(orthoError(r.U, 45, 30)).toBeLessThan(1e-10);
      expect(orthoError(r.V, 30, 30)).toBeLessThan(1e-10);
      for (const res of trueResiduals(D, r.s, r.U, r.V, 30)) expect(res).toBeLessThan(1e-10);
      // Wide orientation too.
      const B = randomSparse(20, 50, 0.1, 12);
      const rb = await truncatedSVD(B, { k: 20 });
      expectSingularValues(rb.s, oracleSingularValues(dense(B)));
      expect(orthoError(rb.U, 20, 20)).toBeLessThan(1e-10);
    });

    for (const center of ['global', 'rows', 'cols'] as const) {
      it(`center '${center}' equals the SVD of the densified centered matrix`, async () => {
        await init({ backend: name });
        const A = randomSparse(70, 50, 0.15, 5, 1, 5);
        const D = dense(A, center);
        const r = await truncatedSVD(A, { k: 6, center });
        expect(r.converged).toBe(true);
        expect(r.center).toBe(center);
        expect(r.means?.length).toBe(center === 'global' ? 1 : center === 'rows' ? 70 : 50);
        expectSingularValues(r.s, oracleSingularValues(D));
        for (const res of trueResiduals(D, r.s, r.U, r.V, 6)) expect(res).toBeLessThan(1e-10);
        expect(orthoError(r.U, 70, 6)).toBeLessThan(1e-10);
        expect(orthoError(r.V, 50, 6)).toBeLessThan(1e-10);
      });
    }

    it('randomized: close to the oracle, reports its true residuals', async () => {
      await init({ backend: name });
      const A = randomSparse(300, 200, 0.05, 77);
      const D = dense(A);
      const oracle = oracleSingularValues(D);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const r = await truncatedSVD(A, { k: 5, method: 'randomized', powerIterations: 6, oversample: 15 });
      expect(warn).not.toHaveBeenCalled(); // default tol with the randomized method: no warning
      warn.mockRestore();
      expect(r.method).toBe('randomized');
      for (let i = 0; i < 5; i++) expect(Math.abs(r.s[i] - oracle[i]) / oracle[i]).toBeLessThan(2e-2);
      const truth = trueResiduals(D, r.s, r.U, r.V, 5);
      for (let i = 0; i < 5; i++) expect(r.residuals[i]).toBeCloseTo(truth[i], 10);
      expect(orthoError(r.U, 300, 5)).toBeLessThan(1e-10);
      expect(orthoError(r.V, 200, 5)).toBeLessThan(1e-10);
      expect(r.matvecs).toBe(2 * 20 * 6 + 20 + 20 + 5);
    });

    it('randomized on an exactly rank-3 matrix is exact (closed-form singular values)', async () => {
      await init({ backend: name });
      // A = Σ σᵢ·uᵢ·vᵢᵀ with u's (and v's) on disjoint supports, hence orthonormal: singular values are σ.
      const sigma = [9, 4, 1.5];
      const rng = new Rng(4);
      const rows: number[] = [];
      const cols: number[] = [];
      const vals: number[] = [];
      for (let t = 0; t < 3; t++) {
        const u = Array.from({ length: 30 }, () => rng.normal());
        const v = Array.from({ length: 20 }, () => rng.normal());
        const nu = Math.hypot(...u);
        const nv = Math.hypot(...v);
        for (let i = 0; i < 30; i++)
          for (let j = 0; j < 20; j++) {
            rows.push(30 * t + i);
            cols.push(20 * t + j);
            vals.push((sigma[t] * u[i] * v[j]) / (nu * nv));
          }
      }
      const A = SparseMatrix.fromCOO({ rows, cols, values: vals, shape: [90, 60] });
      const r = await truncatedSVD(A, { k: 3, method: 'randomized', powerIterations: 1 });
      // f32 storage of the entries perturbs the matrix by ~1e-7 relative.
      for (let i = 0; i < 3; i++) expect(Math.abs(r.s[i] - sigma[i]) / sigma[i]).toBeLessThan(1e-6);
      const l = await truncatedSVD(A, { k: 3 });
      for (let i = 0; i < 3; i++) expect(Math.abs(r.s[i] - l.s[i]) / l.s[i]).toBeLessThan(1e-12);
      expect(r.converged).toBe(true);
    });

    it('is deterministic for a seed', async () => {
      await init({ backend: name });
      const A = randomSparse(80, 60, 0.1, 8);
      const a = await truncatedSVD(A, { k: 4, seed: 9 });
      const b = await truncatedSVD(A, { k: 4, seed: 9 });
      expect(Array.from(b.U)).toEqual(Array.from(a.U));
      expect(b.matvecs).toBe(a.matvecs);
    });

    it('non-convergence: converged false, residuals above tol, finite values, and a warning', async () => {
      await init({ backend: name });
      const A = randomSparse(200, 150, 0.05, 21);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const r = await truncatedSVD(A, { k: 10, subspace: 12, maxRestarts: 1 });
      expect(r.converged).toBe(false);
      expect(warn).toHaveBeenCalledOnce();
      expect(String(warn.mock.calls[0][0])).toMatch(/not converged/);
      warn.mockRestore();
      expect(r.restarts).toBe(1);
      expect(Math.max(...r.residuals)).toBeGreaterThan(1e-10);
      for (const x of [...r.s, ...r.U, ...r.V, ...r.residuals]) expect(Number.isFinite(x)).toBe(true);
      // The residuals it reports are the true ones.
      const truth = trueResiduals(dense(A), r.s, r.U, r.V, 10);
      for (let i = 0; i < 10; i++) expect(Math.abs(r.residuals[i] - truth[i])).toBeLessThan(1e-9);
    });

    it('reports progress and honours an AbortSignal', async () => {
      await init({ backend: name });
      const A = randomSparse(200, 150, 0.05, 22);
      const seen: number[] = [];
      await truncatedSVD(A, { k: 10, subspace: 24, onProgress: (p) => seen.push(p.matvecs) });
      expect(seen.length).toBeGreaterThan(0);
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
      const ac = new AbortController();
      await expect(
        truncatedSVD(A, { k: 10, subspace: 24, signal: ac.signal, onProgress: () => ac.abort() }),
      ).rejects.toThrow(AbortError);
      const done = new AbortController();
      done.abort();
      await expect(truncatedSVD(A, { k: 10, signal: done.signal })).rejects.toThrow(AbortError);
    });
  });
}

describe('truncatedSVD input validation', () => {
  const A = randomSparse(30, 20, 0.2, 1);
  const bad: [string, () => Promise<unknown>, RegExp][] = [
    ['k = 0', () => truncatedSVD(A, { k: 0 }), /k must be an integer in \[1, 20\]/],
    ['k > min(rows, cols)', () => truncatedSVD(A, { k: 21 }), /k must be an integer in \[1, 20\]/],
    ['fractional k', () => truncatedSVD(A, { k: 2.5 }), /k must be/],
    ['missing k', () => truncatedSVD(A, {} as never), /k must be/],
    ['tol 0', () => truncatedSVD(A, { k: 2, tol: 0 }), /tol/],
    [
      'bad center',
      () => truncatedSVD(A, { k: 2, center: 'median' as never }),
      /center must be 'none', 'global', 'rows', 'cols' or 'pca'/,
    ],
    ['bad method', () => truncatedSVD(A, { k: 2, method: 'qr' as never }), /method/],
    ['subspace ≤ k', () => truncatedSVD(A, { k: 5, subspace: 5 }), /subspace must be an integer in \[6, 20\]/],
    ['subspace > min dim', () => truncatedSVD(A, { k: 5, subspace: 21 }), /subspace/],
    ['not a matrix', () => truncatedSVD([[1]] as never, { k: 1 }), /SparseMatrix/],
    ['0×5 matrix', () => truncatedSVD(SparseMatrix.fromCOO({ rows: [], cols: [], shape: [0, 5] }), { k: 1 }), /empty/],
    [
      'no stored entries',
      () => truncatedSVD(SparseMatrix.fromCOO({ rows: [], cols: [], shape: [4, 5] }), { k: 1 }),
      /no stored entries/,
    ],
    [
      'NaN in data',
      () =>
        truncatedSVD(
          SparseMatrix.trusted(Int32Array.of(0, 1, 2), Int32Array.of(0, 1), Float32Array.of(1, NaN), [2, 2]),
          { k: 1 },
        ),
      /non-finite value NaN at row 1, column 1/,
    ],
  ];
  for (const [what, call, msg] of bad) {
    it(`rejects ${what}`, async () => {
      await init({ backend: 'js' });
      await expect(call()).rejects.toThrow(ValidationError);
      await expect(call()).rejects.toThrow(msg);
    });
  }
});
