import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/runtime/backend.js';
import { BACKENDS, expectClose, mulberry32, onBoth, randArray } from './util.js';
import { useBackend } from './util.js';

const KS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 17, 64, 65, 100];

/** A = BᵀB + εI with B (2k×k) random: SPD with a moderate condition number. */
function randomSpd(rng: () => number, k: number, eps = 1e-2): number[] {
  const m = 2 * k;
  const B = randArray(rng, m * k);
  const A = new Array<number>(k * k).fill(0);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += B[i * k + a] * B[i * k + b];
      A[a * k + b] = A[b * k + a] = s + (a === b ? eps : 0);
    }
  }
  return A;
}

function frob(A: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < A.length; i++) s += A[i] * A[i];
  return Math.sqrt(s);
}

function factor(b: Backend, kind: 'f32' | 'f64', A: number[], k: number): { ret: number; L: Float32Array | Float64Array } {
  const h = kind === 'f32' ? b.heap.copyIn(Float32Array.from(A)) : b.heap.copyIn(Float64Array.from(A));
  const ret = kind === 'f32' ? b.k.choleskyF32(h.ptr, k) : b.k.choleskyF64(h.ptr, k);
  const L = h.toArray();
  h.free();
  return { ret, L };
}

describe.each(BACKENDS)('Cholesky kernels (%s)', (name) => {
  for (const kind of ['f64', 'f32'] as const) {
    const tol = kind === 'f64' ? 1e-10 : 1e-4;
    it(`${kind}: L·Lᵀ reproduces random SPD matrices and the solve has a small residual`, async () => {
      const b = await useBackend(name);
      const rng = mulberry32(kind === 'f64' ? 41 : 42);
      for (const k of KS) {
        const A = randomSpd(rng, k);
        const Ar = kind === 'f32' ? Array.from(Float32Array.from(A)) : A;
        const { ret, L } = factor(b, kind, A, k);
        expect(ret, `k=${k}`).toBe(-1);
        // Strict upper triangle untouched; L·Lᵀ = A.
        const LLt = new Array<number>(k * k).fill(0);
        let upperChanged = 0;
        for (let i = 0; i < k; i++) {
          for (let j = i + 1; j < k; j++) if (L[i * k + j] !== Ar[i * k + j]) upperChanged++;
          for (let j = 0; j <= i; j++) {
            let s = 0;
            for (let p = 0; p <= j; p++) s += L[i * k + p] * L[j * k + p];
            LLt[i * k + j] = LLt[j * k + i] = s;
          }
        }
        expect(upperChanged, `k=${k} strict upper triangle entries changed`).toBe(0);
        const normA = frob(Ar);
        expect(frob(LLt.map((v, i) => v - Ar[i])), `k=${k} ‖LLᵀ−A‖`).toBeLessThanOrEqual(tol * normA);

        // Solve A x = rhs and check the residual relative to ‖A‖‖x‖.
        const rhs = randArray(rng, k);
        const hL = kind === 'f32' ? b.heap.copyIn(L as Float32Array) : b.heap.copyIn(L as Float64Array);
        const hb = kind === 'f32' ? b.heap.copyIn(Float32Array.from(rhs)) : b.heap.copyIn(Float64Array.from(rhs));
        if (kind === 'f32') b.k.choleskySolveF32(hL.ptr, k, hb.ptr);
        else b.k.choleskySolveF64(hL.ptr, k, hb.ptr);
        const x = hb.toArray();
        const rhsR = kind === 'f32' ? Float32Array.from(rhs) : rhs;
        const res = Array.from({ length: k }, (_, i) => {
          let s = -rhsR[i];
          for (let j = 0; j < k; j++) s += Ar[i * k + j] * x[j];
          return s;
        });
        expect(frob(res), `k=${k} residual`).toBeLessThanOrEqual(tol * normA * frob(x) + (k === 0 ? 0 : 1e-30));
        hL.free();
        hb.free();
      }
    });

    it(`${kind}: reports the first non-positive or NaN pivot`, async () => {
      const b = await useBackend(name);
      expect(factor(b, kind, [1, 0, 0, 0, -1, 0, 0, 0, 1], 3).ret).toBe(1);
      expect(factor(b, kind, [-2], 1).ret).toBe(0);
      expect(factor(b, kind, [0], 1).ret).toBe(0);
      expect(factor(b, kind, [1, 1, 1, 1], 2).ret).toBe(1); // singular: pivot exactly 0
      expect(factor(b, kind, [4, 0, 0, 0, 1, 0, 0, 0, Number.NaN], 3).ret).toBe(2);
      expect(factor(b, kind, [4, 0, Number.NaN, 0, 1, 0, Number.NaN, 0, 9], 3).ret).toBe(2); // NaN off the diagonal
      expect(factor(b, kind, [], 0).ret).toBe(-1);
      // Larger matrices, failing late (after the 4-wide blocked path has run): make the trailing
      // Schur complement negative at pivot p by lowering A[p,p].
      const rng = mulberry32(43);
      for (const [k, p] of [
        [10, 9],
        [33, 20],
        [64, 63],
      ]) {
        const A = randomSpd(rng, k);
        A[p * k + p] = -1;
        expect(factor(b, kind, A, k).ret, `k=${k}`).toBe(p);
      }
    });
  }
});

describe('Cholesky kernels: wasm agrees with the JS twin', () => {
  it('f64 factor and solve for k = 64', async () => {
    const rng = mulberry32(44);
    const A = randomSpd(rng, 64);
    const rhs = randArray(rng, 64);
    const r = await onBoth((b) => {
      const hA = b.heap.copyIn(Float64Array.from(A));
      const hb = b.heap.copyIn(Float64Array.from(rhs));
      b.k.choleskyF64(hA.ptr, 64);
      b.k.choleskySolveF64(hA.ptr, 64, hb.ptr);
      const out = { L: hA.toArray(), x: hb.toArray() };
      hA.free();
      hb.free();
      return out;
    });
    expectClose(r.wasm.L, r.js.L, 1e-12, 1e-12, 'L');
    expectClose(r.wasm.x, r.js.x, 1e-9, 1e-12, 'x');
  });
});
