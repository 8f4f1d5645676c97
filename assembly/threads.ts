// Kernels that exist so the threaded backend can split work whose single-call form is one indivisible
// loop. The Gram G = YᵀY is split by rows of G (each thread owns complete entries) and every entry is
// accumulated with exactly the operations of alsGram in als.ts — rows of Y taken in pairs, t = y_a·y_b +
// y'_a·y'_b, G ← G + t — so the result is bit-identical to alsGram whatever the split or thread count.
// Only the threads backend calls these (KernelRunner.gram in src/runtime/runner.ts); there is no JS twin.
import { rnd4 } from './layout';

/** dst[0..kp) (f64) ← src[0..k) (f32), zero beyond k (SIMD: four values per load; promotion is exact). */
@inline function promoteRow(src: usize, dst: usize, k: i32, kp: i32): void {
  let j = 0;
  for (; j + 4 <= k; j += 4) {
    const q = v128.load(src + (<usize>j << 2));
    v128.store(dst + (<usize>j << 3), f64x2.promote_low_f32x4(q));
    v128.store(dst + (<usize>j << 3), f64x2.promote_low_f32x4(v128.shuffle<f32>(q, q, 2, 3, 0, 1)), 16);
  }
  for (; j < k; j++) store<f64>(dst + (<usize>j << 3), <f64>load<f32>(src + (<usize>j << 2)));
  for (; j < kp; j++) store<f64>(dst + (<usize>j << 3), 0.0);
}

/**
 * Two of alsGram's pair updates in one pass over rows [a0, a1): G ← (G + t₁₂) + t₃₄ with
 * t₁₂ = u1[a]·u1[b] + u2[a]·u2[b] and t₃₄ likewise — the same roundings as two passes, half the traffic.
 */
@inline function rank4Rows(G: usize, u1: usize, u2: usize, u3: usize, u4: usize, a0: i32, a1: i32, kp: i32): void {
  for (let a = a0; a < a1; a++) {
    const ao = <usize>a << 3;
    const w1 = f64x2.splat(load<f64>(u1 + ao));
    const w2 = f64x2.splat(load<f64>(u2 + ao));
    const w3 = f64x2.splat(load<f64>(u3 + ao));
    const w4 = f64x2.splat(load<f64>(u4 + ao));
    const row = G + (<usize>a * <usize>kp << 3);
    for (let b = 0; b <= a; b += 2) {
      const o = <usize>b << 3;
      const t12 = f64x2.add(f64x2.mul(w1, v128.load(u1 + o)), f64x2.mul(w2, v128.load(u2 + o)));
      const t34 = f64x2.add(f64x2.mul(w3, v128.load(u3 + o)), f64x2.mul(w4, v128.load(u4 + o)));
      v128.store(row + o, f64x2.add(f64x2.add(v128.load(row + o), t12), t34));
    }
  }
}

/** Rows [a0, a1) of the lower triangle: G[a][b] += s1·u1[a]·u1[b] + s2·u2[a]·u2[b], b ≤ a (pairs of columns). */
@inline function rank2Rows(G: usize, s1: f64, u1: usize, s2: f64, u2: usize, a0: i32, a1: i32, kp: i32): void {
  for (let a = a0; a < a1; a++) {
    const w1 = f64x2.splat(s1 * load<f64>(u1 + (<usize>a << 3)));
    const w2 = f64x2.splat(s2 * load<f64>(u2 + (<usize>a << 3)));
    const row = G + (<usize>a * <usize>kp << 3);
    for (let b = 0; b <= a; b += 2) {
      const o = <usize>b << 3;
      const t = f64x2.add(f64x2.mul(w1, v128.load(u1 + o)), f64x2.mul(w2, v128.load(u2 + o)));
      v128.store(row + o, f64x2.add(v128.load(row + o), t));
    }
  }
}

/**
 * Rows [a0, a1) (a1 ≤ k) of the lower triangle of Σ_i y_i·y_iᵀ into G64 (kp × kp f64), for Y n × k with
 * row stride `stride` floats. Those rows of G64 are zeroed first; other rows are not touched.
 * alsGramFinish then adds λ, mirrors and writes G32. scratch: 4·kp f64.
 */
export function alsGramRows(Y: usize, n: i32, k: i32, stride: i32, G64: usize, a0: i32, a1: i32, scratch: usize): void {
  const kp = rnd4(k);
  memory.fill(G64 + (<usize>a0 * <usize>kp << 3), 0, <usize>(a1 - a0) * <usize>kp << 3);
  const u1 = scratch;
  const u2 = u1 + (<usize>kp << 3);
  const u3 = u2 + (<usize>kp << 3);
  const u4 = u3 + (<usize>kp << 3);
  const rowBytes = <usize>stride << 2;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    promoteRow(Y + <usize>i * rowBytes, u1, k, kp);
    promoteRow(Y + <usize>(i + 1) * rowBytes, u2, k, kp);
    promoteRow(Y + <usize>(i + 2) * rowBytes, u3, k, kp);
    promoteRow(Y + <usize>(i + 3) * rowBytes, u4, k, kp);
    rank4Rows(G64, u1, u2, u3, u4, a0, a1, kp);
  }
  for (; i + 2 <= n; i += 2) {
    promoteRow(Y + <usize>i * rowBytes, u1, k, kp);
    promoteRow(Y + <usize>(i + 1) * rowBytes, u2, k, kp);
    rank2Rows(G64, 1.0, u1, 1.0, u2, a0, a1, kp);
  }
  if (i < n) {
    promoteRow(Y + <usize>i * rowBytes, u1, k, kp);
    rank2Rows(G64, 1.0, u1, 0.0, u1, a0, a1, kp);
  }
}

