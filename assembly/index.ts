// The one WASM module: every kernel file re-exported. Kernels take byte offsets (usize) and lengths into
// linear memory and never allocate; the JS heap (src/runtime/heap.ts) owns all allocation.
export * from './runtime';
export * from './vector';
export * from './csr';
export * from './dense';
export * from './cholesky';
export * from './topk';
export * from './lanczos';
export * from './bidiag';
export * from './als';
export * from './scoring';
export * from './threads';
