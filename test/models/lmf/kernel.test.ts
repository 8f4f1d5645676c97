// The lmfRows kernel: the WASM kernel against its JS twin, the step against the gradient of the row's
// log-likelihood by finite differences in f64 (exact negatives), and the sampled negatives as an
// unbiased estimate of the exact sum.
import { describe, expect, it } from 'vitest';
import { init, type Backend } from '../../../src/runtime/backend.js';
import { Rng } from '../../../src/random.js';
import { SparseMatrix } from '../../../src/data/csr.js';
import { groupedMatrix, maxAbsDiff } from '../helpers.js';

const K = 6; // dim 8: two SIMD chunks, no tail; 5 below gives dim 7 (a tail of 3)

interface Call {
  m: SparseMatrix;
  F: Float32Array;
  X: Float32Array;
  acc: Float32Array;
  k: number;
  biasCol: number;
  negProp: number;
  negWeight: number;
  key1: number;
}

/** One lmfRows call over every row of c.m; returns the new X and AdaGrad sums. */
function step(b: Backend, c: Call, lr = 0.1, reg = 0.3): { X: Float32Array; acc: Float32Array } {
  const csr = c.m.onHeap(b);
  const F = b.heap.copyIn(c.F);
  const X = b.heap.copyIn(c.X);
  const acc = b.heap.copyIn(c.acc);
  const scratch = b.heap.alloc(64 * 4);
  const nFixed = c.F.length / (c.k + 2);
  b.k.lmfRows(
    csr.indptr.ptr,
    csr.indices.ptr,
    csr.data.ptr,
    F.ptr,
    X.ptr,
    acc.ptr,
    nFixed,
    c.k,
    c.biasCol,
    c.negProp,
    c.negWeight,
    lr,
    reg,
    77,
    c.key1,
    scratch,
    0,
    c.m.rows,
  );
  const out = { X: X.toArray(), acc: acc.toArray() };
  for (const a of [F, X, acc]) a.free();
  b.heap.free(scratch);
  c.m.releaseHeap();
  return out;
}

function randomCall(seed: number, k: number, negProp: number): Call {
  const rng = new Rng(seed);
  const m0 = groupedMatrix(seed, 30, 50, 3, 6);
  const m = SparseMatrix.trusted(
    m0.indptr,
    m0.indices,
    Float32Array.from(m0.data, () => 0.5 + 3 * rng.next()),
    m0.shape,
  );
  const dim = k + 2;
  const F = Float32Array.from({ length: 50 * dim }, () => rng.normal() * 0.5);
  const X = Float32Array.from({ length: 30 * dim }, () => rng.normal() * 0.5);
  const acc = Float32Array.from({ length: 30 * dim }, () => rng.next());
  for (let r = 0; r < 30; r++) X[r * dim + k] = 1; // user rows: [x, 1, b_u]
  return { m, F, X, acc, k, biasCol: k + 1, negProp, negWeight: 0.7, key1: 3 };
}

describe('lmfRows: WASM against the JS twin', () => {
  for (const [k, negProp] of [
    [K, 2],
    [5, 100],
  ]) {
    it(`k=${k}, negProp ${negProp} (${negProp >= 50 ? 'exact' : 'sampled'} negatives): equal to 1e-6`, async () => {
      const c = randomCall(4, k, negProp);
      const w = step(await init({ backend: 'wasm' }), c);
      const j = step(await init({ backend: 'js' }), c);
      expect(maxAbsDiff(w.X, j.X)).toBeLessThan(1e-6);
      expect(maxAbsDiff(w.acc, j.acc)).toBeLessThan(1e-6);
      const dim = k + 2;
      for (let r = 0; r < 30; r++) expect(w.X[r * dim + k]).toBe(1); // the constant column
    });
  }
});

/** The row objective: Σ_pos c·ln σ(x·f) + w0·Σ_all ln(1 − σ(x·f)) − (reg/2)·‖x_factors‖². */
function rowObjective(
  x: Float64Array,
  F: Float32Array,
  pos: number[],
  conf: number[],
  w0: number,
  reg: number,
  k: number,
): number {
  const dim = k + 2;
  const s = (j: number) => {
    let v = 0;
    for (let c = 0; c < dim; c++) v += x[c] * F[j * dim + c];
    return v;
  };
  let L = 0;
  pos.forEach((j, q) => {
    L -= conf[q] * Math.log1p(Math.exp(-s(j)));
  });
  for (let j = 0; j < F.length / dim; j++) L += -w0 * Math.log1p(Math.exp(s(j)));
  for (let c = 0; c < k; c++) L -= (reg / 2) * x[c] * x[c];
  return L;
}

describe('lmfRows: the step follows the gradient of the log-likelihood', () => {
  for (const name of ['js', 'wasm'] as const) {
    it(`${name}: g recovered from the AdaGrad step equals finite differences (exact negatives)`, async () => {
      const b = await init({ backend: name });
      const c = randomCall(8, K, 1000);
      const lr = 0.1;
      const reg = 0.3;
      const out = step(b, c, lr, reg);
      const dim = K + 2;
      for (const r of [0, 7, 19]) {
        const { indices, values } = c.m.row(r);
        const x = Float64Array.from(c.X.subarray(r * dim, (r + 1) * dim));
        for (let col = 0; col < dim; col++) {
          const i = r * dim + col;
          if (col === K) {
            expect(out.X[i]).toBe(c.X[i]);
            expect(out.acc[i]).toBe(c.acc[i]);
            continue;
          }
          // x' = x + lr·g/√(acc'), acc' = acc + g²: g = (x' − x)·√(acc' + 1e-6)/lr.
          const g = ((out.X[i] - c.X[i]) * Math.sqrt(out.acc[i] + 1e-6)) / lr;
          const h = 1e-5;
          const save = x[col];
          x[col] = save + h;
          const up = rowObjective(x, c.F, Array.from(indices), Array.from(values), c.negWeight, reg, K);
          x[col] = save - h;
          const down = rowObjective(x, c.F, Array.from(indices), Array.from(values), c.negWeight, reg, K);
          x[col] = save;
          const want = (up - down) / (2 * h);
          expect(Math.abs(g - want)).toBeLessThan(2e-3 * Math.max(1, Math.abs(want)));
        }
      }
    });
  }

  it('sampled negatives estimate the exact gradient without bias (mean over 400 streams)', async () => {
    const b = await init({ backend: 'wasm' });
    const base = randomCall(11, K, 1000);
    // One row, huge AdaGrad sums so the step is linear in g: x' − x ≈ lr·g/√acc.
    const one = SparseMatrix.trusted(
      base.m.indptr.slice(0, 2),
      base.m.indices.slice(0, base.m.indptr[1]),
      base.m.data.slice(0, base.m.indptr[1]),
      [1, 50],
    );
    const dim = K + 2;
    const c = { ...base, m: one, X: base.X.slice(0, dim), acc: new Float32Array(dim).fill(1e6) };
    const g = (call: Call) => Array.from(step(b, call).X, (v, i) => ((v - call.X[i]) * 1e3) / 0.1);
    const exact = g(c);
    const mean = new Float64Array(dim);
    const sq = new Float64Array(dim);
    const runs = 400;
    for (let t = 0; t < runs; t++) {
      const s = g({ ...c, negProp: 2, key1: t });
      for (let q = 0; q < dim; q++) {
        mean[q] += s[q] / runs;
        sq[q] += (s[q] * s[q]) / runs;
      }
    }
    for (let q = 0; q < dim; q++) {
      const se = Math.sqrt(Math.max(0, sq[q] - mean[q] * mean[q]) / runs);
      expect(Math.abs(mean[q] - exact[q])).toBeLessThan(4 * se + 1e-3);
    }
  });
});
