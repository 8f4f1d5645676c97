// The subspace (iALS++) kernel: repeated sweeps converge to the exact row solution, with plain and per-row
// λ and blocks that do not divide k; one sweep from the solution stays there; the WASM kernel agrees with its
// twin; and ImplicitALS({ solver: 'ials++' }) fits to the exact solver's objective.
import { describe, expect, it } from 'vitest';
import { init, type Backend } from '../../../src/runtime/backend.js';
import { Rng } from '../../../src/random.js';
import { ImplicitALS } from '../../../src/models/als/implicit.js';
import { Workspace } from '../../../src/models/als/solve.js';
import { implicitRowOracle, randomMatrix, relErr } from './helpers.js';

const rnd4 = (k: number) => (k + 3) & ~3;

function gram(b: Backend, Y: Float32Array, n: number, k: number, lambda: number) {
  const kp = rnd4(k);
  const G = new Float64Array(kp * kp);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) G[a * kp + c] += Y[i * k + a] * Y[i * k + c];
  for (let a = 0; a < k; a++) G[a * kp + a] += lambda;
  return b.heap.copyIn(Float32Array.from(G));
}

for (const name of ['wasm', 'js'] as const) {
  describe(`alsImplicitSubspace (${name})`, () => {
    for (const [k, block, perRow] of [
      [12, 4, false],
      [20, 8, true],
      [17, 16, false],
    ] as const) {
      it(`sweeps converge to the exact solution (k=${k}, blocks of ${block}, ${perRow ? 'per-row' : 'plain'} λ)`, async () => {
        const b = await init({ backend: name });
        const m = randomMatrix(61 + k, 30, 40, 0.2, (r) => (r.next() < 0.1 ? -1 : 1 + Math.floor(r.next() * 4)));
        const Y = new Rng(8).fillNormal(new Float32Array(40 * k), 0, 0.3);
        const p = { alpha: 2, log: true, eps: 1 };
        const lambda = perRow ? 0 : 0.3;
        const regs = Float32Array.from({ length: m.rows }, (_, r) => (perRow ? 0.1 + (r % 5) * 0.2 : 0));
        const h = m.onHeap(b);
        const G = gram(b, Y, 40, k, lambda);
        const Yh = b.heap.copyIn(Y);
        const X = b.heap.allocArray('f32', m.rows * k);
        const reg = perRow ? b.heap.copyIn(regs) : undefined;
        const scratch = b.heap.alloc(Workspace.scratchStride(k, 40));
        for (let sweep = 0; sweep < 60; sweep++) {
          const code = b.k.alsImplicitSubspace(
            h.indptr.ptr,
            h.indices.ptr,
            h.data.ptr,
            Yh.ptr,
            G.ptr,
            X.ptr,
            0,
            m.rows,
            k,
            p.alpha,
            p.eps,
            1,
            block,
            4 * 40,
            scratch,
            reg?.ptr ?? 0,
          );
          expect(code).toBe(-1);
        }
        for (let u = 0; u < m.rows; u++) {
          const { indices, values } = m.row(u);
          const got = X.view.subarray(u * k, u * k + k);
          if (indices.length === 0) {
            expect(Array.from(got)).toEqual(new Array(k).fill(0));
            continue;
          }
          const want = implicitRowOracle(Y, 40, k, indices, values, { ...p, lambda: perRow ? regs[u] : lambda });
          expect(relErr(got, want)).toBeLessThan(2e-4);
        }
        for (const a of [G, Yh, X]) a.free();
        reg?.free();
        b.heap.free(scratch);
      });
    }
  });
}

describe('alsImplicitSubspace: ill-conditioned blocks', () => {
  it('a block whose f32 factorisation fails (large, nearly collinear factors) is solved in f64', async () => {
    const b = await init({ backend: 'wasm' });
    const k = 8;
    const m = randomMatrix(21, 30, 40, 0.2, () => 1);
    // every item factor ≈ 10·(1, …, 1): YᵀY ≈ 4000·11ᵀ plus a little, so with λ = 0.1 the pivots after the
    // first are ~1e-5 of the diagonal, below what the f32 factorisation accepts
    const rng = new Rng(3);
    const Y = Float32Array.from({ length: 40 * k }, () => 10 + 1e-2 * rng.normal());
    const G = gram(b, Y, 40, k, 0.1);
    const h = m.onHeap(b);
    const Yh = b.heap.copyIn(Y);
    const X = b.heap.allocArray('f32', m.rows * k);
    const scratch = b.heap.alloc(Workspace.scratchStride(k, 40));
    // one block of all k coordinates: one sweep is the exact solve
    const code = b.k.alsImplicitSubspace(
      h.indptr.ptr,
      h.indices.ptr,
      h.data.ptr,
      Yh.ptr,
      G.ptr,
      X.ptr,
      0,
      m.rows,
      k,
      2,
      1,
      0,
      k,
      160,
      scratch,
      0,
    );
    expect(code).toBe(-1);
    for (let u = 0; u < m.rows; u++) {
      const { indices, values } = m.row(u);
      if (indices.length === 0) continue;
      const want = implicitRowOracle(Y, 40, k, indices, values, { alpha: 2, lambda: 0.1 });
      // the system's condition bounds what f32 inputs (G32) allow; the predictions x·y_i are what count
      let err = 0;
      for (let i = 0; i < 40; i++) {
        let a = 0;
        let w = 0;
        for (let t = 0; t < k; t++) {
          a += X.view[u * k + t] * Y[i * k + t];
          w += want[t] * Y[i * k + t];
        }
        err = Math.max(err, Math.abs(a - w));
      }
      expect(err).toBeLessThan(1e-3);
    }
    for (const a of [G, Yh, X]) a.free();
    b.heap.free(scratch);
  });
});

describe('alsImplicitSubspace: WASM and twin agree; the solver fits', () => {
  it('one sweep from the same start gives the same rows to f32 rounding', async () => {
    const k = 24;
    const m = randomMatrix(7, 50, 60, 0.15, (r) => 1 + Math.floor(r.next() * 3));
    const Y = new Rng(4).fillNormal(new Float32Array(60 * k), 0, 0.3);
    const X0 = new Rng(5).fillNormal(new Float32Array(50 * k), 0, 0.1);
    const out: Float32Array[] = [];
    for (const name of ['wasm', 'js'] as const) {
      const b = await init({ backend: name });
      const h = m.onHeap(b);
      const G = gram(b, Y, 60, k, 0.5);
      const Yh = b.heap.copyIn(Y);
      const X = b.heap.copyIn(X0);
      const scratch = b.heap.alloc(Workspace.scratchStride(k, 60));
      expect(
        b.k.alsImplicitSubspace(
          h.indptr.ptr,
          h.indices.ptr,
          h.data.ptr,
          Yh.ptr,
          G.ptr,
          X.ptr,
          0,
          50,
          k,
          3,
          1,
          0,
          8,
          240,
          scratch,
          0,
        ),
      ).toBe(-1);
      out.push(X.toArray());
      for (const a of [G, Yh, X]) a.free();
      b.heap.free(scratch);
    }
    expect(relErr(out[0], out[1])).toBeLessThan(1e-4);
  });

  it("ImplicitALS({ solver: 'ials++' }) reaches the Cholesky solver's loss within 1 % (10 iterations)", async () => {
    await init({ backend: 'wasm' });
    const m = randomMatrix(3, 120, 90, 0.08, (r) => 1 + Math.floor(r.next() * 5));
    const loss = async (solver: 'cholesky' | 'ials++') => {
      const model = new ImplicitALS({ factors: 24, iterations: 10, solver, blockSize: 8, seed: 2 });
      await model.fit(m);
      const l = model.loss();
      model.dispose();
      return l;
    };
    const exact = await loss('cholesky');
    const sub = await loss('ials++');
    expect(Math.abs(sub - exact) / exact).toBeLessThan(0.01);
  });
});
