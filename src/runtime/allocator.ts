/**
 * A first-fit free-list allocator over a byte range [base, ∞) of linear memory. It only does the
 * bookkeeping (which ranges are free); the Heap asks its storage to grow when `top` passes the end.
 *
 * Allocations here are few and large (matrices, factor blocks, scratch per call), so a sorted free
 * list with coalescing is simpler and good enough; nothing allocates inside a kernel loop.
 */
export const ALIGN = 16;

export function alignUp(n: number, a = ALIGN): number {
  return Math.ceil(n / a) * a;
}

export class FreeListAllocator {
  /** Allocated blocks: start → size (bytes, aligned). */
  private readonly used = new Map<number, number>();
  /** Free blocks below `top`, sorted by start, never adjacent (coalesced). */
  private freeStarts: number[] = [];
  private freeSizes: number[] = [];
  /** The reservation of `reserveBelow` while held: its limit and the blocks it holds. */
  private reserved: { end: number; blocks: number[] } | undefined;
  /** One past the highest byte ever handed out and still reserved. */
  top: number;
  /** Sum of sizes of allocated blocks. */
  inUse = 0;

  constructor(readonly base: number) {
    this.top = alignUp(base);
  }

  /** Reserve `bytes` (rounded up to 16); returns the start. The caller must ensure `top` fits its storage. */
  alloc(bytes: number): number {
    const size = alignUp(Math.max(bytes, 1));
    for (let j = 0; j < this.freeStarts.length; j++) {
      if (this.freeSizes[j] >= size) {
        const start = this.freeStarts[j];
        if (this.freeSizes[j] === size) {
          this.freeStarts.splice(j, 1);
          this.freeSizes.splice(j, 1);
        } else {
          this.freeStarts[j] += size;
          this.freeSizes[j] -= size;
        }
        this.used.set(start, size);
        this.inUse += size;
        return start;
      }
    }
    const start = this.top;
    this.top += size;
    this.used.set(start, size);
    this.inUse += size;
    return start;
  }

  /** The end address an `alloc(bytes)` would need, without reserving (to grow storage first). */
  endIfAllocated(bytes: number): number {
    const size = alignUp(Math.max(bytes, 1));
    for (let j = 0; j < this.freeSizes.length; j++) if (this.freeSizes[j] >= size) return this.top;
    return this.top + size;
  }

  sizeOf(ptr: number): number | undefined {
    return this.used.get(ptr);
  }

  free(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) throw new Error(`lowrank heap: free of unknown or already freed pointer ${ptr}`);
    if (this.reserved && ptr < this.reserved.end) {
      this.reserved.blocks.push(ptr); // stays taken until the reservation is released
      return;
    }
    this.used.delete(ptr);
    this.inUse -= size;
    // Insert sorted, then coalesce with neighbours.
    let lo = 0;
    let hi = this.freeStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.freeStarts[mid] < ptr) lo = mid + 1;
      else hi = mid;
    }
    this.freeStarts.splice(lo, 0, ptr);
    this.freeSizes.splice(lo, 0, size);
    if (lo + 1 < this.freeStarts.length && this.freeStarts[lo] + this.freeSizes[lo] === this.freeStarts[lo + 1]) {
      this.freeSizes[lo] += this.freeSizes[lo + 1];
      this.freeStarts.splice(lo + 1, 1);
      this.freeSizes.splice(lo + 1, 1);
    }
    if (lo > 0 && this.freeStarts[lo - 1] + this.freeSizes[lo - 1] === this.freeStarts[lo]) {
      this.freeSizes[lo - 1] += this.freeSizes[lo];
      this.freeStarts.splice(lo, 1);
      this.freeSizes.splice(lo, 1);
      lo--;
    }
    // A free block touching the top is given back to the bump region.
    const last = this.freeStarts.length - 1;
    if (last >= 0 && this.freeStarts[last] + this.freeSizes[last] === this.top) {
      this.top = this.freeStarts[last];
      this.freeStarts.pop();
      this.freeSizes.pop();
    }
  }

  /**
   * Take every free byte below `limit` (free blocks, and the bump region up to `limit`) as allocated
   * blocks, so later allocations land at or above it, until `releaseReservation`. A block below the limit
   * freed meanwhile (e.g. by a finalizer) joins the reservation instead of the free list, so nothing is
   * handed out below the limit however the frees interleave. The caller must ensure `limit` fits its
   * storage; one reservation at a time.
   */
  reserveBelow(limit: number): void {
    if (this.reserved) throw new Error('lowrank heap: a reservation is already held');
    const end = alignUp(limit);
    const taken: number[] = [];
    for (let j = this.freeStarts.length - 1; j >= 0; j--) {
      if (this.freeStarts[j] >= end) continue;
      this.used.set(this.freeStarts[j], this.freeSizes[j]);
      this.inUse += this.freeSizes[j];
      taken.push(this.freeStarts[j]);
      this.freeStarts.splice(j, 1);
      this.freeSizes.splice(j, 1);
    }
    if (this.top < end) {
      this.used.set(this.top, end - this.top);
      this.inUse += end - this.top;
      taken.push(this.top);
      this.top = end;
    }
    this.reserved = { end, blocks: taken };
  }

  /** Free the reserved blocks, and those freed below the limit while it was held. */
  releaseReservation(): void {
    const r = this.reserved;
    this.reserved = undefined;
    for (const p of r?.blocks ?? []) this.free(p);
  }

  get liveBlocks(): number {
    return this.used.size;
  }
}
