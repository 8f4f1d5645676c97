/**
 * Ids at the edges of serving: the by-id twins of the index-based calls, for models fitted from
 * `Interactions` (or loaded with their id maps). Each maps the ids it is given to indices, calls the
 * index-based method, and returns the result with the original ids alongside. RecommenderBase extends
 * this class and implements the index-based methods.
 * @module
 */
import { ValidationError } from '../errors.js';
import { deprecated } from '../deprecation.js';
import type { Id, IdMap } from '../data/idmap.js';
import { itemIndexOptions, withIds } from './ids.js';
import { checkOptions, RECOMMEND_KEYS, SIMILAR_KEYS } from './requests.js';
import type {
  IdRecommendation,
  IdRecommendOptions,
  IdSimilarOptions,
  Recommendation,
  RecommendOptions,
  SimilarOptions,
} from './types.js';

export abstract class IdServing {
  /** Original user ids when fitted from `Interactions` (else undefined: indices are the ids). */
  userIds: IdMap | undefined;
  /** Original item ids when fitted from `Interactions`. */
  itemIds: IdMap | undefined;

  /** Class name written into saved models (the name passed to `registerModel`). */
  abstract readonly modelType: string;
  abstract recommend(user: number, options?: RecommendOptions): Recommendation;
  abstract similarItems(item: number, options?: SimilarOptions): Recommendation;
  /** Throws NotFittedError / DisposedError naming `what` unless the model can serve. */
  protected abstract checkServing(what: string): void;

  /** `recommend` by original ids (models fitted from `Interactions`). */
  recommendById(userId: Id, options: IdRecommendOptions = {}): IdRecommendation {
    const where = `${this.modelType}.recommendById`;
    const { users, items } = this.requireIds(where);
    checkOptions(options, where, RECOMMEND_KEYS);
    return withIds(
      items,
      this.recommend(users.index(userId, 'user id'), { ...options, ...itemIndexOptions(items, options, where) }),
    );
  }

  /** @deprecated Renamed `recommendById` (same arguments); the old name warns once and goes in the next release. */
  recommendFor(userId: Id, options: IdRecommendOptions = {}): IdRecommendation {
    deprecated(`${this.modelType}.recommendFor`, 'recommendById');
    return this.recommendById(userId, options);
  }

  /** `similarItems` by original ids (models fitted from `Interactions`). */
  similarItemsById(itemId: Id, options: IdSimilarOptions = {}): IdRecommendation {
    const where = `${this.modelType}.similarItemsById`;
    const { items } = this.requireIds(where);
    checkOptions(options, where, SIMILAR_KEYS);
    return withIds(
      items,
      this.similarItems(items.index(itemId, 'item id'), { ...options, ...itemIndexOptions(items, options, where) }),
    );
  }

  /** @deprecated Renamed `similarItemsById` (same arguments); the old name warns once and goes in the next release. */
  similarTo(itemId: Id, options: IdSimilarOptions = {}): IdRecommendation {
    deprecated(`${this.modelType}.similarTo`, 'similarItemsById');
    return this.similarItemsById(itemId, options);
  }

  private requireIds(where: string): { users: IdMap; items: IdMap } {
    this.checkServing(where.slice(where.indexOf('.') + 1));
    if (!this.userIds || !this.itemIds) {
      throw new ValidationError(
        `${where}: the model has no id maps (it was not fitted from Interactions); use the index-based methods`,
      );
    }
    return { users: this.userIds, items: this.itemIds };
  }
}
