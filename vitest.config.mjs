import { defineConfig } from 'vitest/config';
import { wasm } from '@rollup/plugin-wasm';
import { fileURLToPath } from 'node:url';

/** `#platform` (package.json "imports" maps it to dist/platform/*.mjs) as source, per environment. */
export const platformAlias = (which) => ({
  '#platform': fileURLToPath(new URL(`./src/platform/${which}.ts`, import.meta.url)),
});

export default defineConfig({
  // The same loader as the bundle, so tests import src/ directly and get the compiled kernels.
  plugins: [{ ...wasm({ targetEnv: 'auto-inline', maxFileSize: 0x7fffffff }), enforce: 'pre' }],
  resolve: { alias: platformAlias('node') },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
