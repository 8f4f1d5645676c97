/**
 * Loading the kernels' WebAssembly module. The bytes are inlined (base64) by @rollup/plugin-wasm, so
 * the same bundle works in Node and in browsers without fetching a side file.
 */
import loadKernelModule from '../../build/lowrank.wasm';
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

let compiled: Promise<WebAssembly.Module> | undefined;

/** Compile the kernel module once per process (the Module can be posted to workers later). */
export function kernelModule(): Promise<WebAssembly.Module> {
  compiled ??= loadKernelModule();
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
