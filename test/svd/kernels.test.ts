// Lanczos kernels (reorthF64, gemmAccF64, bidiagQrF64, jacobiSweepsF64): WASM and JS twin against direct
// computation and the dense oracle.
import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { Rng } from '../../src/random.js';
import { jacobiSVD } from '../../src/svd/jacobi.js';
import { Matrix, SVD } from 'ml-matrix';
import { oracleSingularValues } from './helpers.js';

/** Orthonormal rows (count×n) by modified Gram–Schmidt in plain JS. */
function orthonormalRows(count: number, n: number, rng: Rng): Float64Array {
  const B = new Float64Array(count * n);
  for (let i = 0; i < count; i++) {
    const r = B.subarray(i * n, i * n + n);
    for (let j = 0; j < n; j++) r[j] = rng.normal();
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < i; p++) {
        const q = B.subarray(p * n, p * n + n);
        let d = 0;
        for (let j = 0; j < n; j++) d += q[j] * r[j];
        for (let j = 0; j < n; j++) r[j] -= d * q[j];
      }
    }
    const nr = Math.hypot(...r);
    for (let j = 0; j < n; j++) r[j] /= nr;
  }
  return B;
}

for (const name of ['wasm', 'js'] as const) {
  describe(`lanczos kernels (${name})`, () => {
    for (const [count, n] of [
      [0, 7],
      [1, 5],
      [5, 33],
      [9, 64],
      [13, 101],
    ] as const) {
      it(`reorthF64 removes the span of ${count} rows of length ${n} (one and two passes)`, async () => {
        const b = await init({ backend: name });
        const rng = new Rng(count * 100 + n);
        const basis = orthonormalRows(count, n, rng);
        const w0 = Float64Array.from({ length: n }, () => rng.normal());
        for (const eta of [0, 2]) {
          const B = b.heap.copyIn(basis);
          const W = b.heap.copyIn(w0);
          const C = b.heap.allocArray('f64', 2 * count + 2);
          const nrm = b.k.reorthF64(B.ptr, count, n, W.ptr, C.ptr, eta);
          const w = W.toArray();
          const c = C.toArray();
          // Coefficients are basis·w0; the result is w0 − basisᵀc, orthogonal to the basis.
          for (let i = 0; i < count; i++) {
            let d = 0;
            for (let j = 0; j < n; j++) d += basis[i * n + j] * w0[j];
            expect(c[i]).toBeCloseTo(d, 12);
            let o = 0;
            for (let j = 0; j < n; j++) o += basis[i * n + j] * w[j];
            expect(Math.abs(o)).toBeLessThan(1e-13);
          }
          expect(nrm).toBeCloseTo(Math.hypot(...w), 12);
          B.free();
          W.free();
          C.free();
        }
      });
    }

    it('gemmAccF64 equals C·B, as rows or columns, overwriting or accumulating, over a column range', async () => {
      const b = await init({ backend: name });
      const rng = new Rng(5);
      for (const [count, len, rows] of [
        [1, 3, 1],
        [6, 257, 3],
        [11, 530, 7],
        [4, 9, 4],
        [40, 23, 10],
      ] as const) {
        const basis = Float64Array.from({ length: count * len }, () => rng.normal());
        const ldc = count + 2; // a row stride wider than count: the extra coefficients are ignored
        const C = Float64Array.from({ length: rows * ldc }, () => rng.normal());
        const prior = Float64Array.from({ length: rows * len }, () => rng.normal());
        const want = (r: number, j: number) => {
          let s = 0;
          for (let i = 0; i < count; i++) s += C[r * ldc + i] * basis[i * len + j];
          return s;
        };
        for (const trans of [0, 1]) {
          for (const acc of [0, 1]) {
            const [c0, c1] = len > 20 ? [5, len - 3] : [0, len];
            const Bh = b.heap.copyIn(basis);
            const Ch = b.heap.copyIn(C);
            const Oh = b.heap.copyIn(prior);
            if (acc === 0) {
              // Overwritten inside [c0, c1) whatever was there (even NaN).
              const v = Oh.view;
              for (let r = 0; r < rows; r++) for (let j = c0; j < c1; j++) v[trans ? j * rows + r : r * len + j] = NaN;
            }
            b.k.gemmAccF64(Bh.ptr, count, len, Ch.ptr, ldc, rows, Oh.ptr, acc, trans, c0, c1);
            const out = Oh.toArray();
            for (let r = 0; r < rows; r++) {
              for (let j = 0; j < len; j++) {
                const at = trans ? j * rows + r : r * len + j;
                const expected = j < c0 || j >= c1 ? prior[at] : want(r, j) + (acc ? prior[at] : 0);
                expect(out[at]).toBeCloseTo(expected, 12);
              }
            }
            Bh.free();
            Ch.free();
            Oh.free();
          }
        }
      }
    });

    it('bidiagQrF64: singular values and the last row of U of a bidiagonal match the dense oracle', async () => {
      const b = await init({ backend: name });
      const rng = new Rng(12);
      for (const n of [1, 2, 5, 17, 60]) {
        for (const kind of ['random', 'graded', 'zero pivot', 'zero last']) {
          const d = Float64Array.from({ length: n }, () => rng.uniform(0.5, 2));
          const e = Float64Array.from({ length: n }, () => rng.uniform(-1, 1));
          if (kind === 'graded') for (let i = 0; i < n; i++) d[i] *= 10 ** (-i / 4);
          if (kind === 'zero pivot' && n > 2) d[1] = 0;
          if (kind === 'zero last') d[n - 1] = 0;
          const dense = Array.from({ length: n }, (_, r) =>
            Array.from({ length: n }, (_, c) => (c === r ? d[r] : c === r + 1 ? e[r] : 0)),
          );
          const W = b.heap.allocArray('f64', 3 * n);
          W.view.set(d, 0);
          W.view.set(e, n);
          const sweeps = b.k.bidiagQrF64(W.ptr, W.ptr + 8 * n, W.ptr + 16 * n, n, 40 * n + 100);
          expect(sweeps).toBeGreaterThanOrEqual(0);
          const out = W.toArray();
          W.free();
          const vals = Array.from(out.subarray(0, n), Math.abs);
          const order = vals.map((_, i) => i).sort((x, y) => vals[y] - vals[x]);
          const svd = new SVD(new Matrix(dense), { autoTranspose: false });
          const oracle = [...svd.diagonal];
          const scale = Math.max(...oracle);
          for (let i = 0; i < n; i++) expect(Math.abs(vals[order[i]] - oracle[i])).toBeLessThanOrEqual(1e-13 * scale);
          // |U_B[n−1, i]| for well-separated values (a vector is defined up to sign, and within a cluster
          // only as a subspace).
          const U = svd.leftSingularVectors;
          for (let i = 0; i < n; i++) {
            const gap = Math.min(
              i > 0 ? oracle[i - 1] - oracle[i] : Infinity,
              i < n - 1 ? oracle[i] - oracle[i + 1] : Infinity,
            );
            if (gap < 1e-3 * scale) continue;
            expect(Math.abs(Math.abs(out[2 * n + order[i]]) - Math.abs(U.get(n - 1, i)))).toBeLessThan(1e-10);
          }
        }
      }
    });

    it('jacobiSVD (jacobiSweepsF64) matches the oracle, with orthonormal factors that reconstruct A', async () => {
      const b = await init({ backend: name });
      const rng = new Rng(8);
      for (const [m, n] of [
        [1, 1],
        [6, 6],
        [25, 25],
        [40, 17],
        [31, 31],
      ] as const) {
        const A = Float64Array.from({ length: m * n }, () => rng.normal());
        if (n > 3) for (let r = 0; r < m; r++) A[r * n + 2] = 0; // a zero column: a zero singular value
        const svd = jacobiSVD(b, A, m, n);
        const rowsA = Array.from({ length: m }, (_, r) => Array.from(A.subarray(r * n, r * n + n)));
        const o = oracleSingularValues(rowsA);
        for (let i = 0; i < n; i++) expect(Math.abs(svd.s[i] - o[i])).toBeLessThan(1e-13 * o[0]);
        for (let a = 0; a < n; a++)
          for (let c = 0; c < n; c++) {
            let su = 0;
            let sv = 0;
            for (let r = 0; r < m; r++) su += svd.Ut[a * m + r] * svd.Ut[c * m + r];
            for (let r = 0; r < n; r++) sv += svd.Vt[a * n + r] * svd.Vt[c * n + r];
            expect(Math.abs(su - (a === c ? 1 : 0))).toBeLessThan(1e-13);
            expect(Math.abs(sv - (a === c ? 1 : 0))).toBeLessThan(1e-13);
          }
        for (let r = 0; r < m; r++)
          for (let c = 0; c < n; c++) {
            let s = 0;
            for (let i = 0; i < n; i++) s += svd.Ut[i * m + r] * svd.s[i] * svd.Vt[i * n + c];
            expect(Math.abs(s - A[r * n + c])).toBeLessThan(1e-13 * o[0]);
          }
      }
    });
  });
}
