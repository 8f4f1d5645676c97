import { describe, expect, it } from 'vitest';
import { BACKENDS, expectClose, mulberry32, onBoth, randArray, useBackend } from './util.js';

const GRAM_SHAPES: [n: number, k: number][] = [
  [0, 3],
  [1, 1],
  [3, 5],
  [5, 3],
  [17, 8],
  [64, 17],
  [65, 64],
  [300, 65],
  [130, 12],
  [7, 0],
];

const GEMV_SHAPES: [m: number, n: number][] = [
  [0, 4],
  [4, 0],
  [1, 1],
  [3, 5],
  [5, 3],
  [17, 64],
  [64, 17],
  [65, 65],
  [9, 130],
];

/** Oracle y = alpha·op(A)·x + beta·y over the rounded inputs; with the magnitude for a tolerance. */
function gemvOracle(A: ArrayLike<number>, m: number, n: number, x: ArrayLike<number>, y: ArrayLike<number>, alpha: number, beta: number, trans: boolean) {
  const outLen = trans ? n : m;
  const inLen = trans ? m : n;
  const want: number[] = [];
  const mag: number[] = [];
  for (let o = 0; o < outLen; o++) {
    let s = 0;
    let a = 0;
    for (let i = 0; i < inLen; i++) {
      const v = trans ? A[i * n + o] : A[o * n + i];
      s += v * x[i];
      a += Math.abs(v * x[i]);
    }
    want.push(beta === 0 ? alpha * s : alpha * s + beta * y[o]);
    mag.push(Math.abs(alpha) * a + (beta === 0 ? 0 : Math.abs(beta * y[o])));
  }
  return { want, mag };
}

describe.each(BACKENDS)('dense kernels (%s)', (name) => {
  it('gramF32 computes the full symmetric XᵀX', async () => {
    const { heap, k: K } = await useBackend(name);
    const rng = mulberry32(31);
    for (const [n, k] of GRAM_SHAPES) {
      const X = Float32Array.from(randArray(rng, n * k));
      const hx = heap.copyIn(X);
      const hg = heap.copyIn(new Float32Array(k * k).fill(Number.NaN)); // old contents must not matter
      K.gramF32(hx.ptr, n, k, hg.ptr);
      const G = hg.toArray();
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let s = 0;
          let mag = 0;
          for (let i = 0; i < n; i++) {
            s += X[i * k + a] * X[i * k + b];
            mag += Math.abs(X[i * k + a] * X[i * k + b]);
          }
          const g = G[a * k + b];
          if (!(Math.abs(g - s) <= 2e-6 * mag)) expect.fail(`gram ${n}x${k} G[${a},${b}] = ${g}, want ${s}`);
          expect(G[b * k + a]).toBe(g); // exactly symmetric
        }
      }
      hx.free();
      hg.free();
    }
  });

  for (const trans of [false, true]) {
    const fn = trans ? 'gemvT' : 'gemv';
    it(`${fn}F32 / ${fn}F64 with alpha/beta (beta = 0 ignores NaN in y)`, async () => {
      const { heap, k } = await useBackend(name);
      const rng = mulberry32(trans ? 33 : 32);
      for (const [m, n] of GEMV_SHAPES) {
        for (const [alpha, beta] of [
          [1, 0],
          [-0.5, 0],
          [2, 1],
          [1.5, -0.25],
        ]) {
          const A = randArray(rng, m * n);
          const x = randArray(rng, trans ? m : n);
          const outLen = trans ? n : m;
          const y = beta === 0 ? new Array<number>(outLen).fill(Number.NaN) : randArray(rng, outLen);
          for (const kind of ['f32', 'f64'] as const) {
            const T = kind === 'f32' ? Float32Array : Float64Array;
            const [Ar, xr, yr] = [T.from(A), T.from(x), T.from(y)];
            const hA = heap.copyIn(Ar as Float64Array);
            const hx = heap.copyIn(xr as Float64Array);
            const hy = heap.copyIn(T.from([...yr, -9]) as Float64Array); // sentinel after y
            const f = kind === 'f32' ? (trans ? k.gemvTF32 : k.gemvF32) : trans ? k.gemvTF64 : k.gemvF64;
            f(hA.ptr, m, n, hx.ptr, hy.ptr, alpha, beta);
            const { want, mag } = gemvOracle(Ar, m, n, xr, yr, alpha, beta, trans);
            const got = hy.toArray();
            const tol = kind === 'f32' ? 2e-6 : 1e-14;
            for (let o = 0; o < outLen; o++) {
              if (!(Math.abs(got[o] - want[o]) <= tol * mag[o] + 1e-30)) {
                expect.fail(`${kind} ${fn} ${m}x${n} a=${alpha} b=${beta} y[${o}] = ${got[o]}, want ${want[o]}`);
              }
            }
            expect(got[outLen]).toBe(-9);
            for (const h of [hA, hx, hy]) h.free();
          }
        }
      }
    });
  }
});

describe('dense kernels: wasm agrees with the JS twin', () => {
  it('gram and gemv on a 257×64 matrix', async () => {
    const rng = mulberry32(34);
    const X = randArray(rng, 257 * 64);
    const v = randArray(rng, 257);
    const w = randArray(rng, 64);
    const r = await onBoth(({ heap, k }) => {
      const hx = heap.copyIn(Float64Array.from(X));
      const hv = heap.copyIn(Float64Array.from(v));
      const hw = heap.copyIn(Float64Array.from(w));
      const o1 = heap.allocArray('f64', 64);
      const o2 = heap.allocArray('f64', 257);
      k.gemvTF64(hx.ptr, 257, 64, hv.ptr, o1.ptr, 1, 0);
      k.gemvF64(hx.ptr, 257, 64, hw.ptr, o2.ptr, 1, 0);
      const x32 = heap.copyIn(Float32Array.from(X));
      const g = heap.allocArray('f32', 64 * 64);
      k.gramF32(x32.ptr, 257, 64, g.ptr);
      const out = { t: o1.toArray(), n: o2.toArray(), g: g.toArray() };
      for (const h of [hx, hv, hw, o1, o2, x32, g]) h.free();
      return out;
    });
    expectClose(r.wasm.t, r.js.t, 1e-12, 1e-12, 'gemvT');
    expectClose(r.wasm.n, r.js.n, 1e-12, 1e-12, 'gemv');
    expectClose(r.wasm.g, r.js.g, 1e-5, 1e-4, 'gram');
  });
});
