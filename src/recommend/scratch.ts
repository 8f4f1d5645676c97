/**
 * Per-model reusable heap buffers for serving, so a `recommend` call does not allocate in the steady
 * state. Buffers only grow; `get` may allocate (and so grow memory), hence callers take every buffer
 * first and only then read `.view`s.
 */
import type { ElementKind, Heap, HeapArray } from '../runtime/heap.js';
import type { ModelMemory } from './memory.js';

export class Scratch {
  private readonly bufs = new Map<string, HeapArray<ElementKind>>();
  constructor(readonly heap: Heap) {}

  /** A buffer of at least `length` elements named `name` (contents unspecified). */
  get<K extends ElementKind>(name: string, kind: K, length: number): HeapArray<K> {
    const have = this.bufs.get(name) as HeapArray<K> | undefined;
    if (have && have.kind === kind && have.length >= length && !have.isFreed) return have;
    // Grow by half again so alternating sizes do not reallocate every call.
    const size = Math.max(length, have && have.kind === kind ? Math.ceil(have.length * 1.5) : 0, 1);
    have?.free();
    this.bufs.delete(name);
    const a = this.heap.allocArray(kind, size);
    this.bufs.set(name, a);
    return a;
  }

  /** Bytes held. */
  get byteLength(): number {
    let n = 0;
    for (const a of this.bufs.values()) n += a.byteLength;
    return n;
  }

  free(): void {
    for (const a of this.bufs.values()) a.free();
    this.bufs.clear();
  }
}

/** A model's reusable serving buffers (kept with its memory, freed with it). */
export function scratchOf(m: ModelMemory): Scratch {
  return m.derive('scratch', () => new Scratch(m.backend.heap));
}
