/**
 * Twin of assembly/bpr.ts: one sub-epoch of stratified BPR SGD, the same draws and the same f32
 * arithmetic operation by operation (the score as four lanes, then the tail), so it matches the WASM
 * kernel up to the last bit of exp().
 * @module
 */
import type { TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';
import { Stream } from './sampling.js';

/** Whether the sorted list i32[o .. o + n) holds j. */
function inSorted(i32: Int32Array, o: number, n: number, j: number): boolean {
  let lo = o;
  let hi = o + n;
  while (lo < hi) {
    const mid = lo + ((hi - lo) >>> 1);
    if (i32[mid] < j) lo = mid + 1;
    else if (i32[mid] > j) hi = mid;
    else return true;
  }
  return false;
}

/** Whether CSR row u (sorted indices, i32 index offsets ip and ix) holds column j. */
function holds(i32: Int32Array, ip: number, ix: number, u: number, j: number): boolean {
  let lo = i32[ip + u];
  let hi = i32[ip + u + 1];
  while (lo < hi) {
    const mid = lo + ((hi - lo) >>> 1);
    const v = i32[ix + mid];
    if (v < j) lo = mid + 1;
    else if (v > j) hi = mid;
    else return true;
  }
  return false;
}

/** x·(p − n) at element offsets, summed as the kernel does (two 4-lane accumulators, even and odd chunks). */
function scoreOf(f: Float32Array, x: number, p: number, n: number, dim: number): number {
  const fr = Math.fround;
  const nv = dim & ~3;
  const l = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let k = 0; k < nv; k += 4) {
    const a = (k >> 2) & 1 ? 4 : 0;
    for (let q = 0; q < 4; q++) l[a + q] = fr(l[a + q] + fr(f[x + k + q] * fr(f[p + k + q] - f[n + k + q])));
  }
  for (let q = 0; q < 4; q++) l[q] = fr(l[q] + l[4 + q]);
  let s = fr(fr(l[0] + l[1]) + fr(l[2] + l[3]));
  for (let k = nv; k < dim; k++) s = fr(s + fr(f[x + k] * fr(f[p + k] - f[n + k])));
  return s;
}

/** The step of one triple (κ = 1 − lr·reg, ζ = lr·z; see assembly/bpr.ts), rounded to f32 as the kernel. */
function step(f: Float32Array, x: number, p: number, n: number, dim: number, z: number, lr: number, reg: number): void {
  const fr = Math.fround;
  const keep = fr(1 - fr(lr * reg));
  const lz = fr(lr * z);
  for (let k = 0; k < dim; k++) {
    const xs = f[x + k];
    const ps = f[p + k];
    const ns = f[n + k];
    const t = fr(lz * xs);
    f[x + k] = fr(fr(keep * xs) + fr(lz * fr(ps - ns)));
    f[p + k] = fr(fr(keep * ps) + t);
    f[n + k] = fr(fr(keep * ns) - t);
  }
  f[x + dim - 1] = 1;
}

/** The arrays and settings one epoch's strata share (element offsets into the heap views). */
interface Epoch {
  i32: Int32Array;
  f32: Float32Array;
  ip: number;
  ix: number;
  pu: number;
  pi: number;
  st: number;
  neg: number;
  np: number;
  X: number;
  Y: number;
  dim: number;
  B: number;
  lr: number;
  reg: number;
  verify: number;
  popular: number;
  rs: number;
  stats: number;
}

/** All samples of stratum (c, b), from user block b's stream (stratum() of the kernel). */
function stratum(e: Epoch, rng: Stream, c: number, b: number): void {
  const { i32, f32, B, dim } = e;
  const s0 = i32[e.st + c * B + b] >>> 0;
  const cnt = (i32[e.st + c * B + b + 1] >>> 0) - s0;
  let pool = e.neg;
  let p0 = i32[e.np + c] >>> 0;
  let pn = (i32[e.np + c + 1] >>> 0) - p0;
  if (e.popular !== 0) {
    pool = e.pi;
    p0 = i32[e.st + c * B] >>> 0;
    pn = (i32[e.st + c * B + B] >>> 0) - p0;
  }
  if (cnt === 0 || pn === 0) return;
  rng.load(i32, e.rs + 4 * b);
  let correct = 0;
  let skipped = 0;
  for (let t = 0; t < cnt; t++) {
    const q = s0 + rng.below(cnt);
    const u = i32[e.pu + q];
    const i = i32[e.pi + q];
    const j = i32[pool + p0 + rng.below(pn)];
    if (e.verify !== 0 && holds(i32, e.ip, e.ix, u, j)) {
      skipped++;
      continue;
    }
    const x = e.X + u * dim;
    const p = e.Y + i * dim;
    const n = e.Y + j * dim;
    const z = Math.fround(1 / (1 + Math.exp(scoreOf(f32, x, p, n, dim))));
    if (z < 0.5) correct++;
    step(f32, x, p, n, dim, z, e.lr, e.reg);
  }
  rng.store(i32, e.rs + 4 * b);
  const o = e.stats + 2 * b;
  i32[o] = (i32[o] + correct) | 0;
  i32[o + 1] = (i32[o + 1] + skipped) | 0;
}

export function bprKernels(h: HeapViews): Pick<TwinKernels, 'bprStrata'> {
  const stream = new Stream();
  return {
    bprStrata(
      indptr,
      indices,
      su,
      si,
      strata,
      negItems,
      negPtr,
      X,
      Y,
      dim,
      blocks,
      groups,
      shift,
      inner,
      lr,
      reg,
      verify,
      popular,
      rng,
      stats,
      r0,
      r1,
    ) {
      const e: Epoch = {
        i32: h.i32,
        f32: h.f32,
        ip: indptr >>> 2,
        ix: indices >>> 2,
        pu: su >>> 2,
        pi: si >>> 2,
        st: strata >>> 2,
        neg: negItems >>> 2,
        np: negPtr >>> 2,
        X: X >>> 2,
        Y: Y >>> 2,
        dim,
        B: blocks,
        lr: Math.fround(lr),
        reg: Math.fround(reg),
        verify,
        popular,
        rs: rng >>> 2,
        stats: stats >>> 2,
      };
      const I = blocks / groups;
      for (let r = r0; r < r1; r++) {
        const U = inner < 0 ? r : Math.floor(r / I);
        const C = (U + shift) % groups;
        const [s0, s1] = inner < 0 ? [0, I] : [inner, inner + 1];
        const [l0, l1] = inner < 0 ? [0, I] : [r % I, (r % I) + 1];
        for (let s = s0; s < s1; s++)
          for (let l = l0; l < l1; l++) stratum(e, stream, C * I + ((l + s) % I), U * I + l);
      }
    },
  };
}

export function bprSortKernels(h: HeapViews): Pick<TwinKernels, 'bprStratify' | 'bprFoldIn'> {
  const stream = new Stream();
  return {
    bprFoldIn(Y, dim, items, n, nI, samples, lr, reg, verify, rng, x) {
      if (n <= 0 || nI <= 0) return;
      const { i32, f32 } = h;
      const fr = Math.fround;
      const lr32 = fr(lr);
      const keep = fr(1 - fr(lr32 * fr(reg)));
      const [it, xo] = [items >>> 2, x >>> 2];
      stream.load(i32, rng >>> 2);
      for (let t = 0; t < samples; t++) {
        const i = i32[it + stream.below(n)];
        const j = stream.below(nI);
        if (verify !== 0 && inSorted(i32, it, n, j)) continue;
        const p = (Y >>> 2) + i * dim;
        const q = (Y >>> 2) + j * dim;
        const z = fr(1 / (1 + Math.exp(scoreOf(f32, xo, p, q, dim))));
        const lz = fr(lr32 * z);
        for (let k = 0; k < dim; k++) {
          f32[xo + k] = fr(fr(keep * f32[xo + k]) + fr(lz * fr(f32[p + k] - f32[q + k])));
        }
        f32[xo + dim - 1] = 1;
      }
      stream.store(i32, rng >>> 2);
    },
    bprStratify(indptr, indices, nU, nI, userBlock, itemBlock, blocks, strata, su, si, negItems, negPtr) {
      const i32 = h.i32;
      const [ip, ix, ub, ib, st, ni, np] = [indptr, indices, userBlock, itemBlock, strata, negItems, negPtr].map(
        (p) => p >>> 2,
      );
      const cells = blocks * blocks;
      i32.fill(0, st, st + cells + 1);
      i32.fill(0, np, np + blocks + 1);
      for (let i = 0; i < nI; i++) i32[np + i32[ib + i] + 1]++;
      for (let u = 0; u < nU; u++) {
        for (let q = i32[ip + u]; q < i32[ip + u + 1]; q++)
          i32[st + i32[ib + i32[ix + q]] * blocks + i32[ub + u] + 1]++;
      }
      for (let c = 0; c < blocks; c++) i32[np + c + 1] += i32[np + c];
      for (let s = 0; s < cells; s++) i32[st + s + 1] += i32[st + s];
      for (let i = 0; i < nI; i++) i32[ni + i32[np + i32[ib + i]]++] = i;
      for (let u = 0; u < nU; u++) {
        for (let q = i32[ip + u]; q < i32[ip + u + 1]; q++) {
          const i = i32[ix + q];
          const o = i32[st + i32[ib + i] * blocks + i32[ub + u]]++;
          i32[(su >>> 2) + o] = u;
          i32[(si >>> 2) + o] = i;
        }
      }
      i32.copyWithin(np + 1, np, np + blocks);
      i32[np] = 0;
      i32.copyWithin(st + 1, st, st + cells);
      i32[st] = 0;
    },
  };
}
