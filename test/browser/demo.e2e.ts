// The demo page in Chromium (Playwright): one test per check of demo-e2e.mjs, which builds and serves the
// demo, trains on synthetic data, clicks through fold-in and checks crossOriginIsolated.
import { beforeAll, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error — plain JS module without type declarations
import { checkDemo, DEMO_CHECKS } from './demo-e2e.mjs';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

describe('demo page (Chromium)', () => {
  let checks: Check[] = [];
  let failure: Error | undefined;
  beforeAll(async () => {
    try {
      // The screenshot goes to a temp file here; docs/demo.png is written by `node test/browser/demo-e2e.mjs --screenshot docs/demo.png`.
      ({ checks } = await checkDemo({ screenshot: join(tmpdir(), 'lowrank-demo-test.png') }));
    } catch (e) {
      failure = e as Error;
    }
  }, 240_000);

  for (const name of DEMO_CHECKS as string[]) {
    it(name, () => {
      if (failure) throw failure;
      const c = checks.find((x) => x.name === name);
      expect(c, `check "${name}" did not run (an earlier step failed)`).toBeDefined();
      expect(c!.ok, c!.detail).toBe(true);
    });
  }
});
