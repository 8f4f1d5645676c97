/**
 * `lowrank fit <file>`: fit a model on a ratings file and save it (`.lrk`, the bytes of `model.save()`).
 * @module
 */
import { statSync } from 'node:fs';
import { start, secs, type Ctx } from '../context.js';
import { describeData, loadInteractions } from '../data.js';
import { fitWithProgress, makeModel, type ModelFlags } from '../models.js';
import { toJson } from '../output.js';

/** Options of `lowrank fit`. */
export interface FitFlags extends ModelFlags {
  format?: string;
  out: string;
  /** Keep the training interactions in the file so `recommend` filters seen items (default true). */
  interactions: boolean;
}

/** Read `file`, fit the model the flags describe, save it to `flags.out`, and report. */
export async function fitCommand(file: string, flags: FitFlags, ctx: Ctx): Promise<void> {
  const model = makeModel(flags); // validate options before reading a large file
  await start(ctx);
  const data = await loadInteractions(file, { format: flags.format, progress: ctx.progress, seed: flags.seed });
  if (ctx.notes) ctx.io.err(describeData(file, data));
  const seconds = await fitWithProgress(model, data, model.modelType, ctx.progress);
  await model.saveFile(flags.out, { includeInteractions: flags.interactions });
  const bytes = statSync(flags.out).size;
  const summary = {
    model: model.modelType,
    options: model.options,
    users: model.userCount,
    items: model.itemCount,
    interactions: data.nnz,
    seconds,
    out: flags.out,
    bytes,
  };
  if (ctx.json) ctx.io.out(toJson(summary));
  else {
    ctx.io.out(
      `fitted ${model.modelType} (${Object.entries(model.options).map(([k, v]) => `${k} ${v}`).join(', ')}) on ${model.userCount} users × ${model.itemCount} items in ${secs(seconds)}`,
    );
    ctx.io.out(`saved ${flags.out} (${(bytes / 1024).toFixed(1)} KiB)`);
  }
  model.dispose();
}
