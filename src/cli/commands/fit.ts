/**
 * `lowrank fit <file>`: fit a model on a ratings file and save it (`.lrk`, the bytes of `model.save()`).
 * @module
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ValidationError } from '../../index.js';
import { start, secs, type Ctx } from '../context.js';
import { checkSource, loadInteractions, noteData, type InputFlags } from '../data.js';
import { fitWithProgress, makeModel, type ModelFlags } from '../models.js';
import { toJson } from '../output.js';

/** Options of `lowrank fit`. */
export interface FitFlags extends ModelFlags, InputFlags {
  out: string;
  /** Keep the training interactions in the file so `recommend` filters seen items (default true). */
  interactions: boolean;
}

/** Refuse an output path that cannot be written (before any training), or that is the input itself. */
export function checkOut(out: string, input: string): void {
  if (out.trim() === '') throw new ValidationError('--out needs a file name');
  const path = resolve(out);
  if (path === resolve(input))
    throw new ValidationError(`--out ${out} is the input file; choose another name for the model`);
  if (existsSync(path)) {
    if (statSync(path).isDirectory())
      throw new ValidationError(
        `--out ${out} is a directory; give a file name, e.g. ${out.replace(/\/?$/, '/model.lrk')}`,
      );
  }
  const dir = dirname(path);
  if (!existsSync(dir))
    throw new ValidationError(`--out ${out}: the directory ${dir} does not exist (create it first)`);
  if (!statSync(dir).isDirectory()) throw new ValidationError(`--out ${out}: ${dir} is not a directory`);
  try {
    accessSync(existsSync(path) ? path : dir, constants.W_OK);
  } catch {
    throw new ValidationError(`--out ${out}: no permission to write ${existsSync(path) ? path : `into ${dir}`}`);
  }
}

/** Read `file`, fit the model the flags describe, save it to `flags.out`, and report. */
export async function fitCommand(file: string, flags: FitFlags, ctx: Ctx): Promise<void> {
  // Everything that can be refused is refused before a large file is read or a model trained.
  const model = makeModel(flags);
  checkSource(file, flags);
  checkOut(flags.out, file);
  await start(ctx);
  const data = await loadInteractions(file, { ...flags, progress: ctx.progress, seed: flags.seed });
  noteData(ctx, file, data);
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
      `fitted ${model.modelType} (${Object.entries(model.options)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}) on ${model.userCount} users × ${model.itemCount} items in ${secs(seconds)}`,
    );
    ctx.io.out(`saved ${flags.out} (${(bytes / 1024).toFixed(1)} KiB)`);
  }
  model.dispose();
}
