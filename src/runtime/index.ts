export { init, getBackend, ensureBackend, activeBackendName, terminate, dispose, memoryUsage } from './backend.js';
export type { Backend, BackendName, InitOptions, MemoryUsage } from './backend.js';
export { detectSimd } from './wasm.js';
