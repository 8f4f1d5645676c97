// Bayesian Personalized Ranking (Rendle et al. 2009) by stratified SGD (DSGD, Gemulla et al. 2011): the
// users and the items are cut into B blocks, and a stratum (c, b) is user block b's interactions with
// item block c, its negatives drawn from item block c too. Strata that share no block touch disjoint rows
// of X and Y, so they may run on any threads in any order. The blocks form G groups of I; super-step S
// pairs user group U with item group (U + S) mod G, and inside the pair inner step s pairs user block
// U·I + l with item block C·I + (l + s) mod I (bprStrata). Each user block draws from its own sfc32
// stream: the result depends on the seed and B, not on the thread count. The update is implicit's
// (bpr.pyx): one sample = a random interaction (u, i) of the stratum, a negative j, score = x_u·(y_i − y_j)
// over all dim columns (x_u's last column is 1, y's is the item bias), z = σ(−score), then
// x_u += lr(z(y_i − y_j) − reg·x_u), y_i += lr(z·x_u − reg·y_i), y_j += lr(−z·x_u − reg·y_j) with the old
// x_u, and x_u's bias column back to 1.
import { below, streamLoad, streamStore } from './sampling';

@inline function hsum(a: v128): f32 {
  return f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
}

@inline function u32At(base: usize, i: u32): u32 {
  return load<u32>(base + ((<usize>i) << 2));
}

/** Whether the sorted u32 list [base, base + n) of `list` holds j: a branch-free binary search. */
@inline function inSorted(list: usize, base: u32, n: u32, j: u32): bool {
  if (n == 0) return false;
  while (n > 1) {
    const half = n >>> 1;
    base = select<u32>(base + half, base, u32At(list, base + half - 1) < j);
    n -= half;
  }
  return u32At(list, base) == j;
}

/** Whether CSR row u (sorted indices) holds column j. */
@inline function holds(indptr: usize, indices: usize, u: u32, j: u32): bool {
  const q0 = u32At(indptr, u);
  return inSorted(indices, q0, u32At(indptr, u + 1) - q0, j);
}

/**
 * x·(p − n) over dim floats: two 4-lane accumulators over whole chunks (even chunks, odd chunks), added,
 * lanes (0+1)+(2+3), then the tail.
 */
@inline function scoreOf(x: usize, p: usize, n: usize, dim: i32): f32 {
  const nv = dim & ~3;
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let k = 0;
  for (; k + 8 <= nv; k += 8) {
    const o = (<usize>k) << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), f32x4.sub(v128.load(p + o), v128.load(n + o))));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(x + o, 16), f32x4.sub(v128.load(p + o, 16), v128.load(n + o, 16))));
  }
  if (k < nv) {
    const o = (<usize>k) << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), f32x4.sub(v128.load(p + o), v128.load(n + o))));
    k += 4;
  }
  let s = hsum(f32x4.add(a0, a1));
  for (; k < dim; k++) {
    const o = (<usize>k) << 2;
    s += load<f32>(x + o) * (load<f32>(p + o) - load<f32>(n + o));
  }
  return s;
}

/**
 * The SGD step of one triple with z = σ(−score), in the form with fewest operations: with κ = 1 − lr·reg
 * and ζ = lr·z, x ← κx + ζ(p − n), p ← κp + ζx, n ← κn − ζx (the old x) — implicit's update
 * x += lr(z(p − n) − reg·x), … rearranged. x's last column is set back to 1.
 */
@inline function step(x: usize, p: usize, n: usize, dim: i32, z: f32, lr: f32, reg: f32): void {
  const nv = dim & ~3;
  const keep: f32 = 1 - lr * reg;
  const lz: f32 = lr * z;
  const vk = f32x4.splat(keep);
  const vz = f32x4.splat(lz);
  let k = 0;
  for (; k < nv; k += 4) {
    const o = (<usize>k) << 2;
    const xv = v128.load(x + o);
    const pv = v128.load(p + o);
    const nw = v128.load(n + o);
    const t = f32x4.mul(vz, xv);
    v128.store(x + o, f32x4.add(f32x4.mul(vk, xv), f32x4.mul(vz, f32x4.sub(pv, nw))));
    v128.store(p + o, f32x4.add(f32x4.mul(vk, pv), t));
    v128.store(n + o, f32x4.sub(f32x4.mul(vk, nw), t));
  }
  for (; k < dim; k++) {
    const o = (<usize>k) << 2;
    const xs = load<f32>(x + o);
    const ps = load<f32>(p + o);
    const ns = load<f32>(n + o);
    const t = lz * xs;
    store<f32>(x + o, keep * xs + lz * (ps - ns));
    store<f32>(p + o, keep * ps + t);
    store<f32>(n + o, keep * ns - t);
  }
  store<f32>(x + (((<usize>dim) - 1) << 2), 1);
}

/** All samples of stratum (c, b) (B blocks), from user block b's stream; adds its counts to stats[b]. */
function stratum(
  indptr: usize,
  indices: usize,
  su: usize,
  si: usize,
  strata: usize,
  negItems: usize,
  negPtr: usize,
  X: usize,
  Y: usize,
  dim: i32,
  B: u32,
  c: u32,
  b: u32,
  lr: f32,
  reg: f32,
  verify: i32,
  popular: i32,
  rng: usize,
  stats: usize,
): void {
  const rowBytes = (<usize>dim) << 2;
  const s0 = u32At(strata, c * B + b);
  const cnt = u32At(strata, c * B + b + 1) - s0;
  let pool = negItems;
  let p0 = u32At(negPtr, c);
  let pn = u32At(negPtr, c + 1) - p0;
  if (popular != 0) {
    pool = si;
    p0 = u32At(strata, c * B);
    pn = u32At(strata, c * B + B) - p0;
  }
  if (cnt == 0 || pn == 0) return;
  streamLoad(rng + ((<usize>b) << 4));
  let correct: u32 = 0;
  let skipped: u32 = 0;
  for (let t: u32 = 0; t < cnt; t++) {
    const e = s0 + below(cnt);
    const u = u32At(su, e);
    const i = u32At(si, e);
    const j = u32At(pool, p0 + below(pn));
    if (verify != 0 && holds(indptr, indices, u, j)) {
      skipped++;
      continue;
    }
    const x = X + (<usize>u) * rowBytes;
    const p = Y + (<usize>i) * rowBytes;
    const n = Y + (<usize>j) * rowBytes;
    const z = <f32>(1.0 / (1.0 + Math.exp(<f64>scoreOf(x, p, n, dim))));
    if (z < 0.5) correct++;
    step(x, p, n, dim, z, lr, reg);
  }
  streamStore(rng + ((<usize>b) << 4));
  const st = stats + ((<usize>b) << 3);
  store<u32>(st, load<u32>(st) + correct);
  store<u32>(st, load<u32>(st, 4) + skipped, 4);
}

/**
 * Part of one BPR epoch (see the declaration in src/kernels/declarations-sgd.ts). The B blocks form G groups
 * of I = B/G; in super-step S, user group U meets item group C = (U + S) mod G, and inside that pair,
 * inner step s gives user block U·I + l the item block C·I + (l + s) mod I. inner < 0: rows are user
 * groups [r0, r1), each running its pair's I inner steps in order; inner ≥ 0: rows are user blocks
 * [r0, r1), each running its one stratum of inner step `inner`. Either way every block sees the same
 * strata in the same order, so both give the same bits.
 */
export function bprStrata(
  indptr: usize,
  indices: usize,
  su: usize,
  si: usize,
  strata: usize,
  negItems: usize,
  negPtr: usize,
  X: usize,
  Y: usize,
  dim: i32,
  blocks: i32,
  groups: i32,
  shift: i32,
  inner: i32,
  lr: f64,
  reg: f64,
  verify: i32,
  popular: i32,
  rng: usize,
  stats: usize,
  r0: i32,
  r1: i32,
): void {
  const B = <u32>blocks;
  const G = <u32>groups;
  const lr32 = <f32>lr;
  const reg32 = <f32>reg;
  const I = B / G;
  for (let r = <u32>r0; r < <u32>r1; r++) {
    const U = inner < 0 ? r : r / I;
    const C = (U + <u32>shift) % G;
    const s0: u32 = inner < 0 ? 0 : <u32>inner;
    const s1: u32 = inner < 0 ? I : s0 + 1;
    for (let s = s0; s < s1; s++) {
      const l0: u32 = inner < 0 ? 0 : r % I;
      const l1: u32 = inner < 0 ? I : l0 + 1;
      for (let l = l0; l < l1; l++) {
        const b = U * I + l;
        const c = C * I + ((l + s) % I);
        stratum(indptr, indices, su, si, strata, negItems, negPtr, X, Y, dim, B, c, b, lr32, reg32, verify, popular, rng, stats);
      }
    }
  }
}

/**
 * The strata of one epoch from the block of every user and item: the entries of the CSR matrix
 * (indptr/indices, nU rows) ordered by (item block, user block) into su (users) / si (items), with the
 * B·B + 1 stratum offsets in `strata`; and the items (nI) grouped by block, in index order, into
 * negItems with the B + 1 offsets in negPtr. Counting sorts that use the offset arrays as cursors.
 */
export function bprStratify(
  indptr: usize,
  indices: usize,
  nU: i32,
  nI: i32,
  userBlock: usize,
  itemBlock: usize,
  blocks: i32,
  strata: usize,
  su: usize,
  si: usize,
  negItems: usize,
  negPtr: usize,
): void {
  const B = <u32>blocks;
  const cells = B * B;
  memory.fill(strata, 0, (<usize>(cells + 1)) << 2);
  memory.fill(negPtr, 0, (<usize>(B + 1)) << 2);
  for (let i: u32 = 0; i < <u32>nI; i++) {
    const at = negPtr + ((<usize>(u32At(itemBlock, i) + 1)) << 2);
    store<u32>(at, load<u32>(at) + 1);
  }
  for (let u: u32 = 0; u < <u32>nU; u++) {
    const ub = u32At(userBlock, u);
    const q1 = u32At(indptr, u + 1);
    for (let q = u32At(indptr, u); q < q1; q++) {
      const at = strata + ((<usize>(u32At(itemBlock, u32At(indices, q)) * B + ub + 1)) << 2);
      store<u32>(at, load<u32>(at) + 1);
    }
  }
  // Offsets: the start of each bucket at index bucket + 1 …
  for (let c: u32 = 0; c < B; c++) {
    const at = negPtr + ((<usize>c) << 2);
    store<u32>(at, load<u32>(at, 4) + load<u32>(at), 4);
  }
  for (let s: u32 = 0; s < cells; s++) {
    const at = strata + ((<usize>s) << 2);
    store<u32>(at, load<u32>(at, 4) + load<u32>(at), 4);
  }
  // … used as cursors at index bucket (each ends where the next begins), then shifted back by one.
  for (let i: u32 = 0; i < <u32>nI; i++) {
    const at = negPtr + ((<usize>u32At(itemBlock, i)) << 2);
    const o = load<u32>(at);
    store<u32>(negItems + ((<usize>o) << 2), i);
    store<u32>(at, o + 1);
  }
  for (let u: u32 = 0; u < <u32>nU; u++) {
    const ub = u32At(userBlock, u);
    const q1 = u32At(indptr, u + 1);
    for (let q = u32At(indptr, u); q < q1; q++) {
      const i = u32At(indices, q);
      const at = strata + ((<usize>(u32At(itemBlock, i) * B + ub)) << 2);
      const o = load<u32>(at);
      store<u32>(su + ((<usize>o) << 2), u);
      store<u32>(si + ((<usize>o) << 2), i);
      store<u32>(at, o + 1);
    }
  }
  for (let c = B; c > 0; c--) store<u32>(negPtr + ((<usize>c) << 2), load<u32>(negPtr + ((<usize>(c - 1)) << 2)));
  store<u32>(negPtr, 0);
  for (let s = cells; s > 0; s--) store<u32>(strata + ((<usize>s) << 2), load<u32>(strata + ((<usize>(s - 1)) << 2)));
  store<u32>(strata, 0);
}

/**
 * Fold-in of one user: `samples` SGD steps on x (dim f32, last column 1) alone, the item factors Y fixed.
 * A sample is a random item of the user's sorted list items[0..n) and a uniform negative j of the nI
 * items, skipped when verify ≠ 0 and the list holds j; the step is bprStrata's for x.
 */
export function bprFoldIn(
  Y: usize,
  dim: i32,
  items: usize,
  n: i32,
  nI: i32,
  samples: i32,
  lr: f64,
  reg: f64,
  verify: i32,
  rng: usize,
  x: usize,
): void {
  if (n <= 0 || nI <= 0) return;
  const rowBytes = (<usize>dim) << 2;
  const nv = dim & ~3;
  const lr32 = <f32>lr;
  const keep: f32 = 1 - lr32 * <f32>reg;
  const vk = f32x4.splat(keep);
  streamLoad(rng);
  for (let t: u32 = 0; t < <u32>samples; t++) {
    const i = u32At(items, below(<u32>n));
    const j = below(<u32>nI);
    if (verify != 0 && inSorted(items, 0, <u32>n, j)) continue;
    const p = Y + (<usize>i) * rowBytes;
    const q = Y + (<usize>j) * rowBytes;
    const z = <f32>(1.0 / (1.0 + Math.exp(<f64>scoreOf(x, p, q, dim))));
    const lz: f32 = lr32 * z;
    const vz = f32x4.splat(lz);
    let k = 0;
    for (; k < nv; k += 4) {
      const o = (<usize>k) << 2;
      const d = f32x4.sub(v128.load(p + o), v128.load(q + o));
      v128.store(x + o, f32x4.add(f32x4.mul(vk, v128.load(x + o)), f32x4.mul(vz, d)));
    }
    for (; k < dim; k++) {
      const o = (<usize>k) << 2;
      store<f32>(x + o, keep * load<f32>(x + o) + lz * (load<f32>(p + o) - load<f32>(q + o)));
    }
    store<f32>(x + rowBytes - 4, 1);
  }
  streamStore(rng);
}
