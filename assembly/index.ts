// The one WASM module: the kernel files re-exported. Kernels take byte offsets (usize) and lengths into
// linear memory and never allocate; the JS heap (src/runtime/heap.ts) owns all allocation. Every export
// is declared in src/kernels/declarations.ts (checked at instantiation). dense.ts and topk.ts are helpers
// of lanczos.ts and scoring.ts, not exports (nor are rowsolve.ts, syrk.ts, eigsolve.ts, simd.ts, layout.ts).
export * from './runtime';
export * from './vector';
export * from './csr';
export * from './csr-sort';
export * from './lanczos';
export * from './bidiag';
export * from './gram';
export * from './als';
export * from './als-cg';
export * from './als-eig';
export * from './als-subspace';
export * from './als-explicit';
export * from './scoring';
export * from './bpr';
export * from './lmf';
