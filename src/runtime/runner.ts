/**
 * The one way library code calls a kernel: by name, with named arguments (declared in
 * declarations.ts). `call` runs a kernel once on the calling thread; `runRows` runs a row kernel over
 * rows [0, rows) and owns the choice between one call and a split over the worker pool ('wasm-threads',
 * when the work is large enough). Positional argument lists and per-thread offsets exist only here and in
 * the pool. Every split computes each row with the same operations as one call, so results are
 * bit-identical whatever the thread count.
 * @module
 */
import { BackendError } from '../errors.js';
import {
  KERNELS,
  type ArgName,
  type KernelArgs,
  type KernelDecl,
  type KernelFn,
  type KernelName,
  type RowArgName,
  type RowKernel,
  type TwinKernels,
} from '../kernels/declarations.js';
import { balancedBounds, THRESHOLDS } from './parallel.js';
import type { WorkerPool } from './pool.js';

/** The work units of {@link THRESHOLDS}: what `RowPlan.work` counts. */
export type WorkUnit = keyof typeof THRESHOLDS;

/** How `runRows` may split a row kernel. */
export interface RowPlan<K extends RowKernel> {
  /** The call covers rows [0, rows). */
  rows: number;
  /** Estimated work in `unit`s; below the unit's threshold the call stays on the calling thread. */
  work: number;
  unit: WorkUnit;
  /** Row boundaries [0, …, rows] for a pool of `threads` threads (balancedBounds, guidedBounds, uniformBounds). */
  split: (threads: number) => Int32Array;
  /** Fewest rows worth splitting (default 2). */
  minRows?: number;
  /** Bytes each pointer argument moves per row (for `count` kernels: the per-row inputs and outputs). */
  perRow?: { readonly [N in ArgName<K>]?: number };
  /** Per-thread scratch: blocks `stride` bytes apart from the scratch argument, `slots` of them allocated. */
  scratch?: { stride: number; slots: number };
}

type Loose = (...args: number[]) => number | void;
type Result<K extends KernelName> = ReturnType<KernelFn<K>>;

/** Positional arguments of `kernel` from named ones (checked: a missing or non-number argument throws). */
function positional(kernel: string, decl: KernelDecl, args: Readonly<Record<string, number>>): number[] {
  // A generic (tagged) array, never one of unboxed doubles: once any kernel had a fractional argument (λ, α,
  // η), V8 would make every later array of this allocation site a double array, and spreading it passes each
  // pointer, count and row bound as a heap number — the JS twins' loops and index arithmetic then run in
  // float64 (truncatedSVD on the 'js' backend 1.3× slower). Filling with null keeps small integers as such.
  const out = new Array<number | null>(decl.args.length).fill(null) as number[];
  for (let i = 0; i < out.length; i++) {
    const v = args[decl.args[i]];
    if (typeof v !== 'number')
      throw new BackendError(`kernel ${kernel}: argument ${decl.args[i]} is ${String(v)}, expected a number`);
    out[i] = v;
  }
  return out;
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

  private fn(kernel: KernelName): Loose {
    const f = (this.k as Partial<Record<KernelName, Loose>>)[kernel] ?? this.pool?.kernelFn(kernel);
    if (!f) throw new BackendError(`kernel ${kernel} is not available on this backend`);
    return f;
  }

  /** Run `kernel` once on the calling thread. */
  call<K extends KernelName>(kernel: K, args: KernelArgs<K>): Result<K> {
    const decl: KernelDecl = KERNELS[kernel];
    return this.fn(kernel)(...positional(kernel, decl, args)) as Result<K>;
  }

  /** The pool, when it is up with workers, the work reaches the unit's threshold and enough scratch slots exist. */
  private poolFor(work: number, unit: WorkUnit, slots: number | undefined): WorkerPool | undefined {
    const p = this.pool;
    if (p === undefined || !p.running || p.threads <= 1 || work < THRESHOLDS[unit]) return undefined;
    return slots === undefined || slots >= p.threads ? p : undefined;
  }

  /**
   * Run row kernel `kernel` over rows [0, plan.rows) — one call, or chunks of rows on every thread of the
   * pool. `args` are all arguments but the row range (or count), which are filled in here. Returns the
   * kernel's return value per chunk, in row order (one value for a single call; empty for kernels that
   * return nothing).
   */
  runRows<K extends RowKernel>(kernel: K, args: Omit<KernelArgs<K>, RowArgName<K>>, plan: RowPlan<K>): Float64Array {
    const decl: KernelDecl = KERNELS[kernel];
    const rows = decl.rows!;
    const named: Record<string, number> = { ...(args as Record<string, number>) };
    if ('count' in rows) named[rows.count] = plan.rows;
    else {
      named[rows.r0] = 0;
      named[rows.r1] = plan.rows;
    }
    const pool = plan.rows >= (plan.minRows ?? 2) ? this.poolFor(plan.work, plan.unit, plan.scratch?.slots) : undefined;
    if (!pool) {
      const r = this.fn(kernel)(...positional(kernel, decl, named));
      return decl.returns ? Float64Array.of(r as number) : new Float64Array(0);
    }
    const base = positional(kernel, decl, named);
    const perR0 = new Array<number>(base.length).fill(0);
    const perR1 = new Array<number>(base.length).fill(0);
    const perTid = new Array<number>(base.length).fill(0);
    const at = (name: string) => decl.args.indexOf(name);
    if ('count' in rows) {
      base[at(rows.count)] = 0;
      perR0[at(rows.count)] = -1;
      perR1[at(rows.count)] = 1;
    } else {
      base[at(rows.r0)] = 0;
      base[at(rows.r1)] = 0;
      perR0[at(rows.r0)] = 1;
      perR1[at(rows.r1)] = 1;
    }
    for (const [name, bytes] of Object.entries(plan.perRow ?? {}) as [string, number][]) perR0[at(name)] += bytes;
    if (decl.scratch !== undefined && plan.scratch) perTid[at(decl.scratch)] = plan.scratch.stride;
    const out = pool.run({
      kernel,
      args: base,
      perR0,
      perR1,
      perTid,
      bounds: plan.split(pool.threads),
      results: decl.returns,
    });
    return out ?? new Float64Array(0);
  }
}
