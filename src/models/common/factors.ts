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

/**
 * `block` (n × dim rows) with rows `ids` set to the rows of `out`, grown to `count` rows when ids are new
 * (rows in between are zero): what a partial fit serves from next.
 */
export function withRows(
  block: HeapArray<'f32'>,
  out: HeapArray<'f32'>,
  ids: Int32Array,
  count: number,
  dim: number,
): HeapArray<'f32'> {
  let grown = block;
  if (count > block.length / dim) {
    grown = block.heap.allocArray('f32', count * dim);
    grown.view.set(block.view);
  }
  const gv = grown.view;
  const ov = out.view;
  for (let j = 0; j < ids.length; j++) gv.set(ov.subarray(j * dim, j * dim + dim), ids[j] * dim);
  return grown;
}
