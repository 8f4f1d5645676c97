// Lanczos kernels (reorthF64, combineF64, jacobiSweepsF64): WASM and JS twin against direct computation.
import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { Rng } from '../../src/random.js';
import { jacobiSVD } from '../../src/svd/jacobi.js';
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
    for (const [count, n] of [[0, 7], [1, 5], [5, 33], [9, 64], [13, 101]] as const) {
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

    it('combineF64 equals C·basis', async () => {
      const b = await init({ backend: name });
      const rng = new Rng(5);
      for (const [count, n, kOut] of [[1, 3, 1], [6, 257, 3], [11, 530, 7], [4, 9, 4]] as const) {
        const basis = Float64Array.from({ length: count * n }, () => rng.normal());
        const C = Float64Array.from({ length: kOut * count }, () => rng.normal());
        const Bh = b.heap.copyIn(basis);
        const Ch = b.heap.copyIn(C);
        const Oh = b.heap.allocArray('f64', kOut * n);
        Oh.view.fill(NaN); // output is overwritten, not accumulated
        b.k.combineF64(Bh.ptr, count, n, Ch.ptr, kOut, Oh.ptr);
        const out = Oh.toArray();
        for (let r = 0; r < kOut; r++) for (let j = 0; j < n; j++) {
          let s = 0;
          for (let i = 0; i < count; i++) s += C[r * count + i] * basis[i * n + j];
          expect(out[r * n + j]).toBeCloseTo(s, 12);
        }
        Bh.free();
        Ch.free();
        Oh.free();
      }
    });

    it('jacobiSVD (jacobiSweepsF64) matches the oracle, with orthonormal factors that reconstruct A', async () => {
      const b = await init({ backend: name });
      const rng = new Rng(8);
      for (const [m, n] of [[1, 1], [6, 6], [25, 25], [40, 17], [31, 31]] as const) {
        const A = Float64Array.from({ length: m * n }, () => rng.normal());
        if (n > 3) for (let r = 0; r < m; r++) A[r * n + 2] = 0; // a zero column: a zero singular value
        const svd = jacobiSVD(b, A, m, n);
        const rowsA = Array.from({ length: m }, (_, r) => Array.from(A.subarray(r * n, r * n + n)));
        const o = oracleSingularValues(rowsA);
        for (let i = 0; i < n; i++) expect(Math.abs(svd.s[i] - o[i])).toBeLessThan(1e-13 * o[0]);
        for (let a = 0; a < n; a++) for (let c = 0; c < n; c++) {
          let su = 0;
          let sv = 0;
          for (let r = 0; r < m; r++) su += svd.Ut[a * m + r] * svd.Ut[c * m + r];
          for (let r = 0; r < n; r++) sv += svd.Vt[a * n + r] * svd.Vt[c * n + r];
          expect(Math.abs(su - (a === c ? 1 : 0))).toBeLessThan(1e-13);
          expect(Math.abs(sv - (a === c ? 1 : 0))).toBeLessThan(1e-13);
        }
        for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += svd.Ut[i * m + r] * svd.s[i] * svd.Vt[i * n + c];
          expect(Math.abs(s - A[r * n + c])).toBeLessThan(1e-13 * o[0]);
        }
      }
    });
  });
}
