/**
 * Internal entry for this repository's benchmarks and tests (dist/internal.mjs): backends, heap and
 * kernels. Not part of the public API and not in the package's exports map.
 */
export * from './index.js';
export { getBackend, init } from './runtime/backend.js';
export { kernelBuild } from './runtime/wasm.js';
export { Heap, HeapArray } from './runtime/heap.js';
export { jsKernels } from './kernels/index.js';
export type { Kernels, TwinKernels } from './kernels/declarations.js';
export { fitSimilarity, freeSimilarity } from './models/item-knn/similarity.js';
export { fitEase } from './models/ease/fit.js';
export { easeDefaultLambda } from './models/ease/lambda.js';
