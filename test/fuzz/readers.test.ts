// The seeded 500-case subset of bench/fuzz (mutation fuzzing of the readers of outside bytes): every case
// ends in a result or a typed LowrankError, and leaves the heap as it found it. The full run (≥ 10,000 cases
// per reader, each reader in a watched child process with hang, crash and peak-memory checks) is
// `node bench/fuzz/run.mjs`; a failing case here replays there with `--reader R --case i`.
import { beforeAll, describe, expect, it } from 'vitest';
import * as lib from '../../src/internal.js';
import { getBackend } from '../../src/runtime/backend.js';
// @ts-expect-error plain JS module shared with the benchmark script
import { readers, runCase } from '../../bench/fuzz/engine.mjs';

const CASES = 500;

interface Reader {
  name: string;
}

let list: Reader[] = [];
beforeAll(async () => {
  list = await readers(lib);
}, 60_000);

describe('fuzzed readers (500 seeded mutations of valid files each)', () => {
  for (const name of ['lrk', 'npy', 'npz', 'parquet', 'delimited']) {
    it(`${name}: every case is a result or a typed LowrankError, with no heap left allocated`, async () => {
      const index = list.findIndex((t) => t.name === name);
      const heap = getBackend().heap;
      // Lowered when memory allocated before the loop is freed during it (a dropped object's finalizer runs
      // at the first macrotask turn, e.g. the Parquet codecs' first import): only growth is a leak.
      let base = heap.bytesInUse;
      const bugs: string[] = [];
      const outcomes = { ok: 0, error: 0 };
      for (let i = 0; i < CASES; i++) {
        const r = await runCase(lib, list[index], index, i);
        if (r.outcome === 'bug') bugs.push(`case ${i}: ${r.detail}`);
        else outcomes[r.outcome as 'ok' | 'error']++;
        if (heap.bytesInUse > base) bugs.push(`case ${i}: ${heap.bytesInUse - base} heap bytes left allocated`);
        base = Math.min(base, heap.bytesInUse);
      }
      expect(bugs).toEqual([]);
      // The mutations reach past the first check: some cases still load, most are refused.
      expect(outcomes.error).toBeGreaterThan(0);
    }, 300_000);
  }
});
