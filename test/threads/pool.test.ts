// The pool's life cycle: options, errors from workers, worker death, dispose and restart, the browser
// fallback without cross-origin isolation.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { init, terminate, ensureBackend } from '../../src/runtime/backend.js';
import { WorkerError } from '../../src/runtime/pool.js';
import { ImplicitALS } from '../../src/models/als/implicit.js';
import { BackendError, ValidationError } from '../../src/errors.js';
import { forceParallel, restoreThresholds, sameBits, skewedMatrix } from './helpers.js';

const m = skewedMatrix(7, 300, 200);
const model = () => new ImplicitALS({ factors: 8, iterations: 2, seed: 3 });

describe('worker pool', () => {
  afterEach(restoreThresholds);
  afterAll(terminate);

  it('validates init options; threads: 1 is the plain wasm backend', async () => {
    await expect(init({ threads: 0 })).rejects.toThrow(ValidationError);
    await expect(init({ threads: 1.5 })).rejects.toThrow(ValidationError);
    await expect(init({ backend: 'js', threads: 2 })).rejects.toThrow(/needs backend 'wasm-threads'/);
    expect((await init({ backend: 'wasm-threads', threads: 1 })).name).toBe('wasm');
    expect((await init({ threads: 1 })).name).toBe('wasm');
    const b = await init({ threads: 2 });
    expect(b.name).toBe('wasm-threads');
    expect(b.pool!.threads).toBe(2);
    expect(b.pool!.running).toBe(true);
    // The default is the machine's CPU count.
    const os = await import('node:os');
    expect((await init({ backend: 'wasm-threads' })).pool?.threads ?? 1).toBe(os.availableParallelism());
  });

  it("a worker's exception fails fit with the worker's message; the pool keeps working", async () => {
    forceParallel();
    const b = await init({ backend: 'wasm-threads', threads: 2 });
    b.pool!._injectFault('throw');
    const err = await model()
      .fit(m)
      .catch((e) => e);
    expect(err).toBeInstanceOf(WorkerError);
    expect(err).toBeInstanceOf(BackendError);
    expect(err.message).toMatch(/worker 1 failed running \w+: Error: injected worker fault/);
    expect(b.pool!.running).toBe(true);
    await model().fit(m);
  });

  it('a kernel trap in a worker becomes a WorkerError', async () => {
    const b = await init({ backend: 'wasm-threads', threads: 2 });
    // 1024 rows of 1000 entries; x is valid for the caller (tid 0) but 2 GiB away for worker 1 (x + tid·2³¹),
    // so whichever chunk the worker claims traps with an out-of-bounds access.
    const rows = 1024;
    const per = 1000;
    const indptr = b.heap.copyIn(Int32Array.from({ length: rows + 1 }, (_, i) => i * per));
    const indices = b.heap.allocArray('i32', rows * per);
    const data = b.heap.allocArray('f64', rows * per);
    const x = b.heap.allocArray('f64', 1);
    const y = b.heap.allocArray('f64', rows);
    try {
      let caught: unknown;
      // The caller runs chunks too (without trapping); retry until the worker has claimed one (≈ always
      // the first time; a loaded machine may delay the worker's wake-up past the caller's share).
      for (let attempt = 0; caught === undefined && attempt < 1000; attempt++) {
        try {
          b.pool!.run({
            kernel: 'csrMvF64',
            args: [indptr.ptr, indices.ptr, data.ptr, x.ptr, y.ptr, 0, 0],
            perR0: [0, 0, 0, 0, 0, 1],
            perR1: [0, 0, 0, 0, 0, 0, 1],
            perTid: [0, 0, 0, 2 ** 31],
            bounds: Int32Array.from({ length: rows + 1 }, (_, i) => i),
          });
        } catch (e) {
          caught = e;
        }
      }
      expect(caught).toBeInstanceOf(WorkerError);
      expect((caught as Error).message).toMatch(
        /worker 1 failed running csrMvF64: RuntimeError: memory access out of bounds/,
      );
    } finally {
      for (const a of [indptr, indices, data, x, y]) a.free();
    }
  });

  it('a worker that exits mid-job fails fit; the next fit restarts the pool', async () => {
    forceParallel();
    const b = await init({ backend: 'wasm-threads', threads: 2 });
    b.pool!._injectFault('exit');
    await expect(model().fit(m)).rejects.toThrow(/worker thread exited/);
    expect(b.pool!.running).toBe(false);
    const a = await model().fit(m); // ensureBackend restarts the pool
    expect(b.pool!.running).toBe(true);
    await init({ backend: 'wasm' });
    const ref = await model().fit(m);
    expect(sameBits(a.userFactors, ref.userFactors)).toBe(true);
  });

  it('terminate() stops the workers, work runs on the caller meanwhile, and the pool restarts lazily', async () => {
    forceParallel();
    const b = await init({ backend: 'wasm-threads', threads: 2 });
    const fitted = await model().fit(m);
    await terminate();
    expect(b.pool!.running).toBe(false);
    const jobs = b.pool!.stats.parallelJobs;
    const r1 = fitted.recommendBatch([0, 1, 2, 3], { n: 5 });
    expect(b.pool!.stats.parallelJobs).toBe(jobs); // ran on this thread
    await ensureBackend();
    expect(b.pool!.running).toBe(true);
    const r2 = fitted.recommendBatch([0, 1, 2, 3], { n: 5 });
    expect(b.pool!.stats.parallelJobs).toBe(jobs + 1);
    expect(Array.from(r2.items)).toEqual(Array.from(r1.items));
    await terminate();
    await terminate(); // idempotent
  });

  it('without cross-origin isolation, threads fall back to wasm with one warning naming the headers', async () => {
    const g = globalThis as { crossOriginIsolated?: boolean };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    g.crossOriginIsolated = false;
    try {
      expect((await init({ threads: 2 })).name).toBe('wasm');
      expect((await init({ backend: 'wasm-threads', threads: 4 })).name).toBe('wasm');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(
        /Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/,
      );
    } finally {
      delete g.crossOriginIsolated;
      warn.mockRestore();
    }
  });
});
