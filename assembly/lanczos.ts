// Lanczos kernels: Gram–Schmidt reorthogonalization of a vector against a row-major basis block,
// linear combinations of basis vectors (Ritz vectors, restarts), and one-sided Jacobi sweeps. All f64.
// Basis vectors are rows: vector i starts at basis + i·n·8. Rows need not be 16-byte aligned (n odd);
// v128.load/store accept any address.
import { gemvF64, gemvTF64 } from './dense';
import { nrm2F64 } from './vector';


/**
 * Classical Gram–Schmidt of w (n, f64) against the `count` orthonormal rows of `basis` (count×n,
 * row-major), with a second pass when the first removed more than a factor `eta` of w's norm
 * (Daniel–Gragg–Kaufman–Stewart: "twice is enough"). eta ≥ 1 forces two passes, eta = 0 one pass.
 * coef must have room for 2·count values: coef[0, count) receives the total coefficients removed,
 * coef[count, 2·count) is scratch for the second pass. Returns ‖w‖ after.
 */
export function reorthF64(basis: usize, count: i32, n: i32, w: usize, coef: usize, eta: f64): f64 {
  if (count <= 0) return nrm2F64(w, n);
  const before = nrm2F64(w, n);
  // c = B·w, then w ← w − Bᵀ·c: the dense gemv kernels (four basis rows share each pass over w).
  gemvF64(basis, count, n, w, coef, 1, 0);
  gemvTF64(basis, count, n, coef, w, -1, 1);
  let after = nrm2F64(w, n);
  if (after < eta * before) {
    const second = coef + ((<usize>count) << 3);
    gemvF64(basis, count, n, w, second, 1, 0);
    gemvTF64(basis, count, n, second, w, -1, 1);
    for (let i = 0; i < count; i++) {
      const o = (<usize>i) << 3;
      store<f64>(coef + o, load<f64>(coef + o) + load<f64>(second + o));
    }
    after = nrm2F64(w, n);
  }
  return after;
}

/**
 * One classical Gram–Schmidt pass of w (n, f64) against `count` rows of `basis` (count×n, row-major):
 * coef[0, count) = basis·w, then w ← w − basisᵀ·coef. The block step of a chunked reorthogonalization.
 */
export function gsPassF64(basis: usize, count: i32, n: i32, w: usize, coef: usize): void {
  gemvF64(basis, count, n, w, coef, 1, 0);
  gemvTF64(basis, count, n, coef, w, -1, 1);
}

/** Pointer to entry (r, j) of `out`: rows×len row-major, or len×rows when `trans`. */
@inline function at(out: usize, r: i32, j: i32, rows: i32, len: i32, trans: i32): usize {
  return out + ((trans != 0 ? (<usize>j) * (<usize>rows) + (<usize>r) : (<usize>r) * (<usize>len) + (<usize>j)) << 3);
}

/** Two adjacent entries (r, j), (r, j+1) of `out` as one f64x2. */
@inline function load2(out: usize, r: i32, j: i32, rows: i32, len: i32, trans: i32): v128 {
  if (trans == 0) return v128.load(at(out, r, j, rows, len, 0));
  return f64x2.replace_lane(f64x2.splat(load<f64>(at(out, r, j, rows, len, 1))), 1, load<f64>(at(out, r, j + 1, rows, len, 1)));
}

@inline function store2(out: usize, r: i32, j: i32, rows: i32, len: i32, trans: i32, v: v128): void {
  if (trans == 0) {
    v128.store(at(out, r, j, rows, len, 0), v);
  } else {
    store<f64>(at(out, r, j, rows, len, 1), f64x2.extract_lane(v, 0));
    store<f64>(at(out, r, j + 1, rows, len, 1), f64x2.extract_lane(v, 1));
  }
}

/**
 * out = acc·out + C·B for B (count×len, row-major: the basis vectors) and C (rows×count with row stride
 * ldc), columns [c0, c1) of the product only (a thread's share); out is rows×len row-major, or len×rows
 * when `trans` (vectors as columns, the layout results are returned in). acc is 0 (overwrite) or 1 (add).
 * Register-blocked: two output rows × eight columns (eight f64x2 accumulators) per pass over the count
 * basis rows, so each loaded basis vector feeds two rows and each coefficient four vectors; the 8-column
 * strip of B (count × 64 bytes) stays in L1 while every row pair walks it. Every output entry is the
 * sequential sum over i (the same order as the JS twin, and across calls that accumulate block by block).
 */
export function gemmAccF64(B: usize, count: i32, len: i32, C: usize, ldc: i32, rows: i32, out: usize, acc: i32, trans: i32, c0: i32, c1: i32): void {
  const bs = (<usize>len) << 3;
  const cs = (<usize>ldc) << 3;
  let j = c0;
  for (; j + 8 <= c1; j += 8) {
    const jo = (<usize>j) << 3;
    let r = 0;
    for (; r + 2 <= rows; r += 2) {
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let e0 = f64x2.splat(0);
      let e1 = f64x2.splat(0);
      let e2 = f64x2.splat(0);
      let e3 = f64x2.splat(0);
      if (acc != 0) {
        a0 = load2(out, r, j, rows, len, trans);
        a1 = load2(out, r, j + 2, rows, len, trans);
        a2 = load2(out, r, j + 4, rows, len, trans);
        a3 = load2(out, r, j + 6, rows, len, trans);
        e0 = load2(out, r + 1, j, rows, len, trans);
        e1 = load2(out, r + 1, j + 2, rows, len, trans);
        e2 = load2(out, r + 1, j + 4, rows, len, trans);
        e3 = load2(out, r + 1, j + 6, rows, len, trans);
      }
      const cr0 = C + (<usize>r) * cs;
      const cr1 = cr0 + cs;
      let b = B + jo;
      for (let i = 0; i < count; i++) {
        const io = (<usize>i) << 3;
        const x0 = f64x2.splat(load<f64>(cr0 + io));
        const x1 = f64x2.splat(load<f64>(cr1 + io));
        const b0 = v128.load(b);
        const b1 = v128.load(b, 16);
        const b2 = v128.load(b, 32);
        const b3 = v128.load(b, 48);
        a0 = f64x2.add(a0, f64x2.mul(x0, b0));
        a1 = f64x2.add(a1, f64x2.mul(x0, b1));
        a2 = f64x2.add(a2, f64x2.mul(x0, b2));
        a3 = f64x2.add(a3, f64x2.mul(x0, b3));
        e0 = f64x2.add(e0, f64x2.mul(x1, b0));
        e1 = f64x2.add(e1, f64x2.mul(x1, b1));
        e2 = f64x2.add(e2, f64x2.mul(x1, b2));
        e3 = f64x2.add(e3, f64x2.mul(x1, b3));
        b += bs;
      }
      store2(out, r, j, rows, len, trans, a0);
      store2(out, r, j + 2, rows, len, trans, a1);
      store2(out, r, j + 4, rows, len, trans, a2);
      store2(out, r, j + 6, rows, len, trans, a3);
      store2(out, r + 1, j, rows, len, trans, e0);
      store2(out, r + 1, j + 2, rows, len, trans, e1);
      store2(out, r + 1, j + 4, rows, len, trans, e2);
      store2(out, r + 1, j + 6, rows, len, trans, e3);
    }
    if (r < rows) {
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      if (acc != 0) {
        a0 = load2(out, r, j, rows, len, trans);
        a1 = load2(out, r, j + 2, rows, len, trans);
        a2 = load2(out, r, j + 4, rows, len, trans);
        a3 = load2(out, r, j + 6, rows, len, trans);
      }
      const cr0 = C + (<usize>r) * cs;
      let b = B + jo;
      for (let i = 0; i < count; i++) {
        const x0 = f64x2.splat(load<f64>(cr0 + ((<usize>i) << 3)));
        a0 = f64x2.add(a0, f64x2.mul(x0, v128.load(b)));
        a1 = f64x2.add(a1, f64x2.mul(x0, v128.load(b, 16)));
        a2 = f64x2.add(a2, f64x2.mul(x0, v128.load(b, 32)));
        a3 = f64x2.add(a3, f64x2.mul(x0, v128.load(b, 48)));
        b += bs;
      }
      store2(out, r, j, rows, len, trans, a0);
      store2(out, r, j + 2, rows, len, trans, a1);
      store2(out, r, j + 4, rows, len, trans, a2);
      store2(out, r, j + 6, rows, len, trans, a3);
    }
  }
  // Remaining columns one at a time.
  for (; j < c1; j++) {
    const jo = (<usize>j) << 3;
    for (let r = 0; r < rows; r++) {
      const o = at(out, r, j, rows, len, trans);
      let s: f64 = acc != 0 ? load<f64>(o) : 0;
      const cr = C + (<usize>r) * cs;
      let b = B + jo;
      for (let i = 0; i < count; i++) {
        s += load<f64>(cr + ((<usize>i) << 3)) * load<f64>(b);
        b += bs;
      }
      store<f64>(o, s);
    }
  }
}

/**
 * One-sided (Hestenes) Jacobi sweeps for the small SVD: W (n rows × m) holds the columns of the matrix
 * as rows, V (n×n) accumulates the rotations (rows are the right singular vectors), nrm (n) the squared
 * row norms of W (kept current). A pair (p, q) is rotated when |w_p·w_q| > thresh·‖w_p‖‖w_q‖.
 * Runs cyclic sweeps until one rotates nothing or maxSweeps; returns the number of sweeps run.
 */
export function jacobiSweepsF64(W: usize, V: usize, nrm: usize, m: i32, n: i32, maxSweeps: i32, thresh: f64): i32 {
  const ws = (<usize>m) << 3;
  const vs = (<usize>n) << 3;
  let sweeps = 0;
  while (sweeps < maxSweeps) {
    sweeps++;
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      const wp = W + (<usize>p) * ws;
      const vp = V + (<usize>p) * vs;
      for (let q = p + 1; q < n; q++) {
        const a = load<f64>(nrm + ((<usize>p) << 3));
        const b = load<f64>(nrm + ((<usize>q) << 3));
        if (a == 0 || b == 0) continue;
        const wq = W + (<usize>q) * ws;
        // g = w_p · w_q
        let g0 = f64x2.splat(0);
        let g1 = f64x2.splat(0);
        let r = 0;
        for (; r + 4 <= m; r += 4) {
          const o = (<usize>r) << 3;
          g0 = f64x2.add(g0, f64x2.mul(v128.load(wp + o), v128.load(wq + o)));
          g1 = f64x2.add(g1, f64x2.mul(v128.load(wp + o, 16), v128.load(wq + o, 16)));
        }
        for (; r + 2 <= m; r += 2) {
          const o = (<usize>r) << 3;
          g0 = f64x2.add(g0, f64x2.mul(v128.load(wp + o), v128.load(wq + o)));
        }
        g0 = f64x2.add(g0, g1);
        let g = f64x2.extract_lane(g0, 0) + f64x2.extract_lane(g0, 1);
        if (r < m) {
          const o = (<usize>r) << 3;
          g += load<f64>(wp + o) * load<f64>(wq + o);
        }
        if (abs(g) <= thresh * sqrt(a * b)) continue;
        rotated = true;
        const zeta = (b - a) / (2 * g);
        const t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + sqrt(1 + zeta * zeta));
        const c = 1 / sqrt(1 + t * t);
        const s = c * t;
        const vc = f64x2.splat(c);
        const vsn = f64x2.splat(s);
        let na = f64x2.splat(0);
        let nb = f64x2.splat(0);
        r = 0;
        for (; r + 2 <= m; r += 2) {
          const o = (<usize>r) << 3;
          const x = v128.load(wp + o);
          const y = v128.load(wq + o);
          const x2 = f64x2.sub(f64x2.mul(vc, x), f64x2.mul(vsn, y));
          const y2 = f64x2.add(f64x2.mul(vsn, x), f64x2.mul(vc, y));
          v128.store(wp + o, x2);
          v128.store(wq + o, y2);
          na = f64x2.add(na, f64x2.mul(x2, x2));
          nb = f64x2.add(nb, f64x2.mul(y2, y2));
        }
        let sa = f64x2.extract_lane(na, 0) + f64x2.extract_lane(na, 1);
        let sb = f64x2.extract_lane(nb, 0) + f64x2.extract_lane(nb, 1);
        if (r < m) {
          const o = (<usize>r) << 3;
          const x = load<f64>(wp + o);
          const y = load<f64>(wq + o);
          const x2 = c * x - s * y;
          const y2 = s * x + c * y;
          store<f64>(wp + o, x2);
          store<f64>(wq + o, y2);
          sa += x2 * x2;
          sb += y2 * y2;
        }
        store<f64>(nrm + ((<usize>p) << 3), sa);
        store<f64>(nrm + ((<usize>q) << 3), sb);
        const vq = V + (<usize>q) * vs;
        r = 0;
        for (; r + 2 <= n; r += 2) {
          const o = (<usize>r) << 3;
          const x = v128.load(vp + o);
          const y = v128.load(vq + o);
          v128.store(vp + o, f64x2.sub(f64x2.mul(vc, x), f64x2.mul(vsn, y)));
          v128.store(vq + o, f64x2.add(f64x2.mul(vsn, x), f64x2.mul(vc, y)));
        }
        if (r < n) {
          const o = (<usize>r) << 3;
          const x = load<f64>(vp + o);
          const y = load<f64>(vq + o);
          store<f64>(vp + o, c * x - s * y);
          store<f64>(vq + o, s * x + c * y);
        }
      }
    }
    if (!rotated) break;
  }
  return sweeps;
}
