// The small steps of the blocked Cholesky inverse (src/models/ease/inverse.ts): factor a diagonal block,
// solve a panel of rows against it, invert it. nb × nb blocks, f64, row-major with leading dimension
// lda; the products around them are in dense64.ts. The JS twins are in src/kernels/dense64.ts.
import { madd64 } from './simd';

@inline function at(A: usize, lda: i32, r: i32, c: i32): usize {
  return A + ((<usize>r) * (<usize>lda) + <usize>c) * 8;
}

/** x·y over n f64 (lane pairs, then the odd tail). */
@inline function dot64(x: usize, y: usize, n: i32): f64 {
  let acc = f64x2.splat(0);
  let p = 0;
  for (; p + 2 <= n; p += 2) acc = madd64(v128.load(x + ((<usize>p) << 3)), v128.load(y + ((<usize>p) << 3)), acc);
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (p < n) s += load<f64>(x + ((<usize>p) << 3)) * load<f64>(y + ((<usize>p) << 3));
  return s;
}

/**
 * In-place Cholesky L·Lᵀ of the nb × nb block at A (lower triangle read and written). Returns -1, or the
 * first row r whose pivot is not positive and finite (the matrix is not positive definite there).
 */
export function cholDiagF64(A: usize, lda: i32, nb: i32): i32 {
  for (let i = 0; i < nb; i++) {
    const ri = at(A, lda, i, 0);
    for (let j = 0; j < i; j++) {
      const rj = at(A, lda, j, 0);
      const v = load<f64>(ri + ((<usize>j) << 3)) - dot64(ri, rj, j);
      store<f64>(ri + ((<usize>j) << 3), v / load<f64>(rj + ((<usize>j) << 3)));
    }
    const d = load<f64>(ri + ((<usize>i) << 3)) - dot64(ri, ri, i);
    if (!(d > 0) || !isFinite(d)) return i;
    store<f64>(ri + ((<usize>i) << 3), Math.sqrt(d));
  }
  return -1;
}

/**
 * Rows [r0, r1) of the panel P (row stride ldp): each row x ← x·L⁻ᵀ, L the nb × nb lower-triangular
 * block at L (stride lda) — the panel of a right-looking Cholesky.
 */
export function trsmRowsF64(L: usize, lda: i32, nb: i32, P: usize, ldp: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const x = at(P, ldp, r, 0);
    for (let q = 0; q < nb; q++) {
      const lq = at(L, lda, q, 0);
      const v = load<f64>(x + ((<usize>q) << 3)) - dot64(x, lq, q);
      store<f64>(x + ((<usize>q) << 3), v / load<f64>(lq + ((<usize>q) << 3)));
    }
  }
}

/**
 * Invert the nb × nb lower-triangular block at A in place (W = L⁻¹, lower) and write Wᵀ to T (nb × nb,
 * stride nb, zeros below its diagonal). Column by column: W[j,j] = 1/L[j,j], W[i,j] = −(Σ_{j≤p<i}
 * L[i,p]·W[p,j]) / L[i,i]; T holds the columns computed so far, so the sum is a contiguous dot product.
 */
export function trtriDiagF64(A: usize, lda: i32, nb: i32, T: usize): void {
  for (let j = 0; j < nb; j++) {
    const tj = T + (<usize>j) * (<usize>nb) * 8;
    for (let p = 0; p < j; p++) store<f64>(tj + ((<usize>p) << 3), 0.0);
    store<f64>(tj + ((<usize>j) << 3), 1.0 / load<f64>(at(A, lda, j, j)));
    for (let i = j + 1; i < nb; i++) {
      const li = at(A, lda, i, 0);
      // Σ_{p=j}^{i-1} L[i,p]·W[p,j], W[p,j] = T[j,p]
      const s = dot64(li + ((<usize>j) << 3), tj + ((<usize>j) << 3), i - j);
      store<f64>(tj + ((<usize>i) << 3), -s / load<f64>(li + ((<usize>i) << 3)));
    }
  }
  for (let i = 0; i < nb; i++) {
    for (let j = 0; j <= i; j++) store<f64>(at(A, lda, i, j), load<f64>(T + ((<usize>j) * (<usize>nb) + <usize>i) * 8));
  }
}

/** Rows per tile of lowerToUpperF64 (a tile of the lower triangle is read by rows, written by columns). */
const TT: i32 = 32;

/**
 * For rows a in [r0, r1) of the n × n matrix A: D[a] = A[a, a] and A[c, a] = A[a, c] for c < a — the
 * strict lower triangle mirrored into the strict upper one, the diagonal saved, so the lower triangle and
 * the diagonal can receive a new matrix while the old one is read across. Tiles of TT × TT.
 */
export function lowerToUpperF64(A: usize, n: i32, D: usize, r0: i32, r1: i32): void {
  for (let a = r0; a < r1; a++) store<f64>(D + ((<usize>a) << 3), load<f64>(at(A, n, a, a)));
  for (let c0 = 0; c0 < r1; c0 += TT) {
    const c1 = min(c0 + TT, r1);
    for (let a0 = max(r0, c0); a0 < r1; a0 += TT) {
      const a1 = min(a0 + TT, r1);
      for (let c = c0; c < c1; c++) {
        for (let a = max(a0, c + 1); a < a1; a++) store<f64>(at(A, n, c, a), load<f64>(at(A, n, a, c)));
      }
    }
  }
}

/**
 * out (ib × K, stride K) = rows of an upper-triangular matrix with its diagonal apart: out[r, p] = 0 for
 * p < r, D[r] for p = r, U[r, p] for p > r (U with leading dimension ldu, D f64 per row).
 */
export function packTriRowsF64(U: usize, ldu: i32, D: usize, ib: i32, K: i32, out: usize): void {
  for (let r = 0; r < ib; r++) {
    const o = out + (<usize>r) * (<usize>K) * 8;
    const u = U + (<usize>r) * (<usize>ldu) * 8;
    const z = min(r, K);
    for (let p = 0; p < z; p++) store<f64>(o + ((<usize>p) << 3), 0.0);
    if (r < K) store<f64>(o + ((<usize>r) << 3), load<f64>(D + ((<usize>r) << 3)));
    if (r + 1 < K) memory.copy(o + ((<usize>(r + 1)) << 3), u + ((<usize>(r + 1)) << 3), (<usize>(K - r - 1)) << 3);
  }
}
