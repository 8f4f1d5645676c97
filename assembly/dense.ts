// Dense f64 matrix-vector products on row-major matrices (A·x, Aᵀ·x): the building blocks of
// reorthF64 in lanczos.ts. Not module exports (index.ts does not re-export this file).

@inline function hsumF64(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** y = alpha·A·x + beta·y (A m×n, f64). */
export function gemvF64(A: usize, m: i32, n: i32, x: usize, y: usize, alpha: f64, beta: f64): void {
  const rs = (<usize>n) << 3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const p0 = A + (<usize>i) * rs;
    const p1 = p0 + rs;
    const p2 = p1 + rs;
    const p3 = p2 + rs;
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      const xv = v128.load(x + o);
      a0 = f64x2.add(a0, f64x2.mul(v128.load(p0 + o), xv));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(p1 + o), xv));
      a2 = f64x2.add(a2, f64x2.mul(v128.load(p2 + o), xv));
      a3 = f64x2.add(a3, f64x2.mul(v128.load(p3 + o), xv));
    }
    let s0 = hsumF64(a0);
    let s1 = hsumF64(a1);
    let s2 = hsumF64(a2);
    let s3 = hsumF64(a3);
    if (j < n) {
      const o = (<usize>j) << 3;
      const xj = load<f64>(x + o);
      s0 += load<f64>(p0 + o) * xj;
      s1 += load<f64>(p1 + o) * xj;
      s2 += load<f64>(p2 + o) * xj;
      s3 += load<f64>(p3 + o) * xj;
    }
    const q = y + ((<usize>i) << 3);
    if (beta == 0) {
      store<f64>(q, alpha * s0);
      store<f64>(q, alpha * s1, 8);
      store<f64>(q, alpha * s2, 16);
      store<f64>(q, alpha * s3, 24);
    } else {
      store<f64>(q, alpha * s0 + beta * load<f64>(q));
      store<f64>(q, alpha * s1 + beta * load<f64>(q, 8), 8);
      store<f64>(q, alpha * s2 + beta * load<f64>(q, 16), 16);
      store<f64>(q, alpha * s3 + beta * load<f64>(q, 24), 24);
    }
  }
  for (; i < m; i++) {
    const p = A + (<usize>i) * rs;
    let a0 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      a0 = f64x2.add(a0, f64x2.mul(v128.load(p + o), v128.load(x + o)));
    }
    let s = hsumF64(a0);
    if (j < n) s += load<f64>(p + ((<usize>j) << 3)) * load<f64>(x + ((<usize>j) << 3));
    const q = y + ((<usize>i) << 3);
    store<f64>(q, beta == 0 ? alpha * s : alpha * s + beta * load<f64>(q));
  }
}

@inline function scaleOrZeroF64(y: usize, n: i32, beta: f64): void {
  if (beta == 0) {
    memory.fill(y, 0, (<usize>n) << 3);
  } else if (beta != 1) {
    const vb = f64x2.splat(beta);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const q = y + ((<usize>j) << 3);
      v128.store(q, f64x2.mul(vb, v128.load(q)));
    }
    if (j < n) {
      const q = y + ((<usize>j) << 3);
      store<f64>(q, beta * load<f64>(q));
    }
  }
}

/** y (n) = alpha·Aᵀ·x + beta·y for A m×n (f64). */
export function gemvTF64(A: usize, m: i32, n: i32, x: usize, y: usize, alpha: f64, beta: f64): void {
  scaleOrZeroF64(y, n, beta);
  const rs = (<usize>n) << 3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const xp = x + ((<usize>i) << 3);
    const c0 = alpha * load<f64>(xp);
    const c1 = alpha * load<f64>(xp, 8);
    const c2 = alpha * load<f64>(xp, 16);
    const c3 = alpha * load<f64>(xp, 24);
    const v0 = f64x2.splat(c0);
    const v1 = f64x2.splat(c1);
    const v2 = f64x2.splat(c2);
    const v3 = f64x2.splat(c3);
    const p0 = A + (<usize>i) * rs;
    const p1 = p0 + rs;
    const p2 = p1 + rs;
    const p3 = p2 + rs;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      const t = f64x2.add(f64x2.mul(v0, v128.load(p0 + o)), f64x2.mul(v1, v128.load(p1 + o)));
      const u = f64x2.add(f64x2.mul(v2, v128.load(p2 + o)), f64x2.mul(v3, v128.load(p3 + o)));
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.add(t, u)));
    }
    if (j < n) {
      const o = (<usize>j) << 3;
      store<f64>(y + o, load<f64>(y + o) + ((c0 * load<f64>(p0 + o) + c1 * load<f64>(p1 + o)) + (c2 * load<f64>(p2 + o) + c3 * load<f64>(p3 + o))));
    }
  }
  for (; i < m; i++) {
    const c = alpha * load<f64>(x + ((<usize>i) << 3));
    const v = f64x2.splat(c);
    const p = A + (<usize>i) * rs;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(v, v128.load(p + o))));
    }
    if (j < n) {
      const o = (<usize>j) << 3;
      store<f64>(y + o, load<f64>(y + o) + c * load<f64>(p + o));
    }
  }
}
