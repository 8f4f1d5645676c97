// Every kernel's declared scratch size (src/kernels/declarations.ts, the one place it is written) covers what
// the kernel uses: each runs with exactly its declared bytes followed by a guard region that must come back
// untouched, and its results do not depend on what the scratch held before (the runner hands out reused
// blocks). Run on the WASM kernels (whose layouts the sizes describe) and the twins.
import { describe, expect, it } from 'vitest';
import { KERNELS, rnd4, type ScratchKernel } from '../../src/kernels/declarations.js';
import { init, type Backend } from '../../src/runtime/backend.js';
import type { HeapArray } from '../../src/runtime/heap.js';
import { Rng } from '../../src/random.js';
import { SparseMatrix } from '../../src/data/csr.js';

const GUARD = 512;
const COVERED: ScratchKernel[] = [
  'alsGramBlocks',
  'alsGramBlocks32',
  'alsImplicitCholesky',
  'alsImplicitSubspace',
  'csrReorder',
  'symEigF64',
  'alsImplicitCg',
  'alsImplicitLoss',
  'alsExplicit',
  'scoreTopkF32',
  'lmfRows',
];

/** A matrix with short rows (the Woodbury path), empty rows and one long row (`longest` entries). */
function matrix(rows: number, cols: number, longest: number, seed: number): SparseMatrix {
  const rng = new Rng(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let u = 0; u < rows; u++) {
    const n = u === 7 ? longest : u % 11 === 0 ? 0 : 1 + Math.floor(rng.next() * 10);
    const picked = new Set<number>();
    while (picked.size < n) picked.add(Math.floor(rng.next() * cols));
    for (const i of picked) {
      r.push(u);
      c.push(i);
      v.push(1 + Math.floor(rng.next() * 4));
    }
  }
  return SparseMatrix.fromCOO({ rows: r, cols: c, values: v, shape: [rows, cols] });
}

interface Case {
  kernel: ScratchKernel;
  sizing: Record<string, number>;
  longestRow: number;
  /** Run the kernel with scratch at byte offset `scratch`; return what it wrote. */
  run(b: Backend, scratch: number): Float64Array;
}

function cases(b: Backend, k: number): { cases: Case[]; free(): void } {
  const heap = b.heap;
  const rng = new Rng(k);
  const nU = 100;
  const nI = 80;
  const longest = 70;
  const m = matrix(nU, nI, longest, k);
  const h = m.onHeap(b);
  const kp = rnd4(k);
  const Y = heap.copyIn(rng.fillNormal(new Float32Array(nI * (k + 2)), 0, 0.3));
  const G64 = heap.allocArray('f64', rnd4(k + 1) ** 2);
  const G32 = heap.allocArray('f32', rnd4(k + 1) ** 2);
  const X = heap.allocArray('f32', nU * (k + 2));
  const P = heap.allocArray('f64', 4 * kp * kp);
  const reg = heap.copyIn(Float32Array.from({ length: nU }, (_, i) => 0.1 + (i % 3)));
  const gramScratch = heap.allocArray('u8', 256 * kp);
  b.k.alsGramBlocks(Y.ptr, nI, k, k, 32, P.ptr, 0, 3, gramScratch.ptr);
  b.k.alsGramReduce(k, 0.5, 3, P.ptr, G64.ptr, G32.ptr);
  const out = (a: HeapArray<'f32' | 'f64' | 'i32'>) => Float64Array.from(a.view);
  const csr = [h.indptr.ptr, h.indices.ptr, h.data.ptr] as const;
  // G's eigenbasis and the fixed rows projected into it (Y's rows are k + 2 floats: project a packed copy).
  const A = heap.allocArray('f64', kp * kp);
  const V = heap.allocArray('f64', kp * kp);
  const lam = heap.allocArray('f64', kp);
  const eigWork = heap.allocArray('f64', kp * kp + 4 * kp);
  const Yk = heap.allocArray('f32', nI * k);
  for (let i = 0; i < nI; i++) Yk.view.set(Y.view.subarray(i * (k + 2), i * (k + 2) + k), i * k);
  const Ye = heap.allocArray('f64', nI * kp);
  A.view.set(G64.view.subarray(0, kp * kp));
  b.k.symEigF64(A.ptr, V.ptr, lam.ptr, k, eigWork.ptr);
  b.k.alsEigProject(Yk.ptr, V.ptr, Ye.ptr, k, 0, nI);
  const sorted = [heap.allocArray('i32', nU + 1), heap.allocArray('i32', m.nnz), heap.allocArray('f32', m.nnz)];
  const sortedRows = heap.allocArray('i32', nU);
  const cholesky = (regRows: number, eigMax: number): Case => ({
    kernel: 'alsImplicitCholesky',
    sizing: eigMax > 0 ? { k, V: 1, eigMax } : { k },
    longestRow: longest,
    run: (_, s) => {
      X.view.fill(0);
      const eig = eigMax > 0 ? [V.ptr, lam.ptr, Ye.ptr, eigMax] : [0, 0, 0, 0];
      const code = b.k.alsImplicitCholesky(
        ...csr,
        Yk.ptr,
        G64.ptr,
        G32.ptr,
        X.ptr,
        0,
        nU,
        k,
        2,
        1,
        1,
        s,
        regRows,
        ...eig,
      );
      return Float64Array.of(code, ...out(X));
    },
  });
  const implicit = (regRows: number): Case[] => [
    cholesky(regRows, 0),
    cholesky(regRows, 12),
    ...[4, 8, 32].map(
      (block): Case => ({
        kernel: 'alsImplicitSubspace',
        sizing: { k, block, batchNnz: 4 * longest },
        longestRow: 0,
        run: (_, s) => {
          X.view.fill(0.01);
          const code = b.k.alsImplicitSubspace(
            ...csr,
            Y.ptr,
            G32.ptr,
            X.ptr,
            0,
            nU,
            k,
            2,
            1,
            1,
            block,
            4 * longest,
            s,
            regRows,
          );
          return Float64Array.of(code, ...out(X));
        },
      }),
    ),
    {
      kernel: 'alsImplicitCg',
      sizing: { k },
      longestRow: longest,
      run: (_, s) => {
        X.view.fill(0.01);
        const code = b.k.alsImplicitCg(...csr, Y.ptr, G32.ptr, X.ptr, 0, nU, k, 2, 1, 0, 3, s, regRows);
        return Float64Array.of(code, ...out(X));
      },
    },
    {
      kernel: 'alsImplicitLoss',
      sizing: { k },
      longestRow: 0,
      run: (_, s) => Float64Array.of(b.k.alsImplicitLoss(...csr, X.ptr, Y.ptr, G64.ptr, 0, nU, k, 2, 1, 1, s, regRows)),
    },
  ];
  const list: Case[] = [
    ...(['alsGramBlocks', 'alsGramBlocks32'] as const).map(
      (kernel): Case => ({
        kernel,
        sizing: { k },
        longestRow: 0,
        run: (_, s) => {
          b.k[kernel](Y.ptr, nI, k, k + 2, 32, P.ptr, 0, 3, s);
          return out(P);
        },
      }),
    ),
    {
      kernel: 'symEigF64',
      sizing: { k },
      longestRow: 0,
      run: (_, s) => {
        A.view.set(G64.view.subarray(0, kp * kp));
        const code = b.k.symEigF64(A.ptr, V.ptr, lam.ptr, k, s);
        return Float64Array.of(code, ...out(V), ...out(lam));
      },
    },
    ...[0, 1].map(
      (transpose): Case => ({
        kernel: 'csrReorder',
        sizing: { nr: nU, nc: nI },
        longestRow: 0,
        run: (_, s) => {
          const [ip, ix, dt] = sorted;
          b.k.csrReorder(
            ...csr,
            nU,
            nI,
            transpose,
            transpose,
            ip.ptr,
            ix.ptr,
            dt.ptr,
            transpose ? sortedRows.ptr : 0,
            s,
          );
          return Float64Array.of(...out(ix), ...out(dt), ...(transpose ? out(sortedRows) : []));
        },
      }),
    ),
    ...implicit(0),
    ...implicit(reg.ptr),
    ...([1, 2] as const).map(
      (mode): Case => ({
        kernel: 'alsExplicit',
        sizing: { k },
        longestRow: longest,
        run: (_, s) => {
          X.view.fill(0);
          const code = b.k.alsExplicit(...csr, Y.ptr, X.ptr, k + 2, 0, nU, k, 0.1, 1, mode, 3, s);
          return Float64Array.of(code, ...out(X));
        },
      }),
    ),
    {
      kernel: 'lmfRows',
      sizing: { k },
      longestRow: 0,
      run: (_, s) => {
        // X and F rows of k + 2 floats; conf: the matrix's values; sampled negatives (negProp 0.5).
        X.view.fill(0.01);
        const acc = heap.allocArray('f32', nU * (k + 2));
        b.k.lmfRows(...csr, Y.ptr, X.ptr, acc.ptr, nI, k, 0, 0.5, 1, 0.05, 0.01, 3, 4, s, 0, nU);
        const r = Float64Array.of(...out(X), ...out(acc));
        acc.free();
        return r;
      },
    },
    {
      kernel: 'scoreTopkF32',
      sizing: { blockRows: 4, nCols: nI },
      longestRow: 0,
      run: (_, s) => {
        const idx = heap.allocArray('i32', 10 * 5);
        const sc = heap.allocArray('f32', 10 * 5);
        b.k.scoreTopkF32(X.ptr, 0, 10, Y.ptr, 0, nI, k, 5, 0, 0, h.indices.ptr, 3, s, 4, idx.ptr, sc.ptr, 0);
        const r = Float64Array.of(...idx.view, ...sc.view);
        idx.free();
        sc.free();
        return r;
      },
    },
  ];
  const free = () => {
    for (const a of [Y, G64, G32, X, P, reg, gramScratch, A, V, lam, eigWork, Yk, Ye, ...sorted, sortedRows]) a.free();
  };
  return { cases: list, free };
}

describe.each(['wasm', 'js'] as const)('declared scratch sizes (%s)', (name) => {
  it('are checked for every kernel with scratch', () => {
    const withScratch = Object.entries(KERNELS)
      .filter(([, d]) => 'scratch' in d)
      .map(([n]) => n);
    expect(withScratch.sort()).toEqual([...COVERED].sort());
  });

  for (const k of [7, 16, 33]) {
    it(`are enough, and results do not depend on the scratch's contents (k = ${k})`, async () => {
      const b = await init({ backend: name });
      const { cases: list, free } = cases(b, k);
      for (const c of list) {
        const bytes = (KERNELS[c.kernel].scratch as (a: never, longestRow: number) => number)(
          c.sizing as never,
          c.longestRow,
        );
        const block = b.heap.allocArray('u8', bytes + GUARD);
        const results: Float64Array[] = [];
        for (const fill of [0x00, 0xff]) {
          const v = block.view;
          v.fill(fill, 0, bytes);
          v.fill(0x5a, bytes);
          results.push(c.run(b, block.ptr));
          const guard = block.view.subarray(bytes);
          expect(
            guard.every((x) => x === 0x5a),
            `${c.kernel} wrote past its ${bytes} declared bytes`,
          ).toBe(true);
        }
        expect(Array.from(results[1]), `${c.kernel}: results depend on the scratch's contents`).toEqual(
          Array.from(results[0]),
        );
        block.free();
      }
      free();
    });
  }
});
