/**
 * One BPR fit's heap state and epochs: the strata (strata.ts), the training matrix's rows for verifying
 * negatives, one sfc32 stream per user block and the per-block sample counts, and the B sub-epochs of an
 * epoch, each one bprStrata call over the B user blocks (split over the worker pool when large).
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import { uniformBounds } from '../../runtime/parallel.js';
import type { Rng } from '../../random.js';
import type { ResolvedBPROptions } from './options.js';
import { Strata } from './strata.js';

/** Samples ranked right before their step and negatives skipped as liked, over the last epoch. */
export interface EpochStats {
  correct: number;
  skipped: number;
}

export class BprFit {
  private readonly strata: Strata;
  private readonly streams: HeapArray<'i32'>;
  private readonly stats: HeapArray<'i32'>;

  /** `m`: the positives (rows = users, sorted); `streamRng` seeds the blocks' streams. */
  constructor(
    private readonly backend: Backend,
    private readonly m: SparseMatrix,
    private readonly o: ResolvedBPROptions,
    streamRng: Rng,
  ) {
    const B = o.blocks;
    const heap = backend.heap;
    this.strata = new Strata(backend, m, B);
    const held: { free(): void }[] = [this.strata];
    try {
      this.streams = heap.allocArray('i32', 4 * B);
      held.push(this.streams);
      this.stats = heap.allocArray('i32', 2 * B);
      held.push(this.stats);
      m.onHeap(backend);
    } catch (e) {
      for (const h of held) h.free();
      throw e;
    }
    const s = this.streams.view;
    for (let i = 0; i < s.length; i++) s[i] = streamRng.nextUint32() | 0;
  }

  /** One epoch: new strata from `blockRng`, then the B sub-epochs. */
  epoch(X: HeapArray<'f32'>, Y: HeapArray<'f32'>, blockRng: Rng): EpochStats {
    const o = this.o;
    const B = o.blocks;
    const dim = o.factors + 1;
    const perShift = this.strata.fill(blockRng);
    this.stats.view.fill(0);
    const csr = this.m.onHeap(this.backend);
    const st = this.strata;
    const args = {
      indptr: csr.indptr.ptr,
      indices: csr.indices.ptr,
      su: st.su.ptr,
      si: st.si.ptr,
      strata: st.strata.ptr,
      negItems: st.negItems.ptr,
      negPtr: st.negPtr.ptr,
      X: X.ptr,
      Y: Y.ptr,
      dim,
      blocks: B,
      lr: o.learningRate,
      reg: o.regularization,
      verify: o.verifyNegativeSamples ? 1 : 0,
      popular: o.negativeSampling === 'popularity' ? 1 : 0,
      rng: this.streams.ptr,
      stats: this.stats.ptr,
    };
    for (let shift = 0; shift < B; shift++) {
      // ~10 flops per column per sample (score, three updates).
      this.backend.kernels.runRows(
        'bprStrata',
        { ...args, shift },
        { rows: B, work: perShift[shift] * dim * 10, unit: 'flops', split: () => uniformBounds(B, 1) },
      );
    }
    const v = this.stats.view;
    const out = { correct: 0, skipped: 0 };
    for (let b = 0; b < B; b++) {
      out.correct += v[2 * b] >>> 0;
      out.skipped += v[2 * b + 1] >>> 0;
    }
    return out;
  }

  free(): void {
    this.strata.free();
    this.streams.free();
    this.stats.free();
    this.m.releaseHeap();
  }
}
