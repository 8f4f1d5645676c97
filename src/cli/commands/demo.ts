/**
 * `lowrank demo [file]` — the main job behind `npm start`: on the built-in synthetic data (or a ratings
 * file) fit implicit ALS, explicit ALS and PureSVD on one seeded split, then print the held-out metric
 * table, the top singular values, and sample recommendations with their explanations, fold-in and
 * similar items.
 * @module
 */
import { ALS, ImplicitALS, PureSVD, type Id } from '../../index.js';
import { secs, start, type Ctx } from '../context.js';
import { describeData, loadInteractions, type InputFlags } from '../data.js';
import { evaluateModel, metricTable, RANKING_NOTE, split, type EvalRow } from '../evaluation.js';
import { idOf } from '../ids.js';
import { f32, num, spectrumBars, table, toJson } from '../output.js';
import { becauseText, recommendationsFor, type RecommendedItem } from '../recommendations.js';

/** Options of `lowrank demo`. */
export interface DemoFlags extends InputFlags {
  seed: number;
  /** Sample users shown. */
  users: number;
}

const K = 10;

/** The main job: see the module comment. */
export async function demoCommand(file: string | undefined, flags: DemoFlags, ctx: Ctx): Promise<void> {
  const t0 = performance.now();
  const source = file ?? 'synthetic';
  const say = (t: string): void => {
    if (!ctx.json) ctx.io.out(t);
  };
  const backend = await start(ctx);
  say(`lowrank main job — backend: ${backend.name}, Node ${process.version}`);
  const data = await loadInteractions(source, { ...flags, progress: ctx.progress, seed: flags.seed });
  say(`data: ${describeData(source, data)}`);
  const s = split(data, 0.2, flags.seed);
  say(`split: ${s.train.nnz} train / ${s.test.nnz} test interactions (20% held out at random, seed ${flags.seed})`);
  say('');

  // The library's defaults, as a user gets them (factors, λ and α derived from the data at fit).
  const implicit = new ImplicitALS({ seed: flags.seed, calculateTrainingLoss: true });
  const explicit = new ALS({ seed: flags.seed });
  const pure = new PureSVD({ seed: flags.seed });
  const rows: EvalRow[] = [];
  say('fitting on the training split:');
  rows.push(await evaluateModel(implicit, data, s, K, ctx.progress, 'implicit ALS'));
  rows.push(await evaluateModel(explicit, data, s, K, ctx.progress, 'explicit ALS'));
  rows.push(await evaluateModel(pure, data, s, K, ctx.progress, 'PureSVD'));
  say('');
  say(
    `held-out metrics @${K} (${rows[0].ranking.users} test users; RMSE only for explicit ALS, which predicts ratings):`,
  );
  say(metricTable(rows, K));
  say(RANKING_NOTE);
  say('');

  const sv = pure.singularValues;
  const shown = Math.min(16, sv.length);
  const bars = spectrumBars(sv.subarray(0, shown), 36);
  say(`top ${shown} singular values of the training matrix (from PureSVD, k = ${sv.length}):`);
  say(
    table(
      ['>i', '>sigma', ''],
      Array.from(sv.subarray(0, shown), (v, i) => [i + 1, v.toFixed(2), bars[i]]),
    ),
  );
  say('');

  // Sample users: the first few with a reasonably long history, so explanations have something to cite.
  const samples: { user: Id; history: number; recommendations: RecommendedItem[] }[] = [];
  for (let u = 0; u < s.train.rows && samples.length < flags.users; u++) {
    const history = s.train.rowNnz(u);
    if (history < 15) continue;
    const recs = recommendationsFor(implicit, { user: u }, 5, { explain: true, explainTop: 3 });
    samples.push({ user: idOf(implicit.userIds, u), history, recommendations: recs });
    say(
      `user ${idOf(implicit.userIds, u)} (${history} training items) — implicit ALS top 5, explained by the liked items contributing most:`,
    );
    say(
      table(
        ['>rank', '>item', '>score', 'because you liked (contribution)'],
        recs.map((r) => [r.rank, String(r.item), num(r.score, 3), becauseText(r)]),
      ),
    );
    say('');
  }

  // Fold-in: a new user who liked the first sample's top-3 recommendations, without refitting.
  const seedItems = samples.length > 0 ? samples[0].recommendations.slice(0, 3) : [];
  let foldIn: RecommendedItem[] = [];
  let similar: { item: Id; similar: { item: Id; cosine: number }[] } | undefined;
  if (seedItems.length > 0) {
    const liked = seedItems.map((r) => implicit.itemIds!.index(r.item));
    const t = performance.now();
    foldIn = recommendationsFor(implicit, { liked }, 5);
    const ms = performance.now() - t;
    say(
      `new user who liked items ${seedItems.map((r) => r.item).join(', ')} — folded in (no refit) in ${ms.toFixed(1)} ms:`,
    );
    say(
      table(
        ['>rank', '>item', '>score'],
        foldIn.map((r) => [r.rank, String(r.item), num(r.score, 3)]),
      ),
    );
    say('');
    const q = liked[0];
    const r = implicit.similarItems(q, { n: 5, filterItems: [q] });
    similar = {
      item: idOf(implicit.itemIds, q),
      similar: Array.from(r.items, (i, j) => ({ item: idOf(implicit.itemIds, i), cosine: f32(r.scores[j]) })),
    };
    say(`items most similar to item ${similar.item} (cosine of implicit ALS item factors):`);
    say(
      table(
        ['>rank', '>item', '>cosine'],
        similar.similar.map((x, j) => [j + 1, String(x.item), num(x.cosine, 3)]),
      ),
    );
    say('');
  }
  const total = (performance.now() - t0) / 1000;
  if (ctx.json) {
    ctx.io.out(
      toJson({
        backend: backend.name,
        data: { source, users: data.shape[0], items: data.shape[1], interactions: data.nnz },
        train: s.train.nnz,
        test: s.test.nnz,
        k: K,
        results: rows,
        singularValues: sv,
        samples,
        foldIn,
        similar,
        seconds: total,
      }),
    );
  } else {
    say(`done in ${secs(total)}`);
  }
  for (const m of [implicit, explicit, pure]) m.dispose();
}
