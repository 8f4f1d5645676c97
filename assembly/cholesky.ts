// Dense Cholesky factorisation A = L·Lᵀ (row-major, lower triangle) and the matching solve, f32 and f64.
//
// Column by column (left-looking): L[j,j] = √(A[j,j] − ‖L[j,0:j]‖²), then for every row i > j
// L[i,j] = (A[i,j] − L[i,0:j]·L[j,0:j]) · (1/L[j,j]). Both operands of each dot are contiguous rows, so
// they vectorise, and four rows i share each load of L[j,·]. Going by columns means one division per
// column: a row-by-row order puts a division on the dependency chain of every entry, and that latency
// dominated the k = 64 factorisation.

@inline function hsum4(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

@inline function hsum2(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** Σ_{p<n} a[p]·b[p] (f32), two vector accumulators and a scalar tail. */
@inline function dot32(a: usize, b: usize, n: i32): f32 {
  let v0 = f32x4.splat(0);
  let v1 = f32x4.splat(0);
  let p = 0;
  for (; p + 8 <= n; p += 8) {
    const o = (<usize>p) << 2;
    v0 = f32x4.add(v0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    v1 = f32x4.add(v1, f32x4.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
  }
  if (p + 4 <= n) {
    const o = (<usize>p) << 2;
    v0 = f32x4.add(v0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    p += 4;
  }
  let s = hsum4(f32x4.add(v0, v1));
  for (; p < n; p++) s += load<f32>(a + ((<usize>p) << 2)) * load<f32>(b + ((<usize>p) << 2));
  return s;
}

/** Σ_{p<n} a[p]·b[p] (f64). */
@inline function dot64(a: usize, b: usize, n: i32): f64 {
  let v0 = f64x2.splat(0);
  let v1 = f64x2.splat(0);
  let p = 0;
  for (; p + 4 <= n; p += 4) {
    const o = (<usize>p) << 3;
    v0 = f64x2.add(v0, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    v1 = f64x2.add(v1, f64x2.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
  }
  if (p + 2 <= n) {
    const o = (<usize>p) << 3;
    v0 = f64x2.add(v0, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    p += 2;
  }
  let s = hsum2(f64x2.add(v0, v1));
  if (p < n) s += load<f64>(a + ((<usize>p) << 3)) * load<f64>(b + ((<usize>p) << 3));
  return s;
}

/**
 * In-place Cholesky of a row-major k×k SPD matrix (f32, f32 accumulation). Returns -1 on success, or the
 * index of the first pivot that is not positive or is NaN.
 */
export function choleskyF32(A: usize, k: i32): i32 {
  const rs = (<usize>k) << 2;
  for (let j = 0; j < k; j++) {
    const rj = A + (<usize>j) * rs;
    const oj = (<usize>j) << 2;
    const d = load<f32>(rj + oj) - dot32(rj, rj, j);
    if (!(d > 0)) return j; // also catches NaN
    const ljj = Mathf.sqrt(d);
    store<f32>(rj + oj, ljj);
    const inv: f32 = 1 / ljj;
    const j4 = j & ~3;
    let i = j + 1;
    for (; i + 4 <= k; i += 4) {
      const r0 = A + (<usize>i) * rs;
      const r1 = r0 + rs;
      const r2 = r1 + rs;
      const r3 = r2 + rs;
      let v0 = f32x4.splat(0);
      let v1 = f32x4.splat(0);
      let v2 = f32x4.splat(0);
      let v3 = f32x4.splat(0);
      for (let p = 0; p < j4; p += 4) {
        const o = (<usize>p) << 2;
        const lj = v128.load(rj + o);
        v0 = f32x4.add(v0, f32x4.mul(lj, v128.load(r0 + o)));
        v1 = f32x4.add(v1, f32x4.mul(lj, v128.load(r1 + o)));
        v2 = f32x4.add(v2, f32x4.mul(lj, v128.load(r2 + o)));
        v3 = f32x4.add(v3, f32x4.mul(lj, v128.load(r3 + o)));
      }
      let s0 = hsum4(v0);
      let s1 = hsum4(v1);
      let s2 = hsum4(v2);
      let s3 = hsum4(v3);
      for (let p = j4; p < j; p++) {
        const o = (<usize>p) << 2;
        const l = load<f32>(rj + o);
        s0 += l * load<f32>(r0 + o);
        s1 += l * load<f32>(r1 + o);
        s2 += l * load<f32>(r2 + o);
        s3 += l * load<f32>(r3 + o);
      }
      store<f32>(r0 + oj, (load<f32>(r0 + oj) - s0) * inv);
      store<f32>(r1 + oj, (load<f32>(r1 + oj) - s1) * inv);
      store<f32>(r2 + oj, (load<f32>(r2 + oj) - s2) * inv);
      store<f32>(r3 + oj, (load<f32>(r3 + oj) - s3) * inv);
    }
    for (; i < k; i++) {
      const ri = A + (<usize>i) * rs;
      store<f32>(ri + oj, (load<f32>(ri + oj) - dot32(ri, rj, j)) * inv);
    }
  }
  return -1;
}

/** In-place Cholesky of a row-major k×k SPD matrix (f64). Returns -1 or the first bad pivot's index. */
export function choleskyF64(A: usize, k: i32): i32 {
  const rs = (<usize>k) << 3;
  for (let j = 0; j < k; j++) {
    const rj = A + (<usize>j) * rs;
    const oj = (<usize>j) << 3;
    const d = load<f64>(rj + oj) - dot64(rj, rj, j);
    if (!(d > 0)) return j;
    const ljj = Math.sqrt(d);
    store<f64>(rj + oj, ljj);
    const inv = 1 / ljj;
    const j2 = j & ~1;
    let i = j + 1;
    for (; i + 4 <= k; i += 4) {
      const r0 = A + (<usize>i) * rs;
      const r1 = r0 + rs;
      const r2 = r1 + rs;
      const r3 = r2 + rs;
      let v0 = f64x2.splat(0);
      let v1 = f64x2.splat(0);
      let v2 = f64x2.splat(0);
      let v3 = f64x2.splat(0);
      for (let p = 0; p < j2; p += 2) {
        const o = (<usize>p) << 3;
        const lj = v128.load(rj + o);
        v0 = f64x2.add(v0, f64x2.mul(lj, v128.load(r0 + o)));
        v1 = f64x2.add(v1, f64x2.mul(lj, v128.load(r1 + o)));
        v2 = f64x2.add(v2, f64x2.mul(lj, v128.load(r2 + o)));
        v3 = f64x2.add(v3, f64x2.mul(lj, v128.load(r3 + o)));
      }
      let s0 = hsum2(v0);
      let s1 = hsum2(v1);
      let s2 = hsum2(v2);
      let s3 = hsum2(v3);
      if (j2 < j) {
        const o = (<usize>j2) << 3;
        const l = load<f64>(rj + o);
        s0 += l * load<f64>(r0 + o);
        s1 += l * load<f64>(r1 + o);
        s2 += l * load<f64>(r2 + o);
        s3 += l * load<f64>(r3 + o);
      }
      store<f64>(r0 + oj, (load<f64>(r0 + oj) - s0) * inv);
      store<f64>(r1 + oj, (load<f64>(r1 + oj) - s1) * inv);
      store<f64>(r2 + oj, (load<f64>(r2 + oj) - s2) * inv);
      store<f64>(r3 + oj, (load<f64>(r3 + oj) - s3) * inv);
    }
    for (; i < k; i++) {
      const ri = A + (<usize>i) * rs;
      store<f64>(ri + oj, (load<f64>(ri + oj) - dot64(ri, rj, j)) * inv);
    }
  }
  return -1;
}

/**
 * Solve L·Lᵀ·x = b in place (f32). Forward substitution uses row dots; back substitution is done
 * column-wise (after x[i] is known, subtract x[i]·L[i,0:i] from b[0:i]) so it also reads rows of L.
 */
export function choleskySolveF32(L: usize, k: i32, b: usize): void {
  const rs = (<usize>k) << 2;
  for (let i = 0; i < k; i++) {
    const ri = L + (<usize>i) * rs;
    const o = (<usize>i) << 2;
    store<f32>(b + o, (load<f32>(b + o) - dot32(ri, b, i)) / load<f32>(ri + o));
  }
  for (let i = k - 1; i >= 0; i--) {
    const ri = L + (<usize>i) * rs;
    const o = (<usize>i) << 2;
    const xi = load<f32>(b + o) / load<f32>(ri + o);
    store<f32>(b + o, xi);
    const v = f32x4.splat(xi);
    let p = 0;
    for (; p + 4 <= i; p += 4) {
      const q = (<usize>p) << 2;
      v128.store(b + q, f32x4.sub(v128.load(b + q), f32x4.mul(v, v128.load(ri + q))));
    }
    for (; p < i; p++) {
      const q = (<usize>p) << 2;
      store<f32>(b + q, load<f32>(b + q) - xi * load<f32>(ri + q));
    }
  }
}

/** Solve L·Lᵀ·x = b in place (f64). */
export function choleskySolveF64(L: usize, k: i32, b: usize): void {
  const rs = (<usize>k) << 3;
  for (let i = 0; i < k; i++) {
    const ri = L + (<usize>i) * rs;
    const o = (<usize>i) << 3;
    store<f64>(b + o, (load<f64>(b + o) - dot64(ri, b, i)) / load<f64>(ri + o));
  }
  for (let i = k - 1; i >= 0; i--) {
    const ri = L + (<usize>i) * rs;
    const o = (<usize>i) << 3;
    const xi = load<f64>(b + o) / load<f64>(ri + o);
    store<f64>(b + o, xi);
    const v = f64x2.splat(xi);
    let p = 0;
    for (; p + 2 <= i; p += 2) {
      const q = (<usize>p) << 3;
      v128.store(b + q, f64x2.sub(v128.load(b + q), f64x2.mul(v, v128.load(ri + q))));
    }
    if (p < i) {
      const q = (<usize>p) << 3;
      store<f64>(b + q, load<f64>(b + q) - xi * load<f64>(ri + q));
    }
  }
}
