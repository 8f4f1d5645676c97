/**
 * The worker pool of the 'wasm-threads' backend: T − 1 workers (Node worker_threads or browser module
 * Workers, running WORKER_SOURCE) plus the calling thread, all running the same compiled threads module
 * on one shared memory. The module and the memory are posted once per worker; a job is written into a
 * control block in that memory and the workers are woken with `Atomics.notify`, so dispatch costs
 * microseconds, not a message round trip (see worker-source.ts for the protocol).
 *
 * `run` is synchronous: the caller claims chunks like any worker, then waits for every worker to report
 * the job done (`Atomics.wait`, or a spin on a browser's main thread where waiting is not allowed). That
 * keeps synchronous APIs (recommendBatch, the SVD operator) parallel too. Memory is only ever allocated
 * by the calling thread's Heap; workers never allocate.
 *
 * Failure: an exception in a worker (a kernel trap, say) makes `run` throw a WorkerError with the
 * worker's message; the pool stays usable. A worker that exits makes `run` throw and leaves the pool
 * stopped; `start()` (called lazily by `ensureBackend`, i.e. by every `fit`) brings it back.
 * @module
 */
import { BackendError, ValidationError, WorkerError } from '../errors.js';
import type { KernelName, Kernels } from '../kernels/declarations.js';
import type { Heap } from './heap.js';
import {
  CTRL,
  ERR_BYTES,
  FAULT_EXIT,
  FAULT_THROW,
  LAYOUT,
  MAX_ARGS,
  MAX_CHUNKS,
  WORKER_SOURCE,
} from './worker-source.js';
import { nodeBuiltin } from '#platform';

// WorkerError lives with the other error classes, so catching it does not pull the pool into an app.
export { WorkerError };

/**
 * One parallel kernel call. Chunk c runs `kernel(...a)` with a[j] = args[j] + r0·perR0[j] + r1·perR1[j]
 * + tid·perTid[j] for r0 = bounds[c], r1 = bounds[c + 1] and the running thread's id (0 = caller).
 */
export interface ParallelJob {
  kernel: KernelName;
  args: readonly number[];
  perR0?: readonly number[];
  perR1?: readonly number[];
  perTid?: readonly number[];
  /** Chunk boundaries: bounds.length − 1 chunks (at most MAX_CHUNKS). */
  bounds: ArrayLike<number>;
  /** Keep each chunk's return value (returned by `run`, in chunk order). */
  results?: boolean;
}

type Fn = (...args: number[]) => number | void;

/** What the pool needs from a Worker, in Node or a browser. */
interface WorkerHandle {
  post(msg: unknown): void;
  unref(): void;
  terminate(): Promise<void>;
}

interface WorkerEvents {
  message(m: { type: string; tid: number; message?: string }): void;
  failed(message: string): void;
}

const WORKER_URL: { url?: string } = {};

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p === 'object' && p !== null && typeof p.versions?.node === 'string';
}

async function spawn(ev: WorkerEvents): Promise<WorkerHandle> {
  if (isNode()) {
    const { Worker } = await nodeBuiltin('worker_threads', "backend 'wasm-threads'");
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.on('message', (m) => ev.message(m));
    w.on('error', (e: Error) => ev.failed(`${e.name}: ${e.message}`));
    w.on('exit', (code: number) => ev.failed(`worker thread exited with code ${code}`));
    return {
      post: (msg) => w.postMessage(msg),
      // Parked workers must not keep a Node process alive (`terminate()` is tidy, not required). Only once
      // started: until 'ready' arrives the pending start is what keeps the process running.
      unref: () => w.unref(),
      terminate: async () => {
        w.removeAllListeners('exit');
        w.removeAllListeners('error');
        w.on('error', () => undefined);
        await w.terminate();
      },
    };
  }
  if (typeof Worker !== 'function')
    throw new BackendError("backend 'wasm-threads' needs Web Workers, which this runtime does not have");
  WORKER_URL.url ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new Worker(WORKER_URL.url, { type: 'module', name: 'lowrank' });
  w.onmessage = (e: MessageEvent) => ev.message(e.data);
  w.onerror = (e: ErrorEvent) => {
    e.preventDefault?.();
    ev.failed(`worker error: ${e.message}`);
  };
  return {
    post: (msg) => w.postMessage(msg),
    unref: () => undefined,
    terminate: async () => w.terminate(),
  };
}

/** Whether this thread may block in Atomics.wait (not on a browser's main thread). */
function canBlock(I: Int32Array): boolean {
  try {
    Atomics.wait(I, CTRL.FAULT, 0x7fffffff, 0);
    return true;
  } catch {
    return false;
  }
}

/** How long the caller spins at the barrier before it sleeps (ms). */
const BARRIER_SPIN_MS = 0.5;

type State = 'stopped' | 'starting' | 'running';

/** A job without workers: the same chunks, one after another on this thread (identical results). */
function runHere(job: ParallelJob, fn: Fn): Float64Array | undefined {
  const nChunks = job.bounds.length - 1;
  const na = job.args.length;
  const out = job.results ? new Float64Array(nChunks) : undefined;
  const a = new Array<number>(na);
  for (let c = 0; c < nChunks; c++) {
    const r0 = job.bounds[c];
    const r1 = job.bounds[c + 1];
    for (let j = 0; j < na; j++) a[j] = job.args[j] + r0 * (job.perR0?.[j] ?? 0) + r1 * (job.perR1?.[j] ?? 0);
    const r = fn(...a);
    if (out) out[c] = r as number;
  }
  return out;
}

export class WorkerPool {
  /** Threads taking part in a job, the caller included. */
  private size: number;
  private state: State = 'stopped';
  private starting: Promise<void> | undefined;
  private workers: WorkerHandle[] = [];
  private ctrl = 0;
  private I: Int32Array = new Int32Array(0);
  private F: Float64Array = new Float64Array(0);
  private B: Int32Array = new Int32Array(0);
  private R: Float64Array = new Float64Array(0);
  private blocking = true;
  /** Why the pool stopped on its own (a worker died), reported by the next `run`. */
  private failure: string | undefined;
  private readonly index = new Map<string, number>();
  /** Jobs run, and how many of them on the workers too (for tests and benchmarks). */
  readonly stats = { jobs: 0, parallelJobs: 0 };
  private readonly names: string[];

  constructor(
    private readonly heap: Heap,
    private readonly memory: WebAssembly.Memory,
    private readonly module: WebAssembly.Module,
    /** The threads module's exports, checked against the declarations. */
    private readonly kernels: Kernels,
    threads: number,
  ) {
    this.size = threads;
    this.names = WebAssembly.Module.exports(module)
      .filter((e) => e.kind === 'function')
      .map((e) => e.name);
    this.names.forEach((n, i) => this.index.set(n, i));
  }

  /** The threads module's function for `kernel` (the calling thread's copy). */
  kernelFn(kernel: KernelName): Fn {
    return this.kernels[kernel] as Fn;
  }

  /** Threads a job runs on (the caller plus the workers), whether or not the workers are up. */
  get threads(): number {
    return this.size;
  }

  /** Whether the workers are up (jobs run in parallel). */
  get running(): boolean {
    return this.state === 'running';
  }

  /** Start the workers (no-op when running); resolves once every worker has instantiated the module. */
  start(): Promise<void> {
    if (this.state === 'running') return Promise.resolve();
    if (this.starting) return this.starting;
    if (this.size <= 1) {
      this.state = 'running';
      return Promise.resolve();
    }
    this.state = 'starting';
    this.failure = undefined;
    this.starting = this.launch().then(
      () => {
        this.state = 'running';
        this.starting = undefined;
      },
      async (e) => {
        this.starting = undefined;
        await this.stopWorkers();
        throw e;
      },
    );
    return this.starting;
  }

  private async launch(): Promise<void> {
    // A fresh control block per start, so workers of a previous start that are still exiting cannot touch it.
    this.ctrl = this.heap.alloc(LAYOUT.bytes);
    this.heap.view('u8', this.ctrl, LAYOUT.bytes).fill(0);
    // Windows on the shared memory stay valid when it grows (a shared buffer is never detached).
    this.I = this.heap.view('i32', this.ctrl, 32);
    this.F = this.heap.view('f64', this.ctrl + LAYOUT.args, 4 * MAX_ARGS);
    this.B = this.heap.view('i32', this.ctrl + LAYOUT.bounds, MAX_CHUNKS + 1);
    this.R = this.heap.view('f64', this.ctrl + LAYOUT.results, MAX_CHUNKS);
    this.blocking = canBlock(this.I);
    const n = this.size - 1;
    const ready: Promise<void>[] = [];
    for (let tid = 1; tid <= n; tid++) {
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      ready.push(new Promise<void>((res, rej) => ((resolve = res), (reject = rej))));
      let up = false;
      const handle = await spawn({
        message: (m) => {
          if (m?.type === 'ready') {
            up = true;
            resolve();
          } else if (m?.type === 'error')
            reject(new WorkerError(`lowrank worker ${tid} could not start: ${m.message}`));
        },
        failed: (message) => {
          if (!up) reject(new WorkerError(`lowrank worker ${tid} could not start: ${message}`));
          else this.lost(`worker ${tid}: ${message}`);
        },
      });
      this.workers.push(handle);
      handle.post({ module: this.module, memory: this.memory, ctrl: this.ctrl, tid, names: this.names });
    }
    await Promise.all(ready);
    for (const w of this.workers) w.unref();
  }

  /** A worker went away between jobs: stop the rest; the next run reports it, `start()` restarts. */
  private lost(message: string): void {
    if (this.state !== 'running') return;
    this.failure = message;
    this.state = 'stopped';
    void this.stopWorkers();
  }

  /**
   * Run a job on every thread and return when all chunks are done (the barrier). Throws WorkerError with
   * a worker's message if a worker threw or exited; rethrows the caller's own exception as is.
   */
  run(job: ParallelJob): Float64Array | undefined {
    const nChunks = job.bounds.length - 1;
    const na = job.args.length;
    const fnIndex = this.index.get(job.kernel);
    if (fnIndex === undefined) throw new ValidationError(`WorkerPool.run: no kernel named ${job.kernel}`);
    if (nChunks < 0 || nChunks > MAX_CHUNKS)
      throw new ValidationError(`WorkerPool.run: ${nChunks} chunks (at most ${MAX_CHUNKS})`);
    if (na > MAX_ARGS) throw new ValidationError(`WorkerPool.run: ${na} arguments (at most ${MAX_ARGS})`);
    if (this.failure !== undefined) {
      const f = this.failure;
      this.failure = undefined;
      throw new WorkerError(`lowrank worker thread failed: ${f}`);
    }
    const fn = this.kernelFn(job.kernel);
    const parallel = this.state === 'running' && this.workers.length > 0;
    this.stats.jobs++;
    if (!parallel) return runHere(job, fn);
    this.stats.parallelJobs++;
    this.post(job, fnIndex);
    let own: unknown;
    try {
      this.claimChunks(job, fn);
    } catch (e) {
      own = e;
      Atomics.store(this.I, CTRL.NEXT, 0x3fffffff);
    }
    this.await();
    this.checkDone(job, own);
    return job.results ? this.R.slice(0, nChunks) : undefined;
  }

  /** Write the job into the control block and wake the workers. */
  private post(job: ParallelJob, fnIndex: number): void {
    const { I, F, B } = this;
    const nChunks = job.bounds.length - 1;
    const na = job.args.length;
    for (let j = 0; j < na; j++) {
      F[j] = job.args[j];
      F[MAX_ARGS + j] = job.perR0?.[j] ?? 0;
      F[2 * MAX_ARGS + j] = job.perR1?.[j] ?? 0;
      F[3 * MAX_ARGS + j] = job.perTid?.[j] ?? 0;
    }
    for (let c = 0; c <= nChunks; c++) B[c] = job.bounds[c];
    I[CTRL.NCHUNKS] = nChunks;
    I[CTRL.KERNEL] = fnIndex;
    I[CTRL.NARGS] = na;
    I[CTRL.RESULTS] = job.results ? 1 : 0;
    Atomics.store(I, CTRL.NEXT, 0);
    Atomics.store(I, CTRL.DONE, 0);
    Atomics.store(I, CTRL.ERR, 0);
    Atomics.add(I, CTRL.GEN, 1);
    Atomics.notify(I, CTRL.GEN);
  }

  /** The calling thread claims chunks like any worker (thread id 0: no per-thread offset). */
  private claimChunks(job: ParallelJob, fn: Fn): void {
    const { I, F, B, R } = this;
    const nChunks = job.bounds.length - 1;
    const na = job.args.length;
    const a = new Array<number>(na);
    for (;;) {
      const c = Atomics.add(I, CTRL.NEXT, 1);
      if (c >= nChunks) break;
      const r0 = B[c];
      const r1 = B[c + 1];
      for (let j = 0; j < na; j++) a[j] = F[j] + r0 * F[MAX_ARGS + j] + r1 * F[2 * MAX_ARGS + j];
      const r = fn(...a);
      if (job.results) R[c] = r as number;
    }
  }

  /** After the barrier: a dead worker, the caller's own exception, or a worker's error, thrown. */
  private checkDone(job: ParallelJob, own: unknown): void {
    const I = this.I;
    if (Atomics.load(I, CTRL.DEAD) > 0) {
      this.state = 'stopped';
      void this.stopWorkers();
      throw new WorkerError(
        `lowrank worker thread exited while running ${job.kernel}; the pool was stopped (it restarts on the next fit, or call init() again)`,
      );
    }
    if (own !== undefined) throw own;
    const err = Atomics.load(I, CTRL.ERR);
    if (err !== 0) {
      const len = Atomics.load(I, CTRL.ERRLEN);
      // TextDecoder refuses shared views: copy first.
      const bytes = this.heap.view('u8', this.ctrl + LAYOUT.err, Math.min(len, ERR_BYTES)).slice();
      throw new WorkerError(
        `lowrank worker ${err - 1} failed running ${job.kernel}: ${new TextDecoder().decode(bytes)}`,
      );
    }
  }

  /** The barrier: every worker has finished the current job (or died). */
  private await(): void {
    const I = this.I;
    const need = this.workers.length;
    // Spin first: the last worker is usually microseconds behind, and a futex wake costs more (tens of µs
    // on a busy machine, and the caller may lose its core meanwhile). Bounded, in case a worker was preempted.
    const until = performance.now() + BARRIER_SPIN_MS;
    for (let spin = 1; ; spin++) {
      if (Atomics.load(I, CTRL.DONE) + Atomics.load(I, CTRL.DEAD) >= need) return;
      if ((spin & 255) === 0 && performance.now() > until) break;
    }
    for (;;) {
      const done = Atomics.load(I, CTRL.DONE);
      if (done + Atomics.load(I, CTRL.DEAD) >= need) return;
      if (this.blocking) Atomics.wait(I, CTRL.DONE, done, 1000);
    }
  }

  /** Test hook: worker 1 throws ('throw') or exits ('exit') at the start of the next parallel job. */
  _injectFault(kind: 'throw' | 'exit'): void {
    if (this.state !== 'running' || this.workers.length === 0)
      throw new BackendError('WorkerPool._injectFault: the pool is not running with workers');
    Atomics.store(this.I, CTRL.FAULT, kind === 'exit' ? FAULT_EXIT : FAULT_THROW);
  }

  /** Change the number of threads (restarts the workers when running). */
  async resize(threads: number): Promise<void> {
    if (threads === this.size) return this.start();
    await this.dispose();
    this.size = threads;
    return this.start();
  }

  private async stopWorkers(): Promise<void> {
    const workers = this.workers;
    const ctrl = this.ctrl;
    this.workers = [];
    this.ctrl = 0;
    if (ctrl !== 0 && this.I.length) {
      Atomics.store(this.I, CTRL.STOP, 1);
      Atomics.add(this.I, CTRL.GEN, 1);
      Atomics.notify(this.I, CTRL.GEN);
    }
    await Promise.all(workers.map((w) => w.terminate().catch(() => undefined)));
    if (ctrl !== 0) this.heap.free(ctrl);
  }

  /** Terminate the workers. Jobs run on the calling thread until `start()` (results are identical). */
  async dispose(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    this.state = 'stopped';
    this.failure = undefined;
    await this.stopWorkers();
  }
}
