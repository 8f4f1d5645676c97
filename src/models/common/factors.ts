/**
 * A factor model's heap memory: its two factor blocks (X: users × dim, Y: items × dim, row-major f32, in one
 * backend's heap) and, through ModelMemory, everything derived from them (serving scratch, row-normalised
 * copies, a model's cached Gram matrix). Blocks borrowed from a fit in progress (`owned: false`) are left
 * alone; only what was derived goes.
 * @module
 */
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import { ModelMemory } from '../../recommend/memory.js';

export class Factors extends ModelMemory {
  constructor(
    backend: Backend,
    readonly X: HeapArray<'f32'>,
    readonly Y: HeapArray<'f32'>,
    /** Stored columns per row (factors, plus bias columns where the model has them). */
    readonly dim: number,
    /** Whether `free()` frees X and Y (false for blocks borrowed from a fit in progress). */
    readonly owned = true,
  ) {
    super(backend);
  }

  get userCount(): number {
    return this.X.length / this.dim;
  }
  get itemCount(): number {
    return this.Y.length / this.dim;
  }

  protected release(): void {
    if (!this.owned) return;
    this.X.free();
    this.Y.free();
  }

  protected releaseReplaced(next: ModelMemory): void {
    if (!this.owned) return;
    const kept = next instanceof Factors ? [next.X, next.Y] : [];
    if (!kept.includes(this.X)) this.X.free();
    if (!kept.includes(this.Y)) this.Y.free();
  }
}
