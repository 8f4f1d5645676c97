// EASE (Steck 2019) around the Cholesky inverse: the Gram matrix G = XᵀX + λI from the sparse
// interactions, B = I − P·diag(1/diag P) from the inverse P, and scoring x_u·B with a top-k. The JS twins
// are in src/kernels/ease.ts.
import { topkF32 } from './topk';

/**
 * Rows [r0, r1) of G (n × n f64, row stride n): G[i, :] = Σ_{u ∈ users(i), ascending} x_ui·x_u + λ·e_i,
 * the users × items matrix given both ways (uIndptr, uIndices, uData; iIndptr, iIndices, iData; data
 * f32). Products of f32 values are exact in f64, so G is exactly symmetric.
 */
export function easeGram(
  uIndptr: usize,
  uIndices: usize,
  uData: usize,
  iIndptr: usize,
  iIndices: usize,
  iData: usize,
  n: i32,
  lambda: f64,
  G: usize,
  r0: i32,
  r1: i32,
): void {
  const rowBytes = (<usize>n) << 3;
  for (let i = r0; i < r1; i++) {
    const g = G + (<usize>i) * rowBytes;
    memory.fill(g, 0, rowBytes);
    const pEnd = load<i32>(iIndptr + ((<usize>i) << 2), 4);
    for (let p = load<i32>(iIndptr + ((<usize>i) << 2)); p < pEnd; p++) {
      const u = load<i32>(iIndices + ((<usize>p) << 2));
      const w = <f64>load<f32>(iData + ((<usize>p) << 2));
      const qEnd = load<i32>(uIndptr + ((<usize>u) << 2), 4);
      for (let q = load<i32>(uIndptr + ((<usize>u) << 2)); q < qEnd; q++) {
        const a = g + ((<usize>load<i32>(uIndices + ((<usize>q) << 2))) << 3);
        store<f64>(a, load<f64>(a) + <f64>load<f32>(uData + ((<usize>q) << 2)) * w);
      }
    }
    const d = g + ((<usize>i) << 3);
    store<f64>(d, load<f64>(d) + lambda);
  }
}

/** Columns per tile when reading P's lower triangle across (its upper half is read transposed). */
const TILE: i32 = 32;

/**
 * Rows [r0, r1) of B (n × n f32): B[i, j] = −P[i, j] / P[j, j] for j ≠ i, B[i, i] = 0 (in f64, then
 * rounded), with P symmetric and only its lower triangle stored (n × n f64, row stride n).
 */
export function easeFinish(P: usize, n: i32, B: usize, r0: i32, r1: i32): void {
  const ld = <usize>n;
  for (let i = r0; i < r1; i++) {
    const b = B + (<usize>i) * ld * 4;
    const pi = P + (<usize>i) * ld * 8;
    for (let j = 0; j < i; j++) {
      store<f32>(b + ((<usize>j) << 2), <f32>(-load<f64>(pi + ((<usize>j) << 3)) / load<f64>(P + (<usize>j) * (ld + 1) * 8)));
    }
    store<f32>(b + ((<usize>i) << 2), 0);
  }
  // Above the diagonal, P[i, j] = P[j, i]: read in tiles so each row of P is touched a tile at a time.
  for (let i0 = r0; i0 < r1; i0 += TILE) {
    const i1 = min(i0 + TILE, r1);
    for (let j0 = i0 + 1; j0 < n; j0 += TILE) {
      const j1 = min(j0 + TILE, n);
      for (let j = j0; j < j1; j++) {
        const pj = P + (<usize>j) * ld * 8;
        const inv = -1.0 / load<f64>(pj + ((<usize>j) << 3));
        for (let i = i0; i < min(i1, j); i++) {
          store<f32>(B + ((<usize>i) * ld + <usize>j) * 4, <f32>(load<f64>(pj + ((<usize>i) << 3)) * inv));
        }
      }
    }
  }
}

/**
 * Recommendations from B (n × n f32): for each r in [0, nRows), user u = uRows[r] (uRows = 0: u = r) of
 * the users × items CSR (uIndptr, uIndices, uData f32) gets scores s = Σ_{i ∈ items(u)} x_ui·B[m(i), :]
 * (f32, items in row order), m = colMap (i32 per item: B's row, or -1 to skip; colMap = 0: identity).
 * B's column c goes to result column colOf[c] (colOf = 0: c; −1: c is no candidate), increasing in c.
 * B's columns excIdx[excIndptr[r] .. excIndptr[r+1]) (excIndptr = 0: none) and globalExc[0..nGlobal) are
 * dropped, and the k best (score descending, column ascending on ties) go to outIdx (i32 result columns)
 * / outScores (f32) at r·k, padded with -1 / -Infinity; outCounts[r] (if non-zero) receives the count.
 * scratch: 4·n bytes.
 */
export function easeScoreTopk(
  B: usize,
  n: i32,
  uIndptr: usize,
  uIndices: usize,
  uData: usize,
  uRows: usize,
  nRows: i32,
  colMap: usize,
  colOf: usize,
  k: i32,
  excIndptr: usize,
  excIdx: usize,
  globalExc: usize,
  nGlobal: i32,
  scratch: usize,
  outIdx: usize,
  outScores: usize,
  outCounts: usize,
): void {
  const nan = f32(NaN);
  for (let r = 0; r < nRows; r++) {
    const u = uRows == 0 ? r : load<i32>(uRows + ((<usize>r) << 2));
    easeAccumulate(B, n, uIndptr, uIndices, uData, u, colMap, scratch);
    if (excIndptr != 0) {
      const b = load<i32>(excIndptr + ((<usize>r) << 2), 4);
      for (let e = load<i32>(excIndptr + ((<usize>r) << 2)); e < b; e++) {
        store<f32>(scratch + ((<usize>load<i32>(excIdx + ((<usize>e) << 2))) << 2), nan);
      }
    }
    for (let g = 0; g < nGlobal; g++) store<f32>(scratch + ((<usize>load<i32>(globalExc + ((<usize>g) << 2))) << 2), nan);
    if (colOf != 0) {
      for (let c = 0; c < n; c++) if (load<i32>(colOf + ((<usize>c) << 2)) < 0) store<f32>(scratch + ((<usize>c) << 2), nan);
    }
    const oi = outIdx + (<usize>r) * (<usize>k) * 4;
    const os = outScores + (<usize>r) * (<usize>k) * 4;
    const cnt = topkF32(scratch, n, k, 0, 0, oi, os);
    if (colOf != 0) {
      for (let j = 0; j < cnt; j++) {
        const p = oi + ((<usize>j) << 2);
        store<i32>(p, load<i32>(colOf + ((<usize>load<i32>(p)) << 2)));
      }
    }
    for (let j = cnt; j < k; j++) {
      store<i32>(oi + ((<usize>j) << 2), -1);
      store<f32>(os + ((<usize>j) << 2), -Infinity);
    }
    if (outCounts != 0) store<i32>(outCounts + ((<usize>r) << 2), cnt);
  }
}

/** scratch[0..n) = Σ_{i ∈ items(u)} x_ui·B[m(i), :] (f32, four lanes at a time; m = colMap, -1 skips). */
@inline function easeAccumulate(B: usize, n: i32, uIndptr: usize, uIndices: usize, uData: usize, u: i32, colMap: usize, scratch: usize): void {
  const rowBytes = (<usize>n) << 2;
  const nv = n & ~3;
  memory.fill(scratch, 0, rowBytes);
  const pEnd = load<i32>(uIndptr + ((<usize>u) << 2), 4);
  for (let p = load<i32>(uIndptr + ((<usize>u) << 2)); p < pEnd; p++) {
    let i = load<i32>(uIndices + ((<usize>p) << 2));
    if (colMap != 0) i = load<i32>(colMap + ((<usize>i) << 2));
    if (i < 0) continue;
    const ws = load<f32>(uData + ((<usize>p) << 2));
    const w = f32x4.splat(ws);
    const row = B + (<usize>i) * rowBytes;
    let j = 0;
    for (; j < nv; j += 4) {
      const o = (<usize>j) << 2;
      v128.store(scratch + o, f32x4.add(v128.load(scratch + o), f32x4.mul(w, v128.load(row + o))));
    }
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      store<f32>(scratch + o, load<f32>(scratch + o) + ws * load<f32>(row + o));
    }
  }
}

// -- EASE through the users (Woodbury), for fewer users m than items n --------------------------------
// P = (XᵀX + λI)⁻¹ = (I − ZᵀZ)/λ with Z = L⁻¹X, L·Lᵀ = XXᵀ + λI (m × m), so B[i,j] = z_i·z_j / (1 − ‖z_j‖²)
// off the diagonal: n²·m/2 multiply–adds instead of n³/2, and no n × n matrix in f64.

/**
 * Rows [r0, r1) of Zt (n × m f64): row j = Σ_{u ∈ users(j), ascending} x_uj·w_u, w_u the column u of
 * W = L⁻¹ (lower triangular), given as row u of Wᵀ: its diagonal D[u] and its strict upper triangle in
 * row u of Wt (m × m, row stride m). scale[j] receives 1 / (1 − ‖row j‖²) (f64).
 */
export function easeZ(Wt: usize, m: i32, D: usize, iIndptr: usize, iIndices: usize, iData: usize, Zt: usize, scale: usize, r0: i32, r1: i32): void {
  const rowBytes = (<usize>m) << 3;
  for (let j = r0; j < r1; j++) {
    const z = Zt + (<usize>j) * rowBytes;
    memory.fill(z, 0, rowBytes);
    const pEnd = load<i32>(iIndptr + ((<usize>j) << 2), 4);
    for (let p = load<i32>(iIndptr + ((<usize>j) << 2)); p < pEnd; p++) {
      const u = load<i32>(iIndices + ((<usize>p) << 2));
      const x = <f64>load<f32>(iData + ((<usize>p) << 2));
      const zu = z + ((<usize>u) << 3);
      store<f64>(zu, load<f64>(zu) + x * load<f64>(D + ((<usize>u) << 3)));
      const w = Wt + (<usize>u) * rowBytes;
      const xv = f64x2.splat(x);
      let k = u + 1;
      for (; k + 2 <= m; k += 2) {
        const o = (<usize>k) << 3;
        v128.store(z + o, f64x2.add(v128.load(z + o), f64x2.mul(xv, v128.load(w + o))));
      }
      if (k < m) {
        const o = (<usize>k) << 3;
        store<f64>(z + o, load<f64>(z + o) + x * load<f64>(w + o));
      }
    }
    let a = f64x2.splat(0);
    let k = 0;
    for (; k + 2 <= m; k += 2) {
      const v = v128.load(z + ((<usize>k) << 3));
      a = f64x2.add(a, f64x2.mul(v, v));
    }
    let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
    if (k < m) {
      const v = load<f64>(z + ((<usize>k) << 3));
      s += v * v;
    }
    store<f64>(scale + ((<usize>j) << 3), 1.0 / (1.0 - s));
  }
}

/** z_a·z_b over m f64 (lane pairs, then the odd tail), continuing from `acc` at pair boundary `from`. */
@inline function dotFrom(acc: v128, a: usize, b: usize, from: i32, m: i32): f64 {
  let k = from;
  for (; k + 2 <= m; k += 2) {
    const o = (<usize>k) << 3;
    acc = f64x2.add(acc, f64x2.mul(v128.load(a + o), v128.load(b + o)));
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (k < m) s += load<f64>(a + ((<usize>k) << 3)) * load<f64>(b + ((<usize>k) << 3));
  return s;
}

/** B[i,j] = d·scale[j] and B[j,i] = d·scale[i] (f32), d = z_i·z_j. */
@inline function putPair(B: usize, n: i32, scale: usize, i: i32, j: i32, d: f64): void {
  store<f32>(B + ((<usize>i) * (<usize>n) + <usize>j) * 4, <f32>(d * load<f64>(scale + ((<usize>j) << 3))));
  store<f32>(B + ((<usize>j) * (<usize>n) + <usize>i) * 4, <f32>(d * load<f64>(scale + ((<usize>i) << 3))));
}

/** Rows j per cache block of easeWoodburyB: the tiles of every row pass over one block before the next. */
const JB: i32 = 32;

/**
 * Rows [r0, r1) of the lower triangle of Zt·Ztᵀ, scaled into B (n × n f32): for j < i, B[i,j] =
 * z_i·z_j·scale[j] and B[j,i] = z_i·z_j·scale[i]; B[i,i] = 0. Four rows i against two rows j at a time,
 * the rows j in blocks of JB so a block stays in cache while every tile of [r0, r1) uses it; every dot
 * product sums lane 0 over even k and lane 1 over odd k, so any split gives the same bits.
 */
export function easeWoodburyB(Zt: usize, m: i32, n: i32, scale: usize, B: usize, r0: i32, r1: i32): void {
  const rowBytes = (<usize>m) << 3;
  const tilesEnd = r0 + ((r1 - r0) & ~3);
  for (let jb = 0; jb < tilesEnd; jb += JB) {
    for (let i = r0; i < tilesEnd; i += 4) {
      // Pairs of columns j with j + 2 ≤ i: [0, i & ~1), this block's part of it.
      const jEnd = min(jb + JB, i & ~1);
      for (let j = jb; j < jEnd; j += 2) woodburyTile(Zt, m, n, scale, B, rowBytes, i, j);
    }
  }
  for (let i = r0; i < tilesEnd; i += 4) for (let t = 0; t < 4; t++) woodburyRow(Zt, m, n, scale, B, i + t, i & ~1);
  for (let i = tilesEnd; i < r1; i++) woodburyRow(Zt, m, n, scale, B, i, 0);
}

/** Rows i..i+3 against rows j, j+1 of Zt. */
@inline function woodburyTile(Zt: usize, m: i32, n: i32, scale: usize, B: usize, rowBytes: usize, i: i32, j: i32): void {
  const mc = m & ~1;
  const a0 = Zt + (<usize>i) * rowBytes;
  const a1 = a0 + rowBytes;
  const a2 = a1 + rowBytes;
  const a3 = a2 + rowBytes;
  const b0 = Zt + (<usize>j) * rowBytes;
  const b1 = b0 + rowBytes;
  let c00 = f64x2.splat(0);
  let c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0);
  let c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0);
  let c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0);
  let c31 = f64x2.splat(0);
  for (let k = 0; k < mc; k += 2) {
    const o = (<usize>k) << 3;
    const x0 = v128.load(b0 + o);
    const x1 = v128.load(b1 + o);
    const y0 = v128.load(a0 + o);
    const y1 = v128.load(a1 + o);
    const y2 = v128.load(a2 + o);
    const y3 = v128.load(a3 + o);
    c00 = f64x2.add(c00, f64x2.mul(y0, x0));
    c01 = f64x2.add(c01, f64x2.mul(y0, x1));
    c10 = f64x2.add(c10, f64x2.mul(y1, x0));
    c11 = f64x2.add(c11, f64x2.mul(y1, x1));
    c20 = f64x2.add(c20, f64x2.mul(y2, x0));
    c21 = f64x2.add(c21, f64x2.mul(y2, x1));
    c30 = f64x2.add(c30, f64x2.mul(y3, x0));
    c31 = f64x2.add(c31, f64x2.mul(y3, x1));
  }
  putPair(B, n, scale, i, j, dotFrom(c00, a0, b0, mc, m));
  putPair(B, n, scale, i, j + 1, dotFrom(c01, a0, b1, mc, m));
  putPair(B, n, scale, i + 1, j, dotFrom(c10, a1, b0, mc, m));
  putPair(B, n, scale, i + 1, j + 1, dotFrom(c11, a1, b1, mc, m));
  putPair(B, n, scale, i + 2, j, dotFrom(c20, a2, b0, mc, m));
  putPair(B, n, scale, i + 2, j + 1, dotFrom(c21, a2, b1, mc, m));
  putPair(B, n, scale, i + 3, j, dotFrom(c30, a3, b0, mc, m));
  putPair(B, n, scale, i + 3, j + 1, dotFrom(c31, a3, b1, mc, m));
}

/** Row i of easeWoodburyB from column j0 to the diagonal (which is set to 0). */
function woodburyRow(Zt: usize, m: i32, n: i32, scale: usize, B: usize, i: i32, j0: i32): void {
  const rowBytes = (<usize>m) << 3;
  const a = Zt + (<usize>i) * rowBytes;
  for (let j = j0; j < i; j++) putPair(B, n, scale, i, j, dotFrom(f64x2.splat(0), a, Zt + (<usize>j) * rowBytes, 0, m));
  store<f32>(B + ((<usize>i) * (<usize>n) + <usize>i) * 4, 0);
}
