/**
 * Internal entry for this repository's benchmarks and tests (dist/internal.mjs): backends, heap and
 * kernels. Not part of the public API and not in the package's exports map.
 */
export * from './index.js';
export { getBackend, init } from './runtime/backend.js';
export { Heap, HeapArray } from './runtime/heap.js';
export { jsKernels } from './kernels/index.js';
export type { Kernels, TwinKernels } from './runtime/declarations.js';
// Item–item models' fit and scoring computations (#28), for bench/models/ until the model classes land.
export { fitSimilarity, freeSimilarity } from './models/item-knn/similarity.js';
export { knnWeights } from './models/item-knn/weights.js';
export { fitEase, easeMaxItems, easeFitBytes, easeDefaultItems, popularItems } from './models/ease/fit.js';
export { easeDefaultLambda } from './models/ease/lambda.js';
export { invertSpd } from './models/ease/inverse.js';
export { knnScore, easeScore } from './models/item-scoring.js';
