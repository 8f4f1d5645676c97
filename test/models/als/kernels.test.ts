// ALS kernels against dense f64 oracles, on both backends.
import { describe, expect, it } from 'vitest';
import { init, type Backend } from '../../../src/runtime/backend.js';
import { Rng } from '../../../src/random.js';
import type { SparseMatrix } from '../../../src/data/csr.js';
import { Workspace } from '../../../src/models/als/solve.js';
import { conf, denseSolve, implicitLossDense, implicitRowOracle, randomMatrix, relErr } from './helpers.js';

const rnd4 = (k: number) => (k + 3) & ~3;
/** alsImplicitCholesky's eigenbasis arguments V, lam, Ye, eigMax: off. */
const NO_EIG = [0, 0, 0, 0] as const;

/** G ← YᵀY + λI through the blocked Gram (alsGramBlocks over every block, then alsGramReduce). */
function gram(
  b: Backend,
  Y: number,
  n: number,
  k: number,
  stride: number,
  lambda: number,
  G64: number,
  G32: number,
  scratch: number,
  blockRows = Math.max(1, n),
): void {
  const nb = Math.ceil(n / blockRows);
  const kp = rnd4(k);
  const P = b.heap.allocArray('f64', Math.max(1, nb) * kp * kp);
  b.k.alsGramBlocks(Y, n, k, stride, blockRows, P.ptr, 0, nb, scratch);
  b.k.alsGramReduce(k, lambda, nb, P.ptr, G64, G32);
  P.free();
}

function setup(b: Backend, m: SparseMatrix, Y: Float32Array, k: number, lambda: number, eigMax = 0) {
  const heap = b.heap;
  const h = m.onHeap(b);
  const Yh = heap.copyIn(Y);
  const kp = rnd4(k + 1);
  const G64 = heap.allocArray('f64', kp * kp);
  const G32 = heap.allocArray('f32', kp * kp);
  const scratch = heap.alloc(Workspace.scratchStride(k, m.cols, eigMax));
  const X = heap.allocArray('f32', m.rows * (k + 2));
  gram(b, Yh.ptr, m.cols, k, k, lambda, G64.ptr, G32.ptr, scratch);
  return {
    h,
    Yh,
    G64,
    G32,
    scratch,
    X,
    free: () => {
      for (const a of [Yh, G64, G32, X]) a.free();
    },
  };
}

/** G's eigenbasis (symEigF64 on a copy of G64) and the nFixed rows of Y projected into it: [V, lam, Ye, eigMax]. */
function eigenArgs(b: Backend, s: ReturnType<typeof setup>, k: number, nFixed: number, eigMax: number) {
  const heap = b.heap;
  const kp = rnd4(k);
  const A = heap.copyIn(s.G64.view.slice(0, kp * kp));
  const V = heap.allocArray('f64', kp * kp);
  const lam = heap.allocArray('f64', kp);
  const work = heap.allocArray('f64', kp * kp + 4 * kp);
  const Ye = heap.allocArray('f64', nFixed * kp);
  expect(b.k.symEigF64(A.ptr, V.ptr, lam.ptr, k, work.ptr)).toBe(1);
  b.k.alsEigProject(s.Yh.ptr, V.ptr, Ye.ptr, k, 0, nFixed);
  return {
    args: [V.ptr, lam.ptr, Ye.ptr, eigMax] as const,
    free: () => {
      for (const a of [A, V, lam, work, Ye]) a.free();
    },
  };
}

for (const name of ['wasm', 'js'] as const) {
  describe(`ALS kernels (${name})`, () => {
    it('alsGramBlocks + alsGramReduce = YᵀY + λI in the padded layout (k not a multiple of 4, stride > k, 4 blocks)', async () => {
      const b = await init({ backend: name });
      const rng = new Rng(3);
      const n = 13,
        k = 7,
        stride = 9;
      const Y = rng.fillNormal(new Float32Array(n * stride));
      const Yh = b.heap.copyIn(Y);
      const kp = rnd4(k);
      const G64 = b.heap.allocArray('f64', kp * kp);
      const G32 = b.heap.allocArray('f32', kp * kp);
      const s = b.heap.alloc(256 * kp);
      gram(b, Yh.ptr, n, k, stride, 0.5, G64.ptr, G32.ptr, s, 4);
      const g = G64.view;
      for (let a = 0; a < kp; a++) {
        for (let c = 0; c < kp; c++) {
          let want = 0;
          if (a < k && c < k) for (let i = 0; i < n; i++) want += Y[i * stride + a] * Y[i * stride + c];
          if (a === c && a < k) want += 0.5;
          expect(g[a * kp + c]).toBeCloseTo(want, 10);
          expect(G32.view[a * kp + c]).toBeCloseTo(want, 4);
        }
      }
      for (const a of [Yh, G64, G32]) a.free();
      b.heap.free(s);
    });

    it('alsGramBlocks32 (f32 batches) equals YᵀY to 1e-5 relative, k = 13 and 40 (4×4 and 4×8 tiles), 3 blocks', async () => {
      const b = await init({ backend: name });
      for (const k of [13, 40]) {
        const n = 150;
        const stride = k + 3;
        const Y = new Rng(k).fillNormal(new Float32Array(n * stride));
        const Yh = b.heap.copyIn(Y);
        const kp = rnd4(k);
        const blockRows = 50;
        const P = b.heap.allocArray('f64', 3 * kp * kp);
        const G64 = b.heap.allocArray('f64', kp * kp);
        const s = b.heap.alloc(256 * kp);
        b.k.alsGramBlocks32(Yh.ptr, n, k, stride, blockRows, P.ptr, 0, 3, s);
        b.k.alsGramReduce(k, 0.25, 3, P.ptr, G64.ptr, 0);
        for (let a = 0; a < k; a++)
          for (let c = 0; c < k; c++) {
            let want = a === c ? 0.25 : 0;
            let mag = 0;
            for (let i = 0; i < n; i++) {
              want += Y[i * stride + a] * Y[i * stride + c];
              mag += Math.abs(Y[i * stride + a] * Y[i * stride + c]);
            }
            expect(Math.abs(G64.view[a * kp + c] - want)).toBeLessThan(1e-5 * mag);
          }
        for (const x of [Yh, P, G64]) x.free();
        b.heap.free(s);
      }
    });

    for (const [k, log] of [
      [8, false],
      [7, true],
      [16, false],
    ] as const) {
      it(`implicit Cholesky rows equal the dense normal-equations solution to 1e-5 (k=${k}, ${log ? 'log' : 'linear'})`, async () => {
        const b = await init({ backend: name });
        // counts 1..5, some negative ("disliked"), some empty rows
        const m = randomMatrix(11 + k, 25, 30, 0.2, (r) => (r.next() < 0.1 ? -1 : 1 + Math.floor(r.next() * 5)));
        const Y = new Rng(5).fillNormal(new Float32Array(30 * k), 0, 0.3);
        const p = { lambda: 0.1, alpha: 3, log, eps: 0.5 };
        const s = setup(b, m, Y, k, p.lambda);
        const code = b.k.alsImplicitCholesky(
          s.h.indptr.ptr,
          s.h.indices.ptr,
          s.h.data.ptr,
          s.Yh.ptr,
          s.G64.ptr,
          s.G32.ptr,
          s.X.ptr,
          0,
          m.rows,
          k,
          p.alpha,
          p.eps,
          log ? 1 : 0,
          s.scratch,
          0,
          ...NO_EIG,
        );
        expect(code).toBe(-1);
        const X = s.X.view;
        for (let u = 0; u < m.rows; u++) {
          const { indices, values } = m.row(u);
          const got = X.subarray(u * k, u * k + k);
          if (indices.length === 0) {
            expect(Array.from(got)).toEqual(new Array(k).fill(0));
            continue;
          }
          const want = implicitRowOracle(Y, 30, k, indices, values, p);
          expect(relErr(got, want)).toBeLessThan(1e-5);
        }
        s.free();
      });
    }

    it('implicit Cholesky on many short rows (the eigenbasis path) equals the dense solution to 1e-5', async () => {
      const b = await init({ backend: name });
      const k = 12;
      const m = randomMatrix(77, 90, 60, 0.08, (r) => (r.next() < 0.1 ? -1 : 1 + Math.floor(r.next() * 3)));
      const Y = new Rng(15).fillNormal(new Float32Array(60 * k), 0, 0.3);
      const p = { lambda: 0.05, alpha: 10 };
      const s = setup(b, m, Y, k, p.lambda, 12);
      const eig = eigenArgs(b, s, k, 60, 12);
      expect(
        b.k.alsImplicitCholesky(
          s.h.indptr.ptr,
          s.h.indices.ptr,
          s.h.data.ptr,
          s.Yh.ptr,
          s.G64.ptr,
          s.G32.ptr,
          s.X.ptr,
          0,
          m.rows,
          k,
          p.alpha,
          1,
          0,
          s.scratch,
          0,
          ...eig.args,
        ),
      ).toBe(-1);
      const X = s.X.view;
      let short = 0;
      for (let u = 0; u < m.rows; u++) {
        const { indices, values } = m.row(u);
        if (indices.length === 0) continue;
        if (indices.length <= 12) short++;
        expect(relErr(X.subarray(u * k, u * k + k), implicitRowOracle(Y, 60, k, indices, values, p))).toBeLessThan(
          1e-5,
        );
      }
      expect(short).toBeGreaterThan(60);
      eig.free();
      s.free();
    });

    it('CG with cgSteps = factors matches Cholesky to 1e-3, and a row range leaves other rows alone', async () => {
      const b = await init({ backend: name });
      const k = 8;
      const m = randomMatrix(21, 20, 40, 0.25, (r) => 1 + Math.floor(r.next() * 3));
      const Y = new Rng(6).fillNormal(new Float32Array(40 * k), 0, 0.3);
      const s = setup(b, m, Y, k, 0.05);
      const h = s.h;
      b.k.alsImplicitCholesky(
        h.indptr.ptr,
        h.indices.ptr,
        h.data.ptr,
        s.Yh.ptr,
        s.G64.ptr,
        s.G32.ptr,
        s.X.ptr,
        0,
        m.rows,
        k,
        2,
        1,
        0,
        s.scratch,
        0,
        ...NO_EIG,
      );
      const exact = s.X.view.slice(0, m.rows * k);
      // warm start from a random guess; rows outside [2, 18) must keep their guess
      const guess = new Rng(7).fillNormal(new Float32Array(m.rows * k), 0, 0.1);
      s.X.view.set(guess);
      const code = b.k.alsImplicitCg(
        h.indptr.ptr,
        h.indices.ptr,
        h.data.ptr,
        s.Yh.ptr,
        s.G32.ptr,
        s.X.ptr,
        2,
        18,
        k,
        2,
        1,
        0,
        k,
        s.scratch,
        0,
      );
      expect(code).toBe(-1);
      const X = s.X.view;
      for (let u = 0; u < m.rows; u++) {
        const got = X.subarray(u * k, u * k + k);
        if (u < 2 || u >= 18) expect(Array.from(got)).toEqual(Array.from(guess.subarray(u * k, u * k + k)));
        else expect(relErr(got, exact.subarray(u * k, u * k + k))).toBeLessThan(1e-3);
      }
      s.free();
    });

    it('per-row regularization (regRows): Cholesky, CG and the loss equal the dense solution with λ_u', async () => {
      const b = await init({ backend: name });
      const k = 10;
      // 80 rows, short (the eigenbasis path) and long, counts 1..4
      const m = randomMatrix(41, 80, 50, 0.15, (r) => 1 + Math.floor(r.next() * 4));
      const Y = new Rng(9).fillNormal(new Float32Array(50 * k), 0, 0.3);
      const regs = Float32Array.from({ length: m.rows }, (_, r) => 0.05 + ((r * 37) % 11) * 0.3);
      const s = setup(b, m, Y, k, 0, 12); // G = YᵀY without λ: every row brings its own
      const reg = b.heap.copyIn(regs);
      // rows with ≤ 12 entries through G's eigenbasis, with their own λ_u
      const eig = eigenArgs(b, s, k, 50, 12);
      const h = s.h;
      const p = { alpha: 2, log: true, eps: 1 };
      expect(
        b.k.alsImplicitCholesky(
          h.indptr.ptr,
          h.indices.ptr,
          h.data.ptr,
          s.Yh.ptr,
          s.G64.ptr,
          s.G32.ptr,
          s.X.ptr,
          0,
          m.rows,
          k,
          p.alpha,
          p.eps,
          1,
          s.scratch,
          reg.ptr,
          ...eig.args,
        ),
      ).toBe(-1);
      const X = s.X.view;
      let short = 0;
      for (let u = 0; u < m.rows; u++) {
        const { indices, values } = m.row(u);
        if (indices.length === 0) continue;
        if (indices.length <= 12) short++;
        const want = implicitRowOracle(Y, 50, k, indices, values, { ...p, lambda: regs[u] });
        expect(relErr(X.subarray(u * k, u * k + k), want)).toBeLessThan(1e-5);
      }
      expect(short).toBeGreaterThan(20);
      const exact = X.slice(0, m.rows * k);
      s.X.view.fill(0);
      expect(
        b.k.alsImplicitCg(
          h.indptr.ptr,
          h.indices.ptr,
          h.data.ptr,
          s.Yh.ptr,
          s.G32.ptr,
          s.X.ptr,
          0,
          m.rows,
          k,
          p.alpha,
          p.eps,
          1,
          2 * k,
          s.scratch,
          reg.ptr,
        ),
      ).toBe(-1);
      for (let u = 0; u < m.rows; u++) {
        if (m.indptr[u + 1] === m.indptr[u]) continue;
        expect(relErr(s.X.view.subarray(u * k, u * k + k), exact.subarray(u * k, u * k + k))).toBeLessThan(1e-3);
      }
      // loss: Σ_u λ_u‖x_u‖² on top of the plain objective (λ = 0 in G)
      const Xin = new Rng(10).fillNormal(new Float32Array(m.rows * k), 0, 0.4);
      const Xh = b.heap.copyIn(Xin);
      const part = b.k.alsImplicitLoss(
        h.indptr.ptr,
        h.indices.ptr,
        h.data.ptr,
        Xh.ptr,
        s.Yh.ptr,
        s.G64.ptr,
        0,
        m.rows,
        k,
        p.alpha,
        p.eps,
        1,
        s.scratch,
        reg.ptr,
      );
      let regTerm = 0;
      for (let u = 0; u < m.rows; u++) for (let a = 0; a < k; a++) regTerm += regs[u] * Xin[u * k + a] ** 2;
      const want = implicitLossDense(Xin, Y, m, k, { ...p, lambda: 0 }) + regTerm;
      expect(Math.abs(part - want) / want).toBeLessThan(1e-9);
      Xh.free();
      eig.free();
      reg.free();
      s.free();
    });

    it('alsImplicitLoss + λ‖Y‖² equals the dense objective', async () => {
      const b = await init({ backend: name });
      const k = 6;
      const m = randomMatrix(31, 15, 12, 0.3, (r) => (r.next() < 0.2 ? -2 : 1 + Math.floor(r.next() * 4)));
      const rng = new Rng(8);
      const Y = rng.fillNormal(new Float32Array(12 * k), 0, 0.4);
      const Xin = rng.fillNormal(new Float32Array(15 * k), 0, 0.4);
      const p = { lambda: 0.3, alpha: 2, log: true, eps: 2 };
      const s = setup(b, m, Y, k, p.lambda);
      const Xh = b.heap.copyIn(Xin);
      const part = b.k.alsImplicitLoss(
        s.h.indptr.ptr,
        s.h.indices.ptr,
        s.h.data.ptr,
        Xh.ptr,
        s.Yh.ptr,
        s.G64.ptr,
        0,
        m.rows,
        k,
        p.alpha,
        p.eps,
        1,
        s.scratch,
        0,
      );
      let yy = 0;
      for (const v of Y) yy += v * v;
      const want = implicitLossDense(Xin, Y, m, k, p);
      expect(Math.abs(part + p.lambda * yy - want) / want).toBeLessThan(1e-9);
      Xh.free();
      s.free();
    });

    for (const mode of [0, 1, 2] as const) {
      it(`alsExplicit solves the regularised least squares per row (biasMode ${mode})`, async () => {
        const b = await init({ backend: name });
        const k = 5;
        const dim = mode === 0 ? k : k + 2;
        const m = randomMatrix(41 + mode, 12, 20, 0.35, (r) => 1 + Math.floor(r.next() * 5));
        const rng = new Rng(9);
        const F = rng.fillNormal(new Float32Array(20 * dim), 0, 0.5);
        const mu = 3.1;
        if (mode === 1) for (let i = 0; i < 20; i++) F[i * dim + k + 1] = 1; // item rows [y, b_i, 1]
        if (mode === 2) for (let i = 0; i < 20; i++) F[i * dim + k] = 1; // user rows [x, 1, b_u + μ]
        const lambda = 0.2;
        const heap = b.heap;
        const h = m.onHeap(b);
        const Fh = heap.copyIn(F);
        const X = heap.allocArray('f32', m.rows * dim);
        const dp = rnd4(k + 1);
        const scratch = heap.alloc(12 * dp * dp + 176 * dp);
        for (const weighted of [1, 0]) {
          const code = b.k.alsExplicit(
            h.indptr.ptr,
            h.indices.ptr,
            h.data.ptr,
            Fh.ptr,
            X.ptr,
            dim,
            0,
            m.rows,
            k,
            lambda,
            weighted,
            mode,
            mu,
            scratch,
          );
          expect(code).toBe(-1);
          const d = mode === 0 ? k : k + 1;
          for (let u = 0; u < m.rows; u++) {
            const { indices, values } = m.row(u);
            const A = new Float64Array(d * d);
            const rhs = new Float64Array(d);
            for (let q = 0; q < indices.length; q++) {
              const fo = indices[q] * dim;
              const z = Array.from({ length: d }, (_, a) => (a < k ? F[fo + a] : 1));
              let t = values[q];
              if (mode === 1) t -= mu + F[fo + k];
              if (mode === 2) t -= F[fo + k + 1];
              for (let a = 0; a < d; a++) {
                rhs[a] += t * z[a];
                for (let c = 0; c < d; c++) A[a * d + c] += z[a] * z[c];
              }
            }
            const row = X.view.subarray(u * dim, u * dim + dim);
            if (indices.length === 0) {
              const want = new Array(dim).fill(0);
              if (mode === 1) [want[k], want[k + 1]] = [1, Math.fround(mu)];
              if (mode === 2) want[k + 1] = 1;
              expect(Array.from(row)).toEqual(want);
              continue;
            }
            for (let a = 0; a < d; a++) A[a * d + a] += weighted ? lambda * indices.length : lambda;
            const w = denseSolve(A, rhs, d);
            expect(relErr(row.subarray(0, k), w.subarray(0, k))).toBeLessThan(1e-5);
            if (mode === 1) {
              expect(row[k]).toBe(1);
              expect(row[k + 1]).toBeCloseTo(w[k] + mu, 5);
            }
            if (mode === 2) {
              expect(row[k]).toBeCloseTo(w[k], 5);
              expect(row[k + 1]).toBe(1);
            }
          }
        }
        Fh.free();
        X.free();
        heap.free(scratch);
      });
    }

    it('symEigF64: V·diag(w)·Vᵀ = A and VᵀV = I to 1e-12 (k = 13, padded), clustered eigenvalues too', async () => {
      const b = await init({ backend: name });
      for (const [k, seed, cluster] of [
        [13, 1, false],
        [32, 2, true],
        [1, 3, false],
        [2, 4, false],
      ] as const) {
        const kp = rnd4(k);
        const rng = new Rng(seed);
        // A = Q·diag(ev)·Qᵀ + a Gram, symmetric positive definite; `cluster` repeats eigenvalues
        const Y = rng.fillNormal(new Float64Array(3 * k * k));
        const A = new Float64Array(kp * kp);
        for (let a = 0; a < k; a++)
          for (let c = 0; c < k; c++) {
            let v = 0;
            for (let i = 0; i < 3 * k; i++) v += Y[i * k + a] * Y[i * k + c];
            A[a * kp + c] = cluster ? (a === c ? 5 : 0) + v * 1e-9 : v;
          }
        const Ah = b.heap.copyIn(A);
        const V = b.heap.allocArray('f64', kp * kp);
        const w = b.heap.allocArray('f64', kp);
        const work = b.heap.allocArray('f64', kp * kp + 4 * kp);
        expect(b.k.symEigF64(Ah.ptr, V.ptr, w.ptr, k, work.ptr)).toBe(1);
        const v = V.view;
        const ev = w.view;
        let scale = 0;
        for (let a = 0; a < k; a++) scale = Math.max(scale, Math.abs(ev[a]));
        for (let a = 0; a < k; a++) {
          for (let c = 0; c < k; c++) {
            let rec = 0;
            let orth = 0;
            for (let j = 0; j < k; j++) {
              rec += v[a * kp + j] * ev[j] * v[c * kp + j];
              orth += v[j * kp + a] * v[j * kp + c];
            }
            expect(Math.abs(rec - A[a * kp + c])).toBeLessThan(1e-12 * scale);
            expect(Math.abs(orth - (a === c ? 1 : 0))).toBeLessThan(1e-12);
          }
        }
        for (let j = k; j < kp; j++) expect(ev[j]).toBe(0);
        for (const x of [Ah, V, w, work]) x.free();
      }
    });

    it('reports singular systems and non-finite results with the row', async () => {
      const b = await init({ backend: name });
      const k = 4;
      // 3 items < 4 factors, λ = 0: YᵀY has rank ≤ 3 → singular at the first non-empty row (row 1)
      const m = randomMatrix(51, 4, 3, 1);
      const Y = new Rng(2).fillNormal(new Float32Array(3 * k));
      const s = setup(b, m, Y, k, 0);
      const h = s.h;
      expect(
        b.k.alsImplicitCholesky(
          h.indptr.ptr,
          h.indices.ptr,
          h.data.ptr,
          s.Yh.ptr,
          s.G64.ptr,
          s.G32.ptr,
          s.X.ptr,
          1,
          4,
          k,
          1,
          1,
          0,
          s.scratch,
          0,
          ...NO_EIG,
        ),
      ).toBe(1);
      s.free();
      // exploding confidence: α·r overflows f32 in the solution
      const m2 = randomMatrix(52, 3, 6, 0.6, () => 1e30);
      const Y2 = new Rng(3).fillNormal(new Float32Array(6 * k), 0, 1e-20);
      const s2 = setup(b, m2, Y2, k, 1e-30);
      const code = b.k.alsImplicitCholesky(
        s2.h.indptr.ptr,
        s2.h.indices.ptr,
        s2.h.data.ptr,
        s2.Yh.ptr,
        s2.G64.ptr,
        s2.G32.ptr,
        s2.X.ptr,
        0,
        3,
        k,
        1e30,
        1,
        0,
        s2.scratch,
        0,
        ...NO_EIG,
      );
      expect(code).not.toBe(-1);
      s2.free();
    });
  });
}

it('confidence helper sanity', () => {
  expect(conf(-3, { lambda: 0, alpha: 2 })).toBe(7);
});
