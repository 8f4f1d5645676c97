// The pool must never keep a Node process alive: a script that starts threads, fits and ends (with or
// without terminate()) exits promptly. Runs the built bundle (dist/, from `npm run build`) in a child.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../dist/internal.mjs', import.meta.url));

// explicit: init({ backend: 'wasm-threads', threads: 2 }); otherwise no init() at all (fit initialises
// the default backend, which runs threads on a multi-core machine).
const script = (terminate: boolean, explicit = true) => `
import { init, terminate, getBackend, ImplicitALS, SparseMatrix } from ${JSON.stringify(dist)};
const rows = [], cols = [];
for (let u = 0; u < 3000; u++) for (let j = 0; j < 20; j++) { rows.push(u); cols.push((u * 31 + j * 17) % 1500); }
const m = SparseMatrix.fromCOO({ rows, cols, shape: [3000, 1500] });
const b = ${explicit ? "await init({ backend: 'wasm-threads', threads: 2 })" : 'await new ImplicitALS({ factors: 8, iterations: 1 }).fit(m).then(() => getBackend())'};
if (!b.pool || !b.pool.running) throw new Error('pool not running');
await new ImplicitALS({ factors: 32, iterations: 2, seed: 1 }).fit(m);
if (b.pool.stats.parallelJobs === 0) throw new Error('nothing ran in parallel');
${terminate ? 'await terminate();' : ''}
console.log('fitted', b.pool.stats.parallelJobs);
`;

describe.skipIf(!existsSync(dist))('process exit (dist bundle)', () => {
  for (const t of [true, false]) {
    it(`exits after fit ${t ? 'with' : 'without'} terminate()`, () => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(t)], {
        timeout: 30_000,
        encoding: 'utf8',
      });
      expect(r.error, 'the child did not exit within 30 s').toBeUndefined();
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^fitted \d+/);
    });
  }
  it.skipIf(availableParallelism() < 2)('exits after a fit on the default backend (threads, no init() call)', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(false, false)], {
      timeout: 30_000,
      encoding: 'utf8',
    });
    expect(r.error, 'the child did not exit within 30 s').toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^fitted \d+/);
  });
});
