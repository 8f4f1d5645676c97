/**
 * Where the CLI's interactions come from: a file (format named or guessed from the file name) or the
 * built-in synthetic data (`synthetic`, `synthetic:implicit`).
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
// Only the public API (../index.js): the bundle imports it from dist/index.mjs, so error classes are shared.
import { ValidationError, datasets, readInteractions, FORMATS, type FormatName, type Interactions } from '../index.js';
import { startBar } from './progress.js';

/** `--format` values: every named format plus `auto` (guess from the file name, else detect). */
export const FORMAT_CHOICES = ['auto', ...Object.keys(FORMATS)] as const;

/** Size of the built-in synthetic data: large enough to be interesting, small enough for a minute on 2 cores. */
export const SYNTHETIC_SHAPE = { users: 3000, items: 2000, density: 0.02, rank: 10 } as const;

/** The format of well-known file names (the public data sets' own names). */
export function guessFormat(path: string): FormatName {
  const name = basename(path).toLowerCase();
  if (name === 'u.data' || name.endsWith('u.data')) return 'movielens-100k';
  if (name === 'ratings.dat') return 'movielens-1m';
  if (name === 'ratings.csv') return 'movielens-csv';
  if (name === 'user_artists.dat') return 'lastfm-2k';
  if (name.endsWith('.tsv') && name.includes('usersha1')) return 'lastfm-360k';
  if (name.endsWith('.mtx')) return 'matrix-market';
  return 'delimited';
}

/** Options of {@link loadInteractions}. */
export interface LoadOptions {
  format?: string;
  seed?: number;
  progress?: boolean;
}

/** True for the names that select the built-in synthetic data. */
export function isSynthetic(source: string): boolean {
  return source === 'synthetic' || source === 'synthetic:implicit' || source === 'synthetic:explicit';
}

/** Read `source` (a path, or `synthetic[:implicit|:explicit]`) into Interactions. */
export async function loadInteractions(source: string, options: LoadOptions = {}): Promise<Interactions> {
  if (isSynthetic(source)) {
    return datasets.synthetic({ ...SYNTHETIC_SHAPE, implicit: source === 'synthetic:implicit', seed: options.seed ?? 0 });
  }
  if (!existsSync(source)) throw new ValidationError(`no such file: ${source} (give a ratings file, or 'synthetic' for the built-in data)`);
  if (!statSync(source).isFile()) throw new ValidationError(`not a file: ${source}`);
  const fmt = options.format ?? 'auto';
  if (!(FORMAT_CHOICES as readonly string[]).includes(fmt)) {
    throw new ValidationError(`unknown format ${JSON.stringify(fmt)}; expected one of ${FORMAT_CHOICES.join(', ')}`);
  }
  const format = fmt === 'auto' ? guessFormat(source) : (fmt as FormatName);
  const size = statSync(source).size;
  const bar = startBar('read', Math.max(1, Math.round(size / 1024)), 'KiB', options.progress ?? false);
  const data = await readInteractions(source, {
    format,
    onProgress: (p) => bar.update(Math.round(p.bytes / 1024), `${p.lines} lines`),
  });
  bar.stop(`${data.nnz} interactions (${format})`);
  return data;
}

/** One line describing a data set. */
export function describeData(source: string, data: Interactions): string {
  const [u, i] = data.shape;
  const density = (100 * data.nnz) / (u * i);
  const what = data.info?.description ?? source;
  return `${what}: ${u} users × ${i} items, ${data.nnz} interactions (${density.toFixed(2)}% dense)`;
}
