/**
 * A Krylov basis in the backend's heap: f64 vectors of one length, stored in chunks that are allocated as
 * the basis grows (WebAssembly memory never shrinks, so only what convergence needs is ever taken), with
 * the two operations the Lanczos method runs on it: Gram–Schmidt of a vector against the first `count`
 * vectors, and linear combinations of them (Ritz vectors, restarts).
 * @module
 */
import type { Backend } from '../runtime/backend.js';
import type { HeapArray, HeapRef, HeapScope, HeapSlice } from '../runtime/heap.js';

/** DGKS: a second Gram–Schmidt pass when the first removed more than 1 − 1/√2 of the norm. */
const ETA = Math.SQRT1_2;

export class KrylovBasis {
  private readonly chunks: HeapArray<'f64'>[] = [];
  /** First vector of each chunk, and one past the last allocated. */
  private readonly starts: number[] = [0];

  /**
   * @param len vector length
   * @param capacity most vectors the basis may hold
   * @param chunk most vectors per heap allocation: chunks start at `first` vectors and double up to it, so
   *   a call that converges early neither takes nor zero-fills the memory of a long run (a 128-vector chunk
   *   of Gowalla's 38k-long vectors is 39 MB)
   * @param block vectors per Gram–Schmidt pass (a block is re-read while it is still in cache, so
   *   `block·len` f64 should fit the L2 cache when len allows); a power of two dividing `first` and `chunk`
   * @param first vectors in the first chunk
   */
  constructor(
    private readonly backend: Backend,
    private readonly scope: HeapScope,
    readonly len: number,
    readonly capacity: number,
    readonly chunk: number,
    readonly block: number,
    private readonly first = chunk,
  ) {}

  /** Vectors with storage so far. */
  get allocated(): number {
    return Math.min(this.capacity, this.starts[this.starts.length - 1]);
  }

  /** Storage for vectors [0, count); false (nothing allocated) if the heap cannot grow that far. */
  ensure(count: number): boolean {
    while (this.allocated < count) {
      const n = this.chunks.length;
      const size = n === 0 ? this.first : Math.min(this.chunk, 2 * (this.starts[n] - this.starts[n - 1]));
      const rows = Math.min(size, this.capacity - this.starts[n]);
      try {
        this.chunks.push(this.scope.allocArray('f64', rows * this.len));
      } catch {
        return false;
      }
      this.starts.push(this.starts[n] + rows);
    }
    return true;
  }

  /** Vector i (its storage must exist). */
  vector(i: number): HeapSlice<'f64'> {
    return this.vectors(i, 1);
  }

  /** Vectors [i, i + count), which must lie in one chunk (as a Gram–Schmidt block does). */
  private vectors(i: number, count: number): HeapSlice<'f64'> {
    const c = this.chunkOf(i);
    const at = i - this.starts[c];
    return this.chunks[c].subarray(at * this.len, (at + count) * this.len);
  }

  /** The chunk holding vector i. */
  private chunkOf(i: number): number {
    let c = 0;
    while (this.starts[c + 1] <= i) c++;
    return c;
  }

  /**
   * w ← w − Σ_{i<count} (bᵢ·w)·bᵢ by Gram–Schmidt, chunk after chunk (classical within a chunk), with a
   * second pass over all when the first left less than 1/√2 of the norm (`force2` always does two).
   * `coef` is scratch for `block` f64. Returns ‖w‖ after.
   */
  orthogonalize(w: HeapRef<'f64'>, count: number, coef: HeapRef<'f64'>, force2 = false): number {
    const k = this.backend.kernels;
    const before = force2 ? Infinity : k.call('nrm2F64', { x: w, n: this.len });
    this.pass(w, count, coef);
    let after = k.call('nrm2F64', { x: w, n: this.len });
    if (after < ETA * before) {
      this.pass(w, count, coef);
      after = k.call('nrm2F64', { x: w, n: this.len });
    }
    return after;
  }

  private pass(w: HeapRef<'f64'>, count: number, coef: HeapRef<'f64'>): void {
    const k = this.backend.kernels;
    // Blocks never straddle chunks: chunk sizes are multiples of the block.
    for (let i = 0; i < count; i += this.block) {
      const n = Math.min(this.block, count - i);
      k.call('gsPassF64', { basis: this.vectors(i, n), count: n, n: this.len, w, coef });
    }
  }

  /**
   * out = C·[b₀; …; b_{count−1}] for C (rows×count, row-major f64 in the heap): `rows` combinations of the
   * first `count` vectors, written as rows (rows×len) or, with `asColumns`, as columns (len×rows). out
   * must not overlap the basis.
   */
  combine(C: HeapArray<'f64'>, rows: number, count: number, out: HeapRef<'f64'>, asColumns: boolean): void {
    const k = this.backend.kernels;
    for (let c = 0; this.starts[c] < count; c++) {
      k.call('gemmAccF64', {
        B: this.chunks[c],
        count: Math.min(this.starts[c + 1], count) - this.starts[c],
        len: this.len,
        C: C.subarray(this.starts[c]),
        ldc: count,
        rows,
        out,
        acc: c === 0 ? 0 : 1,
        trans: asColumns ? 1 : 0,
        c0: 0,
        c1: this.len,
      });
    }
  }

  /** Copy vector `from` to position `to`. */
  copy(from: number, to: number): void {
    if (from === to) return;
    this.vector(to).view.set(this.vector(from).view);
  }
}
