import { describe, expect, it } from 'vitest';
import { BACKENDS, SIZES, expectClose, mulberry32, onBoth, randArray, useBackend } from './util.js';

describe.each(BACKENDS)('vector kernels (%s)', (name) => {
  it('dotF64 equals the plain sum of products', async () => {
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
      const dx = heap.copyIn(Float64Array.from(x));
      const dy = heap.copyIn(Float64Array.from(y));
      expect(Math.abs(k.dotF64(dx.ptr, dy.ptr, n) - want), `n=${n}`).toBeLessThanOrEqual(1e-14 * mag + 1e-300);
      for (const a of [dx, dy]) a.free();
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
      for (const kind of ['f64'] as const) {
        const T = Float64Array;
        const hx = heap.copyIn(T.from([...x, SENT, SENT, SENT]) as Float64Array);
        const hy = heap.copyIn(T.from([...y, SENT, SENT, SENT]) as Float64Array);
        const xr = hx.toArray();
        const yr = hy.toArray();
        const ar = a;
        k.axpyF64(a, hx.ptr, hy.ptr, n);
        const rtol = 1e-15;
        const got = hy.toArray();
        const want = Array.from(yr, (v, i) => (i < n ? v + ar * xr[i] : v));
        for (let i = 0; i < n + 3; i++) {
          expect(Math.abs(got[i] - want[i]), `${kind} axpy n=${n} i=${i}`).toBeLessThanOrEqual(
            rtol * (Math.abs(yr[i]) + Math.abs(ar * xr[i])),
          );
        }
        k.scalF64(a, hx.ptr, n);
        expectClose(
          hx.toArray(),
          Array.from(xr, (v, i) => (i < n ? ar * v : v)),
          rtol,
          0,
          `${kind} scal n=${n}`,
        );
        hx.free();
        hy.free();
      }
    }
  });

  it('nrm2F64 is sqrt of the sum of squares', async () => {
    const { heap, k } = await useBackend(name);
    const rng = mulberry32(13);
    for (const n of SIZES) {
      const x = Float32Array.from(randArray(rng, n, -3, 3));
      const want = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
      const h64 = heap.copyIn(Float64Array.from(x));
      expect(k.nrm2F64(h64.ptr, n)).toBeCloseTo(want, 10);
      h64.free();
    }
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
        const dx = heap.copyIn(Float64Array.from(x));
        const dy = heap.copyIn(Float64Array.from(y));
        const out = {
          dot64: k.dotF64(dx.ptr, dy.ptr, n),
          nrm64: k.nrm2F64(dx.ptr, n),
          axpy64: (k.axpyF64(a, dx.ptr, dy.ptr, n), dy.toArray()),
        };
        for (const h of [dx, dy]) h.free();
        return out;
      });
      const mag = x.reduce((s, v, i) => s + Math.abs(v * y[i]), 0);
      expect(Math.abs(r.wasm.dot64 - r.js.dot64)).toBeLessThanOrEqual(1e-14 * mag + 1e-300);
      expect(r.wasm.nrm64).toBeCloseTo(r.js.nrm64, 12);
      expectClose(r.wasm.axpy64, r.js.axpy64, 0, 0, 'axpy64');
    }
  });
});
