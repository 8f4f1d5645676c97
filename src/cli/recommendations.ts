/**
 * The recommendations the `recommend` command and the main job (`demo`) print: top-N for a user or a
 * folded-in new user, with the explanations of the models that have them (ImplicitALS, ItemKNN, EASE).
 * @module
 */
import { EASE, ImplicitALS, ItemKNN, type Id, type UserItems } from '../index.js';
import { type RecommenderBase } from '../advanced.js';
import { idOf } from './ids.js';
import { f32 } from './output.js';

/** One recommended item, with the liked items that explain it (ImplicitALS, ItemKNN, EASE). */
export interface RecommendedItem {
  rank: number;
  item: Id;
  score: number;
  because?: { item: Id; contribution: number }[];
}

/**
 * The recommendations shown by `recommend` and the main job: `user` is an index, or `liked` gives a new
 * user's item indices (fold-in: recommendForItems). Explanations come from the model's `explain` (top
 * `explainTop` liked items): ImplicitALS, ItemKNN (the neighbours that gave the score) and EASE.
 */
export function recommendationsFor(
  model: RecommenderBase,
  who: { user: number } | { liked: number[] },
  n: number,
  options: { explain?: boolean; includeSeen?: boolean; explainTop?: number } = {},
): RecommendedItem[] {
  const folded: UserItems | undefined = 'liked' in who ? { indices: who.liked } : undefined;
  const user = 'user' in who ? who.user : 0;
  const served = { n, filterAlreadyLiked: !options.includeSeen };
  const r = folded ? model.recommendForItems(folded, served) : model.recommend(user, served);
  return Array.from(r.items, (item, j) => {
    const rec: RecommendedItem = { rank: j + 1, item: idOf(model.itemIds, item), score: f32(r.scores[j]) };
    if (options.explain && (model instanceof ImplicitALS || model instanceof ItemKNN || model instanceof EASE)) {
      const e = model.explain(user, item, { userItems: folded, n: options.explainTop ?? 3 });
      rec.because = Array.from(e.contributions.items, (i, q) => ({
        item: idOf(model.itemIds, i),
        contribution: f32(e.contributions.scores[q]),
      }));
    }
    return rec;
  });
}

/** "because: 12 (+0.41), 7 (+0.20)" */
export function becauseText(rec: RecommendedItem): string {
  if (!rec.because) return '';
  return rec.because.map((b) => `${b.item} (${b.contribution >= 0 ? '+' : ''}${b.contribution.toFixed(3)})`).join(', ');
}
