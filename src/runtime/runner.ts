/**
 * The one way library code calls a kernel: by name, with named arguments (declared in
 * src/kernels/declarations.ts). Pointer arguments are heap arrays or parts of them (`X.row(u, dim)`); the
 * runner checks each against its declared element kind and passes its byte offset, checks scratch
 * against the kernel's declared size, and for row kernels derives each chunk's row range, per-row pointer
 * moves and per-thread scratch. `call` runs a kernel once on the calling thread; `runRows` runs a row
 * kernel over rows [0, rows) and owns the choice between one call and a split over the worker pool
 * ('wasm-threads', when the work is large enough). Byte offsets, positional argument lists and per-thread
 * offsets exist only here and in the pool. Every split computes each row with the same operations as one
 * call, so results are bit-identical whatever the thread count.
 * @module
 */
import { BackendError } from '../errors.js';
import {
  KERNELS,
  scratchBytes,
  type KernelArgs,
  type KernelDecl,
  type KernelFn,
  type KernelName,
  type RowArgName,
  type RowKernel,
  type ScratchKernel,
  type ScratchSizing,
  type TwinKernels,
} from '../kernels/declarations.js';
import { ELEMENT_BYTES, type ElementKind, type HeapRef } from '../kernels/types.js';
import { THRESHOLDS } from './parallel.js';
import type { WorkerPool } from './pool.js';

/** The work units of {@link THRESHOLDS}: what `RowPlan.work` counts. */
export type WorkUnit = keyof typeof THRESHOLDS;

/** How `runRows` may split a row kernel. */
export interface RowPlan {
  /** The call covers rows [0, rows). */
  rows: number;
  /** Estimated work in `unit`s; below the unit's threshold the call stays on the calling thread. */
  work: number;
  unit: WorkUnit;
  /**
   * Row boundaries [0, …, rows] for a pool of `threads` threads (balancedBounds, guidedBounds, uniformBounds).
   * Called after the arguments are checked; read heap views inside it, not before.
   */
  split: (threads: number) => Int32Array;
  /** Fewest rows worth splitting (default 2). */
  minRows?: number;
  /** Most stored entries in one of the rows, for kernels whose scratch grows with it (default 0). */
  longestRow?: number;
}

type Loose = (...args: number[]) => number | void;
type Result<K extends KernelName> = ReturnType<KernelFn<K>>;
type Named = Readonly<Record<string, unknown>>;

/** How each argument is passed, precomputed per kernel. */
const NUMBER = 0;
const POINTER = 1;
const OPTIONAL = 2;
const SCRATCH = 3;
interface Layout {
  readonly decl: KernelDecl;
  readonly names: readonly string[];
  readonly how: readonly number[];
  /** Element kind of each pointer argument. */
  readonly elems: readonly (ElementKind | undefined)[];
  /** Index of the scratch argument, or -1. */
  readonly scratchAt: number;
  /** Indices of a row kernel's row arguments (-1 when absent): r0 and r1, or the row count. */
  readonly r0At: number;
  readonly r1At: number;
  readonly countAt: number;
}

const layouts = new Map<string, Layout>();
function layoutOf(kernel: KernelName): Layout {
  let l = layouts.get(kernel);
  if (!l) {
    const decl: KernelDecl = KERNELS[kernel];
    const kinds = Object.values(decl.args);
    const names = Object.keys(decl.args);
    const how = kinds.map((a) =>
      a.kind === 'ptr' ? (a.optional ? OPTIONAL : POINTER) : a.kind === 'scratch' ? SCRATCH : NUMBER,
    );
    const rows = decl.rows as { r0?: string; r1?: string; count?: string } | undefined;
    const at = (name: string | undefined) => (name === undefined ? -1 : names.indexOf(name));
    l = {
      decl,
      names,
      how,
      elems: kinds.map((a) => (a.kind === 'ptr' ? a.elem : undefined)),
      scratchAt: how.indexOf(SCRATCH),
      r0At: at(rows?.r0),
      r1At: at(rows?.r1),
      countAt: at(rows?.count),
    };
    layouts.set(kernel, l);
  }
  return l;
}

function badArgument(kernel: string, name: string, v: unknown, expected: string): BackendError {
  const got = v !== null && typeof v === 'object' && 'kind' in v ? `a heap array of ${String(v.kind)}` : String(v);
  return new BackendError(`kernel ${kernel}: argument ${name} is ${got}, expected ${expected}`);
}

/** The byte offset of a pointer argument, checked against its declared element kind (0 for an absent optional one). */
function address(kernel: string, l: Layout, i: number, v: unknown): number {
  if (v == null) {
    if (l.how[i] === OPTIONAL) return 0;
    throw badArgument(kernel, l.names[i], v, `a heap array of ${l.elems[i]}`);
  }
  const ref = v as HeapRef;
  if (ref.kind !== l.elems[i] && l.how[i] !== SCRATCH)
    throw badArgument(kernel, l.names[i], v, `a heap array of ${l.elems[i]}`);
  if (typeof ref.ptr !== 'number') throw badArgument(kernel, l.names[i], v, 'a heap array');
  return ref.ptr;
}

/**
 * Positional arguments of `kernel` from named ones: pointers as byte offsets, checked (a missing or
 * mistyped argument throws), and the scratch checked against the kernel's declared size for one thread.
 * For `runRows`, `rows` fills in the row arguments (r0 = 0 and r1 = rows, or the row count).
 */
function positional(kernel: KernelName, l: Layout, args: Named, longestRow: number, rows = -1): number[] {
  // A generic (tagged) array, never one of unboxed doubles: once any kernel had a fractional argument (λ, α,
  // η), V8 would make every later array of this allocation site a double array, and spreading it passes each
  // pointer, count and row bound as a heap number — the JS twins' loops and index arithmetic then run in
  // float64 (truncatedSVD on the 'js' backend 1.3× slower). Filling with null keeps small integers as such.
  const out = new Array<number | null>(l.names.length).fill(null) as number[];
  for (let i = 0; i < out.length; i++) {
    if (rows >= 0 && (i === l.r0At || i === l.r1At || i === l.countAt)) {
      out[i] = i === l.r0At ? 0 : rows;
      continue;
    }
    const v = args[l.names[i]];
    if (l.how[i] === NUMBER) {
      if (typeof v !== 'number') throw badArgument(kernel, l.names[i], v, 'a number');
      out[i] = v;
    } else out[i] = address(kernel, l, i, v);
  }
  if (l.scratchAt >= 0) {
    const need = scratchStride(kernel as ScratchKernel, args, longestRow);
    const have = (args[l.names[l.scratchAt]] as HeapRef).byteLength;
    if (have < need)
      throw new BackendError(`kernel ${kernel}: scratch of ${have} bytes, but this call needs ${need} per thread`);
  }
  return out;
}

/** Bytes between threads' scratch blocks for a call of `kernel` (its declared size, rounded up to 64). */
function scratchStride(kernel: ScratchKernel, args: Named, longestRow: number): number {
  return scratchBytes(kernel, args as never, longestRow);
}

export class KernelRunner {
  constructor(
    private readonly k: TwinKernels,
    private readonly pool?: WorkerPool,
  ) {}

  /** Threads a per-thread layout (scratch blocks) should provide for: the pool's size, or 1. */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /**
   * Bytes of scratch for calls of `kernel` with `sizing` on every thread: what to allocate for its `scratch`
   * argument (one block per thread of the pool, each of the kernel's declared size).
   */
  scratchFor<K extends ScratchKernel>(kernel: K, sizing: ScratchSizing<K>, longestRow = 0): number {
    return this.threads * scratchBytes(kernel, sizing, longestRow);
  }

  private fn(kernel: KernelName): Loose {
    const f = (this.k as Partial<Record<KernelName, Loose>>)[kernel] ?? this.pool?.kernelFn(kernel);
    if (!f) throw new BackendError(`kernel ${kernel} is not available on this backend`);
    return f;
  }

  /** Run `kernel` once on the calling thread. */
  call<K extends KernelName>(kernel: K, args: KernelArgs<K>): Result<K> {
    return this.fn(kernel)(...positional(kernel, layoutOf(kernel), args as Named, 0)) as Result<K>;
  }

  /** The pool, when it is up with workers and the work reaches the unit's threshold. */
  private poolFor(work: number, unit: WorkUnit): WorkerPool | undefined {
    const p = this.pool;
    if (p === undefined || !p.running || p.threads <= 1 || work < THRESHOLDS[unit]) return undefined;
    return p;
  }

  /**
   * Run row kernel `kernel` over rows [0, plan.rows) — one call, or chunks of rows on every thread of the
   * pool. `args` are all arguments but the row range (or count), which are filled in here. Returns the
   * kernel's return value per chunk, in row order (one value for a single call; empty for kernels that
   * return nothing).
   */
  runRows<K extends RowKernel>(kernel: K, args: Omit<KernelArgs<K>, RowArgName<K>>, plan: RowPlan): Float64Array {
    const l = layoutOf(kernel);
    const decl = l.decl;
    const rows = decl.rows!;
    // The row arguments are filled in by position; sizes and advances read the caller's arguments (the
    // row arguments are not among what they read).
    const named = args as Named;
    const longestRow = plan.longestRow ?? 0;
    const base = positional(kernel, l, named, longestRow, plan.rows);
    let pool = plan.rows >= (plan.minRows ?? 2) ? this.poolFor(plan.work, plan.unit) : undefined;
    // Per-thread scratch: the pool only when the block holds one per thread.
    let stride = 0;
    if (pool && l.scratchAt >= 0) {
      stride = scratchStride(kernel as ScratchKernel, named, longestRow);
      if ((named[l.names[l.scratchAt]] as HeapRef).byteLength < stride * pool.threads) pool = undefined;
    }
    if (!pool) {
      const r = this.fn(kernel)(...base);
      return decl.returns !== 'void' ? Float64Array.of(r as number) : new Float64Array(0);
    }
    const perR0 = new Array<number>(base.length).fill(0);
    const perR1 = new Array<number>(base.length).fill(0);
    const perTid = new Array<number>(base.length).fill(0);
    const at = (name: string) => l.names.indexOf(name);
    if ('count' in rows) {
      base[l.countAt] = 0;
      perR0[l.countAt] = -1;
      perR1[l.countAt] = 1;
      // A chunk starting at row r0 sees each advancing pointer moved by r0 rows (absent ones stay 0).
      for (const [name, per] of Object.entries(rows.advance ?? {})) {
        const i = at(name);
        if (base[i] === 0) continue;
        const elems = typeof per === 'number' ? per : (per as (a: Named) => number)(named);
        perR0[i] += elems * ELEMENT_BYTES[l.elems[i]!];
      }
    } else {
      base[l.r0At] = 0;
      base[l.r1At] = 0;
      perR0[l.r0At] = 1;
      perR1[l.r1At] = 1;
    }
    if (l.scratchAt >= 0) perTid[l.scratchAt] = stride;
    const out = pool.run({
      kernel,
      args: base,
      perR0,
      perR1,
      perTid,
      bounds: plan.split(pool.threads),
      results: decl.returns !== 'void',
    });
    return out ?? new Float64Array(0);
  }
}
