/**
 * Serving types shared by every model: options and results of `recommend`, `recommendBatch`,
 * `similarItems`/`similarUsers`, and the `Recommender` interface every model implements (through
 * RecommenderBase).
 * @module
 */
import type { SparseMatrix } from '../data/csr.js';
import type { Id, IdMap } from '../data/idmap.js';

/** A user's interactions as parallel arrays (item indices, values; values default to 1). */
export interface UserItems {
  indices: ArrayLike<number>;
  values?: ArrayLike<number>;
}

/** Options of `recommend` and `recommendBatch`. */
export interface RecommendOptions {
  /** How many items to return (a positive integer). Default 10; more than there are candidates returns all. */
  n?: number;
  /**
   * Interactions to filter and fold in from instead of the training ones: a users × items matrix (columns =
   * the model's items) whose row `user` is used — in `recommendBatch`, each user's row. Used by
   * `filterAlreadyLiked` and `recalculateUser`. Default: the interactions the model was fitted on (kept across
   * save/load unless saved with `includeInteractions: false`).
   */
  interactions?: SparseMatrix;
  /**
   * One user's interactions `{ indices, values? }` (item indices; values default 1), used in place of the
   * user's row (`recommend` only). Passing a whole matrix here is deprecated: use `interactions`.
   */
  userItems?: UserItems | SparseMatrix;
  /**
   * Leave out the items in the user's interactions (`userItems`, else `interactions`, else the training
   * matrix). Default true.
   * When the model has neither (e.g. loaded from a file saved without interactions), nothing is filtered.
   */
  filterAlreadyLiked?: boolean;
  /** Item indices never to return (e.g. out of stock). */
  filterItems?: ArrayLike<number>;
  /** Candidate item indices: rank only these (duplicates ignored). Default: all items. */
  items?: ArrayLike<number>;
  /**
   * Score from the user's interactions (`userItems`, else `interactions`) instead of the model's stored user
   * state — for users who are new or whose history changed since fitting (factor models recompute the user's
   * factors: `recalculateUser`). The user index then only selects the row of `interactions` and need not be
   * a known user. `recommendForItems(userItems)` is this for one new user.
   */
  recalculateUser?: boolean;
}

/** Options of `recommendForItems`: those of `recommend` that apply to a new user. */
export type ForItemsOptions = Pick<RecommendOptions, 'n' | 'filterAlreadyLiked' | 'filterItems' | 'items'>;

/** Options of `similarItems`. */
export interface SimilarOptions {
  /** How many to return (a positive integer). Default 10; more than there are candidates returns all. */
  n?: number;
  /** Item indices never to return. The query itself is returned (cosine 1) unless filtered here. */
  filterItems?: ArrayLike<number>;
  /** Candidate item indices: rank only these. Default: all items. */
  items?: ArrayLike<number>;
}

/** Options of `similarUsers`. */
export interface SimilarUsersOptions {
  /** How many to return (a positive integer). Default 10; more than there are candidates returns all. */
  n?: number;
  /** User indices never to return. The query itself is returned (cosine 1) unless filtered here. */
  filterUsers?: ArrayLike<number>;
  /** Candidate user indices: rank only these. Default: all users. */
  users?: ArrayLike<number>;
  /** @deprecated Renamed `filterUsers` (it filtered users); warns once, goes in the next release. */
  filterItems?: ArrayLike<number>;
  /** @deprecated Renamed `users` (its candidates were users); warns once, goes in the next release. */
  items?: ArrayLike<number>;
}

/** Ranked result: indices and their scores, best first (ties: lower index first). */
export interface Recommendation {
  items: Int32Array;
  scores: Float32Array;
}

/**
 * Ranked results for several users, row-major `users × n`. A row with fewer than `n` candidates is padded
 * with item -1 and score -Infinity; `counts[r]` tells how many entries of row r are real.
 */
export interface BatchRecommendation {
  items: Int32Array;
  scores: Float32Array;
  /** Columns per row (the requested n, capped at the number of candidates). */
  n: number;
  /** Real (unpadded) entries per row. */
  counts: Int32Array;
}

/** Ranked result in original ids (for models fitted from `Interactions`). */
export interface IdRecommendation {
  ids: Id[];
  /** The same entries as indices. */
  items: Int32Array;
  scores: Float32Array;
}

/** Id-level options: `filterItems` / `items` take original item ids; unknown ids in `filterItems` are ignored. */
export interface IdRecommendOptions extends Omit<RecommendOptions, 'filterItems' | 'items'> {
  filterItems?: Iterable<Id>;
  items?: Iterable<Id>;
}

/** Id-level options of `similarItemsById`. */
export interface IdSimilarOptions extends Omit<SimilarOptions, 'filterItems' | 'items'> {
  filterItems?: Iterable<Id>;
  items?: Iterable<Id>;
}

/** Id-level options of `similarUsersById`: user ids (unknown ids in `filterUsers` are ignored). */
export interface IdSimilarUsersOptions
  extends Omit<SimilarUsersOptions, 'filterUsers' | 'users' | 'filterItems' | 'items'> {
  filterUsers?: Iterable<Id>;
  users?: Iterable<Id>;
}

/** Options of `recommendForItemsById`: `filterItems` / `items` take item ids. */
export type IdForItemsOptions = Pick<IdRecommendOptions, 'n' | 'filterAlreadyLiked' | 'filterItems' | 'items'>;

/** One user's items by original id, with a strength per item (values default 1). */
export interface IdUserItems {
  ids: Iterable<Id>;
  values?: ArrayLike<number>;
}

/** Options of `save`. */
export interface SaveOptions {
  /**
   * Store the training interactions so `filterAlreadyLiked` keeps working after `load`. Default true;
   * false makes files smaller (then pass `interactions` when recommending).
   */
  includeInteractions?: boolean;
}

/** What every fitted model serves. */
export interface Recommender {
  /** Class name written into saved models ('ImplicitALS', 'ALS', 'PureSVD'). */
  readonly modelType: string;
  /** Whether factors exist (after `fit` or `load`). */
  readonly isFitted: boolean;
  /** Users the model serves (rows of its user factors, for factor models). */
  readonly userCount: number;
  /** Items the model serves. */
  readonly itemCount: number;
  /** Original user ids when fitted from `Interactions` (else undefined: indices are the ids). */
  userIds: IdMap | undefined;
  /** Original item ids when fitted from `Interactions`. */
  itemIds: IdMap | undefined;
  /** Top-n items for user index `user`, best first (ties to the lower index), liked items filtered by default. */
  recommend(user: number, options?: RecommendOptions): Recommendation;
  /** `recommend` for many users in one kernel call; row r of the result belongs to `users[r]`. */
  recommendBatch(users: ArrayLike<number>, options?: RecommendOptions): BatchRecommendation;
  /** Top-n items for a new user with the items `userItems` (indices), folded in without a refit. */
  recommendForItems(userItems: UserItems, options?: ForItemsOptions): Recommendation;
  /** Items most similar to item index `item` (factor models: cosine of item factors; the item itself first, as in implicit). */
  similarItems(item: number, options?: SimilarOptions): Recommendation;
  /** Users most similar to user index `user` (factor models: cosine of user factors); a NotSupportedError where a model has no user similarity. */
  similarUsers(user: number, options?: SimilarUsersOptions): Recommendation;
  /** `recommend` by original user id, returning original item ids. */
  recommendById(userId: Id, options?: IdRecommendOptions): IdRecommendation;
  /** `recommendBatch` by original user ids: one result per user id. */
  recommendBatchById(userIds: Iterable<Id>, options?: IdRecommendOptions): IdRecommendation[];
  /** `recommendForItems` by original item ids. */
  recommendForItemsById(itemIds: Iterable<Id> | IdUserItems, options?: IdForItemsOptions): IdRecommendation;
  /** `similarItems` by original item id, returning original item ids. */
  similarItemsById(itemId: Id, options?: IdSimilarOptions): IdRecommendation;
  /** `similarUsers` by original user id, returning original user ids. */
  similarUsersById(userId: Id, options?: IdSimilarUsersOptions): IdRecommendation;
  /** The model as bytes (lowrank's .lrk format: magic, version, JSON header, f32 arrays, CRC-32). */
  save(options?: SaveOptions): Uint8Array;
  /** Node: write `save()` to `path` atomically (temp file, fsync, rename). */
  saveFile(path: string, options?: SaveOptions): Promise<void>;
  /** Free the model's heap memory now (otherwise freed when it is collected); using it afterwards throws a DisposedError. */
  dispose(): void;
}
