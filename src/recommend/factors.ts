/**
 * The one owner of a model's heap memory: its two factor blocks (X: users × dim, Y: items × dim, row-major
 * f32, in one backend's heap) and everything derived from them that lives in the heap (serving scratch,
 * row-normalised copies, a model's cached Gram matrix). `free()` releases all of it; a model holds exactly
 * one Factors, so releasing a model — by `dispose()` or, when it is collected, by the FinalizationRegistry
 * in lifetime.ts — is freeing that. A Factors never references its model (it is the registry's held value).
 * Blocks borrowed from a fit in progress (`owned: false`) are left alone; only what was derived goes.
 * @module
 */
import type { Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';
import type { Releasable } from '../runtime/lifetime.js';

export type { Releasable } from '../runtime/lifetime.js';

export class Factors {
  private readonly derived = new Map<string, Releasable>();
  private freed = false;

  constructor(
    readonly backend: Backend,
    readonly X: HeapArray<'f32'>,
    readonly Y: HeapArray<'f32'>,
    /** Stored columns per row (factors, plus bias columns where the model has them). */
    readonly dim: number,
    /** Whether `free()` frees X and Y (false for blocks borrowed from a fit in progress). */
    readonly owned = true,
  ) {}

  get userCount(): number {
    return this.X.length / this.dim;
  }
  get itemCount(): number {
    return this.Y.length / this.dim;
  }

  /** A heap-holding value derived from the factors (or serving scratch), made on first use, freed with them. */
  derive<T extends Releasable>(key: string, make: () => T): T {
    let v = this.derived.get(key) as T | undefined;
    if (v === undefined) {
      v = make();
      this.derived.set(key, v);
    }
    return v;
  }

  /** The factor values changed in place: free everything derived from them. */
  invalidate(): void {
    for (const v of this.derived.values()) v.free();
    this.derived.clear();
  }

  /**
   * These factors are replaced by `next` (a fit, a partial fit that grew one side): free what was derived
   * and the owned blocks `next` does not keep.
   */
  replacedBy(next: Factors): void {
    this.invalidate();
    this.freed = true;
    if (!this.owned) return;
    if (this.X !== next.X) this.X.free();
    if (this.Y !== next.Y) this.Y.free();
  }

  /** Release the derived memory and, when owned, the factor blocks (idempotent). */
  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.invalidate();
    if (this.owned) {
      this.X.free();
      this.Y.free();
    }
  }
}
