/**
 * The one owner of linear memory. Kernels (WASM or their JS twins) take byte offsets into this memory;
 * everything else asks the Heap for space and for typed-array views. No other file on this thread touches
 * `memory.buffer` (pool workers, in worker-source.ts, make their own views of the shared memory).
 *
 * The pitfall this module exists for: growing a WebAssembly.Memory detaches (or, for shared memory,
 * strands) every typed array made over the old buffer. Only `alloc` grows memory, and it bumps
 * `generation` and re-creates `views` when it does; `HeapArray.view` re-creates its window when the
 * generation has moved. A raw view kept across an allocation is the caller's bug.
 */
import { OutOfMemoryError, ValidationError } from '../errors.js';
import { FreeListAllocator } from './allocator.js';
import {
  ELEMENT_BYTES as BYTES,
  type ElementKind,
  type HeapRef,
  type HeapViews,
  type ViewOf,
} from '../kernels/types.js';

export type { ElementKind, HeapRef, HeapViews, ViewOf } from '../kernels/types.js';

/** What the heap grows: a WebAssembly.Memory (wasm backends) or a plain ArrayBuffer (js backend). */
export interface HeapStorage {
  readonly buffer: ArrayBufferLike;
  /** Make the storage at least `bytes` long; return false if it cannot (limit reached). */
  growTo(bytes: number): boolean;
  readonly maxBytes: number;
}

const PAGE = 65536;
/** wasm32 addresses 2^32 bytes; 65536 pages of 64 KiB. */
export const WASM32_MAX_BYTES = 65536 * PAGE;

export class WasmMemoryStorage implements HeapStorage {
  readonly maxBytes: number;
  constructor(
    readonly memory: WebAssembly.Memory,
    maxPages = 65536,
  ) {
    this.maxBytes = maxPages * PAGE;
  }
  get buffer(): ArrayBufferLike {
    return this.memory.buffer;
  }
  growTo(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return true;
    if (bytes > this.maxBytes) return false;
    const need = Math.ceil((bytes - have) / PAGE);
    // Grow with headroom (×1.25) so repeated small allocations do not grow page by page.
    const want = Math.min(Math.max(need, Math.ceil((have * 0.25) / PAGE)), this.maxBytes / PAGE - have / PAGE);
    for (const pages of want > need ? [want, need] : [need]) {
      try {
        this.memory.grow(pages);
        return true;
      } catch {
        // fall through to the exact request, then give up
      }
    }
    return false;
  }
}

export class ArrayBufferStorage implements HeapStorage {
  buffer: ArrayBuffer;
  constructor(
    initialBytes: number,
    readonly maxBytes = WASM32_MAX_BYTES,
  ) {
    this.buffer = new ArrayBuffer(initialBytes);
  }
  growTo(bytes: number): boolean {
    const have = this.buffer.byteLength;
    if (bytes <= have) return true;
    if (bytes > this.maxBytes) return false;
    const size = Math.min(this.maxBytes, Math.max(bytes, Math.ceil((have * 1.25) / PAGE) * PAGE));
    let next: ArrayBuffer;
    try {
      next = new ArrayBuffer(size);
    } catch {
      try {
        next = new ArrayBuffer(bytes);
      } catch {
        return false;
      }
    }
    new Uint8Array(next).set(new Uint8Array(this.buffer));
    this.buffer = next;
    return true;
  }
}

const SHIFT: Record<ElementKind, number> = { u8: 0, i32: 2, f32: 2, f64: 3 };

function makeViews(buffer: ArrayBufferLike): HeapViews {
  return {
    u8: new Uint8Array(buffer),
    i32: new Int32Array(buffer),
    f32: new Float32Array(buffer),
    f64: new Float64Array(buffer),
  };
}

export class Heap {
  /** Bumped every time the storage grows (and views are re-created). */
  generation = 0;
  readonly views: HeapViews;
  private readonly allocator: FreeListAllocator;
  private viewBuffer: ArrayBufferLike;

  constructor(
    readonly storage: HeapStorage,
    base: number,
  ) {
    this.allocator = new FreeListAllocator(Math.max(base, 64));
    this.viewBuffer = storage.buffer;
    this.views = makeViews(storage.buffer);
  }

  /** Bytes currently allocated (not counting free blocks or the allocator's headroom). */
  get bytesInUse(): number {
    return this.allocator.inUse;
  }
  /** Current size of linear memory in bytes. */
  get byteLength(): number {
    return this.storage.buffer.byteLength;
  }
  get liveBlocks(): number {
    return this.allocator.liveBlocks;
  }

  /** Re-create views if someone (another thread, a kernel) grew the memory behind our back. */
  refresh(): HeapViews {
    if (this.storage.buffer !== this.viewBuffer || this.views.u8.byteLength !== this.storage.buffer.byteLength) {
      this.viewBuffer = this.storage.buffer;
      Object.assign(this.views, makeViews(this.viewBuffer));
      this.generation++;
    }
    return this.views;
  }

  /** Reserve `bytes` bytes, 16-byte aligned. May grow memory (and so invalidate raw views). */
  alloc(bytes: number): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0)
      throw new ValidationError(`heap allocation size must be a non-negative integer, got ${bytes}`);
    const end = this.allocator.endIfAllocated(bytes);
    if (end > this.storage.buffer.byteLength) {
      if (end > this.storage.maxBytes || !this.storage.growTo(end)) {
        throw new OutOfMemoryError(
          bytes,
          this.allocator.inUse,
          `linear memory is ${this.storage.buffer.byteLength} bytes`,
        );
      }
      this.refresh();
    }
    return this.allocator.alloc(bytes);
  }

  free(ptr: number): void {
    this.allocator.free(ptr);
  }

  /**
   * Internal test hook (not public API): reserve every free byte below `limit`, so that every later
   * allocation lands at or above it — how the tests run whole computations with offsets past 2 GiB.
   * The reserved pages are never written, so they cost address space, not memory; blocks below `limit`
   * freed meanwhile stay reserved. Returns the release.
   */
  reserveBelow(limit: number): () => void {
    if (limit > this.storage.buffer.byteLength) {
      if (limit > this.storage.maxBytes || !this.storage.growTo(limit)) {
        throw new OutOfMemoryError(
          limit,
          this.allocator.inUse,
          `linear memory is ${this.storage.buffer.byteLength} bytes`,
        );
      }
      this.refresh();
    }
    this.allocator.reserveBelow(limit);
    return () => this.allocator.releaseReservation();
  }

  /** Allocate a typed block of `length` elements, zero-filled. */
  allocArray<K extends ElementKind>(kind: K, length: number): HeapArray<K> {
    if (!Number.isSafeInteger(length) || length < 0)
      throw new ValidationError(`array length must be a non-negative integer, got ${length}`);
    const bytes = length * BYTES[kind];
    const ptr = this.alloc(bytes);
    // Zeroed 8 bytes at a time (ptr is 16-byte aligned): V8 fills a Uint8Array over shared memory (the
    // threads backend) byte by byte, ~7× slower than a Float64Array fill (measured, 8 MiB: 2.4 vs 0.33 ms).
    const words = Math.floor(bytes / 8);
    this.views.f64.fill(0, ptr / 8, ptr / 8 + words);
    this.views.u8.fill(0, ptr + words * 8, ptr + bytes);
    return new HeapArray(this, kind, ptr, length);
  }

  /**
   * A group of allocations freed together: `scope.allocArray(...)` inside a `try`, `scope.free()` in its
   * `finally` — for the scratch of one algorithm call.
   */
  scope(): HeapScope {
    return new HeapScope(this);
  }

  /** Copy a typed array into a new heap block. */
  copyIn(src: Float32Array): HeapArray<'f32'>;
  copyIn(src: Float64Array): HeapArray<'f64'>;
  copyIn(src: Int32Array): HeapArray<'i32'>;
  copyIn(src: Uint8Array): HeapArray<'u8'>;
  copyIn(src: Float32Array | Float64Array | Int32Array | Uint8Array): HeapArray<ElementKind> {
    const kind: ElementKind =
      src instanceof Float32Array
        ? 'f32'
        : src instanceof Float64Array
          ? 'f64'
          : src instanceof Int32Array
            ? 'i32'
            : 'u8';
    const ptr = this.alloc(src.byteLength);
    const a = new HeapArray(this, kind, ptr, src.length);
    (a.view as Float32Array).set(src as Float32Array);
    return a;
  }

  /** A window onto `length` elements at byte offset `ptr`; valid until the next allocation. */
  view<K extends ElementKind>(kind: K, ptr: number, length: number): ViewOf<K> {
    const v = this.refresh()[kind];
    const start = ptr >>> SHIFT[kind];
    return v.subarray(start, start + length) as ViewOf<K>;
  }
}

/**
 * A typed block in the heap. `view` is always current (re-made after memory growth); `free()` returns the
 * block. Kernels get the block itself (or a part of it: `row`, `subarray`) as a pointer argument; only
 * src/runtime reads `ptr`.
 */
export class HeapArray<K extends ElementKind> implements HeapRef<K> {
  private cached: ViewOf<K> | undefined;
  private cachedGen = -1;
  private freed = false;

  constructor(
    readonly heap: Heap,
    readonly kind: K,
    readonly ptr: number,
    readonly length: number,
  ) {}

  get byteLength(): number {
    return this.length * BYTES[this.kind];
  }

  get view(): ViewOf<K> {
    if (this.freed) throw new Error('lowrank heap: use of a freed HeapArray');
    // Fast path (matrix views are read in loops): memory grows only through Heap.alloc on this thread, which
    // bumps the generation; a buffer grown behind our back detaches (length 0) or, shared, stays valid.
    if (this.cachedGen === this.heap.generation && this.cached !== undefined && this.cached.length === this.length)
      return this.cached;
    this.heap.refresh();
    if (this.cachedGen !== this.heap.generation || this.cached === undefined) {
      this.cached = this.heap.view(this.kind, this.ptr, this.length);
      this.cachedGen = this.heap.generation;
    }
    return this.cached;
  }

  /** Row `i` of the block read as rows of `width` elements: a pointer argument for one row. */
  row(i: number, width: number): HeapSlice<K> {
    return this.subarray(i * width, i * width + width);
  }

  /** Elements [start, end) of the block (no copy): a pointer argument for part of it. */
  subarray(start: number, end = this.length): HeapSlice<K> {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= this.length))
      throw new RangeError(`lowrank heap: elements [${start}, ${end}) are outside the block of ${this.length}`);
    return new HeapSlice(this, start, end - start);
  }

  /** The bytes of elements [start, end) as a Uint8Array view (valid until the next heap allocation). */
  bytes(start = 0, end = this.length): Uint8Array {
    const b = BYTES[this.kind];
    return this.heap.view('u8', this.ptr + start * b, (end - start) * b);
  }

  /** A copy that lives outside the heap. */
  toArray(): ViewOf<K> {
    return this.view.slice() as ViewOf<K>;
  }

  get isFreed(): boolean {
    return this.freed;
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.cached = undefined;
    this.heap.free(this.ptr);
  }
}

/** Elements [offset, offset + length) of a heap array (a row, a vector of a basis): a pointer argument. */
export class HeapSlice<K extends ElementKind> implements HeapRef<K> {
  constructor(
    readonly array: HeapArray<K>,
    /** First element, in elements of the array. */
    readonly offset: number,
    readonly length: number,
  ) {}

  get kind(): K {
    return this.array.kind;
  }

  get ptr(): number {
    return this.array.ptr + this.offset * BYTES[this.array.kind];
  }

  get byteLength(): number {
    return this.length * BYTES[this.array.kind];
  }

  /** The elements (a view of the array's current view: valid until the next heap allocation). */
  get view(): ViewOf<K> {
    return this.array.view.subarray(this.offset, this.offset + this.length) as ViewOf<K>;
  }
}

/** Allocations made for one call and released together (see `Heap.scope`). */
export class HeapScope {
  private readonly arrays: HeapArray<ElementKind>[] = [];

  constructor(readonly heap: Heap) {}

  /** `heap.allocArray`, remembered for `free()`. */
  allocArray<K extends ElementKind>(kind: K, length: number): HeapArray<K> {
    const a = this.heap.allocArray(kind, length);
    this.arrays.push(a as HeapArray<ElementKind>);
    return a;
  }

  /** Free everything allocated through this scope (idempotent). */
  free(): void {
    for (const a of this.arrays) a.free();
    this.arrays.length = 0;
  }
}
