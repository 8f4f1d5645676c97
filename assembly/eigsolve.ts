// The symmetric eigendecomposition behind the exact implicit solve of short rows (assembly/als-eig.ts,
// assembly/als.ts): Householder tridiagonalization and implicit-shift QR, in f64, and the per-row solve in
// the eigenbasis of G. Helpers only: index.ts does not re-export this file.
//
// Why: row u's system is (G + λ_u·I + V·D·Vᵀ)·x = V·β, V = [y_i] over its n entries, D = diag(c − 1). With
// G = E·Λ·Eᵀ known, (G + λ_u·I)⁻¹ = E·(Λ + λ_u)⁻¹·Eᵀ for every λ_u at once, so the Woodbury identity solves
// the row in O(k² + n²·k) from the projected rows ỹ_i = Eᵀ·y_i instead of O(n·k² + k³) — with per-row λ
// (frequency-scaled regularization) as with plain λ.
import { dot64 } from './rowsolve';

const EPS: f64 = 2.220446049250313e-16;

/**
 * Householder reduction of the symmetric k×k f64 block A (row stride kp; destroyed) to tridiagonal form
 * A = Q·T·Qᵀ: T's diagonal into d, its off-diagonal into e (e[j] = T[j][j+1]), Qᵀ into E (kp stride,
 * zero padding). p: 2·kp f64 scratch.
 */
export function tridiagonalize(A: usize, E: usize, d: usize, e: usize, p: usize, k: i32, kp: i32): void {
  const rb = <usize>kp << 3;
  const w = p + rb;
  for (let j = 0; j < k - 2; j++) {
    const m = k - j - 1;
    const row = A + <usize>j * rb;
    store<f64>(d + (<usize>j << 3), load<f64>(row + (<usize>j << 3)));
    // x = A[j][j+1..k): v = x − α·e₁ normalised, kept in place of x (row j is not needed again)
    const x = row + (<usize>(j + 1) << 3);
    const nx = Math.sqrt(dot64(x, x, m));
    if (nx == 0) {
      store<f64>(e + (<usize>j << 3), 0);
      continue;
    }
    const x0 = load<f64>(x);
    const alpha = x0 > 0 ? -nx : nx;
    store<f64>(e + (<usize>j << 3), alpha);
    store<f64>(x, x0 - alpha);
    const inv = 1.0 / Math.sqrt(2.0 * nx * (nx + Math.abs(x0)));
    const iv = f64x2.splat(inv);
    let t = 0;
    for (; t + 2 <= m; t += 2) v128.store(x + (<usize>t << 3), f64x2.mul(iv, v128.load(x + (<usize>t << 3))));
    for (; t < m; t++) store<f64>(x + (<usize>t << 3), inv * load<f64>(x + (<usize>t << 3)));
    // B = A[j+1.., j+1..] ← H·B·H = B − v·wᵀ − w·vᵀ, p = B·v, w = 2p − 2(vᵀp)·v
    const B = A + <usize>(j + 1) * rb + (<usize>(j + 1) << 3);
    for (let r = 0; r < m; r++) store<f64>(p + (<usize>r << 3), dot64(B + <usize>r * rb, x, m));
    const K = dot64(x, p, m);
    for (let r = 0; r < m; r++) {
      const o = <usize>r << 3;
      store<f64>(w + o, 2.0 * load<f64>(p + o) - 2.0 * K * load<f64>(x + o));
    }
    for (let r = 0; r < m; r++) {
      const br = B + <usize>r * rb;
      const vr = f64x2.splat(load<f64>(x + (<usize>r << 3)));
      const wr = f64x2.splat(load<f64>(w + (<usize>r << 3)));
      let c = 0;
      for (; c + 2 <= m; c += 2) {
        const o = <usize>c << 3;
        const t2 = f64x2.add(f64x2.mul(vr, v128.load(w + o)), f64x2.mul(wr, v128.load(x + o)));
        v128.store(br + o, f64x2.sub(v128.load(br + o), t2));
      }
      for (; c < m; c++) {
        const o = <usize>c << 3;
        store<f64>(br + o, load<f64>(br + o) - load<f64>(x + (<usize>r << 3)) * load<f64>(w + o) - load<f64>(w + (<usize>r << 3)) * load<f64>(x + o));
      }
    }
  }
  if (k >= 2) {
    const a = A + <usize>(k - 2) * rb + (<usize>(k - 2) << 3);
    store<f64>(d + (<usize>(k - 2) << 3), load<f64>(a));
    store<f64>(e + (<usize>(k - 2) << 3), load<f64>(a, 8));
  }
  store<f64>(d + (<usize>(k - 1) << 3), load<f64>(A + <usize>(k - 1) * rb + (<usize>(k - 1) << 3)));
  // E = Qᵀ = H_{k−3}·…·H_0: E ← I, then E ← H_j·E for j = 0, 1, …  (H_j acts on rows j+1..k)
  memory.fill(E, 0, <usize>kp * rb);
  for (let j = 0; j < k; j++) store<f64>(E + <usize>j * rb + (<usize>j << 3), 1.0);
  for (let j = 0; j < k - 2; j++) {
    const m = k - j - 1;
    const v = A + <usize>j * rb + (<usize>(j + 1) << 3);
    if (load<f64>(e + (<usize>j << 3)) == 0 && load<f64>(v) == 0) continue;
    const E1 = E + <usize>(j + 1) * rb;
    // s = vᵀ·E[j+1..], then E[j+1+r] −= 2·v_r·s
    memory.fill(p, 0, rb);
    for (let r = 0; r < m; r++) {
      const vr = f64x2.splat(load<f64>(v + (<usize>r << 3)));
      const er = E1 + <usize>r * rb;
      for (let c = 0; c < kp; c += 2) {
        const o = <usize>c << 3;
        v128.store(p + o, f64x2.add(v128.load(p + o), f64x2.mul(vr, v128.load(er + o))));
      }
    }
    for (let r = 0; r < m; r++) {
      const vr = f64x2.splat(2.0 * load<f64>(v + (<usize>r << 3)));
      const er = E1 + <usize>r * rb;
      for (let c = 0; c < kp; c += 2) {
        const o = <usize>c << 3;
        v128.store(er + o, f64x2.sub(v128.load(er + o), f64x2.mul(vr, v128.load(p + o))));
      }
    }
  }
}

/**
 * Eigenvalues of the symmetric tridiagonal (d, e) by implicit-shift QR (Wilkinson shifts), into d; the
 * rotations are applied to the rows of E (kp stride), so rows of E that held Qᵀ end up as the
 * eigenvectors of Q·T·Qᵀ. Returns false when it did not converge within 30·k steps.
 */
export function tridiagQR(d: usize, e: usize, E: usize, k: i32, kp: i32): bool {
  const rb = <usize>kp << 3;
  let m = k - 1;
  let steps = 0;
  while (m > 0) {
    const em1 = load<f64>(e + (<usize>(m - 1) << 3));
    if (Math.abs(em1) <= EPS * (Math.abs(load<f64>(d + (<usize>(m - 1) << 3))) + Math.abs(load<f64>(d + (<usize>m << 3))))) {
      store<f64>(e + (<usize>(m - 1) << 3), 0);
      m--;
      continue;
    }
    let l = m - 1;
    while (l > 0) {
      const el = Math.abs(load<f64>(e + (<usize>(l - 1) << 3)));
      if (el <= EPS * (Math.abs(load<f64>(d + (<usize>(l - 1) << 3))) + Math.abs(load<f64>(d + (<usize>l << 3))))) break;
      l--;
    }
    if (++steps > 30 * k) return false;
    // Wilkinson shift from the trailing 2×2 of the block [l, m]
    const dm = load<f64>(d + (<usize>m << 3));
    const half = (load<f64>(d + (<usize>(m - 1) << 3)) - dm) * 0.5;
    const hyp = Math.sqrt(half * half + em1 * em1);
    const mu = dm - (em1 * em1) / (half + (half >= 0 ? hyp : -hyp));
    let x = load<f64>(d + (<usize>l << 3)) - mu;
    let z = load<f64>(e + (<usize>l << 3));
    for (let i = l; i < m; i++) {
      const r = Math.sqrt(x * x + z * z);
      let c: f64 = 1;
      let s: f64 = 0;
      if (r != 0) {
        c = x / r;
        s = -z / r;
      }
      if (i > l) store<f64>(e + (<usize>(i - 1) << 3), r);
      const a = load<f64>(d + (<usize>i << 3));
      const b = load<f64>(e + (<usize>i << 3));
      const cc = load<f64>(d + (<usize>(i + 1) << 3));
      store<f64>(d + (<usize>i << 3), c * c * a - 2.0 * c * s * b + s * s * cc);
      store<f64>(d + (<usize>(i + 1) << 3), s * s * a + 2.0 * c * s * b + c * c * cc);
      const ei = c * s * (a - cc) + (c * c - s * s) * b;
      store<f64>(e + (<usize>i << 3), ei);
      if (i < m - 1) {
        const en = load<f64>(e + (<usize>(i + 1) << 3));
        z = -s * en;
        store<f64>(e + (<usize>(i + 1) << 3), c * en);
        x = ei;
      }
      // E rows i, i+1 ← [c·E_i − s·E_{i+1}, s·E_i + c·E_{i+1}]
      const ri = E + <usize>i * rb;
      const rn = ri + rb;
      const cv = f64x2.splat(c);
      const sv = f64x2.splat(s);
      for (let t = 0; t < kp; t += 2) {
        const o = <usize>t << 3;
        const ui = v128.load(ri + o);
        const un = v128.load(rn + o);
        v128.store(ri + o, f64x2.sub(f64x2.mul(cv, ui), f64x2.mul(sv, un)));
        v128.store(rn + o, f64x2.add(f64x2.mul(sv, ui), f64x2.mul(cv, un)));
      }
    }
  }
  return true;
}

/**
 * The exact solve of one implicit row with n = p1 − p0 entries, every c − 1 > 0, in G's eigenbasis:
 * x = V·z, z = W̃·M⁻¹·D⁻¹·β with W̃_q = (Λ + λ_u)⁻¹·ỹ_q, M = D⁻¹ + ỸᵀW̃ (n×n), ỹ_q the projected rows (Ye,
 * f64, kp stride), V the eigenvectors as columns (kp×kp), lam the eigenvalues. Scratch (f64): h, z (kp
 * each), g (nmax), W (nmax·kp), M (nmax²). Returns 1 ok, 0 unusable (Λ + λ_u or M not safely positive:
 * the caller solves the row the general way), -1 not finite.
 */
@inline export function implicitRowEig(
  indices: usize, data: usize, p0: i32, p1: i32, Ye: usize, V: usize, lam: usize, out: usize,
  k: i32, kp: i32, alpha: f64, eps: f64, logConf: i32, reg: f64, scratch: usize, nmax: i32,
): i32 {
  const n = p1 - p0;
  const vb = <usize>kp << 3;
  const h = scratch;
  const z = h + vb;
  const g = z + vb;
  const W = g + (<usize>nmax << 3);
  const M = W + <usize>nmax * vb;
  let top: f64 = 0;
  for (let j = 0; j < k; j++) top = max(top, load<f64>(lam + (<usize>j << 3)) + reg);
  for (let j = 0; j < k; j++) {
    const den = load<f64>(lam + (<usize>j << 3)) + reg;
    if (!(den > top * 1e-12)) return 0;
    store<f64>(h + (<usize>j << 3), 1.0 / den);
  }
  for (let j = k; j < kp; j++) store<f64>(h + (<usize>j << 3), 0);
  for (let q = 0; q < n; q++) {
    const p = p0 + q;
    const yq = Ye + <usize>load<i32>(indices + (<usize>p << 2)) * vb;
    const wq = W + <usize>q * vb;
    for (let j = 0; j < kp; j += 2) {
      const o = <usize>j << 3;
      v128.store(wq + o, f64x2.mul(v128.load(h + o), v128.load(yq + o)));
    }
    const v = <f64>load<f32>(data + (<usize>p << 2));
    const a = Math.abs(v);
    const c = logConf ? 1.0 + alpha * Math.log(1.0 + a / eps) : 1.0 + alpha * a;
    const dinv = 1.0 / (c - 1.0);
    store<f64>(g + (<usize>q << 3), v > 0 ? c * dinv : 0.0);
    const mq = M + (<usize>(q * nmax) << 3);
    for (let t = 0; t < q; t++) store<f64>(mq + (<usize>t << 3), dot64(yq, W + <usize>t * vb, kp));
    store<f64>(mq + (<usize>q << 3), dot64(yq, wq, kp) + dinv);
  }
  // γ = M⁻¹·g: Cholesky of M's lower triangle (row stride nmax), then the two triangular solves
  for (let i = 0; i < n; i++) {
    const mi = M + (<usize>(i * nmax) << 3);
    for (let j = 0; j <= i; j++) {
      const mj = M + (<usize>(j * nmax) << 3);
      const s = load<f64>(mi + (<usize>j << 3)) - dot64(mi, mj, j);
      if (i == j) {
        if (!(s > 0.0) || !isFinite(s)) return 0;
        store<f64>(mi + (<usize>i << 3), Math.sqrt(s));
      } else {
        store<f64>(mi + (<usize>j << 3), s / load<f64>(mj + (<usize>j << 3)));
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const mi = M + (<usize>(i * nmax) << 3);
    store<f64>(g + (<usize>i << 3), (load<f64>(g + (<usize>i << 3)) - dot64(mi, g, i)) / load<f64>(mi + (<usize>i << 3)));
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = load<f64>(g + (<usize>i << 3));
    for (let t = i + 1; t < n; t++) s -= load<f64>(M + (<usize>(t * nmax + i) << 3)) * load<f64>(g + (<usize>t << 3));
    store<f64>(g + (<usize>i << 3), s / load<f64>(M + (<usize>(i * nmax + i) << 3)));
  }
  // z = Σ_q γ_q·W̃_q, then x = V·z
  memory.fill(z, 0, vb);
  for (let q = 0; q < n; q++) {
    const s = f64x2.splat(load<f64>(g + (<usize>q << 3)));
    const wq = W + <usize>q * vb;
    for (let j = 0; j < kp; j += 2) {
      const o = <usize>j << 3;
      v128.store(z + o, f64x2.add(v128.load(z + o), f64x2.mul(s, v128.load(wq + o))));
    }
  }
  let ok = true;
  for (let a = 0; a < k; a++) {
    const x = <f32>dot64(V + <usize>a * vb, z, kp);
    if (!isFinite(x)) ok = false;
    store<f32>(out + (<usize>a << 2), x);
  }
  return ok ? 1 : -1;
}
