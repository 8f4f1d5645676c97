// The whole test suite, Node and browsers: `npm test` runs this config.
// - node: every test/**/*.test.ts, exactly as vitest.config.mjs runs them;
// - node-relaxed: the kernel, ALS, BPR/LogisticMF kernel, SVD and threads suites on the relaxed-SIMD build (Node flag);
// - chromium, firefox, webkit: a representative part of the core suite (kernels, runtime, SVD, ALS, BPR,
//   LogisticMF, serving, threads on real Web Workers) plus test/browser/*.browser.ts, in vitest's browser mode
//   on the Debian browsers: Chromium through vitest's Playwright provider, Firefox ESR (WebDriver BiDi) and WebKitGTK
//   (WebDriver, under Xvfb) through test/browser/vitest-providers.mjs;
// - demo: the demo page driven by Playwright (test/browser/demo.e2e.ts; needs dist/, so run after the build);
// - packaging: the packed package installed into fresh apps, bundled and run everywhere
//   (test/packaging/packaging.e2e.ts; needs dist/).
// A browser that is not installed is left out with a warning, unless LOWRANK_REQUIRE_BROWSER=1 (CI), which
// makes it an error. Never downloads a browser.
import { defineConfig } from 'vitest/config';
import { wasm } from '@rollup/plugin-wasm';
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_ARGS } from './test/browser/chromium.mjs';
import { BROWSERS, browserAvailable, browserPaths } from './test/browser/browsers.mjs';
import { engine } from './test/browser/vitest-providers.mjs';
import { platformAlias } from './vitest.config.mjs';

/** Core test files that also run in the browsers (they use no Node APIs). */
export const BROWSER_SUITE = [
  'test/kernels/*.test.ts',
  'test/runtime/heap.test.ts',
  'test/svd/truncated.test.ts',
  'test/models/puresvd.test.ts',
  'test/models/als/implicit.test.ts',
  'test/models/als/explicit.test.ts',
  // BPR and LogisticMF: kernels against their twins, and the model contract (threads included).
  'test/models/bpr/*.test.ts',
  'test/models/lmf/*.test.ts',
  'test/recommend/recommend.test.ts',
  'test/recommend/scoring-kernel.test.ts',
  // Threads run on real module Web Workers over shared memory (the page is cross-origin isolated).
  'test/threads/als.test.ts',
  'test/threads/svd-recommend.test.ts',
  'test/threads/gram.test.ts',
  'test/threads/bounds.test.ts',
  'test/browser/*.browser.ts',
];

const available = BROWSERS.filter(browserAvailable);
for (const name of BROWSERS.filter((b) => !available.includes(b))) {
  const msg = `no ${name} found (apt-get install -y ${browserPaths(name).install}): ${name} tests are NOT run`;
  if (process.env.LOWRANK_REQUIRE_BROWSER === '1') throw new Error(msg);
  console.warn(`\n*** ${msg} ***\n`);
}

/** The browser suite in one engine. */
const inBrowser = (name) => ({
  plugins: [{ ...wasm({ targetEnv: 'auto-inline', maxFileSize: 0x7fffffff }), enforce: 'pre' }],
  resolve: { alias: platformAlias('web') },
  optimizeDeps: { include: ['ml-matrix', 'fast-check', '@fast-check/vitest', 'fflate'] },
  // Cross-origin isolation, as the demo server sends: the page may use SharedArrayBuffer (WASM threads).
  server: { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
  test: {
    name,
    include: BROWSER_SUITE,
    testTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      provider:
        name === 'chromium'
          ? playwright({ launchOptions: { executablePath: browserPaths('chromium').exe, args: CHROMIUM_ARGS } })
          : engine(name),
      instances: [{ browser: name }],
      screenshotFailures: false,
    },
  },
});

const demo = {
  test: {
    name: 'demo',
    include: ['test/browser/demo.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
};

/**
 * The kernel suites again on the relaxed-SIMD build: Node 20 validates relaxed SIMD only with a flag, so this
 * project runs them with it (the runtime then loads build/lowrank-relaxed.wasm; Node ≥ 22 does without).
 */
const relaxed = {
  plugins: [{ ...wasm({ targetEnv: 'auto-inline', maxFileSize: 0x7fffffff }), enforce: 'pre' }],
  resolve: { alias: platformAlias('node') },
  test: {
    name: 'node-relaxed',
    testTimeout: 60_000,
    pool: 'forks',
    include: [
      'test/kernels/*.test.ts',
      'test/runtime/kernel-build.test.ts',
      'test/models/als/kernels.test.ts',
      'test/models/als/subspace.test.ts',
      'test/models/als/implicit.test.ts',
      'test/models/als/explicit.test.ts',
      'test/models/bpr/kernel.test.ts',
      'test/models/lmf/kernel.test.ts',
      'test/svd/truncated.test.ts',
      'test/recommend/scoring-kernel.test.ts',
      'test/threads/als.test.ts',
      'test/threads/gram.test.ts',
      'test/threads/svd-recommend.test.ts',
    ],
    execArgv: ['--experimental-wasm-relaxed-simd'],
  },
};

const packaging = {
  test: {
    name: 'packaging',
    include: ['test/packaging/packaging.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 900_000,
  },
};

export default defineConfig({
  test: {
    projects: [
      { extends: './vitest.config.mjs', test: { name: 'node' } },
      relaxed,
      ...available.map(inBrowser),
      ...(available.includes('chromium') ? [demo] : []),
      packaging,
    ],
  },
});
