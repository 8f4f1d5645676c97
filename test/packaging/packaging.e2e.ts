// The consumer matrix (consumers.mjs) inside the test suite: one test per cell — the packed package
// installed into a fresh app and run as Node ESM/CJS, TypeScript, Deno, Bun, vite/webpack/esbuild builds
// for Node and for the browser, and the CDN build, the browser ones in Chromium, Firefox and WebKit. A cell
// passes when it gives Node's numbers (threads included) with no warning from any tool, and a browser
// build's first download stays within the size budget. Needs dist/ (run after `npm run build`).
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error — plain JS module without type declarations
import { CELLS, matrixTable, runMatrix } from './consumers.mjs';
// @ts-expect-error — plain JS module without type declarations
import { BROWSERS, browserAvailable } from '../browser/browsers.mjs';

// A browser that is not installed: its cells are skipped here (vitest.browser.config.mjs warns, and fails
// the run in CI where LOWRANK_REQUIRE_BROWSER=1).
const engines = (BROWSERS as string[]).filter(browserAvailable);
const missing = (BROWSERS as string[]).filter((b) => !engines.includes(b));

interface Cell {
  id: string;
  consumer: string;
  runsOn: string;
  works: boolean;
  why?: string;
  warnings: string[];
}

describe('packaging: the packed package in every consumer', () => {
  let cells: Cell[] = [];
  let failure: Error | undefined;
  beforeAll(async () => {
    try {
      ({ cells } = await runMatrix({ engines }));
      // The matrix (works, warnings, sizes) in the test output.
      console.log(`\nconsumer matrix\n${matrixTable(cells)}\n`);
    } catch (e) {
      failure = e as Error;
    }
  }, 900_000);

  for (const { id, name } of CELLS as { id: string; name: string }[]) {
    it.skipIf(missing.some((b) => id.endsWith(`-${b}`)))(name, () => {
      if (failure) throw failure;
      const c = cells.find((x) => x.id === id);
      expect(c, `cell ${id} did not run`).toBeDefined();
      expect(c!.warnings, `${c!.consumer} → ${c!.runsOn}: warnings`).toEqual([]);
      expect(c!.works, `${c!.consumer} → ${c!.runsOn}: ${c!.why}`).toBe(true);
    });
  }
});
