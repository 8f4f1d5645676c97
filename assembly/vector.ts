// Level-1 vector kernels (dot, axpy, scal, nrm2) in f32 and f64. Pointers are byte offsets, n is an
// element count. The SIMD main loops use several independent accumulators so the add latency is hidden;
// a 1-vector loop and a scalar tail handle lengths that are not a multiple of the unrolled width.

/** Σ x[i]·y[i] over f32 vectors, accumulated in f32 lanes (4 vectors × 4 lanes). */
export function dotF32(x: usize, y: usize, n: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = (<usize>i) << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
    a2 = f32x4.add(a2, f32x4.mul(v128.load(x + o, 32), v128.load(y + o, 32)));
    a3 = f32x4.add(a3, f32x4.mul(v128.load(x + o, 48), v128.load(y + o, 48)));
  }
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  }
  a0 = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
  let s = f32x4.extract_lane(a0, 0) + f32x4.extract_lane(a0, 1) + (f32x4.extract_lane(a0, 2) + f32x4.extract_lane(a0, 3));
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    s += load<f32>(x + o) * load<f32>(y + o);
  }
  return s;
}

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

/** y ← a·x + y (f32). */
export function axpyF32(a: f32, x: usize, y: usize, n: i32): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const xo = x + ((<usize>i) << 2);
    const yo = y + ((<usize>i) << 2);
    const y0 = f32x4.add(v128.load(yo), f32x4.mul(va, v128.load(xo)));
    const y1 = f32x4.add(v128.load(yo, 16), f32x4.mul(va, v128.load(xo, 16)));
    const y2 = f32x4.add(v128.load(yo, 32), f32x4.mul(va, v128.load(xo, 32)));
    const y3 = f32x4.add(v128.load(yo, 48), f32x4.mul(va, v128.load(xo, 48)));
    v128.store(yo, y0);
    v128.store(yo, y1, 16);
    v128.store(yo, y2, 32);
    v128.store(yo, y3, 48);
  }
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
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

/** x ← a·x (f32). */
export function scalF32(a: f32, x: usize, n: i32): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + ((<usize>i) << 2);
    v128.store(p, f32x4.mul(va, v128.load(p)));
    v128.store(p, f32x4.mul(va, v128.load(p, 16)), 16);
    v128.store(p, f32x4.mul(va, v128.load(p, 32)), 32);
    v128.store(p, f32x4.mul(va, v128.load(p, 48)), 48);
  }
  for (; i + 4 <= n; i += 4) {
    const p = x + ((<usize>i) << 2);
    v128.store(p, f32x4.mul(va, v128.load(p)));
  }
  for (; i < n; i++) {
    const p = x + ((<usize>i) << 2);
    store<f32>(p, a * load<f32>(p));
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

/**
 * ‖x‖₂ of an f32 vector. Squares are accumulated in f64 (each f32x4 is widened to two f64x2): no
 * overflow for |x| up to f32 max and no loss for long vectors; nrm2 is not on a hot path.
 */
export function nrm2F32(x: usize, n: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + ((<usize>i) << 2);
    const v = v128.load(p);
    const w = v128.load(p, 16);
    const v0 = f64x2.promote_low_f32x4(v);
    const v1 = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    const w0 = f64x2.promote_low_f32x4(w);
    const w1 = f64x2.promote_low_f32x4(v128.shuffle<f32>(w, w, 2, 3, 0, 1));
    a0 = f64x2.add(a0, f64x2.mul(v0, v0));
    a1 = f64x2.add(a1, f64x2.mul(v1, v1));
    a2 = f64x2.add(a2, f64x2.mul(w0, w0));
    a3 = f64x2.add(a3, f64x2.mul(w1, w1));
  }
  a0 = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + ((<usize>i) << 2));
    s += v * v;
  }
  return Math.sqrt(s);
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
