/**
 * `lowrank recommend <model>`: top-N items for a known user (`--user`), or for a new user folded in from
 * items they liked (`--liked`), optionally with ImplicitALS explanations.
 * @module
 */
import { EASE, ImplicitALS, ItemKNN, ValidationError } from '../../index.js';
import type { Ctx } from '../context.js';
import { idOf, indexOfId, strictList } from '../ids.js';
import { becauseText, recommendationsFor } from '../recommendations.js';
import { openModel } from '../open.js';
import { num, table, toJson } from '../output.js';

/** Options of `lowrank recommend`. */
export interface RecommendFlags {
  user?: string;
  liked?: string;
  n: number;
  explain?: boolean;
  includeSeen?: boolean;
}

/** Load the model file and print the top-N for `--user` or the `--liked` fold-in. */
export async function recommendCommand(modelPath: string, flags: RecommendFlags, ctx: Ctx): Promise<void> {
  if ((flags.user === undefined) === (flags.liked === undefined)) {
    throw new ValidationError(
      "give either --user <id> (a user of the model) or --liked <ids> (a new user's items, comma-separated)",
    );
  }
  if (flags.liked !== undefined) strictList(flags.liked, '--liked'); // before the model is read
  const model = await openModel(modelPath, ctx);
  if (flags.explain && !(model instanceof ImplicitALS || model instanceof ItemKNN || model instanceof EASE)) {
    throw new ValidationError(
      `--explain needs an implicit-als, item-knn or ease model; ${modelPath} is ${model.modelType}`,
    );
  }
  let who: { user: number } | { liked: number[] };
  if (flags.user !== undefined) who = { user: indexOfId(model.userIds, flags.user, 'user', model.userCount) };
  else {
    const liked = strictList(flags.liked!, '--liked').map((s) => indexOfId(model.itemIds, s, 'item', model.itemCount));
    const twice = liked.find((i, k) => liked.indexOf(i) !== k);
    if (twice !== undefined)
      throw new ValidationError(`--liked lists item ${JSON.stringify(idOf(model.itemIds, twice))} twice`);
    who = { liked };
  }
  const recs = recommendationsFor(model, who, flags.n, { explain: flags.explain, includeSeen: flags.includeSeen });
  if (ctx.json) {
    // Ids as the model holds them (numbers stay numbers), whatever the command line spelled.
    const user = 'user' in who ? idOf(model.userIds, who.user) : null;
    const liked = 'liked' in who ? who.liked.map((i) => idOf(model.itemIds, i)) : null;
    ctx.io.out(toJson({ model: model.modelType, user, liked, recommendations: recs }));
  } else {
    const heads = ['>rank', '>item', '>score', ...(flags.explain ? ['because you liked (contribution)'] : [])];
    ctx.io.out(
      table(
        heads,
        recs.map((r) => [r.rank, String(r.item), num(r.score), ...(flags.explain ? [becauseText(r)] : [])]),
      ),
    );
  }
  model.dispose();
}
