/**
 * Backends: where kernels run. `'wasm'` (default) runs the AssemblyScript kernels compiled with SIMD;
 * `'js'` runs their pure-JS twins over an ArrayBuffer heap of the same layout — the fallback where
 * WebAssembly SIMD is missing, and the baseline for benchmarks. `'wasm-threads'` runs the same kernels
 * on a shared memory with a pool of worker threads: ALS half-iterations, YᵀY, large SVD matrix–vector
 * products and recommendBatch are split by rows, with results bit-identical to `'wasm'`.
 *
 * Several backends can be alive in one process (benchmarks switch between them); `init` picks the
 * active one, which new models and calls use. Objects remember the backend they were made on.
 */
import { deprecated } from '../deprecation.js';
import { BackendError, ValidationError } from '../errors.js';
import { OptionReader } from '../options.js';
import { ArrayBufferStorage, Heap } from './heap.js';
import { jsKernels } from '../kernels/index.js';
import { checkTwinKernels } from './bind.js';
import type { TwinKernels } from '../kernels/declarations.js';
import { KernelRunner } from './runner.js';
import { detectSimd, instantiateKernels } from './wasm.js';
import type * as Threads from './threads.js';
import type { WorkerPool } from './pool.js';

/** Where kernels run: WebAssembly SIMD (`'wasm'`), the same on worker threads (`'wasm-threads'`), or pure JS (`'js'`). */
export type BackendName = 'wasm' | 'js' | 'wasm-threads';

/** Most threads `init` accepts. */
const MAX_THREADS = 256;

/** Options of {@link init}. */
export interface InitOptions {
  /**
   * Which kernels to run. Default: `'wasm-threads'` on every logical CPU where threads work (Node; Deno;
   * browsers on cross-origin isolated pages), else `'wasm'` where WebAssembly SIMD is supported, else
   * `'js'` with a one-time warning. Results are bit-identical whatever the thread count. Asking for
   * `'wasm'` explicitly where SIMD is missing throws a `BackendError`.
   */
  backend?: BackendName;
  /**
   * Threads for `'wasm-threads'` (the calling thread plus `threads − 1` workers). Default: the number of
   * logical CPUs (`navigator.hardwareConcurrency`, Node's `os.availableParallelism()`). `threads: 1` gives
   * the plain single-threaded `'wasm'` backend (opt out of threads). Giving `threads` without `backend`
   * picks `'wasm-threads'` (or `'wasm'` for 1). Calling `init` again with another count resizes the pool;
   * models keep working. Parked workers never keep a Node process alive; `terminate()` stops them.
   *
   * In browsers, threads need cross-origin isolation: serve the page with
   * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`. Without
   * it (`crossOriginIsolated` false) `init` falls back to `'wasm'` with a one-time console warning.
   */
  threads?: number;
}

/** An initialised backend: its heap and kernels (and worker pool for 'wasm-threads'). */
export interface Backend {
  readonly name: BackendName;
  /** The linear memory kernels address. */
  readonly heap: Heap;
  /** How library code calls kernels: by name, with named arguments, split over the pool where it pays. */
  readonly kernels: KernelRunner;
  /** The raw positional kernel table (checked against the declarations), for tests and benchmarks. */
  readonly k: TwinKernels;
  /** The worker pool ('wasm-threads' only). */
  readonly pool?: WorkerPool;
}

// The threads backend (a second WASM module, the worker pool) is loaded on first use, so apps that never ask
// for threads neither download nor parse it: bundlers put it in a chunk of its own.
const loadThreads = (): Promise<typeof Threads> => import('./threads.js');

const backends = new Map<BackendName, Promise<Backend>>();
let active: Backend | undefined;
let warnedFallback = false;
let warnedIsolation = false;

function create(name: BackendName, threads = 1): Promise<Backend> {
  let p = backends.get(name);
  if (!p) {
    p =
      name === 'wasm'
        ? instantiateKernels().then(({ heap, k }) => ({ name, heap, k, kernels: new KernelRunner(k) }))
        : name === 'wasm-threads'
          ? loadThreads()
              .then((t) => t.instantiateThreaded(threads))
              .then(({ heap, k, pool }) => ({ name, heap, k, pool, kernels: new KernelRunner(k, pool) }))
          : Promise.resolve().then(() => {
              const heap = new Heap(new ArrayBufferStorage(1 << 20), 1024);
              const k = jsKernels(heap.views);
              checkTwinKernels(k, "backend 'js'");
              return { name, heap, k, kernels: new KernelRunner(k) };
            });
    p.catch(() => backends.delete(name));
    backends.set(name, p);
  }
  return p;
}

/**
 * Initialise lowrank. Idempotent: calling it again returns the same backend; calling it with another
 * `backend` switches the active backend for models created afterwards.
 */
export async function init(options: InitOptions = {}): Promise<Backend> {
  new OptionReader('init', options, ['backend', 'threads'], { nullIsDefaults: false });
  let asked = options.backend;
  if (asked !== undefined && asked !== 'wasm' && asked !== 'js' && asked !== 'wasm-threads') {
    throw new ValidationError(
      `init: unknown backend ${JSON.stringify(asked)}; expected 'wasm', 'wasm-threads' or 'js'`,
    );
  }
  const t = options.threads;
  if (t !== undefined && (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > MAX_THREADS)) {
    throw new ValidationError(`init: threads must be an integer in [1, ${MAX_THREADS}], got ${String(t)}`);
  }
  if (t !== undefined && t > 1 && (asked === 'wasm' || asked === 'js')) {
    throw new ValidationError(
      `init: threads: ${t} needs backend 'wasm-threads' (backend '${asked}' is single-threaded)`,
    );
  }
  if (asked === undefined && t !== undefined) asked = t > 1 ? 'wasm-threads' : 'wasm';
  if (asked === undefined && detectSimd()) return initDefault();
  let threads = 1;
  if (asked === 'wasm-threads') {
    const th = await loadThreads();
    threads = t ?? (await th.defaultThreads());
    if (threads > 1 && !th.sharedMemoryAvailable()) {
      if (!warnedIsolation) {
        warnedIsolation = true;
        console.warn(
          "lowrank: backend 'wasm-threads' needs SharedArrayBuffer, which browsers only give cross-origin isolated pages " +
            '(crossOriginIsolated is false): serve the page with the headers `Cross-Origin-Opener-Policy: same-origin` and ' +
            "`Cross-Origin-Embedder-Policy: require-corp`. Falling back to the single-threaded 'wasm' backend.",
        );
      }
      threads = 1;
    }
    if (threads === 1) asked = 'wasm';
  }
  let name: BackendName = asked ?? 'wasm';
  if (name !== 'js' && !detectSimd()) {
    if (asked !== undefined) {
      throw new BackendError(
        `init({ backend: '${asked}' }): this runtime does not support WebAssembly SIMD; use backend 'js' or omit backend to fall back automatically`,
      );
    }
    if (!warnedFallback) {
      warnedFallback = true;
      console.warn('lowrank: WebAssembly SIMD is not supported here; falling back to the pure-JS backend (slower).');
    }
    name = 'js';
  }
  const b = await create(name, threads);
  if (b.pool) await b.pool.resize(threads);
  active = b;
  return active;
}

/**
 * `init()` without a backend or thread count: every core where threads work, quietly the single-threaded
 * backends where they do not (no SharedArrayBuffer, a page that is not cross-origin isolated, workers that
 * cannot start) — the user did not ask for threads, so their absence is not worth a warning.
 */
async function initDefault(): Promise<Backend> {
  // The cheap test first, so that pages without cross-origin isolation never load the threads module.
  const coi = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  let threads = 1;
  if (typeof SharedArrayBuffer === 'function' && coi !== false) {
    const th = await loadThreads().catch(() => undefined);
    if (th?.sharedMemoryAvailable()) threads = await th.defaultThreads();
  }
  if (threads > 1) {
    try {
      const b = await create('wasm-threads', threads);
      if (b.pool) await b.pool.resize(threads);
      active = b;
      return b;
    } catch {
      // e.g. no 4 GiB of address space for the shared memory, or workers refused: one thread it is.
    }
  }
  return init({ threads: 1 });
}

/**
 * Shut down the worker threads of the 'wasm-threads' backend (no-op otherwise). The backend stays usable:
 * work runs on the calling thread until the pool restarts, which `fit` (through `ensureBackend`) and
 * `init` do on their own. Call it to end a program promptly or in test teardown.
 */
export async function terminate(): Promise<void> {
  const p = backends.get('wasm-threads');
  if (!p) return;
  const b = await p.catch(() => undefined);
  await b?.pool?.dispose();
}

/**
 * @deprecated Renamed `terminate()` (`model.dispose()` is what frees a model's memory); the module-level
 * `dispose()` warns once and goes in the next release.
 */
export function dispose(): Promise<void> {
  deprecated('dispose()', 'terminate()');
  return terminate();
}

/** The active backend; throws if `init()` has not been awaited. */
export function getBackend(): Backend {
  if (!active) throw new BackendError('lowrank is not initialised: call `await init()` once before using it');
  return active;
}

/** The active backend, initialising the default one if needed (for async entry points such as `fit`). */
export async function ensureBackend(): Promise<Backend> {
  if (!active) return init();
  // A terminated (or broken) pool comes back here, so the next fit runs threaded again.
  if (active.pool && !active.pool.running) await active.pool.start();
  return active;
}

/** Name of the active backend, or undefined before `init()`. */
export function activeBackendName(): BackendName | undefined {
  return active?.name;
}

/** What {@link memoryUsage} reports, in bytes. */
export interface MemoryUsage {
  /** The backend measured. */
  backend: BackendName;
  /** Size of its linear memory (WebAssembly.Memory or, for 'js', the ArrayBuffer): never shrinks. */
  heapBytes: number;
  /** Bytes held by live objects (models, matrices living in the heap, their caches). */
  inUseBytes: number;
  /** Live heap blocks. */
  blocks: number;
}

/**
 * How much of the active backend's heap is in use: after dropping models (or calling `dispose()`) and a
 * garbage collection, `inUseBytes` comes back down. See README "Memory".
 */
export function memoryUsage(): MemoryUsage {
  const b = getBackend();
  return { backend: b.name, heapBytes: b.heap.byteLength, inUseBytes: b.heap.bytesInUse, blocks: b.heap.liveBlocks };
}
