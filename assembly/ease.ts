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
 * Columns excIdx[excIndptr[r] .. excIndptr[r+1]) (excIndptr = 0: none) and globalExc[0..nGlobal) (B's
 * columns) are dropped, and the k best (score descending, column ascending on ties) go to outIdx (i32) /
 * outScores (f32) at r·k, padded with -1 / -Infinity; outCounts[r] (if non-zero) receives the count.
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
  const rowBytes = (<usize>n) << 2;
  const nv = n & ~3;
  const nan = f32(NaN);
  for (let r = 0; r < nRows; r++) {
    const u = uRows == 0 ? r : load<i32>(uRows + ((<usize>r) << 2));
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
    if (excIndptr != 0) {
      const b = load<i32>(excIndptr + ((<usize>r) << 2), 4);
      for (let e = load<i32>(excIndptr + ((<usize>r) << 2)); e < b; e++) {
        store<f32>(scratch + ((<usize>load<i32>(excIdx + ((<usize>e) << 2))) << 2), nan);
      }
    }
    for (let g = 0; g < nGlobal; g++) store<f32>(scratch + ((<usize>load<i32>(globalExc + ((<usize>g) << 2))) << 2), nan);
    const oi = outIdx + (<usize>r) * (<usize>k) * 4;
    const os = outScores + (<usize>r) * (<usize>k) * 4;
    const cnt = topkF32(scratch, n, k, 0, 0, oi, os);
    for (let j = cnt; j < k; j++) {
      store<i32>(oi + ((<usize>j) << 2), -1);
      store<f32>(os + ((<usize>j) << 2), -Infinity);
    }
    if (outCounts != 0) store<i32>(outCounts + ((<usize>r) << 2), cnt);
  }
}
