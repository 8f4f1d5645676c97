/**
 * Heap memory that frees itself. Every object holding heap blocks (a model's Factors, a matrix's heap
 * copies) hands a `Releasable` to `freeWhenCollected(owner, held)`: when the owner is garbage-collected,
 * `held.free()` runs. `dispose()` frees deterministically and calls `forget(held)` so nothing runs twice.
 *
 * The held value must not reach its owner (a FinalizationRegistry keeps held values alive, so a path back
 * would keep the owner alive forever): it may reference heap blocks, backends and other held values, never
 * the model or matrix it belongs to. Frees are idempotent, so a late callback after `dispose()` is harmless.
 * @module
 */
import { DisposedError } from '../errors.js';

/** Something holding heap memory. `free()` must be idempotent. */
export interface Releasable {
  free(): void;
}

const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<Releasable>((held) => {
        try {
          held.free();
        } catch {
          // A finalizer must never throw into the event loop; a block already gone is already free.
        }
      })
    : undefined;

/** Free `held` when `owner` is garbage-collected (until `forget(held)`). `held` must not reference `owner`. */
export function freeWhenCollected(owner: object, held: Releasable): void {
  registry?.register(owner, held, held);
}

/** Cancel `freeWhenCollected` for `held` (its owner freed it already, or handed it on). */
export function forget(held: Releasable): void {
  registry?.unregister(held);
}

/** The error for using `what` after its memory was released: what happened and what to do. */
export function disposedError(what: string, noun: string, remedy: string): DisposedError {
  return new DisposedError(
    `${what}: this ${noun} was disposed (dispose() or a \`using\` block released its memory); ${remedy}`,
  );
}
