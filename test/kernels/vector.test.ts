import { describe, expect, it } from 'vitest';
import { BACKENDS, SIZES, expectClose, mulberry32, onBoth, randArray, useBackend } from './util.js';

describe.each(BACKENDS)('vector kernels (%s)', (name) => {
  it('dotF32 / dotF64 equal the plain sum of products', async () => {
    const { heap, k } = await useBackend(name);
    const rng = mulberry32(11);
    for (const n of SIZES) {
      const x = Float32Array.from(randArray(rng, n));
      const y = Float32Array.from(randArray(rng, n));
      let want = 0;
      let mag = 0;
      for (let i = 0; i < n; i++) {
        want += x[i] * y[i];
        mag += Math.abs(x[i] * y[i]);
      }
      const hx = heap.copyIn(x);
      const hy = heap.copyIn(y);
      expect(Math.abs(k.dotF32(hx.ptr, hy.ptr, n) - want), `n=${n}`).toBeLessThanOrEqual(1e-6 * mag + 1e-30);
      const dx = heap.copyIn(Float64Array.from(x));
      const dy = heap.copyIn(Float64Array.from(y));
      expect(Math.abs(k.dotF64(dx.ptr, dy.ptr, n) - want), `n=${n}`).toBeLessThanOrEqual(1e-14 * mag + 1e-300);
      for (const a of [hx, hy, dx, dy]) a.free();
    }
  });

  it('axpy and scal update exactly n elements', async () => {
    const { heap, k } = await useBackend(name);
    const rng = mulberry32(12);
    for (const n of SIZES) {
      const a = 2 * rng() - 1;
      const x = randArray(rng, n);
      const y = randArray(rng, n);
      const SENT = 12345;
      for (const kind of ['f32', 'f64'] as const) {
        const T = kind === 'f32' ? Float32Array : Float64Array;
        const hx = heap.copyIn(T.from([...x, SENT, SENT, SENT]) as Float64Array);
        const hy = heap.copyIn(T.from([...y, SENT, SENT, SENT]) as Float64Array);
        const xr = hx.toArray();
        const yr = hy.toArray();
        const ar = kind === 'f32' ? Math.fround(a) : a;
        if (kind === 'f32') k.axpyF32(a, hx.ptr, hy.ptr, n);
        else k.axpyF64(a, hx.ptr, hy.ptr, n);
        const rtol = kind === 'f32' ? 2e-7 : 1e-15;
        const got = hy.toArray();
        const want = Array.from(yr, (v, i) => (i < n ? v + ar * xr[i] : v));
        for (let i = 0; i < n + 3; i++) {
          expect(Math.abs(got[i] - want[i]), `${kind} axpy n=${n} i=${i}`).toBeLessThanOrEqual(rtol * (Math.abs(yr[i]) + Math.abs(ar * xr[i])));
        }
        if (kind === 'f32') k.scalF32(a, hx.ptr, n);
        else k.scalF64(a, hx.ptr, n);
        expectClose(hx.toArray(), Array.from(xr, (v, i) => (i < n ? ar * v : v)), rtol, 0, `${kind} scal n=${n}`);
        hx.free();
        hy.free();
      }
    }
  });

  it('nrm2 is sqrt of the sum of squares (f64 accumulation for f32 input)', async () => {
    const { heap, k } = await useBackend(name);
    const rng = mulberry32(13);
    for (const n of SIZES) {
      const x = Float32Array.from(randArray(rng, n, -3, 3));
      const want = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
      const h32 = heap.copyIn(x);
      const h64 = heap.copyIn(Float64Array.from(x));
      expect(k.nrm2F32(h32.ptr, n)).toBeCloseTo(want, 10);
      expect(k.nrm2F64(h64.ptr, n)).toBeCloseTo(want, 10);
      h32.free();
      h64.free();
    }
    // Squares of 1e20 overflow f32 but not the f64 accumulator.
    const big = heap.copyIn(new Float32Array(9).fill(1e20));
    expect(k.nrm2F32(big.ptr, 9) / (3 * Math.fround(1e20))).toBeCloseTo(1, 12);
    big.free();
  });
});

describe('vector kernels: wasm agrees with the JS twin', () => {
  it('on random inputs of every tail length', async () => {
    const rng = mulberry32(14);
    for (const n of SIZES) {
      const x = randArray(rng, n);
      const y = randArray(rng, n);
      const a = rng() * 4 - 2;
      const r = await onBoth(({ heap, k }) => {
        const fx = heap.copyIn(Float32Array.from(x));
        const fy = heap.copyIn(Float32Array.from(y));
        const dx = heap.copyIn(Float64Array.from(x));
        const dy = heap.copyIn(Float64Array.from(y));
        const out = {
          dot32: k.dotF32(fx.ptr, fy.ptr, n),
          dot64: k.dotF64(dx.ptr, dy.ptr, n),
          nrm32: k.nrm2F32(fx.ptr, n),
          nrm64: k.nrm2F64(dx.ptr, n),
          axpy32: (k.axpyF32(a, fx.ptr, fy.ptr, n), fy.toArray()),
          axpy64: (k.axpyF64(a, dx.ptr, dy.ptr, n), dy.toArray()),
        };
        for (const h of [fx, fy, dx, dy]) h.free();
        return out;
      });
      const mag = x.reduce((s, v, i) => s + Math.abs(v * y[i]), 0);
      expect(Math.abs(r.wasm.dot32 - r.js.dot32)).toBeLessThanOrEqual(1e-6 * mag + 1e-30);
      expect(Math.abs(r.wasm.dot64 - r.js.dot64)).toBeLessThanOrEqual(1e-14 * mag + 1e-300);
      expect(r.wasm.nrm32).toBeCloseTo(r.js.nrm32, 12);
      expect(r.wasm.nrm64).toBeCloseTo(r.js.nrm64, 12);
      expectClose(r.wasm.axpy32, r.js.axpy32, 1e-6, 1e-6, 'axpy32');
      expectClose(r.wasm.axpy64, r.js.axpy64, 0, 0, 'axpy64');
    }
  });
});
