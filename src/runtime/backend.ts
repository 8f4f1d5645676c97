/**
 * Backends: where kernels run. `'wasm'` (default) runs the AssemblyScript kernels compiled with SIMD;
 * `'js'` runs their pure-JS twins over an ArrayBuffer heap of the same layout — the fallback where
 * WebAssembly SIMD is missing, and the baseline for benchmarks.
 *
 * Several backends can be alive in one process (benchmarks switch between them); `init` picks the
 * active one, which new models and calls use. Objects remember the backend they were made on.
 */
import { BackendError, ValidationError } from '../errors.js';
import { ArrayBufferStorage, Heap } from './heap.js';
import { jsKernels, type Kernels } from '../kernels/index.js';
import { detectSimd, instantiateKernels } from './wasm.js';

export type BackendName = 'wasm' | 'js';

export interface InitOptions {
  /**
   * Which kernels to run. Default: `'wasm'` where WebAssembly SIMD is supported, else `'js'` with a
   * one-time warning. Asking for `'wasm'` explicitly where SIMD is missing throws a `BackendError`.
   */
  backend?: BackendName;
}

export interface Backend {
  readonly name: BackendName;
  /** The linear memory kernels address. */
  readonly heap: Heap;
  /** The kernels, taking byte offsets into `heap`. */
  readonly k: Kernels;
}

const backends = new Map<BackendName, Promise<Backend>>();
let active: Backend | undefined;
let warnedFallback = false;
let simdDetector: () => boolean = detectSimd;

/** For tests: pretend SIMD is (not) supported. Pass `undefined` to restore detection. */
export function _setSimdDetector(fn: (() => boolean) | undefined): void {
  simdDetector = fn ?? detectSimd;
  warnedFallback = false;
}

function create(name: BackendName): Promise<Backend> {
  let p = backends.get(name);
  if (!p) {
    p =
      name === 'wasm'
        ? instantiateKernels().then(({ heap, k }) => ({ name, heap, k }))
        : Promise.resolve().then(() => {
            const heap = new Heap(new ArrayBufferStorage(1 << 20), 1024);
            return { name, heap, k: jsKernels(heap.views) };
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
  if (options === null || typeof options !== 'object') throw new ValidationError('init(options): options must be an object');
  const asked = options.backend;
  if (asked !== undefined && asked !== 'wasm' && asked !== 'js') {
    throw new ValidationError(`init: unknown backend ${JSON.stringify(asked)}; expected 'wasm' or 'js'`);
  }
  let name: BackendName = asked ?? 'wasm';
  if (name === 'wasm' && !simdDetector()) {
    if (asked === 'wasm') {
      throw new BackendError(
        "init({ backend: 'wasm' }): this runtime does not support WebAssembly SIMD; use backend 'js' or omit backend to fall back automatically",
      );
    }
    if (!warnedFallback) {
      warnedFallback = true;
      console.warn('lowrank: WebAssembly SIMD is not supported here; falling back to the pure-JS backend (slower).');
    }
    name = 'js';
  }
  active = await create(name);
  return active;
}

/** The active backend; throws if `init()` has not been awaited. */
export function getBackend(): Backend {
  if (!active) throw new BackendError('lowrank is not initialised: call `await init()` once before using it');
  return active;
}

/** The active backend, initialising the default one if needed (for async entry points such as `fit`). */
export async function ensureBackend(): Promise<Backend> {
  return active ?? init();
}

/** Name of the active backend, or undefined before `init()`. */
export function activeBackendName(): BackendName | undefined {
  return active?.name;
}
