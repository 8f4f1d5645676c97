/**
 * Internal entry for this repository's benchmarks and tests (dist/internal.mjs): the whole surface of every
 * area (the root, `lowrank/formats`, `lowrank/advanced` and what none of them exports: backends, heap and
 * kernels). Not part of the public API and not in the package's exports map.
 */
export * from './errors.js';
export { DEFAULT_MAX_BYTES } from './limits.js';
export * from './runtime/index.js';
export * from './data/index.js';
export * from './svd/index.js';
export * from './models/index.js';
export * from './recommend/index.js';
export * from './eval/index.js';
export { Rng } from './random.js';
export * from './formats.js';
export { npyScalar, npySize, npyToFloat64 } from './interop/npy.js';
export { parseSparkALSMetadata, readSparkALSData, sparkALSFiles, writeSparkFactors } from './interop/spark-format.js';
export { formatBytes } from './errors.js';
export { kernelBuild } from './runtime/wasm.js';
export { Heap, HeapArray } from './runtime/heap.js';
export { jsKernels } from './kernels/index.js';
export type { Kernels, TwinKernels } from './kernels/declarations.js';
export { fitSimilarity, freeSimilarity } from './models/item-knn/similarity.js';
export { fitEase } from './models/ease/fit.js';
export { easeDefaultLambda } from './models/ease/lambda.js';
