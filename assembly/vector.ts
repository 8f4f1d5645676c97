// Level-1 vector kernels (dot, axpy, scal, nrm2) in f64. Pointers are byte offsets, n is an
// element count. The SIMD main loops use several independent accumulators so the add latency is hidden;
// a 1-vector loop and a scalar tail handle lengths that are not a multiple of the unrolled width.

/** Σ x[i]·y[i] over f64 vectors (4 vectors × 2 lanes). */
export function dotF64(x: usize, y: usize, n: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = (<usize>i) << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(x + o, 32), v128.load(y + o, 32)));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(x + o, 48), v128.load(y + o, 48)));
  }
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
  }
  a0 = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  if (i < n) {
    const o = (<usize>i) << 3;
    s += load<f64>(x + o) * load<f64>(y + o);
  }
  return s;
}

/** y ← a·x + y (f64). */
export function axpyF64(a: f64, x: usize, y: usize, n: i32): void {
  const va = f64x2.splat(a);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const xo = x + ((<usize>i) << 3);
    const yo = y + ((<usize>i) << 3);
    const y0 = f64x2.add(v128.load(yo), f64x2.mul(va, v128.load(xo)));
    const y1 = f64x2.add(v128.load(yo, 16), f64x2.mul(va, v128.load(xo, 16)));
    const y2 = f64x2.add(v128.load(yo, 32), f64x2.mul(va, v128.load(xo, 32)));
    const y3 = f64x2.add(v128.load(yo, 48), f64x2.mul(va, v128.load(xo, 48)));
    v128.store(yo, y0);
    v128.store(yo, y1, 16);
    v128.store(yo, y2, 32);
    v128.store(yo, y3, 48);
  }
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(va, v128.load(x + o))));
  }
  if (i < n) {
    const o = (<usize>i) << 3;
    store<f64>(y + o, load<f64>(y + o) + a * load<f64>(x + o));
  }
}

/** x ← a·x (f64). */
export function scalF64(a: f64, x: usize, n: i32): void {
  const va = f64x2.splat(a);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + ((<usize>i) << 3);
    v128.store(p, f64x2.mul(va, v128.load(p)));
    v128.store(p, f64x2.mul(va, v128.load(p, 16)), 16);
    v128.store(p, f64x2.mul(va, v128.load(p, 32)), 32);
    v128.store(p, f64x2.mul(va, v128.load(p, 48)), 48);
  }
  for (; i + 2 <= n; i += 2) {
    const p = x + ((<usize>i) << 3);
    v128.store(p, f64x2.mul(va, v128.load(p)));
  }
  if (i < n) {
    const p = x + ((<usize>i) << 3);
    store<f64>(p, a * load<f64>(p));
  }
}

/** ‖x‖₂ of an f64 vector (plain sum of squares; inputs near f64 overflow are not a use case here). */
export function nrm2F64(x: usize, n: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + ((<usize>i) << 3);
    const v0 = v128.load(p);
    const v1 = v128.load(p, 16);
    const v2 = v128.load(p, 32);
    const v3 = v128.load(p, 48);
    a0 = f64x2.add(a0, f64x2.mul(v0, v0));
    a1 = f64x2.add(a1, f64x2.mul(v1, v1));
    a2 = f64x2.add(a2, f64x2.mul(v2, v2));
    a3 = f64x2.add(a3, f64x2.mul(v3, v3));
  }
  for (; i + 2 <= n; i += 2) {
    const v = v128.load(x + ((<usize>i) << 3));
    a0 = f64x2.add(a0, f64x2.mul(v, v));
  }
  a0 = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  if (i < n) {
    const v = load<f64>(x + ((<usize>i) << 3));
    s += v * v;
  }
  return Math.sqrt(s);
}
