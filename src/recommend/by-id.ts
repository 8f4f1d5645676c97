/**
 * Ids at the edges of serving: the by-id twins of the index-based calls (`…ById`), for models fitted from
 * `Interactions` (or loaded with their id maps). Each maps the ids it is given to indices — an unknown id is
 * an error naming it — calls the index-based method, and returns the result with the original ids
 * alongside. RecommenderBase extends this class and implements the index-based methods.
 * @module
 */
import { ValidationError } from '../errors.js';
import { deprecated } from '../deprecation.js';
import type { Id, IdMap } from '../data/idmap.js';
import { foldInIds, indexOfId, itemIndexOptions, splitRows, userIndexOptions, withIds } from './ids.js';
import { checkOptions, FOR_ITEMS_KEYS, RECOMMEND_KEYS, SIMILAR_KEYS, SIMILAR_USERS_KEYS } from './requests.js';
import type {
  BatchRecommendation,
  ForItemsOptions,
  IdForItemsOptions,
  IdRecommendation,
  IdRecommendOptions,
  IdSimilarOptions,
  IdSimilarUsersOptions,
  IdUserItems,
  Recommendation,
  RecommendOptions,
  SimilarOptions,
  SimilarUsersOptions,
  UserItems,
} from './types.js';

export abstract class IdServing {
  /** Original user ids when fitted from `Interactions` (else undefined: indices are the ids). */
  userIds: IdMap | undefined;
  /** Original item ids when fitted from `Interactions`. */
  itemIds: IdMap | undefined;

  /** Class name written into saved models (the name passed to `registerModel`). */
  abstract readonly modelType: string;
  abstract recommend(user: number, options?: RecommendOptions): Recommendation;
  abstract recommendBatch(users: ArrayLike<number>, options?: RecommendOptions): BatchRecommendation;
  abstract recommendForItems(userItems: UserItems, options?: ForItemsOptions): Recommendation;
  abstract similarItems(item: number, options?: SimilarOptions): Recommendation;
  abstract similarUsers(user: number, options?: SimilarUsersOptions): Recommendation;
  /** Throws NotFittedError / DisposedError naming `what` unless the model can serve. */
  protected abstract checkServing(what: string): void;

  /** `recommend` by original ids: the user's id in, item ids out (models fitted from `Interactions`). */
  recommendById(userId: Id, options: IdRecommendOptions = {}): IdRecommendation {
    const where = `${this.modelType}.recommendById`;
    const { users, items } = this.requireIds(where);
    checkOptions(options, where, RECOMMEND_KEYS);
    const user = indexOfId(users, userId, 'user', where);
    return withIds(items, this.recommend(user, { ...options, ...itemIndexOptions(items, options, where) }));
  }

  /**
   * `recommendBatch` by original ids: one result per user id, in order (a list of what `recommendById`
   * returns, computed in one batch).
   */
  recommendBatchById(userIds: Iterable<Id>, options: IdRecommendOptions = {}): IdRecommendation[] {
    const where = `${this.modelType}.recommendBatchById`;
    const { users, items } = this.requireIds(where);
    checkOptions(options, where, RECOMMEND_KEYS);
    const rows = userIndexOptions(users, { users: userIds }, where).users;
    if (rows === undefined) throw new ValidationError(`${where}: userIds must be an iterable of user ids`);
    const batch = this.recommendBatch(rows, { ...options, ...itemIndexOptions(items, options, where) });
    return splitRows(batch).map((r) => withIds(items, r));
  }

  /**
   * `recommendForItems` by original ids: recommendations for a new user given the ids of the items they
   * interacted with (`[id, …]`, or `{ ids, values }` with a strength per item) — the library's `--liked`.
   * The user's factors are solved from those items (fold-in, no refit); an unknown item id is an error.
   */
  recommendForItemsById(itemIds: Iterable<Id> | IdUserItems, options: IdForItemsOptions = {}): IdRecommendation {
    const where = `${this.modelType}.recommendForItemsById`;
    const { items } = this.requireIds(where);
    checkOptions(options, where, FOR_ITEMS_KEYS);
    const userItems = foldInIds(items, itemIds, where);
    return withIds(
      items,
      this.recommendForItems(userItems, { ...options, ...itemIndexOptions(items, options, where) }),
    );
  }

  /** `similarItems` by original ids: an item id in, item ids out. */
  similarItemsById(itemId: Id, options: IdSimilarOptions = {}): IdRecommendation {
    const where = `${this.modelType}.similarItemsById`;
    const { items } = this.requireIds(where);
    checkOptions(options, where, SIMILAR_KEYS);
    const item = indexOfId(items, itemId, 'item', where);
    return withIds(items, this.similarItems(item, { ...options, ...itemIndexOptions(items, options, where) }));
  }

  /** `similarUsers` by original ids: a user id in, user ids out (`filterUsers` / `users` take user ids). */
  similarUsersById(userId: Id, options: IdSimilarUsersOptions = {}): IdRecommendation {
    const where = `${this.modelType}.similarUsersById`;
    const { users } = this.requireIds(where);
    checkOptions(options, where, SIMILAR_USERS_KEYS.slice(0, 3));
    const user = indexOfId(users, userId, 'user', where);
    return withIds(users, this.similarUsers(user, { ...options, ...userIndexOptions(users, options, where) }));
  }

  /** @deprecated Renamed `recommendById` (same arguments); the old name warns once and goes in the next release. */
  recommendFor(userId: Id, options: IdRecommendOptions = {}): IdRecommendation {
    deprecated(`${this.modelType}.recommendFor`, 'recommendById');
    return this.recommendById(userId, options);
  }

  /** @deprecated Renamed `similarItemsById` (same arguments); the old name warns once and goes in the next release. */
  similarTo(itemId: Id, options: IdSimilarOptions = {}): IdRecommendation {
    deprecated(`${this.modelType}.similarTo`, 'similarItemsById');
    return this.similarItemsById(itemId, options);
  }

  /** The model's id maps, or an error saying that `where` needs them. */
  protected requireIds(where: string): { users: IdMap; items: IdMap } {
    this.checkServing(where.slice(where.indexOf('.') + 1));
    if (!this.userIds || !this.itemIds) {
      throw new ValidationError(
        `${where}: the model has no id maps (it was not fitted from Interactions); use the index-based methods`,
      );
    }
    return { users: this.userIds, items: this.itemIds };
  }
}
