/**
 * The recommender contract shared by ImplicitALS, ALS and PureSVD: a model is two factor blocks in a
 * backend's heap, X (users × dim) and Y (items × dim), and the score of (user, item) is X_u · Y_i.
 * Models whose prediction has bias terms store them as extra columns so the dot product stays the score.
 *
 * Fitting lives in each model's file; everything that only needs X and Y (top-N, batches, similar items,
 * persistence) lives here and beside it in src/recommend/.
 */
import { NotFittedError } from '../errors.js';
import type { Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';
import type { SparseMatrix } from '../data/csr.js';
import type { IdMap } from '../data/idmap.js';

/** A user's interactions as parallel arrays (item indices ascending, values). */
export interface UserItems {
  indices: ArrayLike<number>;
  values?: ArrayLike<number>;
}

export abstract class FactorModel {
  /** The backend whose heap holds the factors. */
  protected backend: Backend | undefined;
  /** users × dim, row-major f32. */
  protected X: HeapArray<'f32'> | undefined;
  /** items × dim, row-major f32. */
  protected Y: HeapArray<'f32'> | undefined;
  /** Stored columns per row (factors, plus bias columns where the model has them). */
  protected dim = 0;
  /** The matrix the model was fitted on (rows = users); `recommend` filters its items by default. */
  protected trainMatrix: SparseMatrix | undefined;
  /** Original ids when fitted from `Interactions`. */
  userIds: IdMap | undefined;
  itemIds: IdMap | undefined;

  /** Class name written into saved models. */
  abstract readonly modelType: string;

  get isFitted(): boolean {
    return this.X !== undefined && this.Y !== undefined;
  }

  get userCount(): number {
    return this.X ? this.X.length / this.dim : 0;
  }
  get itemCount(): number {
    return this.Y ? this.Y.length / this.dim : 0;
  }

  protected requireFitted(what: string): { backend: Backend; X: HeapArray<'f32'>; Y: HeapArray<'f32'> } {
    if (!this.backend || !this.X || !this.Y) {
      throw new NotFittedError(`${this.modelType}.${what}: the model is not fitted; call fit() or load() first`);
    }
    return { backend: this.backend, X: this.X, Y: this.Y };
  }

  /** Replace the factor blocks (freeing the old ones). */
  protected setFactors(backend: Backend, X: HeapArray<'f32'>, Y: HeapArray<'f32'>, dim: number): void {
    if (this.X && this.X !== X && !this.X.isFreed) this.X.free();
    if (this.Y && this.Y !== Y && !this.Y.isFreed) this.Y.free();
    this.backend = backend;
    this.X = X;
    this.Y = Y;
    this.dim = dim;
  }

  /** Release the heap memory held by the factors; the model becomes unfitted. */
  dispose(): void {
    this.X?.free();
    this.Y?.free();
    this.X = this.Y = undefined;
  }
}
