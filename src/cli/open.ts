/**
 * Open a saved model file (`.lrk`) for the serving commands.
 * @module
 */
import { existsSync } from 'node:fs';
import { loadModelFile, ValidationError } from '../index.js';
import { type RecommenderBase } from '../advanced.js';
import { start, type Ctx } from './context.js';

/** Load a model saved by `lowrank fit` / `model.saveFile`. */
export async function openModel(path: string, ctx: Ctx): Promise<RecommenderBase> {
  if (!existsSync(path))
    throw new ValidationError(`no such model file: ${path} (create one with: lowrank fit <file> --out ${path})`);
  await start(ctx);
  return loadModelFile(path);
}
