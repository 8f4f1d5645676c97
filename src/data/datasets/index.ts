/**
 * Public data sets, downloaded from their publishers on first use, verified, cached and returned as
 * `Interactions`; plus `synthetic` data with a known answer. Nothing here is bundled: the data sets'
 * licences (GroupLens, Last.fm) do not allow redistribution.
 * @module
 */
import { ValidationError } from '../../errors.js';
import type { Interactions } from '../interactions.js';
import { synthetic, type SyntheticInteractions, type SyntheticOptions } from '../synthetic.js';
import { loadDataset, type DatasetOptions } from './download.js';
import { LASTFM, MOVIELENS, type DatasetEntry, type LastfmSize, type MovieLensSize } from './registry.js';

export type { MovieLensSize, LastfmSize } from './registry.js';

function pick<K extends string>(table: Record<K, DatasetEntry>, size: unknown, fn: string): DatasetEntry {
  if (typeof size !== 'string' || !Object.prototype.hasOwnProperty.call(table, size)) {
    throw new ValidationError(
      `datasets.${fn}: unknown size ${JSON.stringify(size)}; expected one of ${Object.keys(table)
        .map((k) => `'${k}'`)
        .join(', ')}`,
    );
  }
  return table[size as K];
}

function checkOptions(o: unknown, fn: string): DatasetOptions {
  if (o === null || typeof o !== 'object') throw new ValidationError(`datasets.${fn}: options must be an object`);
  const known = ['sha256', 'baseUrl', 'cacheDir', 'force', 'onProgress', 'signal', 'fetch', 'maxBytes'];
  for (const k of Object.keys(o))
    if (!known.includes(k))
      throw new ValidationError(`datasets.${fn}: unknown option ${JSON.stringify(k)}; known: ${known.join(', ')}`);
  return o as DatasetOptions;
}

/**
 * MovieLens ratings (GroupLens): `'100k'`, `'1m'`, `'20m'` or `'latest-small'`. Rows are users, columns
 * movies, values star ratings; timestamps included. Ids keep the file's numbers (user 1 is row 0).
 *
 * @example
 * const ml = await datasets.movielens('100k'); // 943 × 1682, 100,000 ratings
 */
export async function movielens(size: MovieLensSize, options: DatasetOptions = {}): Promise<Interactions> {
  return loadDataset(pick(MOVIELENS, size, 'movielens'), checkOptions(options, 'movielens'));
}

/**
 * Last.fm play counts: `'2k'` (HetRec 2011, 1,892 users × 17,632 artists) or `'360k'` (Celma; Node
 * only, a 550 MB .tar.gz). Rows are users, columns artists, values play counts.
 */
export async function lastfm(size: LastfmSize, options: DatasetOptions = {}): Promise<Interactions> {
  return loadDataset(pick(LASTFM, size, 'lastfm'), checkOptions(options, 'lastfm'));
}

/** Data sets: `movielens`, `lastfm` (downloaded and cached) and `synthetic` (generated). */
export const datasets = {
  /** MovieLens ratings, downloaded from GroupLens, verified and cached. */
  movielens,
  /** Last.fm listening counts (HetRec 2k or 360k), downloaded, verified and cached. */
  lastfm,
  /** Generated data with planted low-rank preferences (clearly labelled synthetic; deterministic from the seed). */
  // Typed by its signature, not `typeof synthetic`, so the declarations name no module-private function.
  synthetic: synthetic as (options?: SyntheticOptions) => SyntheticInteractions,
};

export { DatasetError } from './archive.js';
export type { DatasetOptions } from './download.js';
