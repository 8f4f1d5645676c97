export { init, getBackend, ensureBackend, activeBackendName, terminate, dispose } from './backend.js';
export type { Backend, BackendName, InitOptions } from './backend.js';
export { detectSimd } from './wasm.js';
