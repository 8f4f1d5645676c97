// Singular values of a small upper bidiagonal matrix by implicit-shift QR (Golub–Kahan), carrying along
// only the last row of the left singular vectors: the projected-problem step of the Lanczos SVD.
// d (n), e (n; e[n−1] unused) and r (n) are f64 arrays at byte offsets; all are overwritten.

/** c·y + s·z = hyp, −s·y + c·z = 0 (globals avoid returning a tuple). */
let gc: f64 = 1;
let gs: f64 = 0;
let gr: f64 = 0;

@inline function givens(y: f64, z: f64): void {
  if (z == 0) {
    gc = 1;
    gs = 0;
    gr = y;
  } else {
    const h = sqrt(y * y + z * z);
    gc = y / h;
    gs = z / h;
    gr = h;
  }
}

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}

@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}

/**
 * On return d holds the singular values (unsorted, possibly negative: take |d|) and r[i] = U_B[n−1, i]
 * for the value d[i] (r starts as e_{n−1}). Off-diagonal entries below eps·max(|dᵢ| + |eᵢ|) count as zero,
 * so values are resolved to that absolute accuracy. Wilkinson shift from the trailing 2×2 of BᵀB; a zero
 * diagonal entry is rotated out (row-wise, or column-wise at the bottom of a block). Returns the number of
 * QR sweeps, or −1 when more than maxSweeps were needed.
 */
export function bidiagQrF64(d: usize, e: usize, r: usize, n: i32, maxSweeps: i32): i32 {
  let norm: f64 = 0;
  for (let i = 0; i < n; i++) {
    st(r, i, 0);
    norm = max(norm, abs(ld(d, i)) + (i < n - 1 ? abs(ld(e, i)) : 0));
  }
  if (n > 0) st(r, n - 1, 1);
  const thresh = 2.220446049250313e-16 * norm;
  let hi = n - 1;
  let sweeps = 0;
  while (hi > 0) {
    if (abs(ld(e, hi - 1)) <= thresh) {
      st(e, hi - 1, 0);
      hi--;
      continue;
    }
    let lo = hi - 1;
    while (lo > 0 && abs(ld(e, lo - 1)) > thresh) lo--;
    if (lo > 0) st(e, lo - 1, 0);
    if (++sweeps > maxSweeps) return -1;
    let zero = -1;
    for (let i = lo; i <= hi; i++) {
      if (abs(ld(d, i)) <= thresh) {
        zero = i;
        break;
      }
    }
    if (zero >= 0) {
      st(d, zero, 0);
      if (zero < hi) {
        // Rotate row `zero` against the rows below until its off-diagonal entry is gone.
        let f = ld(e, zero);
        st(e, zero, 0);
        for (let j = zero + 1; j <= hi && f != 0; j++) {
          givens(ld(d, j), f);
          st(d, j, gr);
          if (j < hi) {
            const ej = ld(e, j);
            f = -gs * ej;
            st(e, j, gc * ej);
          }
          const rj = ld(r, j);
          const rz = ld(r, zero);
          st(r, j, gc * rj + gs * rz);
          st(r, zero, -gs * rj + gc * rz);
        }
      } else {
        // Rotate column hi against the columns to its left (right rotations leave U_B alone).
        let f = ld(e, hi - 1);
        st(e, hi - 1, 0);
        for (let j = hi - 1; j >= lo && f != 0; j--) {
          givens(ld(d, j), f);
          st(d, j, gr);
          if (j > lo) {
            const ej = ld(e, j - 1);
            f = -gs * ej;
            st(e, j - 1, gc * ej);
          }
        }
      }
      continue;
    }
    const dh1 = ld(d, hi - 1);
    const eh1 = ld(e, hi - 1);
    const eh2 = hi - 1 > lo ? ld(e, hi - 2) : 0;
    const a = dh1 * dh1 + eh2 * eh2;
    const b = dh1 * eh1;
    const c = ld(d, hi) * ld(d, hi) + eh1 * eh1;
    const t = (a - c) / 2;
    const mu = t == 0 ? c - abs(b) : c - (b * b) / (t + (t > 0 ? 1.0 : -1.0) * sqrt(t * t + b * b));
    let y = ld(d, lo) * ld(d, lo) - mu;
    let z = ld(d, lo) * ld(e, lo);
    for (let k = lo; k < hi; k++) {
      givens(y, z);
      if (k > lo) st(e, k - 1, gr);
      let dk = ld(d, k);
      let ek = ld(e, k);
      let dk1 = ld(d, k + 1);
      const nd = gc * dk + gs * ek;
      ek = -gs * dk + gc * ek;
      z = gs * dk1;
      dk1 = gc * dk1;
      givens(nd, z);
      dk = gr;
      const ne = gc * ek + gs * dk1;
      dk1 = -gs * ek + gc * dk1;
      ek = ne;
      st(d, k, dk);
      st(d, k + 1, dk1);
      st(e, k, ek);
      const rk = ld(r, k);
      const rk1 = ld(r, k + 1);
      st(r, k, gc * rk + gs * rk1);
      st(r, k + 1, -gs * rk + gc * rk1);
      if (k < hi - 1) {
        const e1 = ld(e, k + 1);
        z = gs * e1;
        st(e, k + 1, gc * e1);
        y = ek;
      }
    }
  }
  return sweeps;
}
