/**
 * The one owner of a fitted model's heap memory: whatever the model learned that lives in a backend's heap
 * (factor blocks, a similarity matrix, a weight matrix) plus everything derived from it there (serving
 * scratch, normalised copies, cached Gram matrices). `free()` releases all of it; a model holds exactly one
 * ModelMemory, so releasing a model — by `dispose()` or, when it is collected, by the FinalizationRegistry
 * in src/runtime/lifetime.ts — is freeing that. A ModelMemory never references its model (it is the
 * registry's held value). Each kind of model subclasses it (src/models/common/factors.ts for factor models).
 * @module
 */
import type { Backend } from '../runtime/backend.js';
import type { Releasable } from '../runtime/lifetime.js';

export type { Releasable } from '../runtime/lifetime.js';

export abstract class ModelMemory implements Releasable {
  private readonly derived = new Map<string, Releasable>();
  private freed = false;

  constructor(readonly backend: Backend) {}

  /** Users the model serves (rows of its user state, or of its training matrix for item–item models). */
  abstract get userCount(): number;
  /** Items the model serves. */
  abstract get itemCount(): number;

  /** Free the heap blocks this memory owns (not the derived ones: `free` does those). */
  protected abstract release(): void;
  /** Free the owned blocks that `next` does not keep (a partial fit keeps one side, say). */
  protected abstract releaseReplaced(next: ModelMemory): void;

  /** A heap-holding value derived from the model (or serving scratch), made on first use, freed with it. */
  derive<T extends Releasable>(key: string, make: () => T): T {
    let v = this.derived.get(key) as T | undefined;
    if (v === undefined) {
      v = make();
      this.derived.set(key, v);
    }
    return v;
  }

  /** The learned values changed in place: free everything derived from them. */
  invalidate(): void {
    for (const v of this.derived.values()) v.free();
    this.derived.clear();
  }

  /** This memory is replaced by `next` (a fit, a partial fit): free what was derived and what `next` does not keep. */
  replacedBy(next: ModelMemory): void {
    this.invalidate();
    this.freed = true;
    this.releaseReplaced(next);
  }

  /** Release the derived memory and the owned blocks (idempotent). */
  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.invalidate();
    this.release();
  }
}
