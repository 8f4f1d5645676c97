// The whole test suite, Node and browser: `npm test` runs this config.
// - node: every test/**/*.test.ts, exactly as vitest.config.mjs runs them;
// - chromium: a representative part of the core suite (kernels, runtime, SVD, ALS, serving) plus
//   test/browser/*.browser.ts, in the system Chromium through vitest's browser mode (Playwright provider);
// - demo: the demo page driven by Playwright (test/browser/demo.e2e.ts; needs dist/, so run after the build).
// Without a Chromium (CHROMIUM_PATH, /usr/bin/chromium) the browser projects are left out with a warning,
// unless LOWRANK_REQUIRE_BROWSER=1 (CI), which makes that an error. Never downloads a browser.
import { defineConfig } from 'vitest/config';
import { wasm } from '@rollup/plugin-wasm';
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_ARGS, chromiumPath } from './test/browser/chromium.mjs';

/** Core test files that also run in Chromium (they use no Node APIs). */
export const BROWSER_SUITE = [
  'test/kernels/*.test.ts',
  'test/runtime/heap.test.ts',
  'test/svd/truncated.test.ts',
  'test/svd/puresvd.test.ts',
  'test/als/implicit.test.ts',
  'test/als/explicit.test.ts',
  'test/recommend/recommend.test.ts',
  'test/recommend/scoring-kernel.test.ts',
  // Threads run on real module Web Workers over shared memory (the page is cross-origin isolated).
  'test/threads/als.test.ts',
  'test/threads/svd-recommend.test.ts',
  'test/threads/gram.test.ts',
  'test/threads/bounds.test.ts',
  'test/browser/*.browser.ts',
];

const executablePath = chromiumPath();
if (!executablePath) {
  const msg = 'no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH): browser tests are NOT run';
  if (process.env.LOWRANK_REQUIRE_BROWSER === '1') throw new Error(msg);
  console.warn(`\n*** ${msg} ***\n`);
}

const chromium = {
  plugins: [{ ...wasm({ targetEnv: 'auto-inline', maxFileSize: 0x7fffffff }), enforce: 'pre' }],
  optimizeDeps: { include: ['ml-matrix', 'fast-check', '@fast-check/vitest', 'fflate'] },
  // Cross-origin isolation, as the demo server sends: the page may use SharedArrayBuffer (WASM threads).
  server: { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
  test: {
    name: 'chromium',
    include: BROWSER_SUITE,
    testTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: { executablePath, args: CHROMIUM_ARGS } }),
      instances: [{ browser: 'chromium' }],
      screenshotFailures: false,
    },
  },
};

const demo = {
  test: { name: 'demo', include: ['test/browser/demo.e2e.ts'], environment: 'node', pool: 'forks', testTimeout: 60_000, hookTimeout: 240_000 },
};

export default defineConfig({
  test: {
    projects: [{ extends: './vitest.config.mjs', test: { name: 'node' } }, ...(executablePath ? [chromium, demo] : [])],
  },
});
