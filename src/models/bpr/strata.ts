/**
 * The strata of one BPR epoch (DSGD, Gemulla et al. 2011): users and items are shuffled and cut into B
 * blocks of about equal interaction counts, afresh every epoch (so that over the epochs every positive
 * meets negatives from every block), and the interactions are ordered by (item block, user block) — the
 * bprStratify kernel — so that each stratum, and each item block's interactions (the pool of popularity
 * negatives), is one contiguous range of the arrays the bprStrata kernel reads.
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import type { Rng } from '../../random.js';

/** Shuffle `a` in place (Fisher–Yates; a draw is ⌊u·(i + 1)⌋ with u of 32 bits: the bias is immaterial here). */
function shuffle(rng: Rng, a: Int32Array): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/** Cut rows into `blocks` blocks of about equal `count` totals (of `total`), in the order of `perm`. */
function assign(perm: Int32Array, count: Int32Array, total: number, blocks: number, out: Int32Array): void {
  let before = 0;
  for (let q = 0; q < perm.length; q++) {
    const r = perm[q];
    out[r] = total > 0 ? Math.min(blocks - 1, Math.floor((before * blocks) / total)) : 0;
    before += count[r];
  }
}

/** The heap arrays of the strata (refilled each epoch) and what the fit needs to dispatch them. */
export class Strata {
  readonly su: HeapArray<'i32'>;
  readonly si: HeapArray<'i32'>;
  /** B·B + 1 offsets: stratum (c, b) is [strata[c·B + b], strata[c·B + b + 1]). */
  readonly strata: HeapArray<'i32'>;
  readonly negItems: HeapArray<'i32'>;
  readonly negPtr: HeapArray<'i32'>;
  private readonly userBlock: HeapArray<'i32'>;
  private readonly itemBlock: HeapArray<'i32'>;
  private readonly userCount: Int32Array;
  private readonly itemCount: Int32Array;
  private readonly userPerm: Int32Array;
  private readonly itemPerm: Int32Array;
  /** Entries per stratum (c·B + b) of the last fill (with one block, the fill never changes). */
  private sizes: Float64Array | undefined;

  /** `m`: the positives, rows = users, in `backend`'s heap (`m.onHeap`) while the strata are used. */
  constructor(
    private readonly backend: Backend,
    private readonly m: SparseMatrix,
    readonly blocks: number,
  ) {
    const [nU, nI] = m.shape;
    const { indptr, indices } = m.arrays();
    this.userCount = new Int32Array(nU);
    this.itemCount = new Int32Array(nI);
    for (let u = 0; u < nU; u++) this.userCount[u] = indptr[u + 1] - indptr[u];
    for (let p = 0; p < indices.length; p++) this.itemCount[indices[p]]++;
    this.userPerm = Int32Array.from({ length: nU }, (_, i) => i);
    this.itemPerm = Int32Array.from({ length: nI }, (_, i) => i);
    const made: HeapArray<'i32'>[] = [];
    const alloc = (n: number) => {
      const a = backend.heap.allocArray('i32', Math.max(1, n));
      made.push(a);
      return a;
    };
    try {
      this.su = alloc(m.nnz);
      this.si = alloc(m.nnz);
      this.strata = alloc(blocks * blocks + 1);
      this.negItems = alloc(nI);
      this.negPtr = alloc(blocks + 1);
      this.userBlock = alloc(nU);
      this.itemBlock = alloc(nI);
    } catch (e) {
      for (const a of made) a.free();
      throw e;
    }
  }

  /**
   * Fill the heap arrays for one epoch (fresh blocks from `rng` when B > 1). Returns the entries of each
   * stratum (index c·B + b), for the work estimates.
   */
  fill(rng: Rng): Float64Array {
    const B = this.blocks;
    if (B === 1 && this.sizes) return this.sizes;
    const [nU, nI] = this.m.shape;
    if (B > 1) {
      shuffle(rng, this.userPerm);
      shuffle(rng, this.itemPerm);
      assign(this.userPerm, this.userCount, this.m.nnz, B, this.userBlock.view);
      assign(this.itemPerm, this.itemCount, this.m.nnz, B, this.itemBlock.view);
    }
    const csr = this.m.onHeap(this.backend);
    this.backend.kernels.call('bprStratify', {
      indptr: csr.indptr,
      indices: csr.indices,
      nU,
      nI,
      userBlock: this.userBlock,
      itemBlock: this.itemBlock,
      blocks: B,
      strata: this.strata,
      su: this.su,
      si: this.si,
      negItems: this.negItems,
      negPtr: this.negPtr,
    });
    const strata = this.strata.view;
    const sizes = new Float64Array(B * B);
    for (let q = 0; q < B * B; q++) sizes[q] = strata[q + 1] - strata[q];
    this.sizes = sizes;
    return sizes;
  }

  free(): void {
    for (const a of [this.su, this.si, this.strata, this.negItems, this.negPtr, this.userBlock, this.itemBlock])
      a.free();
  }
}
