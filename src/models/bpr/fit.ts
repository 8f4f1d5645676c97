/**
 * One BPR fit's heap state and epochs: the strata (strata.ts), the training matrix's rows for verifying
 * negatives, one sfc32 stream per user block and the per-block sample counts, and the bprStrata calls of
 * an epoch (each split over the worker pool when large).
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

/**
 * Groups of the two-level schedule for `blocks` blocks: 2 when the count is even (two threads then wait
 * for each other twice per epoch, not `blocks` times), else one block per group (plain DSGD). A function
 * of the option alone, never of the thread count.
 */
export function groupsOf(blocks: number): number {
  return blocks % 2 === 0 ? 2 : blocks;
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

  /**
   * One epoch: new strata from `blockRng`, then the strata in the order of the kernel's two-level
   * schedule (groupsOf). With no more threads than groups, one call per super-step (each thread runs a
   * group pair's inner steps alone: `groups` waits for the pool per epoch); with more, one call per inner
   * step. Both orders give the same bits.
   */
  epoch(X: HeapArray<'f32'>, Y: HeapArray<'f32'>, blockRng: Rng): EpochStats {
    const o = this.o;
    const B = o.blocks;
    const G = groupsOf(B);
    const I = B / G;
    const dim = o.factors + 1;
    const sizes = this.strata.fill(blockRng);
    this.stats.view.fill(0);
    const csr = this.m.onHeap(this.backend);
    const st = this.strata;
    const args = {
      indptr: csr.indptr,
      indices: csr.indices,
      su: st.su,
      si: st.si,
      strata: st.strata,
      negItems: st.negItems,
      negPtr: st.negPtr,
      X,
      Y,
      dim,
      blocks: B,
      groups: G,
      lr: o.learningRate,
      reg: o.regularization,
      verify: o.verifyNegativeSamples ? 1 : 0,
      popular: o.negativeSampling === 'popularity' ? 1 : 0,
      rng: this.streams,
      stats: this.stats,
    };
    // Samples of super-step S, inner step s: strata (c, b) with c's group − b's group ≡ S (mod G) and
    // c's place − b's place ≡ s (mod I).
    const work = new Float64Array(G * I);
    for (let c = 0; c < B; c++) {
      for (let b = 0; b < B; b++) {
        const S = (Math.floor(c / I) - Math.floor(b / I) + G) % G;
        work[S * I + (((c % I) - (b % I) + I) % I)] += sizes[c * B + b];
      }
    }
    const kernels = this.backend.kernels;
    // ~10 flops per column per sample (score, three updates).
    const flops = (samples: number) => samples * dim * 10;
    for (let shift = 0; shift < G; shift++) {
      if (kernels.threads <= G) {
        let samples = 0;
        for (let s = 0; s < I; s++) samples += work[shift * I + s];
        const plan = { rows: G, work: flops(samples), unit: 'flops' as const, split: () => uniformBounds(G, 1) };
        kernels.runRows('bprStrata', { ...args, shift, inner: -1 }, plan);
        continue;
      }
      for (let inner = 0; inner < I; inner++) {
        const plan = {
          rows: B,
          work: flops(work[shift * I + inner]),
          unit: 'flops' as const,
          split: () => uniformBounds(B, 1),
        };
        kernels.runRows('bprStrata', { ...args, shift, inner }, plan);
      }
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
