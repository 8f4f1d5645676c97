import { defineConfig } from 'vitest/config';
import { wasm } from '@rollup/plugin-wasm';

export default defineConfig({
  // The same loader as the bundle, so tests import src/ directly and get the compiled kernels.
  plugins: [{ ...wasm({ targetEnv: 'auto-inline', maxFileSize: 0x7fffffff }), enforce: 'pre' }],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
