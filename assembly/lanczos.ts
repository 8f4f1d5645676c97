// Lanczos kernels: Gram–Schmidt reorthogonalization of a vector against a row-major basis block, and
// rotation of a basis block by a small coefficient matrix (the restart / Ritz-vector step). All f64.
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
 * out (kOut×n, row-major) = C (kOut×count, row-major) · basis (count×n): out_r = Σ_i C[r,i]·basis_i.
 * Columns are processed in blocks so the basis block stays in cache while every output row is formed.
 * out must not overlap basis.
 */
export function combineF64(basis: usize, count: i32, n: i32, C: usize, kOut: i32, out: usize): void {
  const stride = (<usize>n) << 3;
  const cStride = (<usize>count) << 3;
  const BLOCK = 256;
  for (let j0 = 0; j0 < n; j0 += BLOCK) {
    const j1 = min(n, j0 + BLOCK);
    for (let r = 0; r < kOut; r++) {
      const o = out + (<usize>r) * stride;
      const cr = C + (<usize>r) * cStride;
      let i = 0;
      // First group writes (no read of out), later groups accumulate.
      for (; i + 4 <= count; i += 4) {
        const b0 = basis + (<usize>i) * stride;
        const b1 = b0 + stride;
        const b2 = b1 + stride;
        const b3 = b2 + stride;
        const s0 = load<f64>(cr + ((<usize>i) << 3));
        const s1 = load<f64>(cr + ((<usize>i) << 3), 8);
        const s2 = load<f64>(cr + ((<usize>i) << 3), 16);
        const s3 = load<f64>(cr + ((<usize>i) << 3), 24);
        const c0 = f64x2.splat(s0);
        const c1 = f64x2.splat(s1);
        const c2 = f64x2.splat(s2);
        const c3 = f64x2.splat(s3);
        let j = j0;
        for (; j + 2 <= j1; j += 2) {
          const jo = (<usize>j) << 3;
          const t = f64x2.add(
            f64x2.add(f64x2.mul(c0, v128.load(b0 + jo)), f64x2.mul(c1, v128.load(b1 + jo))),
            f64x2.add(f64x2.mul(c2, v128.load(b2 + jo)), f64x2.mul(c3, v128.load(b3 + jo))),
          );
          v128.store(o + jo, i == 0 ? t : f64x2.add(v128.load(o + jo), t));
        }
        if (j < j1) {
          const jo = (<usize>j) << 3;
          const t = s0 * load<f64>(b0 + jo) + s1 * load<f64>(b1 + jo) + (s2 * load<f64>(b2 + jo) + s3 * load<f64>(b3 + jo));
          store<f64>(o + jo, i == 0 ? t : load<f64>(o + jo) + t);
        }
      }
      for (; i < count; i++) {
        const b0 = basis + (<usize>i) * stride;
        const s0 = load<f64>(cr + ((<usize>i) << 3));
        const c0 = f64x2.splat(s0);
        let j = j0;
        for (; j + 2 <= j1; j += 2) {
          const jo = (<usize>j) << 3;
          const t = f64x2.mul(c0, v128.load(b0 + jo));
          v128.store(o + jo, i == 0 ? t : f64x2.add(v128.load(o + jo), t));
        }
        if (j < j1) {
          const jo = (<usize>j) << 3;
          const t = s0 * load<f64>(b0 + jo);
          store<f64>(o + jo, i == 0 ? t : load<f64>(o + jo) + t);
        }
      }
      if (count == 0) for (let j = j0; j < j1; j++) store<f64>(o + ((<usize>j) << 3), 0);
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
