/**
 * `lowrank evaluate <file>`: held-out evaluation of one or more models (comma-separated `--model`).
 * @module
 */
import { ValidationError } from '../../index.js';
import { start, type Ctx } from '../context.js';
import { checkSource, loadInteractions, noteData, type InputFlags } from '../data.js';
import { evaluateModel, metricTable, RANKING_NOTE, split, type EvalRow } from '../evaluation.js';
import { makeModels, modelName, type ModelFlags } from '../models.js';
import { strictList } from '../ids.js';
import { toJson } from '../output.js';

/** Options of `lowrank evaluate`. */
export interface EvaluateFlags extends ModelFlags, InputFlags {
  split: number;
  k: number;
}

/** Split `file`, fit every `--model` on the training part and print the metric table. */
export async function evaluateCommand(file: string, flags: EvaluateFlags, ctx: Ctx): Promise<void> {
  const names = strictList(flags.model, '--model').map(modelName);
  const twice = names.find((n, k) => names.indexOf(n) !== k);
  if (twice) throw new ValidationError(`--model lists ${twice} twice`);
  const models = makeModels(names, flags); // validate before reading
  checkSource(file, flags);
  await start(ctx);
  const data = await loadInteractions(file, { ...flags, progress: ctx.progress, seed: flags.seed });
  noteData(ctx, file, data);
  const s = split(data, flags.split, flags.seed ?? 0);
  const rows: EvalRow[] = [];
  for (const m of models) {
    rows.push(await evaluateModel(m, data, s, flags.k, ctx.progress));
    m.dispose();
  }
  if (ctx.json) {
    ctx.io.out(toJson({ file, split: flags.split, k: flags.k, train: s.train.nnz, test: s.test.nnz, results: rows }));
  } else {
    ctx.io.out(
      `held out ${s.test.nnz} of ${data.nnz} interactions (${Math.round(flags.split * 100)}%), metrics @${flags.k}; RMSE only for als (the others do not predict ratings)`,
    );
    ctx.io.out(metricTable(rows, flags.k));
    if (names.includes('als')) ctx.io.out(RANKING_NOTE);
  }
}
