/**
 * The JS side of an ALS half-iteration: heap workspaces for the kernels (Gram blocks, scratch), the calls
 * themselves (one per half-iteration; the row loop runs inside the kernel), and turning a kernel's
 * failure code into a ModelFitError that names the row and the likely cause.
 * @module
 */
import { ModelFitError, OutOfMemoryError, formatBytes } from '../../errors.js';
import type { Backend } from '../../runtime/backend.js';
import { WASM32_MAX_BYTES, type HeapArray } from '../../runtime/heap.js';
import type { HeapCsr, SparseMatrix } from '../../data/csr.js';
import type { HeapTranspose } from '../../data/csr-heap.js';
import { rnd4, scratchBytes, type KernelArgs, type RowArgName } from '../../kernels/declarations.js';
import { guidedBounds, uniformBounds } from '../../runtime/parallel.js';

/** Largest number of stored entries in one row. */
export function maxRowNnz(m: SparseMatrix): number {
  const { indptr } = m.arrays();
  let best = 0;
  for (let r = 0; r < m.rows; r++) best = Math.max(best, indptr[r + 1] - indptr[r]);
  return best;
}

/** Largest number of stored entries in one column (the longest row of the transpose, without building it). */
export function maxColNnz(m: SparseMatrix): number {
  const { indices } = m.arrays();
  const counts = new Int32Array(m.cols);
  let best = 0;
  for (let p = 0; p < indices.length; p++) best = Math.max(best, ++counts[indices[p]]);
  return best;
}

/** Largest |value| stored. */
export function maxAbs(m: SparseMatrix): number {
  const { data } = m.arrays();
  let best = 0;
  for (let p = 0; p < data.length; p++) best = Math.max(best, Math.abs(data[p]));
  return best;
}

/**
 * One orientation of a matrix in a backend's heap, as the solvers need it: the blocks for the kernels and
 * the row pointers (current views) for splitting rows by cost and for naming a failing row.
 */
export interface HeapRows {
  readonly csr: HeapCsr;
  readonly rows: number;
  readonly nnz: number;
  /** Row pointers; read them right away (a heap view is valid until the next allocation). */
  readonly indptr: Int32Array;
}

/** `m` uploaded to (or, when `move`, moved into) `backend`'s heap, as HeapRows. */
export function heapRows(backend: Backend, m: SparseMatrix, move = false): HeapRows {
  const csr = move ? m.moveToHeap(backend) : m.onHeap(backend);
  return {
    csr,
    rows: m.rows,
    nnz: m.nnz,
    get indptr() {
      return m.arrays().indptr;
    },
  };
}

/** The rows × cols transpose of a matrix in the heap, as HeapRows (HeapTranspose already is one). */
export type { HeapTranspose };

/** The row kernels of a half-iteration. */
export type SolveKernel = 'alsImplicitCholesky' | 'alsImplicitCg' | 'alsImplicitSubspace' | 'alsExplicit';
/** A solve kernel's arguments without the row range and the scratch, which the Workspace supplies. */
export type SolveArgs<K extends SolveKernel> = Omit<KernelArgs<K>, RowArgName<K> | 'scratch'>;
/**
 * The blocked Gram's blocks (alsGramBlocks): at most 32 (fewer for large k: ≤ 4 MiB of partial sums, at
 * least 4), of at least 256 rows. They depend on n and k only, never on the thread count, so the sum
 * (blocks added in order) is the same bits on one thread or many, and the threads claim blocks as they go.
 */
function gramBlocks(n: number, k: number): { blockRows: number; nb: number; length: number } {
  const kp = rnd4(k);
  const blockRows = Math.max(256, Math.ceil(n / maxGramBlocks(k)));
  const nb = Math.ceil(n / blockRows);
  return { blockRows, nb, length: nb * kp * kp };
}
function maxGramBlocks(k: number): number {
  const kp = rnd4(k);
  return Math.max(4, Math.min(32, Math.floor(2 ** 22 / (8 * kp * kp))));
}

/**
 * Bytes of one thread's scratch for each kernel a Workspace serves, for dimension d, rows of up to `maxNnz`
 * entries and alsImplicitCholesky's eigenbasis rows of up to `eigMax` entries (the subspace kernel at its
 * largest block, with batches of 4 of the longest rows' entries: subspace.ts).
 */
function scratchSizes(d: number, maxNnz: number, eigMax: number): number[] {
  const k = d;
  return [
    scratchBytes('alsGramBlocks', { k }),
    scratchBytes('alsGramBlocks32', { k }),
    scratchBytes('alsImplicitCholesky', { k, V: eigMax > 0, eigMax }, maxNnz),
    scratchBytes('alsImplicitCg', { k }),
    scratchBytes('alsImplicitSubspace', { k, block: rnd4(k), batchNnz: 4 * Math.max(1, maxNnz) }),
    scratchBytes('alsImplicitLoss', { k }),
    scratchBytes('alsExplicit', { k }),
  ];
}

/**
 * Heap blocks one fit (or one partial fit) needs: G (f64 and f32, kp×kp) and kernel scratch — one
 * scratch block per thread on the 'wasm-threads' backend.
 */
export class Workspace {
  readonly G64: HeapArray<'f64'>;
  readonly G32: HeapArray<'f32'>;
  /** Threads the scratch is laid out for. */
  readonly threads: number;
  private scratchBlock: HeapArray<'u8'> | undefined;
  private scratchNnz = -1;
  /** Longest row the scratch holds an eigenbasis-path system for (alsImplicitCholesky's eigMax). */
  private scratchEig = 0;
  /** The blocked Gram's partial sums (grown on demand). */
  private blocks: HeapArray<'f64'> | undefined;
  private freed = false;

  /** `d` is the solved dimension (k, or k + 1 with biases); `maxNnz` the longest row either side. */
  constructor(
    readonly backend: Backend,
    readonly d: number,
    maxNnz: number,
  ) {
    const kp = rnd4(d);
    const heap = backend.heap;
    this.threads = backend.kernels.threads;
    this.G64 = heap.allocArray('f64', kp * kp);
    try {
      this.G32 = heap.allocArray('f32', kp * kp);
      this.reserve(maxNnz);
    } catch (e) {
      this.G64.free();
      (this as { G32?: HeapArray<'f32'> }).G32?.free();
      throw e;
    }
  }

  /** Scratch for rows of up to `maxNnz` entries (grown on demand; every kernel's layout fits). */
  reserve(maxNnz: number): HeapArray<'u8'> {
    if (maxNnz > this.scratchNnz || !this.scratchBlock) this.grow(maxNnz, this.scratchEig);
    return this.scratchBlock as HeapArray<'u8'>;
  }

  /** Scratch that also holds alsImplicitCholesky's eigenbasis path for rows of up to `eigMax` entries. */
  reserveEigen(eigMax: number): void {
    if (eigMax > this.scratchEig) this.grow(Math.max(0, this.scratchNnz), eigMax);
  }

  private grow(maxNnz: number, eigMax: number): void {
    const block = this.backend.heap.allocArray('u8', Workspace.scratchStride(this.d, maxNnz, eigMax) * this.threads);
    this.scratchBlock?.free();
    this.scratchBlock = block;
    this.scratchNnz = maxNnz;
    this.scratchEig = eigMax;
  }

  /** Bytes of one thread's kernel scratch for dimension `d`, rows of up to `maxNnz` entries and eigenbasis rows of up to `eigMax`. */
  static scratchStride(d: number, maxNnz: number, eigMax = 0): number {
    return Math.max(...scratchSizes(d, maxNnz, eigMax));
  }

  /** The longest row the scratch is laid out for. */
  get rowCapacity(): number {
    return this.scratchNnz;
  }

  /** Heap bytes a Workspace for (d, maxNnz) takes on `backend`. */
  static bytesFor(backend: Backend, d: number, maxNnz: number): number {
    const kp = rnd4(d);
    return 12 * kp * kp + maxGramBlocks(d) * 8 * kp * kp + Workspace.scratchStride(d, maxNnz) * backend.kernels.threads;
  }

  /** The kernels' scratch (one block per thread). */
  get scratch(): HeapArray<'u8'> {
    return this.scratchBlock as HeapArray<'u8'>;
  }

  /**
   * G ← FᵀF + λI for the n × k block F (row stride `stride`), into G64 and G32: the blocked Gram
   * (alsGramBlocks, blocks claimed by every thread of the pool when large, then alsGramReduce). `f32`:
   * batches of rows summed in f32 (alsGramBlocks32, twice as fast), for solvers that read only G32.
   */
  gram(F: HeapArray<'f32'>, n: number, k: number, stride: number, lambda: number, f32 = false): void {
    const kernels = this.backend.kernels;
    const { blockRows, nb, length } = gramBlocks(n, k);
    if (!this.blocks || length > this.blocks.length) {
      const blocks = this.backend.heap.allocArray('f64', length);
      this.blocks?.free();
      this.blocks = blocks;
    }
    const P64 = this.blocks;
    kernels.runRows(
      f32 ? 'alsGramBlocks32' : 'alsGramBlocks',
      { Y: F, n, k, stride, blockRows, P64, scratch: this.scratch },
      { rows: nb, work: (n * k * k) / 2, unit: 'flops', split: () => uniformBounds(nb, 1) },
    );
    kernels.call('alsGramReduce', { k, lambda, nb, P64, G64: this.G64, G32: this.G32 });
  }

  /**
   * Run a half-iteration row kernel over rows [0, rows) of `m` (k: the solved dimension, for the cost
   * estimate); the row range and scratch are filled in here. On the 'wasm-threads' backend large
   * half-iterations are split into row ranges of balanced cost and solved on every thread. Returns the
   * kernel's code (-1 = all rows solved; otherwise the failure of the first failing range, in row order).
   */
  solveRows<K extends SolveKernel>(
    kernel: K,
    args: SolveArgs<K>,
    m: HeapRows,
    rows: number,
    k: number,
    rowCost?: (n: number) => number,
  ): number {
    const ip = m.indptr;
    // Relative cost of row r (default: n·k² for its entries, k³/3 for its system), for the split.
    const cost = rowCost
      ? (r: number) => rowCost(ip[r + 1] - ip[r])
      : (r: number) => (ip[r + 1] - ip[r] + k / 3 + 1) * k * k;
    let work = 0;
    for (let r = 0; r < rows; r++) work += cost(r);
    // Every row is solved the same way whichever range holds it: fine ranges, so the threads end together.
    const codes = this.backend.kernels.runRows(
      kernel,
      { ...args, scratch: this.scratch } as Omit<KernelArgs<K>, RowArgName<K>>,
      {
        rows,
        work,
        unit: 'flops',
        minRows: 8,
        split: (threads) => guidedBounds(rows, cost, threads, 4, 32),
        longestRow: this.scratchNnz,
      },
    );
    for (let c = 0; c < codes.length; c++) if (codes[c] !== -1) return codes[c];
    return -1;
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.G64.free();
    this.G32.free();
    this.scratchBlock?.free();
    this.blocks?.free();
  }
}

/** What a failure message needs to say why a row's system broke. */
export interface FailureContext {
  model: string;
  /** The public method that ran the solve (default 'fit'). */
  method?: string;
  /** 'user' or 'item': the side being solved. */
  side: string;
  /** The other side's name and count (the rows of the fixed factors). */
  fixedSide: string;
  fixedCount: number;
  factors: number;
  regularization: number;
  /** The matrix whose rows were being solved (for the row's interaction count). */
  matrix: { readonly rows: number; readonly indptr: Int32Array };
  /** Extra hint for exploding values, e.g. "alpha × largest value = 4e40". */
  scaleHint?: string;
}

/** Throw a ModelFitError for a kernel return code (no-op for -1). */
export function checkSolve(code: number, ctx: FailureContext): void {
  if (code === -1) return;
  const singular = code >= 0;
  const row = singular ? code : -code - 2;
  const ip = ctx.matrix.indptr;
  const nnz = row < ctx.matrix.rows ? ip[row + 1] - ip[row] : 0;
  const where = `${ctx.model}.${ctx.method ?? 'fit'}: ${ctx.side} ${row} (${nnz} interactions)`;
  // Only the implicit model has an alpha to lower.
  const scaleDown = ctx.model === 'ImplicitALS' ? 'scale the values down or lower alpha' : 'scale the ratings down';
  let cause: string;
  if (ctx.regularization === 0 && ctx.factors > ctx.fixedCount) {
    cause = `factors (${ctx.factors}) exceed the number of ${ctx.fixedSide}s (${ctx.fixedCount}) with regularization 0, so the normal equations are singular; use regularization > 0 or at most ${ctx.fixedCount} factors`;
  } else if (ctx.regularization === 0) {
    cause = `regularization is 0 and this row's normal equations are singular (rows with few interactions, or empty ${ctx.fixedSide} rows that contribute nothing, leave them rank-deficient); use regularization > 0`;
  } else if (singular) {
    cause = `the normal equations are not positive definite, which with regularization ${ctx.regularization} means the values exploded${ctx.scaleHint ? ` (${ctx.scaleHint})` : ''}; ${scaleDown}`;
  } else {
    cause = `the solution is not finite (NaN/Inf): exploding values${ctx.scaleHint ? ` (${ctx.scaleHint})` : ''}; ${scaleDown} or raise regularization`;
  }
  throw new ModelFitError(`${where}: ${cause}`);
}

/** A CSR matrix uploaded to the backend's heap, as the kernels' named arguments. */
export function csrArgs(h: HeapCsr): HeapCsr {
  return { indptr: h.indptr, indices: h.indices, data: h.data };
}

/** Heap bytes of one orientation of an n-row matrix with `nnz` stored entries: indptr, indices, data. */
export function csrBytes(n: number, nnz: number): number {
  return 4 * (n + 1) + 8 * nnz;
}

/**
 * Refuse a fit that cannot fit in linear memory (wasm32: 4 GiB) before allocating anything: the two factor
 * blocks, the matrix (unless already in this heap) and its transpose, and the workspace (plus `extraBytes`
 * the solver keeps for the fit) — 8 bytes per stored entry per orientation, 4 bytes per factor per user and
 * item. The message quotes the real limit.
 */
export function checkFitBudget(
  model: string,
  backend: Backend,
  m: SparseMatrix,
  dim: number,
  solvedDim: number,
  maxNnz: number,
  extraBytes = 0,
): void {
  const [rows, cols] = m.shape;
  const factorBytes = (rows + cols) * dim * 4;
  const matrixBytes = (m.inHeapOf(backend) ? 0 : csrBytes(rows, m.nnz)) + csrBytes(cols, m.nnz);
  const workBytes = Workspace.bytesFor(backend, solvedDim, maxNnz) + extraBytes;
  const requested = factorBytes + matrixBytes + workBytes;
  const inUse = backend.heap.bytesInUse;
  const free = WASM32_MAX_BYTES - inUse;
  if (requested > free) {
    const heapNote = `${formatBytes(free)} of the 4 GiB heap is free${inUse > 0 ? ' (dispose() models and matrices you no longer need)' : ''}`;
    const entries = `the ${m.nnz} interactions need ${formatBytes(matrixBytes)} (8 bytes per entry in each orientation)`;
    throw new OutOfMemoryError(
      requested,
      inUse,
      factorBytes > free
        ? `${model}.fit: ${rows} users + ${cols} items × ${dim} stored columns need ${formatBytes(factorBytes)} of factors alone; lower factors or fit on fewer users/items (${heapNote})`
        : `${model}.fit: ${entries} beside ${formatBytes(factorBytes)} of factors (${rows} users + ${cols} items × ${dim}) and ${formatBytes(workBytes)} of workspace; ${heapNote}. Fit on fewer interactions or lower factors`,
    );
  }
}
