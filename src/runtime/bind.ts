/**
 * Checking a kernel table against the declarations: the WASM module's exports when a backend is
 * instantiated, and the JS twins. A missing kernel or one with the wrong number of parameters is a
 * BackendError naming it, raised before any model runs (a stale build/ or a twin that drifted).
 * @module
 */
import { BackendError } from '../errors.js';
import { KERNELS, type KernelDecl, type Kernels, type TwinKernels } from '../kernels/declarations.js';

function check(source: object, where: string): void {
  const table = source as Record<string, unknown>;
  for (const [name, decl] of Object.entries(KERNELS) as [string, KernelDecl][]) {
    const fn = table[name];
    if (typeof fn !== 'function') {
      throw new BackendError(
        `${where}: kernel ${name} is missing (declared in src/kernels/declarations.ts); rebuild the kernels with \`npm run build:wasm\``,
      );
    }
    const args = Object.keys(decl.args);
    if (fn.length !== args.length) {
      throw new BackendError(
        `${where}: kernel ${name} takes ${fn.length} arguments but is declared with ${args.length} (${args.join(', ') || 'none'}); rebuild the kernels or fix the declaration`,
      );
    }
  }
}

/** Throw a BackendError unless `exports` has every declared kernel with its declared arity. */
export function checkWasmKernels(exports: object, where: string): asserts exports is Kernels {
  check(exports, where);
}

/** The same check for the JS twins (every kernel has one). */
export function checkTwinKernels(twins: object, where: string): asserts twins is TwinKernels {
  check(twins, where);
}
