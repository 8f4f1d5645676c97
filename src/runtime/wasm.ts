/**
 * Loading the kernels' WebAssembly module. The kernels are built twice (scripts/build-wasm.mjs): with relaxed
 * SIMD, whose fused multiply–add (assembly/simd.ts) the kernels use where the engine validates it (Node ≥ 22,
 * Chromium, Firefox ≥ 146, Deno, Bun; Node 20 with --experimental-wasm-relaxed-simd), and with plain SIMD
 * everywhere else. Each build's bytes are inlined (base64) by @rollup/plugin-wasm into a module of its own
 * (module-*.ts) that is imported only when picked, so the same bundle works in Node and in browsers without
 * fetching a side file, and an app downloads one build.
 */
import { BackendError } from '../errors.js';
import { Heap, WasmMemoryStorage } from './heap.js';
import { checkWasmKernels } from './bind.js';
import type { Kernels } from '../kernels/declarations.js';

/** A tiny module using one v128 instruction: it validates only where WebAssembly SIMD is supported. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** Whether this runtime supports WebAssembly SIMD (what the 'wasm' backends need). */
export function detectSimd(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * A tiny module whose function runs f32x4.relaxed_madd on three splatted vectors: it validates only where
 * WebAssembly relaxed SIMD is supported.
 */
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0, 65, 0, 253, 15, 65, 0, 253, 15, 65,
  0, 253, 15, 253, 133, 2, 11,
]);

/** Whether this runtime supports WebAssembly relaxed SIMD (then the kernels run their fused multiply–add build). */
export function detectRelaxedSimd(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

/** A kernel build: relaxed SIMD (fused multiply–add) or plain SIMD. */
export type KernelBuild = 'relaxed-simd' | 'simd';

let loaded: KernelBuild | undefined;

/**
 * The kernel build this runtime runs: the one loaded, or before any, the one that will be (the
 * self-contained CDN build ships the plain build only, and says so once loaded).
 */
export function kernelBuild(): KernelBuild {
  return loaded ?? (detectRelaxedSimd() ? 'relaxed-simd' : 'simd');
}

/** Load the picked build's module (`relaxed` and `plain`: the two imports) and compile it. */
export async function loadBuild(
  relaxed: () => Promise<{ default: () => Promise<WebAssembly.Module>; build: string }>,
  plain: () => Promise<{ default: () => Promise<WebAssembly.Module>; build: string }>,
): Promise<WebAssembly.Module> {
  const m = await (detectRelaxedSimd() ? relaxed() : plain());
  loaded = m.build as KernelBuild;
  return m.default();
}

let compiled: Promise<WebAssembly.Module> | undefined;

/** Compile the kernel module once per process (the Module can be posted to workers later). */
export function kernelModule(): Promise<WebAssembly.Module> {
  compiled ??= loadBuild(
    () => import('./module-relaxed.js'),
    () => import('./module-simd.js'),
  );
  return compiled;
}

export async function instantiateKernels(): Promise<{ heap: Heap; k: Kernels }> {
  const module = await kernelModule();
  const instance = await WebAssembly.instantiate(module, {
    env: {
      abort(_msg: number, _file: number, line: number, column: number) {
        throw new BackendError(`lowrank kernel aborted at ${line}:${column}`);
      },
    },
  });
  const { exports } = instance;
  const memory = exports.memory;
  if (!(memory instanceof WebAssembly.Memory))
    throw new BackendError("backend 'wasm': the kernel module exports no memory");
  checkWasmKernels(exports, "backend 'wasm'");
  const heap = new Heap(new WasmMemoryStorage(memory), exports.heapBase());
  return { heap, k: exports };
}
