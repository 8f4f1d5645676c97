/**
 * The 'wasm-threads' backend: the kernels compiled a second time with threads enabled and an imported
 * shared memory (build/lowrank-threads.wasm, or build/lowrank-threads-relaxed.wasm where relaxed SIMD is
 * supported; each inlined in a module of its own like the single-threaded builds), a Heap over that memory
 * and a WorkerPool. The calling thread allocates and calls kernels exactly as on 'wasm'; the parallel paths
 * (src/runtime/parallel.ts) hand row ranges to the pool.
 * @module
 */
import { BackendError } from '../errors.js';
import { Heap, WasmMemoryStorage } from './heap.js';
import { WorkerPool } from './pool.js';
import { checkWasmKernels } from './bind.js';
import { loadBuild } from './wasm.js';
import type { Kernels } from '../kernels/declarations.js';
import { nodeBuiltin } from '#platform';

/**
 * Maximum pages of the shared memory: 65536 (4 GiB, all of wasm32). Shared memory reserves its maximum
 * as address space up front (it can never move); Node 20 and Chromium accept 4 GiB on 64-bit hosts.
 */
export const SHARED_MAX_PAGES = 65536;
const INITIAL_PAGES = 16;

let compiled: Promise<WebAssembly.Module> | undefined;

/** Compile the threads module once per process (the same Module object is posted to every worker). */
export function threadsModule(): Promise<WebAssembly.Module> {
  compiled ??= loadBuild(
    () => import('./module-threads-relaxed.js'),
    () => import('./module-threads.js'),
  );
  return compiled;
}

/** Whether this runtime can share memory with workers (SharedArrayBuffer, and cross-origin isolation in browsers). */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  const coi = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return coi !== false;
}

/** Default thread count: navigator.hardwareConcurrency, or os.availableParallelism() in Node. */
export async function defaultThreads(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (nav && typeof nav.hardwareConcurrency === 'number' && nav.hardwareConcurrency > 0) return nav.hardwareConcurrency;
  try {
    const os = await nodeBuiltin('os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  } catch {
    return 1;
  }
}

export async function instantiateThreaded(threads: number): Promise<{ heap: Heap; k: Kernels; pool: WorkerPool }> {
  const module = await threadsModule();
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: SHARED_MAX_PAGES, shared: true });
  } catch (e) {
    throw new BackendError(
      `backend 'wasm-threads': could not create a shared WebAssembly.Memory (${(e as Error).message})`,
    );
  }
  const instance = await WebAssembly.instantiate(module, {
    env: {
      memory,
      abort(_msg: number, _file: number, line: number, column: number) {
        throw new BackendError(`lowrank kernel aborted at ${line}:${column}`);
      },
    },
  });
  const exports = instance.exports;
  checkWasmKernels(exports, "backend 'wasm-threads'");
  const heap = new Heap(new WasmMemoryStorage(memory, SHARED_MAX_PAGES), exports.heapBase());
  const pool = new WorkerPool(heap, memory, module, exports, threads);
  return { heap, k: exports, pool };
}
