/**
 * The validation side of one iterative fit (`fit(train, { validation })`): when to evaluate, early
 * stopping, and the best factors so far. The metric itself comes from src/eval (the same code as `rankingMetrics`
 * and `rmse`), measured on a probe model that serves the in-progress factors.
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';
import {
  EarlyStopping,
  makeValidator,
  type ValidationResult,
  type ValidationSpec,
  type Validator,
} from '../../eval/validation.js';
import type { HeapArray } from '../../runtime/heap.js';

export class FitValidation {
  /** Call on a model serving the current factors. */
  readonly measure: Validator;
  private readonly stopper: EarlyStopping | undefined;
  private best: { X: Float32Array; Y: Float32Array } | undefined;

  /** Checks the spec up front, so a bad one fails before any training. */
  constructor(
    spec: ValidationSpec,
    train: SparseMatrix,
    private readonly iterations: number,
  ) {
    this.measure = makeValidator(spec, train);
    this.stopper =
      this.measure.patience !== undefined
        ? new EarlyStopping(this.measure.higherIsBetter, this.measure.patience)
        : undefined;
  }

  /**
   * After iteration `it` (0-based): when due (every `every`-th, and always the last), take a measurement
   * with `measure` (which serves the in-progress X, Y), snapshot the factors if it is the best so far, and
   * say whether early stopping ends the fit.
   */
  check(
    it: number,
    X: HeapArray<'f32'>,
    Y: HeapArray<'f32'>,
    measure: () => ValidationResult,
  ): { validation?: ValidationResult; stop: boolean } {
    if ((it + 1) % this.measure.every !== 0 && it !== this.iterations - 1) return { stop: false };
    const validation = measure();
    if (!this.stopper) return { validation, stop: false };
    const { improved, stop } = this.stopper.update(it, validation.value);
    if (improved) this.best = { X: X.toArray(), Y: Y.toArray() };
    return { validation, stop };
  }

  /** With early stopping, put the best evaluation's factors back (no-op otherwise). */
  restoreBest(X: HeapArray<'f32'>, Y: HeapArray<'f32'>): void {
    if (!this.best) return;
    X.view.set(this.best.X);
    Y.view.set(this.best.Y);
  }
}
