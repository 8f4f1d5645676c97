// The kernel-binding layer: declarations checked against the WASM exports and the JS twins, named calls,
// and runRows filling in row ranges.
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors.js';
import { checkTwinKernels, checkWasmKernels } from '../../src/runtime/bind.js';
import { KERNELS, type KernelDecl } from '../../src/kernels/declarations.js';
import { init } from '../../src/runtime/backend.js';
import { kernelModule } from '../../src/runtime/wasm.js';
import { threadsModule } from '../../src/runtime/threads.js';
import { jsKernels } from '../../src/kernels/index.js';
import { Heap, ArrayBufferStorage } from '../../src/runtime/heap.js';

/** A table with every declared kernel as a function of the declared arity. */
function fakeTable(): Record<string, unknown> {
  const t: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(KERNELS)) t[name] = new Function(...Object.keys(d.args), 'return 0');
  return t;
}

describe('kernel declarations', () => {
  it('a table matching the declarations passes; a missing or wrong-arity kernel is a BackendError naming it', () => {
    expect(() => checkWasmKernels(fakeTable(), 'test')).not.toThrow();
    const missing = fakeTable();
    delete missing.alsImplicitCg;
    expect(() => checkWasmKernels(missing, 'test')).toThrow(BackendError);
    expect(() => checkWasmKernels(missing, 'test')).toThrow(/alsImplicitCg is missing/);
    const arity = fakeTable();
    arity.scoreTopkF32 = (a: number, b: number) => a + b;
    expect(() => checkWasmKernels(arity, 'test')).toThrow(/scoreTopkF32 takes 2 arguments but is declared with 17/);
    const notFn = fakeTable();
    notFn.dotF64 = 3;
    expect(() => checkWasmKernels(notFn, 'test')).toThrow(/dotF64 is missing/);
  });

  it('both WASM modules export exactly the declared kernels, and the JS twins implement every one', async () => {
    const declared = Object.keys(KERNELS).sort();
    for (const mod of [await kernelModule(), await threadsModule()]) {
      const exported = WebAssembly.Module.exports(mod)
        .filter((e) => e.kind === 'function')
        .map((e) => e.name)
        .sort();
      expect(exported).toEqual(declared);
    }
    const heap = new Heap(new ArrayBufferStorage(1 << 16), 1024);
    const twins = jsKernels(heap.views);
    expect(() => checkTwinKernels(twins, 'js')).not.toThrow();
    expect(Object.keys(twins).sort()).toEqual(declared);
  });

  it('row kernels name row arguments that exist; kernels with scratch size it and take it', () => {
    for (const [name, d] of Object.entries(KERNELS) as [string, KernelDecl][]) {
      const args = Object.keys(d.args);
      if (d.rows) {
        const r = d.rows as { r0?: string; r1?: string; count?: string; advance?: object };
        for (const a of [r.r0, r.r1, r.count].filter((x) => x !== undefined)) expect(args, name).toContain(a);
        for (const a of Object.keys(r.advance ?? {})) expect(d.args[a]?.kind, `${name}.${a}`).toBe('ptr');
      }
      const takesScratch = Object.values(d.args).some((a) => a.kind === 'scratch');
      expect(typeof d.scratch === 'function', name).toBe(takesScratch);
    }
  });
});

describe.each(['wasm', 'js', 'wasm-threads'] as const)('KernelRunner (%s)', (name) => {
  it('call passes named arguments in declared order and checks them', async () => {
    const b = await init({ backend: name, threads: name === 'wasm-threads' ? 2 : undefined });
    const x = b.heap.copyIn(Float64Array.of(1, 2, 3));
    const y = b.heap.copyIn(Float64Array.of(4, 5, 6));
    expect(b.kernels.call('dotF64', { x, y, n: 3 })).toBe(32);
    b.kernels.call('axpyF64', { a: 2, x, y, n: 2 });
    expect(Array.from(y.view)).toEqual([6, 9, 6]);
    // Rows and parts of arrays are addresses too.
    expect(b.kernels.call('dotF64', { x: x.subarray(1), y: y.row(1, 1), n: 1 })).toBe(2 * 9);
    expect(b.kernels.call('dotF64', { x: x.subarray(1), y: y.subarray(1), n: 2 })).toBe(2 * 9 + 3 * 6);
    expect(() => b.kernels.call('dotF64', { x, y } as never)).toThrow(/argument n is undefined, expected a number/);
    const f32 = b.heap.allocArray('f32', 3);
    expect(() => b.kernels.call('dotF64', { x, y: f32, n: 3 } as never)).toThrow(
      /argument y is a heap array of f32, expected a heap array of f64/,
    );
    expect(() => b.kernels.call('dotF64', { x: 8, y, n: 3 } as never)).toThrow(
      /argument x is 8, expected a heap array/,
    );
    for (const a of [x, y, f32]) a.free();
  });

  it('runRows fills in the row range and returns per-chunk results', async () => {
    const b = await init({ backend: name, threads: name === 'wasm-threads' ? 2 : undefined });
    const n = 2000;
    const ip = b.heap.copyIn(Int32Array.from({ length: n + 1 }, (_, i) => i * 40));
    const ix = b.heap.copyIn(Int32Array.from({ length: n * 40 }, (_, i) => (i * 7) % n));
    const dt = b.heap.copyIn(Float32Array.from({ length: n * 40 }, (_, i) => (i % 5) / 4));
    const x = b.heap.copyIn(Float64Array.from({ length: n }, (_, i) => i / n));
    const y1 = b.heap.allocArray('f64', n);
    const y2 = b.heap.allocArray('f64', n);
    b.kernels.call('csrMvF64', { indptr: ip, indices: ix, data: dt, x, y: y1, r0: 0, r1: n });
    const parallelBefore = b.pool?.stats.parallelJobs ?? 0;
    const out = b.kernels.runRows(
      'csrMvF64',
      { indptr: ip, indices: ix, data: dt, x, y: y2 },
      {
        rows: n,
        work: Infinity,
        unit: 'nnz',
        split: (t) => Int32Array.from({ length: 4 * t + 1 }, (_, c) => Math.round((c * n) / (4 * t))),
      },
    );
    expect(out.length).toBe(0); // csrMvF64 returns nothing
    expect(Array.from(y2.view)).toEqual(Array.from(y1.view));
    if (name === 'wasm-threads') expect(b.pool!.stats.parallelJobs).toBe(parallelBefore + 1);
    for (const a of [ip, ix, dt, x, y1, y2]) a.free();
  });
});
