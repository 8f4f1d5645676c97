/**
 * ItemKNN's heap memory: the similarity matrix S (items × items CSR, f64 values: each item's neighbours in
 * index order) and the counts the model serves. Through ModelMemory, whatever serving derives from it is
 * freed with it.
 * @module
 */
import type { Backend } from '../../runtime/backend.js';
import { ModelMemory } from '../../recommend/memory.js';
import { freeSimilarity, type KnnSimilarity } from './similarity.js';

export class KnnMemory extends ModelMemory {
  constructor(
    backend: Backend,
    readonly S: KnnSimilarity,
    /** Users the model was fitted on (rows of its training matrix). */
    readonly users: number,
  ) {
    super(backend);
  }

  get userCount(): number {
    return this.users;
  }
  get itemCount(): number {
    return this.S.items;
  }

  protected release(): void {
    freeSimilarity(this.S);
  }

  protected releaseReplaced(next: ModelMemory): void {
    if (!(next instanceof KnnMemory && next.S === this.S)) freeSimilarity(this.S);
  }
}
