/**
 * `lowrank similar <model> --item <id>`: the items closest to an item by cosine of their factors.
 * @module
 */
import type { Ctx } from '../context.js';
import { idOf, indexOfId } from '../ids.js';
import { openModel } from '../open.js';
import { f32, num, table, toJson } from '../output.js';

/** Options of `lowrank similar`. */
export interface SimilarFlags {
  item: string;
  n: number;
}

/** Load the model file and print the items closest to `--item`. */
export async function similarCommand(modelPath: string, flags: SimilarFlags, ctx: Ctx): Promise<void> {
  const model = await openModel(modelPath, ctx);
  const item = indexOfId(model.itemIds, flags.item, 'item', model.itemCount);
  // The query item itself has cosine 1: leave it out.
  const r = model.similarItems(item, { n: flags.n, filterItems: [item] });
  const rows = Array.from(r.items, (i, j) => ({ rank: j + 1, item: idOf(model.itemIds, i), cosine: f32(r.scores[j]) }));
  // What the score is: the factors' cosine, ItemKNN's similarity, EASE's weight B[item, j].
  const head = model.modelType === 'ItemKNN' ? 'similarity' : model.modelType === 'EASE' ? 'weight' : 'cosine';
  if (ctx.json) ctx.io.out(toJson({ model: model.modelType, item: idOf(model.itemIds, item), similar: rows }));
  else
    ctx.io.out(
      table(
        ['>rank', '>item', `>${head}`],
        rows.map((x) => [x.rank, String(x.item), num(x.cosine)]),
      ),
    );
  model.dispose();
}
