/**
 * The kernel contract's block for the SGD models, BPR and LogisticMF (assembly/bpr.ts, assembly/lmf.ts;
 * twins src/kernels/bpr.ts, lmf.ts): part of KERNELS (src/kernels/declarations.ts, where the argument
 * kinds are explained), kept in its own file so that the table stays readable. The sfc32 states these
 * kernels draw from are 4 u32 words each, in i32 heap arrays, advanced in place.
 * @module
 */
import { count, f32, flag, i32, kernel, scalar, scratch, type KernelDecl } from './kinds.js';

export const SGD_KERNELS = {
  /**
   * Part of one BPR epoch by stratified SGD. Users and items are cut into `blocks` blocks, `groups` groups
   * of I = blocks/groups blocks. In super-step `shift`, user group U meets item group C = (U + shift) mod
   * groups, and in its inner step s user block U·I + l trains on item block C·I + (l + s) mod I. inner < 0:
   * rows [r0, r1) are user groups, each running its I inner steps in order; inner ≥ 0: rows are user
   * blocks, each running its stratum of inner step `inner`. Stratum (c, b) is entries [strata[c·blocks + b],
   * strata[c·blocks + b + 1]) of the entry lists su (users) / si (items): as many samples as it has
   * entries, each a random entry (u, i) and a negative j from item block c — by popularity (popular ≠ 0:
   * the item of a random entry of [strata[c·blocks], strata[(c + 1)·blocks])) or uniformly from
   * negItems[negPtr[c] .. negPtr[c + 1]) — skipped when verify ≠ 0 and CSR row u (indptr/indices, sorted)
   * holds j; then implicit's update of x_u, y_i, y_j (rows of `dim` f32; x_u's last column stays 1, y's
   * last is the item bias). The rows of one call touch disjoint factor rows; every block sees the same
   * strata in the same order whichever form ran, so results never depend on the split. Block b draws from
   * the sfc32 state rng[4b .. 4b + 4) and adds (ranked right, skipped) to the u32 pair stats[2b], stats[2b + 1]
   * (the whole arrays are passed: blocks index them, rows do not move them). All offsets u32.
   */
  bprStrata: kernel(
    {
      indptr: i32,
      indices: i32,
      su: i32,
      si: i32,
      strata: i32,
      negItems: i32,
      negPtr: i32,
      X: f32,
      Y: f32,
      dim: count,
      blocks: count,
      groups: count,
      shift: count,
      inner: flag,
      lr: scalar,
      reg: scalar,
      verify: flag,
      popular: flag,
      rng: i32,
      stats: i32,
      r0: count,
      r1: count,
    },
    { returns: 'void', rows: { r0: 'r0', r1: 'r1' } },
  ),
  /**
   * The strata of one BPR epoch: the entries of the CSR matrix (indptr/indices, nU rows) ordered by
   * (itemBlock[item], userBlock[user]) into su / si, in row order within a stratum, with the
   * blocks·blocks + 1 stratum offsets in `strata`; the nI items grouped by block (index order) into
   * negItems, offsets (blocks + 1) in negPtr. Counting sorts; all arrays i32, offsets u32.
   */
  bprStratify: kernel(
    {
      indptr: i32,
      indices: i32,
      nU: count,
      nI: count,
      userBlock: i32,
      itemBlock: i32,
      blocks: count,
      strata: i32,
      su: i32,
      si: i32,
      negItems: i32,
      negPtr: i32,
    },
    { returns: 'void' },
  ),
  /**
   * BPR fold-in of one user: `samples` SGD steps on x (dim f32, last column kept 1) with the item factors
   * Y fixed; a sample is a random item of the sorted list items[0..n) and a uniform negative of the nI
   * items (skipped when verify ≠ 0 and the list holds it), drawn from the sfc32 state rng[0..4) (advanced).
   */
  bprFoldIn: kernel(
    {
      Y: f32,
      dim: count,
      items: i32,
      n: count,
      nI: count,
      samples: count,
      lr: scalar,
      reg: scalar,
      verify: flag,
      rng: i32,
      x: f32,
    },
    { returns: 'void' },
  ),
  /**
   * One AdaGrad ascent step of logistic MF (Johnson 2014) for rows [r0, r1) of X (dim = k + 2 f32 per
   * row; F the fixed side, nFixed rows): g = Σ_{q∈row r} conf[q]·σ(−x·f_q)·f_q − negWeight·Σ_{all j}
   * σ(x·f_j)·f_j − reg·x (factor columns only), the second sum exact when ⌈negProp·max(n_r, 1)⌉ ≥ nFixed,
   * else from that many uniform draws weighted negWeight·nFixed/draws (row r's sfc32 stream keyed by the
   * integers key0, key1 and r); then acc += g², x += lr·g/√(acc + 1e-6), column by column, except the
   * constant column 2k + 1 − biasCol. `acc`: X's AdaGrad sums, same layout. The scalars are used in f32.
   * Scratch: the gradient, dim f32.
   */
  lmfRows: kernel(
    {
      indptr: i32,
      indices: i32,
      conf: f32,
      F: f32,
      X: f32,
      acc: f32,
      nFixed: count,
      k: count,
      biasCol: count,
      negProp: scalar,
      negWeight: scalar,
      lr: scalar,
      reg: scalar,
      key0: count,
      key1: count,
      scratch,
      r0: count,
      r1: count,
    },
    { returns: 'void', rows: { r0: 'r0', r1: 'r1' }, scratch: ({ k }: { k: number }) => 4 * (k + 2) },
  ),
} satisfies Record<string, KernelDecl>;
