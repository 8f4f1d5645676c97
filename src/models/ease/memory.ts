/**
 * EASE's heap memory: B (n × n f32, row-major) over the n items it was fitted on and, when those are not
 * every item, the map from items to B's rows/columns (JS, for requests; heap, for the scoring kernel).
 * @module
 */
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray } from '../../runtime/heap.js';
import { ModelMemory } from '../../recommend/memory.js';
import type { ScoreSpace } from '../common/item-scoring.js';

export class EaseMemory extends ModelMemory {
  /** B's entry of each item (−1: not fitted on), when B covers only some items. */
  readonly entryOf: Int32Array | undefined;
  /** entryOf in the heap (easeScoreTopk's colMap). */
  readonly colMap: HeapArray<'i32'> | undefined;

  constructor(
    backend: Backend,
    readonly B: HeapArray<'f32'>,
    /** Items B covers (its rows and columns). */
    readonly n: number,
    /** The item of each of B's rows, ascending (undefined: B covers every item in order). */
    readonly items: Int32Array | undefined,
    readonly allItems: number,
    readonly users: number,
    /** The λ of the fit. */
    readonly lambda: number,
  ) {
    super(backend);
    if (items) {
      const entryOf = new Int32Array(allItems).fill(-1);
      items.forEach((item, e) => {
        entryOf[item] = e;
      });
      this.entryOf = entryOf;
      this.colMap = backend.heap.copyIn(entryOf.length > 0 ? entryOf : new Int32Array(1));
    }
  }

  get userCount(): number {
    return this.users;
  }
  get itemCount(): number {
    return this.allItems;
  }

  /** The entries of the model's score vector (B's columns). */
  get space(): ScoreSpace {
    return { size: this.n, items: this.items, entryOf: this.entryOf };
  }

  protected release(): void {
    this.B.free();
    this.colMap?.free();
  }

  protected releaseReplaced(next: ModelMemory): void {
    if (!(next instanceof EaseMemory && next.B === this.B)) this.B.free();
    if (!(next instanceof EaseMemory && next.colMap === this.colMap)) this.colMap?.free();
  }
}
