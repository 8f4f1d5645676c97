/**
 * EASE's options: λ (given, or the data-derived default times a scale) and how many of the most popular
 * items to fit on, with their defaults and tune()'s search space.
 * @module
 */
import { ValidationError } from '../../errors.js';
import { OptionReader } from '../../options.js';
import type { SearchSpace } from '../../eval/search.js';

/** Hyperparameters of {@link EASE} (JSON-serialisable). */
export interface EASEOptions {
  /**
   * λ, the L2 penalty of B (on the scale of XᵀX: an item's squared norm; for 0/1 data, its popularity).
   * Default (`null`): the data-derived rule 1.5·Σd²/Σd, d = diag(XᵀX) over the items fitted on, times
   * `regularizationScale`.
   */
  regularization?: number | null;
  /**
   * A multiple of the default λ (what tune() searches: λ near the rule on any data). Default `1`; must
   * stay 1 when `regularization` is given.
   */
  regularizationScale?: number;
  /**
   * Fit on at most this many items, the most popular (most interactions); the others are never
   * recommended. Default (`null`): every item when B fits the heap and the fit costs at most 10¹²
   * multiply–adds, else the most popular items within both limits.
   */
  maxItems?: number | null;
}

/** {@link EASEOptions} with every default filled in (`null`: decided from the data when fitting). */
export interface ResolvedEASEOptions {
  regularization: number | null;
  regularizationScale: number;
  maxItems: number | null;
}

/** Check and complete EASE's options. */
export function resolveEaseOptions(options: EASEOptions | undefined): ResolvedEASEOptions {
  const r = new OptionReader('EASE', options, ['regularization', 'regularizationScale', 'maxItems']);
  const given = (name: string) => r.raw(name) !== undefined && r.raw(name) !== null;
  const scale = r.number('regularizationScale', 1, 0, true);
  if (given('regularization') && scale !== 1)
    throw new ValidationError(
      'EASE: pass regularization (λ itself) or regularizationScale (a multiple of the default λ), not both',
    );
  return {
    regularization: given('regularization') ? r.number('regularization', 0, 0) : null,
    regularizationScale: scale,
    maxItems: given('maxItems') ? r.int('maxItems', 1, 1) : null,
  };
}

/** tune()'s default search space for EASE (`EASE.tuneSpace`): λ from a tenth to ten times the default rule. */
export const EASE_TUNE_SPACE: SearchSpace = { regularizationScale: { min: 0.1, max: 10, log: true } };
