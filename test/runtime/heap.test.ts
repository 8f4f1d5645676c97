import { describe, expect, it } from 'vitest';
import { init } from '../../src/index.js';
import { getBackend } from '../../src/internal.js';
import { FreeListAllocator } from '../../src/runtime/allocator.js';
import { ArrayBufferStorage, Heap } from '../../src/runtime/heap.js';
import { OutOfMemoryError } from '../../src/errors.js';

describe('FreeListAllocator', () => {
  it('reuses freed blocks first-fit and coalesces neighbours', () => {
    const a = new FreeListAllocator(1024);
    const p1 = a.alloc(100);
    const p2 = a.alloc(100);
    const p3 = a.alloc(100);
    expect([p1, p2, p3]).toEqual([1024, 1136, 1248]);
    a.free(p2);
    expect(a.alloc(50)).toBe(1136); // first fit inside the hole
    a.free(1136);
    a.free(p1);
    // p1 and p2's hole coalesced: a 200-byte request fits at p1
    expect(a.alloc(200)).toBe(1024);
    a.free(1024);
    a.free(p3);
    expect(a.top).toBe(1024); // everything given back to the bump region
    expect(a.inUse).toBe(0);
  });
  it('rejects double free', () => {
    const a = new FreeListAllocator(0);
    const p = a.alloc(8);
    a.free(p);
    expect(() => a.free(p)).toThrow(/already freed/);
  });
  it('reserveBelow keeps everything below its limit taken, blocks freed meanwhile too, until released', () => {
    const a = new FreeListAllocator(1024);
    const low = a.alloc(100); // 1024
    const hole = a.alloc(100); // 1136
    a.free(hole);
    a.reserveBelow(4096);
    expect(a.alloc(64)).toBe(4096); // not the hole, not the bump region below the limit
    a.free(low); // e.g. a finalizer: the block joins the reservation
    expect(a.alloc(100)).toBe(4160);
    expect(() => a.reserveBelow(8192)).toThrow(/already held/);
    a.releaseReservation();
    expect(a.alloc(200)).toBe(1024); // low and the hole, coalesced, are free again
    a.free(1024);
    a.free(4096);
    a.free(4160);
    expect(a.inUse).toBe(0);
    expect(a.top).toBe(1024);
  });
});

for (const name of ['wasm', 'js'] as const) {
  describe(`Heap on the ${name} backend`, () => {
    it('keeps HeapArray views valid across memory growth', async () => {
      await init({ backend: name });
      const { heap } = getBackend();
      const a = heap.allocArray('f32', 1000);
      a.view.set(Float32Array.from({ length: 1000 }, (_, i) => i * 0.5));
      const stale = a.view;
      const gen = heap.generation;
      const before = heap.byteLength;
      // Force growth well past the current size.
      const big = heap.allocArray('f64', (before / 8) * 2);
      expect(heap.generation).toBeGreaterThan(gen);
      expect(heap.byteLength).toBeGreaterThan(before);
      if (name === 'wasm') expect(stale.byteLength).toBe(0); // the old buffer was detached: the pitfall
      expect(a.view.length).toBe(1000);
      expect(a.view[999]).toBe(499.5);
      expect(heap.views.f32[(a.ptr >> 2) + 10]).toBe(5); // whole-memory views were re-made too
      big.free();
      a.free();
      expect(() => a.view).toThrow(/freed/);
    });

    it('copies in and out', async () => {
      await init({ backend: name });
      const { heap } = getBackend();
      const src = new Float64Array([1, 2, 3.5]);
      const h = heap.copyIn(src);
      expect(h.kind).toBe('f64');
      expect(Array.from(h.toArray())).toEqual([1, 2, 3.5]);
      expect(h.ptr % 16).toBe(0);
      h.free();
    });
  });
}

describe('OutOfMemoryError', () => {
  it('is thrown with bytes requested and in use when growth is impossible', () => {
    const heap = new Heap(new ArrayBufferStorage(65536, 1 << 20), 64);
    const a = heap.alloc(1000);
    let err: unknown;
    try {
      heap.alloc(2 << 20);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OutOfMemoryError);
    expect((err as OutOfMemoryError).requested).toBe(2 << 20);
    expect((err as OutOfMemoryError).inUse).toBe(1008);
    expect((err as Error).message).toMatch(/requested 2\.00 MiB .* 1008 B already in use/);
    heap.free(a);
  });
  it('wasm memory refuses to pass 4 GiB', async () => {
    await init({ backend: 'wasm' });
    const { heap } = getBackend();
    expect(() => heap.alloc(2 ** 32)).toThrow(OutOfMemoryError);
  });
});

describe('HeapScope', () => {
  it('frees every block it handed out, once', async () => {
    await init({ backend: 'js' });
    const { heap } = getBackend();
    const before = heap.bytesInUse;
    const scope = heap.scope();
    scope.allocArray('f64', 100);
    scope.allocArray('i32', 7);
    expect(heap.bytesInUse).toBe(before + 800 + 32); // 28 bytes rounded up to 16
    scope.free();
    scope.free();
    expect(heap.bytesInUse).toBe(before);
  });
});
