/**
 * One LogisticMF fit's heap state and iterations: both orientations of the positives with their weights
 * (users × items and items × users), the AdaGrad sums of X and Y, per-thread scratch, and the
 * alternating half-steps, each one lmfRows call over all rows (split over the worker pool when large).
 * @module
 */
import type { HeapCsr, SparseMatrix } from '../../data/csr.js';
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import { guidedBounds } from '../../runtime/parallel.js';
import type { ResolvedLogisticMFOptions } from './options.js';

/** One side's rows on the heap with their weights. */
interface Side {
  m: SparseMatrix;
  csr: HeapCsr;
}

export class LmfFit {
  private readonly users: Side;
  private readonly items: Side;
  private readonly accX: HeapArray<'f32'>;
  private readonly accY: HeapArray<'f32'>;
  /** lmfRows scratch, one block per thread of the pool. */
  private readonly scratch: HeapArray<'u8'>;
  private epoch = 0;

  /** `weights`: the positives with their weights c as values (rows = users). */
  constructor(
    private readonly backend: Backend,
    weights: SparseMatrix,
    private readonly o: ResolvedLogisticMFOptions,
    private readonly key0: number,
    private readonly negWeight: number,
  ) {
    const heap = backend.heap;
    const dim = o.factors + 2;
    const held: { free(): void }[] = [];
    try {
      const t = weights.transpose();
      this.users = { m: weights, csr: weights.onHeap(backend) };
      held.push({ free: () => weights.releaseHeap() });
      this.items = { m: t, csr: t.onHeap(backend) };
      held.push({ free: () => t.releaseHeap() });
      this.accX = heap.allocArray('f32', weights.rows * dim);
      held.push(this.accX);
      this.accY = heap.allocArray('f32', weights.cols * dim);
      held.push(this.accY);
      this.scratch = heap.allocArray('u8', backend.kernels.scratchFor('lmfRows', { k: o.factors }));
    } catch (e) {
      for (const h of held) h.free();
      throw e;
    }
  }

  /** One iteration: every user's step against Y, then every item's against the new X. */
  iterate(X: HeapArray<'f32'>, Y: HeapArray<'f32'>, abort: () => void): void {
    this.half(this.users, Y, X, this.accX, this.o.factors + 1, 2 * this.epoch);
    abort();
    this.half(this.items, X, Y, this.accY, this.o.factors, 2 * this.epoch + 1);
    this.epoch++;
  }

  private half(
    side: Side,
    F: HeapArray<'f32'>,
    X: HeapArray<'f32'>,
    acc: HeapArray<'f32'>,
    biasCol: number,
    key1: number,
  ): void {
    const o = this.o;
    const k = o.factors;
    const dim = k + 2;
    const rows = side.m.rows;
    const nFixed = side.m.cols;
    const ip = side.m.arrays().indptr;
    const cost = (r: number) => {
      const n = ip[r + 1] - ip[r];
      return (n + Math.min(Math.ceil(o.negProp * Math.max(n, 1)), nFixed)) * dim;
    };
    let work = 0;
    for (let r = 0; r < rows; r++) work += cost(r);
    this.backend.kernels.runRows(
      'lmfRows',
      {
        indptr: side.csr.indptr,
        indices: side.csr.indices,
        conf: side.csr.data,
        F,
        X,
        acc,
        nFixed,
        k,
        biasCol,
        negProp: o.negProp,
        negWeight: this.negWeight,
        lr: o.learningRate,
        reg: o.regularization,
        key0: this.key0,
        key1,
        scratch: this.scratch,
      },
      { rows, work: 4 * work, unit: 'flops', split: (threads) => guidedBounds(rows, cost, threads) },
    );
  }

  free(): void {
    this.users.m.releaseHeap();
    this.items.m.releaseHeap();
    this.accX.free();
    this.accY.free();
    this.scratch.free();
  }
}
