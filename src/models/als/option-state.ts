/**
 * ImplicitALS's options across fits: the options as given (`'auto'` where a fit derives the value from the
 * data), the values of the current or last fit, and which of them `options` shows.
 * @module
 */
import type { SparseMatrix } from '../../data/csr.js';
import { fittedOptions } from './defaults.js';
import {
  fillAuto,
  hasAuto,
  LEGACY_IMPLICIT_OPTIONS,
  resolveImplicitOptions,
  type FittedImplicitALSOptions,
  type ImplicitALSOptions,
  type ResolvedImplicitALSOptions,
} from './options.js';

export class ImplicitOptionState {
  /** The options as given, defaults filled in (`'auto'` where a fit derives the value from the data). */
  private requested: ResolvedImplicitALSOptions;
  /** The options of the current (or running) fit: `requested` with the data-derived values. */
  fitted: FittedImplicitALSOptions;
  /** Whether `fitted` holds values for data (after a fit or a load); before, `shown` has `'auto'`. */
  private resolved: boolean;
  /** The option keys given to the constructor (a saved model lists them all; an older file fewer). */
  readonly givenKeys: readonly string[];

  constructor(options: ImplicitALSOptions) {
    this.requested = resolveImplicitOptions(options);
    this.resolved = !hasAuto(this.requested);
    // Until a fit derives them, the 'auto' settings hold placeholders nothing reads (everything that
    // uses the options needs a fitted model).
    this.fitted = fillAuto(this.requested, { factors: 1, regularization: 0, alpha: 0 });
    this.givenKeys = options !== null && typeof options === 'object' ? Object.keys(options) : [];
  }

  /** What `options` shows: the fitted values once there are some, else the options as given. */
  get shown(): ResolvedImplicitALSOptions {
    return this.resolved ? { ...this.fitted } : { ...this.requested };
  }

  /** The options a fit on `m` would use. */
  forData(m: SparseMatrix): FittedImplicitALSOptions {
    return fittedOptions(this.requested, m);
  }

  /** Runs a fit on `m` with its options in `fitted`; a failed fit leaves the options as they were. */
  async during(m: SparseMatrix, fit: () => Promise<void>): Promise<void> {
    const before = { fitted: this.fitted, resolved: this.resolved };
    this.fitted = fittedOptions(this.requested, m);
    try {
      await fit();
      this.resolved = true;
    } catch (e) {
      ({ fitted: this.fitted, resolved: this.resolved } = before);
      throw e;
    }
  }

  /**
   * A loaded model: a file written before `scaleConfidence` and `frequencyScaling` existed (or a model
   * imported from another tool) lists fewer options; the missing ones take lowrank 0.1's values
   * (LEGACY_IMPLICIT_OPTIONS), which reproduce how it was fitted.
   */
  loaded(): void {
    if (this.givenKeys.includes('scaleConfidence') && this.givenKeys.includes('frequencyScaling')) return;
    const given = Object.fromEntries(
      this.givenKeys.map((key) => [key, this.fitted[key as keyof FittedImplicitALSOptions]]),
    );
    this.requested = resolveImplicitOptions({ ...LEGACY_IMPLICIT_OPTIONS, ...given });
    this.fitted = fillAuto(this.requested, this.fitted);
  }
}
