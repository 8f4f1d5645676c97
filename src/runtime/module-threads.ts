/**
 * build/lowrank-threads.wasm, inlined (base64) by @rollup/plugin-wasm, in a module of its own: src/runtime/wasm.ts and
 * threads.ts import it only when this build is the one picked, so bundlers make it a lazy chunk and an app
 * downloads one kernel build, not all of them.
 * @module
 */
import load from '../../build/lowrank-threads.wasm';

export default load;

/** Which build this module holds (what `kernelBuild()` reports once it is loaded). */
export const build = 'simd';
