// Subspace (block coordinate descent) implicit half-step after iALS++ (Rendle, Krichene, Zhang & Koren 2021,
// "iALS++: Speeding up Matrix Factorization with Subspace Optimization"): each row's factors are updated one
// block of b coordinates at a time — the b×b system of the block, with the rest of the row fixed — and the
// predictions on the row's observed entries are kept up to date as the blocks change. A sweep costs about
// k² + n·k·b/2 per row (n entries) against k³/3 + n·k²/2 for the exact solve and 4·k² + 8·n·k for 3 CG steps,
// which is what makes large embeddings affordable.
//
// Rows are taken in batches (up to 16 rows, at most batchNnz entries together) and each block runs over
// the whole batch, so G's block rows G[B, :] (b × k) are read from memory once per batch rather than once
// per row. Every row's arithmetic is the same whichever rows share its batch (threads stay bit-identical).
// The pure-JS twin is alsImplicitSubspace in src/kernels/als-subspace.ts.
import { rnd4 } from './layout';
import { madd32, hsum32 } from './simd';
import { SYRK_BATCH, syrkUpper32 } from './syrk';
import { cholesky64, choleskySolve64, choleskySolveUpper32, choleskyUpper32, confidence } from './rowsolve';

/** Rows per batch at most. */
const BATCH: i32 = 16;

/** Σ_{j<n} y[j]·x[j] for a factor row y (any n, stride-free) against a padded vector x. */
@inline function dotRow(y: usize, x: usize, n: i32): f32 {
  let acc0 = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) acc0 = madd32(v128.load(y + (<usize>j << 2)), v128.load(x + (<usize>j << 2)), acc0);
  let s = hsum32(acc0);
  for (; j < n; j++) s += load<f32>(y + (<usize>j << 2)) * load<f32>(x + (<usize>j << 2));
  return s;
}

/** The extra diagonal of row r's system: regRows[r] (f32) when regRows ≠ 0, else 0. */
@inline function regOf(regRows: usize, r: i32): f32 {
  return regRows != 0 ? load<f32>(regRows + (<usize>r << 2)) : 0;
}

/**
 * rhs_j[t] = −G[b0 + t, :]·x_j for t < bb and the batch's rows j < m (x_j at xs + j·kp floats, rhs_j at
 * rhs + j·bb floats): two rows of G × four vectors per register tile, so each load feeds two or more
 * multiply–adds. Each entry sums the same four-lane partial sums in the same order whatever the tile.
 */
function blockGx(G32: usize, xs: usize, rhs: usize, m: i32, kp: i32, b0: i32, bb: i32): void {
  const gRow = <usize>kp << 2;
  for (let t = 0; t < bb; t += 2) {
    const g0 = G32 + <usize>(b0 + t) * gRow;
    const g1 = g0 + gRow;
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      const x0 = xs + <usize>j * gRow;
      const x1 = x0 + gRow;
      const x2 = x1 + gRow;
      const x3 = x2 + gRow;
      let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a02 = f32x4.splat(0), a03 = f32x4.splat(0);
      let a10 = f32x4.splat(0), a11 = f32x4.splat(0), a12 = f32x4.splat(0), a13 = f32x4.splat(0);
      for (let a = 0; a < kp; a += 4) {
        const o = <usize>a << 2;
        const r0 = v128.load(g0 + o);
        const r1 = v128.load(g1 + o);
        const v0 = v128.load(x0 + o);
        const v1 = v128.load(x1 + o);
        const v2 = v128.load(x2 + o);
        const v3 = v128.load(x3 + o);
        a00 = madd32(r0, v0, a00);
        a01 = madd32(r0, v1, a01);
        a02 = madd32(r0, v2, a02);
        a03 = madd32(r0, v3, a03);
        a10 = madd32(r1, v0, a10);
        a11 = madd32(r1, v1, a11);
        a12 = madd32(r1, v2, a12);
        a13 = madd32(r1, v3, a13);
      }
      const o0 = rhs + (<usize>(j * bb + t) << 2);
      const ob = <usize>bb << 2;
      store<f32>(o0, -hsum32(a00));
      store<f32>(o0 + ob, -hsum32(a01));
      store<f32>(o0 + 2 * ob, -hsum32(a02));
      store<f32>(o0 + 3 * ob, -hsum32(a03));
      store<f32>(o0, -hsum32(a10), 4);
      store<f32>(o0 + ob, -hsum32(a11), 4);
      store<f32>(o0 + 2 * ob, -hsum32(a12), 4);
      store<f32>(o0 + 3 * ob, -hsum32(a13), 4);
    }
    for (; j < m; j++) {
      const x0 = xs + <usize>j * gRow;
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      for (let a = 0; a < kp; a += 4) {
        const o = <usize>a << 2;
        const v0 = v128.load(x0 + o);
        a0 = madd32(v128.load(g0 + o), v0, a0);
        a1 = madd32(v128.load(g1 + o), v0, a1);
      }
      const o0 = rhs + (<usize>(j * bb + t) << 2);
      store<f32>(o0, -hsum32(a0));
      store<f32>(o0, -hsum32(a1), 4);
    }
  }
}

/**
 * The block's system solved in f64 (the fallback of blockStep): A = G[B, B] + reg·I (1 on padded
 * coordinates) + Σ_i (c−1)·y_iB·y_iBᵀ formed and factored in f64; rhs (bb f32, as blockStep built it)
 * becomes δ. w: 8·(bb² + 2·bb) bytes. Returns false if A is not positive definite.
 */
function blockSolve64(
  indices: usize, data: usize, p0: i32, n: i32, Y: usize, G32: usize, rhs: usize,
  k: i32, kp: i32, b0: i32, bb: i32, real: i32, alpha: f64, eps: f64, logConf: i32, reg: f32, w: usize,
): bool {
  const A = w;
  const invd = A + (<usize>(bb * bb) << 3);
  const z = invd + (<usize>bb << 3);
  const rowBytes = <usize>k << 2;
  for (let t = 0; t < bb; t++) {
    const gr = G32 + <usize>(b0 + t) * (<usize>kp << 2) + (<usize>b0 << 2);
    for (let u = 0; u <= t; u++) store<f64>(A + (<usize>(t * bb + u) << 3), <f64>load<f32>(gr + (<usize>u << 2)));
    const d = A + (<usize>(t * bb + t) << 3);
    store<f64>(d, t < real ? load<f64>(d) + <f64>reg : 1.0);
    store<f64>(z + (<usize>t << 3), <f64>load<f32>(rhs + (<usize>t << 2)));
  }
  for (let q = 0; q < n; q++) {
    const p = p0 + q;
    const c1 = confidence(<f64>load<f32>(data + (<usize>p << 2)), alpha, eps, logConf) - 1.0;
    const y = Y + <usize>load<i32>(indices + (<usize>p << 2)) * rowBytes + (<usize>b0 << 2);
    for (let t = 0; t < real; t++) {
      const yt = c1 * <f64>load<f32>(y + (<usize>t << 2));
      const at = A + (<usize>(t * bb) << 3);
      for (let u = 0; u <= t; u++) store<f64>(at + (<usize>u << 3), load<f64>(at + (<usize>u << 3)) + yt * <f64>load<f32>(y + (<usize>u << 2)));
    }
  }
  if (cholesky64(A, invd, bb, bb) >= 0) return false;
  choleskySolve64(A, invd, z, bb, bb);
  for (let t = 0; t < bb; t++) store<f32>(rhs + (<usize>t << 2), <f32>load<f64>(z + (<usize>t << 3)));
  return true;
}

/**
 * One block update of one row: coordinates [b0, b0 + bb) of x (kp f32, zero beyond k) given the rest, with
 * rhs (bb f32) holding −(G·x)_B on entry; s holds the row's predictions y_iᵀx (n f32) and is updated.
 * Returns false if the block's system is not positive definite.
 */
@inline function blockStep(
  indices: usize, data: usize, p0: i32, n: i32, Y: usize, G32: usize, x: usize, s: usize, rhs: usize,
  k: i32, kp: i32, b0: i32, bb: i32, alpha: f64, eps: f64, logConf: i32, reg: f32, w: usize,
): bool {
  const A = w;
  const invd = A + (<usize>(bb * bb) << 2);
  const diag = invd + (<usize>bb << 2);
  const Yp = diag + (<usize>bb << 2);
  const Wp = Yp + (<usize>(SYRK_BATCH * bb) << 2);
  const gRow = <usize>kp << 2;
  const rowBytes = <usize>k << 2;
  const real = min(bb, k - b0); // coordinates of the block below k
  // A = G[B, B] + reg·I (1 on padded coordinates), rhs = −(G·x)_B − reg·x_B
  for (let t = 0; t < bb; t++) {
    const gr = G32 + <usize>(b0 + t) * gRow;
    memory.copy(A + (<usize>(t * bb) << 2), gr + (<usize>b0 << 2), <usize>bb << 2);
    const xt = load<f32>(x + (<usize>(b0 + t) << 2));
    store<f32>(rhs + (<usize>t << 2), load<f32>(rhs + (<usize>t << 2)) - reg * xt);
    const d = A + (<usize>(t * bb + t) << 2);
    store<f32>(d, t < real ? load<f32>(d) + reg : 1);
  }
  // + Σ_i (c−1)·y_iB·y_iBᵀ, rhs += Σ_i (c·p − (c−1)·s_i)·y_iB, a batch of packed rows at a time
  for (let q0 = 0; q0 < n; q0 += SYRK_BATCH) {
    const nb = min(SYRK_BATCH, n - q0);
    for (let q = 0; q < nb; q++) {
      const p = p0 + q0 + q;
      const v = <f64>load<f32>(data + (<usize>p << 2));
      const c1 = <f32>(confidence(v, alpha, eps, logConf) - 1.0);
      const e: f32 = (v > 0 ? c1 + 1 : 0) - c1 * load<f32>(s + (<usize>(q0 + q) << 2));
      const y = Y + <usize>load<i32>(indices + (<usize>p << 2)) * rowBytes + (<usize>b0 << 2);
      const yq = Yp + (<usize>(q * bb) << 2);
      const wq = Wp + (<usize>(q * bb) << 2);
      memory.copy(yq, y, <usize>real << 2);
      for (let t = real; t < bb; t++) store<f32>(yq + (<usize>t << 2), 0);
      const cv = f32x4.splat(c1);
      const ev = f32x4.splat(e);
      for (let t = 0; t < bb; t += 4) {
        const o = <usize>t << 2;
        const y4 = v128.load(yq + o);
        v128.store(wq + o, f32x4.mul(cv, y4));
        v128.store(rhs + o, madd32(ev, y4, v128.load(rhs + o)));
      }
    }
    syrkUpper32(A, A, Yp, Wp, nb, bb, bb);
  }
  if (choleskyUpper32(A, invd, diag, bb, bb) >= 0) {
    // A tiny f32 pivot (an ill-conditioned block: large, nearly collinear factors): the block in f64.
    if (!blockSolve64(indices, data, p0, n, Y, G32, rhs, k, kp, b0, bb, real, alpha, eps, logConf, reg, Wp + (<usize>(SYRK_BATCH * bb) << 2))) return false;
  } else {
    choleskySolveUpper32(A, invd, rhs, bb, bb);
  }
  // x_B += δ, s_i += y_iBᵀ·δ
  for (let t = 0; t < bb; t += 4) {
    const o = <usize>t << 2;
    v128.store(x + (<usize>b0 << 2) + o, f32x4.add(v128.load(x + (<usize>b0 << 2) + o), v128.load(rhs + o)));
  }
  for (let q = 0; q < n; q++) {
    const y = Y + <usize>load<i32>(indices + (<usize>(p0 + q) << 2)) * rowBytes + (<usize>b0 << 2);
    const o = s + (<usize>q << 2);
    store<f32>(o, load<f32>(o) + dotRow(y, rhs, real));
  }
  return true;
}

/**
 * Subspace (iALS++) implicit half-step for rows [r0, r1): one sweep of block coordinate descent over blocks
 * of `block` coordinates (a multiple of 4; the last block takes the rest of kp) on A_u·x = b_u, warm-started
 * from X's current row; A_u = G + Σ (c−1)·y_i·y_iᵀ (+ regRows[r] on row r's diagonal when regRows ≠ 0),
 * b_u = Σ c·p·y_i; G32 = YᵀY + λI (kp×kp f32). f32 throughout. Rows are batched (≤ 16 rows, ≤ batchNnz
 * entries, at least one row). A block whose f32 factorisation meets a tiny pivot is solved in f64. Empty rows
 * get zeros. scratch: 4·(16·kp + 16·b + batchNnz + b² + 2·b + 64·b) + 8·(b² + 2·b) bytes.
 * Returns -1, or the failure code of the first failing row (r ≥ 0: a block system not positive definite;
 * −(r + 2): a result not finite).
 */
export function alsImplicitSubspace(
  indptr: usize, indices: usize, data: usize, Y: usize, G32: usize, X: usize,
  r0: i32, r1: i32, k: i32, alpha: f64, eps: f64, logConf: i32, block: i32, batchNnz: i32, scratch: usize, regRows: usize,
): i32 {
  const kp = rnd4(k);
  const vb = <usize>kp << 2;
  const b = min(max(4, block & ~3), kp);
  const xs = scratch;
  const rhs = xs + <usize>BATCH * vb;
  const ss = rhs + (<usize>(BATCH * b) << 2);
  const w = ss + (<usize>batchNnz << 2);
  const rowBytes = <usize>k << 2;
  let r = r0;
  while (r < r1) {
    // A batch: rows [r, rEnd) with their entries' predictions at ss + (p − pStart)·4.
    const pStart = load<i32>(indptr + (<usize>r << 2));
    let rEnd = r;
    while (rEnd < r1 && rEnd - r < BATCH) {
      const pe = load<i32>(indptr + (<usize>(rEnd + 1) << 2));
      if (rEnd > r && pe - pStart > batchNnz) break;
      rEnd++;
    }
    for (let j = 0; j < rEnd - r; j++) {
      const row = r + j;
      const p0 = load<i32>(indptr + (<usize>row << 2));
      const p1 = load<i32>(indptr + (<usize>(row + 1) << 2));
      const x = xs + <usize>j * vb;
      memory.fill(x, 0, vb);
      if (p1 == p0) continue;
      memory.copy(x, X + <usize>row * rowBytes, rowBytes);
      for (let p = p0; p < p1; p++) {
        const y = Y + <usize>load<i32>(indices + (<usize>p << 2)) * rowBytes;
        store<f32>(ss + (<usize>(p - pStart) << 2), dotRow(y, x, k));
      }
    }
    // Block after block, over the whole batch (G[B, :] stays in cache).
    for (let b0 = 0; b0 < kp; b0 += b) {
      const bb = min(b, kp - b0);
      blockGx(G32, xs, rhs, rEnd - r, kp, b0, bb);
      for (let j = 0; j < rEnd - r; j++) {
        const row = r + j;
        const p0 = load<i32>(indptr + (<usize>row << 2));
        const n = load<i32>(indptr + (<usize>(row + 1) << 2)) - p0;
        if (n == 0) continue;
        const x = xs + <usize>j * vb;
        const s = ss + (<usize>(p0 - pStart) << 2);
        const rj = rhs + (<usize>(j * bb) << 2);
        if (!blockStep(indices, data, p0, n, Y, G32, x, s, rj, k, kp, b0, bb, alpha, eps, logConf, regOf(regRows, row), w)) return row;
      }
    }
    // Write the rows in order; the first failing one ends the call.
    for (let j = 0; j < rEnd - r; j++) {
      const x = xs + <usize>j * vb;
      const out = X + <usize>(r + j) * rowBytes;
      let ok = true;
      for (let t = 0; t < k; t++) {
        const v = load<f32>(x + (<usize>t << 2));
        if (!isFinite(v)) ok = false;
        store<f32>(out + (<usize>t << 2), v);
      }
      if (!ok) return -(r + j + 2);
    }
    r = rEnd;
  }
  return -1;
}
