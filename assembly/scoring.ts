// Serving kernels: scores = X[rows]·Y[cols]ᵀ computed in cache tiles, then a per-row top-k with per-row
// and global exclusions, all in one call (recommend, recommendBatch and similar* all go through it).
//
// Determinism: every (row, col) score is one f32x4 accumulator summed over 4-float chunks in order, then
// lanes (0+1)+(2+3), then a scalar tail — the same arithmetic whichever micro-kernel or block computes
// it, so a user's scores are bit-identical alone or inside a batch.
import { topkF32 } from './topk';

/** Items per cache tile: 128 rows of Y (32 KiB at dim 64) are reused by every row of the block. */
const TILE: i32 = 128;

@inline function hsum(a: v128): f32 {
  return f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
}

/** x·y over dim floats (nv = dim rounded down to a multiple of 4). */
@inline function dot1(x: usize, y: usize, dim: i32, nv: i32): f32 {
  let a = f32x4.splat(0);
  let i = 0;
  for (; i < nv; i += 4) {
    const o = (<usize>i) << 2;
    a = f32x4.add(a, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  }
  let s = hsum(a);
  for (; i < dim; i++) {
    const o = (<usize>i) << 2;
    s += load<f32>(x + o) * load<f32>(y + o);
  }
  return s;
}

@inline function rowPtr(base: usize, list: usize, r: i32, rowBytes: usize): usize {
  const idx = list == 0 ? r : load<i32>(list + ((<usize>r) << 2));
  return base + (<usize>idx) * rowBytes;
}

/** One row of X against columns [c0, c1): 4 columns at a time (4 independent chains), then singles. */
function scoreRow1(x: usize, Y: usize, yRows: usize, c0: i32, c1: i32, dim: i32, out: usize): void {
  const rowBytes = (<usize>dim) << 2;
  const nv = dim & ~3;
  let c = c0;
  for (; c + 4 <= c1; c += 4) {
    const y0 = rowPtr(Y, yRows, c, rowBytes);
    const y1 = rowPtr(Y, yRows, c + 1, rowBytes);
    const y2 = rowPtr(Y, yRows, c + 2, rowBytes);
    const y3 = rowPtr(Y, yRows, c + 3, rowBytes);
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let i = 0;
    for (; i < nv; i += 4) {
      const o = (<usize>i) << 2;
      const xv = v128.load(x + o);
      a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(y0 + o)));
      a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(y1 + o)));
      a2 = f32x4.add(a2, f32x4.mul(xv, v128.load(y2 + o)));
      a3 = f32x4.add(a3, f32x4.mul(xv, v128.load(y3 + o)));
    }
    let s0 = hsum(a0);
    let s1 = hsum(a1);
    let s2 = hsum(a2);
    let s3 = hsum(a3);
    for (; i < dim; i++) {
      const o = (<usize>i) << 2;
      const xs = load<f32>(x + o);
      s0 += xs * load<f32>(y0 + o);
      s1 += xs * load<f32>(y1 + o);
      s2 += xs * load<f32>(y2 + o);
      s3 += xs * load<f32>(y3 + o);
    }
    const p = out + ((<usize>c) << 2);
    store<f32>(p, s0);
    store<f32>(p, s1, 4);
    store<f32>(p, s2, 8);
    store<f32>(p, s3, 12);
  }
  for (; c < c1; c++) {
    store<f32>(out + ((<usize>c) << 2), dot1(x, rowPtr(Y, yRows, c, rowBytes), dim, nv));
  }
}

/** Two rows of X against columns [c0, c1), 4 columns at a time: 8 chains, each Y chunk loaded once. */
function scoreRow2(xa: usize, xb: usize, Y: usize, yRows: usize, c0: i32, c1: i32, dim: i32, outA: usize, outB: usize): void {
  const rowBytes = (<usize>dim) << 2;
  const nv = dim & ~3;
  let c = c0;
  for (; c + 4 <= c1; c += 4) {
    const y0 = rowPtr(Y, yRows, c, rowBytes);
    const y1 = rowPtr(Y, yRows, c + 1, rowBytes);
    const y2 = rowPtr(Y, yRows, c + 2, rowBytes);
    const y3 = rowPtr(Y, yRows, c + 3, rowBytes);
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let b0 = f32x4.splat(0);
    let b1 = f32x4.splat(0);
    let b2 = f32x4.splat(0);
    let b3 = f32x4.splat(0);
    let i = 0;
    for (; i < nv; i += 4) {
      const o = (<usize>i) << 2;
      const xv = v128.load(xa + o);
      const xw = v128.load(xb + o);
      const v0 = v128.load(y0 + o);
      const v1 = v128.load(y1 + o);
      const v2 = v128.load(y2 + o);
      const v3 = v128.load(y3 + o);
      a0 = f32x4.add(a0, f32x4.mul(xv, v0));
      a1 = f32x4.add(a1, f32x4.mul(xv, v1));
      a2 = f32x4.add(a2, f32x4.mul(xv, v2));
      a3 = f32x4.add(a3, f32x4.mul(xv, v3));
      b0 = f32x4.add(b0, f32x4.mul(xw, v0));
      b1 = f32x4.add(b1, f32x4.mul(xw, v1));
      b2 = f32x4.add(b2, f32x4.mul(xw, v2));
      b3 = f32x4.add(b3, f32x4.mul(xw, v3));
    }
    let s0 = hsum(a0);
    let s1 = hsum(a1);
    let s2 = hsum(a2);
    let s3 = hsum(a3);
    let t0 = hsum(b0);
    let t1 = hsum(b1);
    let t2 = hsum(b2);
    let t3 = hsum(b3);
    for (; i < dim; i++) {
      const o = (<usize>i) << 2;
      const xs = load<f32>(xa + o);
      const xt = load<f32>(xb + o);
      const w0 = load<f32>(y0 + o);
      const w1 = load<f32>(y1 + o);
      const w2 = load<f32>(y2 + o);
      const w3 = load<f32>(y3 + o);
      s0 += xs * w0;
      s1 += xs * w1;
      s2 += xs * w2;
      s3 += xs * w3;
      t0 += xt * w0;
      t1 += xt * w1;
      t2 += xt * w2;
      t3 += xt * w3;
    }
    const p = outA + ((<usize>c) << 2);
    store<f32>(p, s0);
    store<f32>(p, s1, 4);
    store<f32>(p, s2, 8);
    store<f32>(p, s3, 12);
    const q = outB + ((<usize>c) << 2);
    store<f32>(q, t0);
    store<f32>(q, t1, 4);
    store<f32>(q, t2, 8);
    store<f32>(q, t3, 12);
  }
  for (; c < c1; c++) {
    const y = rowPtr(Y, yRows, c, rowBytes);
    store<f32>(outA + ((<usize>c) << 2), dot1(xa, y, dim, nv));
    store<f32>(outB + ((<usize>c) << 2), dot1(xb, y, dim, nv));
  }
}

/**
 * Fused scoring and selection. For each r in [0, nRows): scores[c] = X[xRows[r]]·Y[yRows[c]] for c in
 * [0, nCols) (xRows / yRows = 0 mean the identity), then columns excIdx[excIndptr[r] .. excIndptr[r+1])
 * (excIndptr = 0: none) and globalExc[0..nGlobal) are dropped, as are NaN scores, and the k best (score
 * descending, column ascending on ties) are written to outIdx/outScores at row offset r·k. Rows with
 * fewer than k candidates are padded with column -1 and score -Infinity; outCounts[r] (if non-zero)
 * receives the number written. `scratch` holds blockRows × nCols f32; exclusion columns must be in
 * [0, nCols).
 */
export function scoreTopkF32(
  X: usize,
  xRows: usize,
  nRows: i32,
  Y: usize,
  yRows: usize,
  nCols: i32,
  dim: i32,
  k: i32,
  excIndptr: usize,
  excIdx: usize,
  globalExc: usize,
  nGlobal: i32,
  scratch: usize,
  blockRows: i32,
  outIdx: usize,
  outScores: usize,
  outCounts: usize,
): void {
  const rowBytes = (<usize>dim) << 2;
  const colBytes = (<usize>nCols) << 2;
  if (blockRows < 1) blockRows = 1;
  const nan = f32(NaN);
  for (let r0 = 0; r0 < nRows; r0 += blockRows) {
    const r1 = min(r0 + blockRows, nRows);
    // Column tiles outermost so a tile of Y stays in cache for every row of the block.
    for (let c0 = 0; c0 < nCols; c0 += TILE) {
      const c1 = min(c0 + TILE, nCols);
      let r = r0;
      for (; r + 2 <= r1; r += 2) {
        const outA = scratch + (<usize>(r - r0)) * colBytes;
        scoreRow2(rowPtr(X, xRows, r, rowBytes), rowPtr(X, xRows, r + 1, rowBytes), Y, yRows, c0, c1, dim, outA, outA + colBytes);
      }
      if (r < r1) scoreRow1(rowPtr(X, xRows, r, rowBytes), Y, yRows, c0, c1, dim, scratch + (<usize>(r - r0)) * colBytes);
    }
    for (let r = r0; r < r1; r++) {
      const row = scratch + (<usize>(r - r0)) * colBytes;
      if (excIndptr != 0) {
        const a = load<i32>(excIndptr + ((<usize>r) << 2));
        const b = load<i32>(excIndptr + ((<usize>(r + 1)) << 2));
        for (let p = a; p < b; p++) store<f32>(row + ((<usize>load<i32>(excIdx + ((<usize>p) << 2))) << 2), nan);
      }
      for (let g = 0; g < nGlobal; g++) store<f32>(row + ((<usize>load<i32>(globalExc + ((<usize>g) << 2))) << 2), nan);
      const oi = outIdx + (<usize>r) * (<usize>k) * 4;
      const os = outScores + (<usize>r) * (<usize>k) * 4;
      const cnt = topkF32(row, nCols, k, 0, 0, oi, os);
      for (let j = cnt; j < k; j++) {
        store<i32>(oi + ((<usize>j) << 2), -1);
        store<f32>(os + ((<usize>j) << 2), -Infinity);
      }
      if (outCounts != 0) store<i32>(outCounts + ((<usize>r) << 2), cnt);
    }
  }
}

/**
 * out (m × cols) = the first `cols` columns of each row of A (m rows, `stride` floats apart) divided by
 * their Euclidean norm (sum of squares in f64); all-zero rows stay zero. Dot products of the result are
 * cosines.
 */
export function normalizeRowsF32(A: usize, m: i32, stride: i32, cols: i32, out: usize): void {
  for (let r = 0; r < m; r++) {
    const a = A + (<usize>r) * (<usize>stride) * 4;
    const o = out + (<usize>r) * (<usize>cols) * 4;
    let ss: f64 = 0;
    for (let j = 0; j < cols; j++) {
      const v = <f64>load<f32>(a + ((<usize>j) << 2));
      ss += v * v;
    }
    const inv: f64 = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let j = 0; j < cols; j++) store<f32>(o + ((<usize>j) << 2), <f32>(<f64>load<f32>(a + ((<usize>j) << 2)) * inv));
  }
}
