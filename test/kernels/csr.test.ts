import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/runtime/backend.js';
import {
  BACKENDS,
  type Csr,
  expectClose,
  mulberry32,
  onBoth,
  randArray,
  randInt,
  randomCsr,
  useBackend,
} from './util.js';

const SENT = -777;

/** Dense oracle over the (f32) values: y[r] = Σ A[r,j] x[j] for r in [r0, r1). */
function mvOracle(A: Csr, x: ArrayLike<number>, r0: number, r1: number): { y: number[]; mag: number[] } {
  const y: number[] = [];
  const mag: number[] = [];
  for (let r = r0; r < r1; r++) {
    let s = 0;
    let m = 0;
    for (let j = A.indptr[r]; j < A.indptr[r + 1]; j++) {
      s += A.data[j] * x[A.indices[j]];
      m += Math.abs(A.data[j] * x[A.indices[j]]);
    }
    y.push(s);
    mag.push(m);
  }
  return { y, mag };
}

function upload(b: Backend, A: Csr) {
  return { ip: b.heap.copyIn(A.indptr), ix: b.heap.copyIn(A.indices), d: b.heap.copyIn(A.data) };
}

/** Shapes: empty, single row/column, row lengths around every unroll boundary, a wide one. */
const SHAPES: [rows: number, cols: number, maxPerRow: number][] = [
  [0, 5, 3],
  [1, 1, 1],
  [3, 5, 5],
  [5, 17, 17],
  [17, 64, 40],
  [64, 65, 65],
  [65, 300, 33],
  [200, 1000, 70],
];

describe.each(BACKENDS)('CSR kernel (%s)', (name) => {
  it('csrMvF64 matches the dense product on full and partial row ranges', async () => {
    const b = await useBackend(name);
    const { heap, k } = b;
    const rng = mulberry32(21);
    for (const [m, n, per] of SHAPES) {
      const A = randomCsr(rng, m, n, per);
      const x = randArray(rng, n);
      const ranges: [number, number][] = [[0, m]];
      if (m > 2) ranges.push([1, m - 1], [randInt(rng, 0, m - 1), m], [Math.floor(m / 2), Math.floor(m / 2)]);
      const { ip, ix, d } = upload(b, A);
      for (const [r0, r1] of ranges) {
        const hx = heap.copyIn(Float64Array.from(x));
        const hy = heap.copyIn(new Float64Array(m).fill(SENT));
        k.csrMvF64(ip.ptr, ix.ptr, d.ptr, hx.ptr, hy.ptr, r0, r1);
        const { y, mag } = mvOracle(A, x, r0, r1);
        const got = hy.toArray();
        for (let r = 0; r < m; r++) {
          if (r < r0 || r >= r1) expect(got[r], `row ${r} outside [${r0},${r1}) untouched`).toBe(SENT);
          else
            expect(Math.abs(got[r] - y[r - r0]), `${m}x${n} row ${r}`).toBeLessThanOrEqual(1e-14 * mag[r - r0] + 1e-30);
        }
        hx.free();
        hy.free();
      }
      for (const a of [ip, ix, d]) a.free();
    }
  });

  it('handles a matrix whose rows are all empty', async () => {
    const b = await useBackend(name);
    const A = randomCsr(mulberry32(23), 9, 4, 3, 1);
    expect(A.indices.length).toBe(0);
    const { ip, ix, d } = upload(b, A);
    const hx = b.heap.copyIn(new Float64Array(9).fill(1));
    const hy = b.heap.copyIn(new Float64Array(9).fill(SENT));
    b.k.csrMvF64(ip.ptr, ix.ptr, d.ptr, hx.ptr, hy.ptr, 0, 9);
    expect(Array.from(hy.toArray())).toEqual(new Array(9).fill(0));
    for (const a of [ip, ix, d, hx, hy]) a.free();
  });
});

describe('CSR kernel: wasm agrees with the JS twin', () => {
  it('on a random 300×500 matrix', async () => {
    const rng = mulberry32(24);
    const A = randomCsr(rng, 300, 500, 90);
    const x = randArray(rng, 500);
    const r = await onBoth((b) => {
      const { ip, ix, d } = upload(b, A);
      const hx = b.heap.copyIn(Float64Array.from(x));
      const hy = b.heap.allocArray('f64', 300);
      b.k.csrMvF64(ip.ptr, ix.ptr, d.ptr, hx.ptr, hy.ptr, 0, 300);
      const mv = hy.toArray();
      for (const a of [ip, ix, d, hx, hy]) a.free();
      return { mv };
    });
    expectClose(r.wasm.mv, r.js.mv, 1e-13, 1e-13, 'mv');
  });
});
