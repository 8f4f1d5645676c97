import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { ValidationError } from '../../src/errors.js';
import { SparseMatrix, bm25Weight, logScale, tfidfWeight } from '../../src/data/index.js';
import { Rng } from '../../src/random.js';
import { cooToCsrArrays } from '../../src/data/coo.js';

/** Random COO triples with repeats, and the dense matrix each duplicate policy should give. */
function randomCoo(seed: number, nr: number, nc: number, n: number) {
  const rng = new Rng(seed);
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  for (let k = 0; k < n; k++) {
    rows.push(rng.nextInt(nr));
    cols.push(rng.nextInt(nc));
    values.push(rng.nextInt(9) - 4);
  }
  const sum = new Float64Array(nr * nc);
  const last = new Float64Array(nr * nc);
  const present = new Uint8Array(nr * nc);
  for (let k = 0; k < n; k++) {
    const c = rows[k] * nc + cols[k];
    sum[c] += values[k];
    last[c] = values[k];
    present[c] = 1;
  }
  return { rows, cols, values, sum, last, present };
}

function checkCsr(m: SparseMatrix): void {
  // Re-validate through the checked constructor.
  expect(() => new SparseMatrix(m.indptr, m.indices, m.data, m.shape)).not.toThrow();
}

describe('SparseMatrix.fromCOO', () => {
  it("sorts and merges duplicates by 'sum' (default) and 'last', like a dense accumulation", () => {
    for (const [seed, nr, nc, n] of [
      [1, 7, 5, 60],
      [2, 30, 40, 500],
      [3, 1, 1, 5],
      [4, 50, 3, 10],
    ]) {
      const t = randomCoo(seed, nr, nc, n);
      const s = SparseMatrix.fromCOO({ rows: t.rows, cols: t.cols, values: t.values, shape: [nr, nc] });
      checkCsr(s);
      expect(Array.from(s.toDense())).toEqual(Array.from(t.sum));
      expect(s.nnz).toBe(t.present.reduce((a, b) => a + b, 0)); // stored zeros of cancelled sums are kept
      const l = SparseMatrix.fromCOO({
        rows: t.rows,
        cols: t.cols,
        values: t.values,
        shape: [nr, nc],
        duplicates: 'last',
      });
      expect(Array.from(l.toDense())).toEqual(Array.from(t.last));
    }
  });
  it("'error' names the duplicate; values default to 1; shape defaults to max index + 1", () => {
    expect(() => SparseMatrix.fromCOO({ rows: [0, 1, 0], cols: [2, 0, 2], duplicates: 'error' })).toThrow(
      "SparseMatrix.fromCOO: duplicate entry (row 0, column 2) at input position 2; pass duplicates: 'sum' or 'last' to merge",
    );
    const m = SparseMatrix.fromCOO({ rows: [1, 0, 1], cols: [2, 0, 2] });
    expect(m.shape).toEqual([2, 3]);
    expect(Array.from(m.toDense())).toEqual([1, 0, 0, 0, 0, 2]);
    expect(() => SparseMatrix.fromCOO({ rows: [0], cols: [5], shape: [1, 5] })).toThrow(
      /column index 5 is outside the declared shape/,
    );
    expect(() => SparseMatrix.fromCOO({ rows: [0], cols: [1], values: [NaN] })).toThrow(/non-finite value NaN/);
  });
  it('handles wide rows (beyond Int32 sort keys) the same way', () => {
    const nc = 3_000_000;
    const m = SparseMatrix.fromCOO({
      rows: [0, 0, 0, 0],
      cols: [nc - 1, 5, nc - 1, 0],
      values: [1, 2, 3, 4],
      shape: [1, nc],
    });
    expect(Array.from(m.indices)).toEqual([0, 5, nc - 1]);
    expect(Array.from(m.data)).toEqual([4, 2, 4]);
  });
});

describe('cooToCsrArrays', () => {
  it('the two builds (two counting sorts; a per-row sort when columns far outnumber entries) agree, times included', () => {
    for (const [seed, nr, nc, n] of [
      [5, 40, 60, 3000],
      [6, 3, 500, 2000],
      [7, 200, 7, 900],
    ]) {
      const t = randomCoo(seed, nr, nc, n);
      const rng = new Rng(seed + 100);
      const times = t.rows.map(() => rng.nextInt(50));
      for (const dup of ['sum', 'last'] as const) {
        const radix = cooToCsrArrays(t.rows, t.cols, t.values, [nr, nc], dup, times);
        // The same entries in a matrix 10^7 columns wide take the per-row sort.
        const wide = cooToCsrArrays(t.rows, t.cols, t.values, [nr, 10_000_000], dup, times);
        expect(Array.from(radix.indptr)).toEqual(Array.from(wide.indptr));
        expect(Array.from(radix.indices)).toEqual(Array.from(wide.indices));
        expect(Array.from(radix.data)).toEqual(Array.from(wide.data));
        expect(Array.from(radix.times!)).toEqual(Array.from(wide.times!));
        const dense = new Float64Array(nr * nc);
        for (let r = 0; r < nr; r++)
          for (let p = radix.indptr[r]; p < radix.indptr[r + 1]; p++) dense[r * nc + radix.indices[p]] = radix.data[p];
        expect(Array.from(dense)).toEqual(Array.from(dup === 'sum' ? t.sum : t.last));
      }
      expect(() => cooToCsrArrays(t.rows, t.cols, t.values, [nr, nc], 'error')).toThrow(/duplicate entry/);
    }
  });
});

describe('SparseMatrix operations', () => {
  const t = randomCoo(9, 12, 9, 70);
  const m = SparseMatrix.fromCOO({ rows: t.rows, cols: t.cols, values: t.values, shape: [12, 9] });
  const dense = m.toDense();
  const at = (r: number, c: number) => dense[r * 9 + c];

  it('transpose, row, rowNnz, toCOO agree with the dense matrix', () => {
    const tr = m.transpose();
    checkCsr(tr);
    expect(tr.shape).toEqual([9, 12]);
    for (let r = 0; r < 12; r++) for (let c = 0; c < 9; c++) expect(tr.toDense()[c * 12 + r]).toBe(at(r, c));
    expect(tr.transpose()).toBe(m);
    const { indices, values } = m.row(3);
    expect(m.rowNnz(3)).toBe(indices.length);
    for (let k = 0; k < indices.length; k++) expect(values[k]).toBe(at(3, indices[k]));
    const coo = m.toCOO();
    expect(Array.from(SparseMatrix.fromCOO({ ...coo, shape: [12, 9] }).toDense())).toEqual(Array.from(dense));
    expect(() => m.row(12)).toThrow(ValidationError);
  });
  it('sliceRows by range and by list', () => {
    const s = m.sliceRows(4, 9);
    checkCsr(s);
    expect(Array.from(s.toDense())).toEqual(Array.from(dense.subarray(4 * 9, 9 * 9)));
    const pick = m.sliceRows([7, 0, 7]);
    checkCsr(pick);
    expect(Array.from(pick.toDense())).toEqual([
      ...dense.subarray(63, 72),
      ...dense.subarray(0, 9),
      ...dense.subarray(63, 72),
    ]);
    expect(m.sliceRows(12).shape).toEqual([0, 9]);
    expect(() => m.sliceRows(3, 20)).toThrow(/range \[3, 20\)/);
    expect(() => m.sliceRows([0, 12])).toThrow(/row index 12 at position 1/);
  });
  it('binarize, map, eliminateZeros', () => {
    const b = m.binarize(1);
    checkCsr(b);
    for (let r = 0; r < 12; r++) for (let c = 0; c < 9; c++) expect(b.toDense()[r * 9 + c]).toBe(at(r, c) > 1 ? 1 : 0);
    const sq = m.map((v, r, c) => v * v + r - c);
    expect(sq.nnz).toBe(m.nnz);
    for (let r = 0; r < 12; r++) {
      for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) expect(sq.data[p]).toBe(m.data[p] ** 2 + r - m.indices[p]);
    }
    expect(() => m.map(() => NaN)).toThrow(/fn returned NaN for row/);
    const z = m.eliminateZeros();
    expect(Array.from(z.data).includes(0)).toBe(false);
    expect(Array.from(z.toDense())).toEqual(Array.from(dense));
  });
  it('onHeap uploads once per backend and matches the JS arrays', async () => {
    for (const name of ['wasm', 'js'] as const) {
      const backend = await init({ backend: name });
      const h = m.onHeap(backend);
      expect(m.onHeap(backend)).toBe(h);
      expect(h.indptr.toArray()).toEqual(m.indptr);
      expect(h.indices.toArray()).toEqual(m.indices);
      expect(h.data.toArray()).toEqual(m.data);
      const s = m.sliceRows(2, 5);
      expect(s.onHeap(backend).data.toArray()).toEqual(s.data);
      s.releaseHeap();
    }
    m.releaseHeap();
  });
  it('toDense refuses huge matrices', () => {
    const big = SparseMatrix.trusted(
      new Int32Array(100_001),
      new Int32Array(0),
      new Float32Array(0),
      [100_000, 100_000],
    );
    expect(() => big.toDense()).toThrow(/too large for a dense copy/);
  });
});

describe('weightings (implicit formulas, dense oracle)', () => {
  // Non-negative counts; the oracle computes implicit's bm25_weight / tfidf_weight on the dense matrix.
  const rng = new Rng(77);
  const nr = 15;
  const nc = 11;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let r = 0; r < nr; r++)
    for (let c = 0; c < nc; c++) if (rng.next() < 0.35) rows.push(r), cols.push(c), vals.push(1 + rng.nextInt(50));
  const m = SparseMatrix.fromCOO({ rows, cols, values: vals, shape: [nr, nc] });
  const D = m.toDense();
  const df = Array.from({ length: nc }, (_, c) =>
    Array.from({ length: nr }, (_, r) => (D[r * nc + c] !== 0 ? 1 : 0) as number).reduce((a, b) => a + b),
  );
  const idf = df.map((d) => Math.log(nr) - Math.log1p(d));
  const rowSum = Array.from({ length: nr }, (_, r) =>
    Array.from(D.subarray(r * nc, (r + 1) * nc)).reduce((a, b) => a + b),
  );
  const avg = rowSum.reduce((a, b) => a + b) / nr;

  it('bm25Weight matches bm25_weight(K1, B) for defaults and other settings', () => {
    for (const [K1, B] of [
      [100, 0.8],
      [1.2, 0.75],
      [0, 0],
    ]) {
      const w = K1 === 100 && B === 0.8 ? m.bm25Weight() : bm25Weight(m, { K1, B });
      const W = w.toDense();
      for (let r = 0; r < nr; r++) {
        const norm = 1 - B + (B * rowSum[r]) / avg;
        for (let c = 0; c < nc; c++) {
          const x = D[r * nc + c];
          const want = x === 0 ? 0 : ((x * (K1 + 1)) / (K1 * norm + x)) * idf[c];
          expect(W[r * nc + c]).toBeCloseTo(want, 5);
        }
      }
    }
    expect(() => m.bm25Weight({ B: 2 })).toThrow(/B must be in \[0, 1\]/);
  });
  it('tfidfWeight and logScale', () => {
    const T = tfidfWeight(m).toDense();
    const L = logScale(m, 2).toDense();
    for (let r = 0; r < nr; r++) {
      for (let c = 0; c < nc; c++) {
        const x = D[r * nc + c];
        expect(T[r * nc + c]).toBeCloseTo(Math.sqrt(x) * (x === 0 ? 0 : idf[c]), 5);
        expect(L[r * nc + c]).toBeCloseTo(Math.log1p(x / 2), 6);
      }
    }
    expect(m.logScale().data[0]).toBeCloseTo(Math.log1p(m.data[0]), 6);
  });
  it('refuse negative values and undefined averages instead of producing NaN', () => {
    const neg = SparseMatrix.fromCOO({ rows: [0, 1], cols: [0, 1], values: [1, -1] });
    expect(() => neg.tfidfWeight()).toThrow(/row 1, column 1 has value -1; weighting needs non-negative values/);
    expect(() => neg.logScale()).toThrow(ValidationError);
    const zeros = SparseMatrix.fromCOO({ rows: [0], cols: [0], values: [0] });
    expect(() => zeros.bm25Weight()).toThrow(/average row length is 0/);
    expect(() => m.logScale(0)).toThrow(/epsilon must be/);
  });
});
