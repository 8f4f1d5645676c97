// Dense kernels on row-major matrices: the Gram matrix XᵀX and matrix-vector products (A·x, Aᵀ·x).

/** Rows of X handled per pass over G, so the chunk of X (CHUNK·k·4 bytes) stays in cache across tiles. */
const GRAM_CHUNK: i32 = 128;

/**
 * G[a..a+4, b..b+8] += Σ_{i∈[i0,i1)} X[i,a..a+4]ᵀ·X[i,b..b+8]: a 4×8 register tile (8 accumulators),
 * each row costing two vector loads and four broadcast loads for 32 multiply-adds.
 */
@inline function gramTile4x8(X: usize, rs: usize, i0: i32, i1: i32, a: i32, b: i32, G: usize): void {
  const g = G + (<usize>a) * rs + ((<usize>b) << 2);
  let c00 = v128.load(g);
  let c01 = v128.load(g, 16);
  let c10 = v128.load(g + rs);
  let c11 = v128.load(g + rs, 16);
  let c20 = v128.load(g + 2 * rs);
  let c21 = v128.load(g + 2 * rs, 16);
  let c30 = v128.load(g + 3 * rs);
  let c31 = v128.load(g + 3 * rs, 16);
  let pa = X + (<usize>i0) * rs + ((<usize>a) << 2);
  let pb = X + (<usize>i0) * rs + ((<usize>b) << 2);
  for (let i = i0; i < i1; i++) {
    const x0 = v128.load(pb);
    const x1 = v128.load(pb, 16);
    const s0 = v128.load32_splat(pa);
    const s1 = v128.load32_splat(pa, 4);
    const s2 = v128.load32_splat(pa, 8);
    const s3 = v128.load32_splat(pa, 12);
    c00 = f32x4.add(c00, f32x4.mul(s0, x0));
    c01 = f32x4.add(c01, f32x4.mul(s0, x1));
    c10 = f32x4.add(c10, f32x4.mul(s1, x0));
    c11 = f32x4.add(c11, f32x4.mul(s1, x1));
    c20 = f32x4.add(c20, f32x4.mul(s2, x0));
    c21 = f32x4.add(c21, f32x4.mul(s2, x1));
    c30 = f32x4.add(c30, f32x4.mul(s3, x0));
    c31 = f32x4.add(c31, f32x4.mul(s3, x1));
    pa += rs;
    pb += rs;
  }
  v128.store(g, c00);
  v128.store(g, c01, 16);
  v128.store(g + rs, c10);
  v128.store(g + rs, c11, 16);
  v128.store(g + 2 * rs, c20);
  v128.store(g + 2 * rs, c21, 16);
  v128.store(g + 3 * rs, c30);
  v128.store(g + 3 * rs, c31, 16);
}

/** The 4×4 version of gramTile4x8, for a column block of four. */
@inline function gramTile4x4(X: usize, rs: usize, i0: i32, i1: i32, a: i32, b: i32, G: usize): void {
  const g = G + (<usize>a) * rs + ((<usize>b) << 2);
  let c0 = v128.load(g);
  let c1 = v128.load(g + rs);
  let c2 = v128.load(g + 2 * rs);
  let c3 = v128.load(g + 3 * rs);
  let pa = X + (<usize>i0) * rs + ((<usize>a) << 2);
  let pb = X + (<usize>i0) * rs + ((<usize>b) << 2);
  for (let i = i0; i < i1; i++) {
    const x0 = v128.load(pb);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), x0));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(pa, 4), x0));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(pa, 8), x0));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(pa, 12), x0));
    pa += rs;
    pb += rs;
  }
  v128.store(g, c0);
  v128.store(g + rs, c1);
  v128.store(g + 2 * rs, c2);
  v128.store(g + 3 * rs, c3);
}

/** G[a,b] += Σ_{i∈[i0,i1)} X[i,a]·X[i,b], scalar (edges when k is not a multiple of 4). */
@inline function gramDot(X: usize, rs: usize, i0: i32, i1: i32, a: i32, b: i32, G: usize): void {
  const g = G + (<usize>a) * rs + ((<usize>b) << 2);
  let s = load<f32>(g);
  let p = X + (<usize>i0) * rs;
  for (let i = i0; i < i1; i++) {
    s += load<f32>(p + ((<usize>a) << 2)) * load<f32>(p + ((<usize>b) << 2));
    p += rs;
  }
  store<f32>(g, s);
}

/**
 * G (k×k, full symmetric) = XᵀX for X row-major n×k (f32, f32 accumulation). The upper triangle is
 * built from 4-row register tiles over chunks of X's rows (tiles on the diagonal also fill a few lower
 * entries, harmlessly), then mirrored into the lower triangle.
 */
export function gramF32(X: usize, n: i32, k: i32, G: usize): void {
  if (k <= 0) return;
  const rs = (<usize>k) << 2;
  memory.fill(G, 0, rs * <usize>k);
  for (let i0 = 0; i0 < n; i0 += GRAM_CHUNK) {
    const i1 = min(n, i0 + GRAM_CHUNK);
    let a = 0;
    for (; a + 4 <= k; a += 4) {
      let b = a;
      for (; b + 8 <= k; b += 8) gramTile4x8(X, rs, i0, i1, a, b, G);
      if (b + 4 <= k) {
        gramTile4x4(X, rs, i0, i1, a, b, G);
        b += 4;
      }
      for (; b < k; b++) {
        gramDot(X, rs, i0, i1, a, b, G);
        gramDot(X, rs, i0, i1, a + 1, b, G);
        gramDot(X, rs, i0, i1, a + 2, b, G);
        gramDot(X, rs, i0, i1, a + 3, b, G);
      }
    }
    for (; a < k; a++) {
      for (let b = a; b < k; b++) gramDot(X, rs, i0, i1, a, b, G);
    }
  }
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      store<f32>(G + (<usize>b) * rs + ((<usize>a) << 2), load<f32>(G + (<usize>a) * rs + ((<usize>b) << 2)));
    }
  }
}

@inline function hsumF32(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

@inline function hsumF64(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** y = alpha·A·x + beta·y (A m×n, f32). Four rows at a time share each load of x. */
export function gemvF32(A: usize, m: i32, n: i32, x: usize, y: usize, alpha: f32, beta: f32): void {
  const rs = (<usize>n) << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const p0 = A + (<usize>i) * rs;
    const p1 = p0 + rs;
    const p2 = p1 + rs;
    const p3 = p2 + rs;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      const xv = v128.load(x + o);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(p0 + o), xv));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(p1 + o), xv));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(p2 + o), xv));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(p3 + o), xv));
    }
    let s0 = hsumF32(a0);
    let s1 = hsumF32(a1);
    let s2 = hsumF32(a2);
    let s3 = hsumF32(a3);
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      const xj = load<f32>(x + o);
      s0 += load<f32>(p0 + o) * xj;
      s1 += load<f32>(p1 + o) * xj;
      s2 += load<f32>(p2 + o) * xj;
      s3 += load<f32>(p3 + o) * xj;
    }
    const q = y + ((<usize>i) << 2);
    if (beta == 0) {
      store<f32>(q, alpha * s0);
      store<f32>(q, alpha * s1, 4);
      store<f32>(q, alpha * s2, 8);
      store<f32>(q, alpha * s3, 12);
    } else {
      store<f32>(q, alpha * s0 + beta * load<f32>(q));
      store<f32>(q, alpha * s1 + beta * load<f32>(q, 4), 4);
      store<f32>(q, alpha * s2 + beta * load<f32>(q, 8), 8);
      store<f32>(q, alpha * s3 + beta * load<f32>(q, 12), 12);
    }
  }
  for (; i < m; i++) {
    const p = A + (<usize>i) * rs;
    let a0 = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(p + o), v128.load(x + o)));
    }
    let s = hsumF32(a0);
    for (; j < n; j++) s += load<f32>(p + ((<usize>j) << 2)) * load<f32>(x + ((<usize>j) << 2));
    const q = y + ((<usize>i) << 2);
    store<f32>(q, beta == 0 ? alpha * s : alpha * s + beta * load<f32>(q));
  }
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

/** y ← beta·y, where beta = 0 writes zeros (so NaN/Inf in the old y do not leak through). */
@inline function scaleOrZeroF32(y: usize, n: i32, beta: f32): void {
  if (beta == 0) {
    memory.fill(y, 0, (<usize>n) << 2);
  } else if (beta != 1) {
    const vb = f32x4.splat(beta);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const q = y + ((<usize>j) << 2);
      v128.store(q, f32x4.mul(vb, v128.load(q)));
    }
    for (; j < n; j++) {
      const q = y + ((<usize>j) << 2);
      store<f32>(q, beta * load<f32>(q));
    }
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

/** y (n) = alpha·Aᵀ·x + beta·y for A m×n (f32): y is scaled once, then four rows of A are added per pass. */
export function gemvTF32(A: usize, m: i32, n: i32, x: usize, y: usize, alpha: f32, beta: f32): void {
  scaleOrZeroF32(y, n, beta);
  const rs = (<usize>n) << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const xp = x + ((<usize>i) << 2);
    const c0 = alpha * load<f32>(xp);
    const c1 = alpha * load<f32>(xp, 4);
    const c2 = alpha * load<f32>(xp, 8);
    const c3 = alpha * load<f32>(xp, 12);
    const v0 = f32x4.splat(c0);
    const v1 = f32x4.splat(c1);
    const v2 = f32x4.splat(c2);
    const v3 = f32x4.splat(c3);
    const p0 = A + (<usize>i) * rs;
    const p1 = p0 + rs;
    const p2 = p1 + rs;
    const p3 = p2 + rs;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      const t = f32x4.add(f32x4.mul(v0, v128.load(p0 + o)), f32x4.mul(v1, v128.load(p1 + o)));
      const u = f32x4.add(f32x4.mul(v2, v128.load(p2 + o)), f32x4.mul(v3, v128.load(p3 + o)));
      v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.add(t, u)));
    }
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      store<f32>(y + o, load<f32>(y + o) + ((c0 * load<f32>(p0 + o) + c1 * load<f32>(p1 + o)) + (c2 * load<f32>(p2 + o) + c3 * load<f32>(p3 + o))));
    }
  }
  for (; i < m; i++) {
    const c = alpha * load<f32>(x + ((<usize>i) << 2));
    const v = f32x4.splat(c);
    const p = A + (<usize>i) * rs;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(v, v128.load(p + o))));
    }
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      store<f32>(y + o, load<f32>(y + o) + c * load<f32>(p + o));
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
