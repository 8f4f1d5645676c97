/**
 * Named input formats: the layouts of the public data sets, so `readInteractions(path, { format })`
 * needs no other option.
 * @module
 */
import type { ColumnSpec } from './engine.js';

/** How a named input format is laid out: delimiter, header, columns and value rules. */
export interface FormatSpec {
  delimiter?: string;
  header?: boolean | 'auto';
  columns?: ColumnSpec;
  ids?: 'auto' | 'string';
  /** Negative values are an error. */
  nonNegative?: boolean;
  mtx?: boolean | 'auto';
  comment?: string | null;
  /** One line for docs and reports. */
  description: string;
}

const movielensDat: FormatSpec = {
  delimiter: '::',
  header: false,
  columns: { user: 0, item: 1, value: 2, timestamp: 3 },
  nonNegative: true,
  description: 'MovieLens 1M/10M ratings.dat: UserID::MovieID::Rating::Timestamp',
};
const movielensCsv: FormatSpec = {
  delimiter: ',',
  header: true,
  columns: { user: 'userId', item: 'movieId', value: 'rating', timestamp: 'timestamp' },
  nonNegative: true,
  description: 'MovieLens 20M/25M/latest ratings.csv: userId,movieId,rating,timestamp with a header',
};

/** The named formats `readInteractions` understands. */
export const FORMATS = {
  /** Delimited text, everything detected: delimiter, header, columns (user, item, value?, timestamp?). */
  delimited: { mtx: 'auto', description: 'delimited text (delimiter and header detected; Matrix Market recognised by its banner)' },
  'movielens-100k': {
    delimiter: '\t',
    header: false,
    columns: { user: 0, item: 1, value: 2, timestamp: 3 },
    nonNegative: true,
    description: 'MovieLens 100K u.data: user id, item id, rating, timestamp (tab-separated)',
  },
  'movielens-1m': movielensDat,
  'movielens-10m': movielensDat,
  'movielens-csv': movielensCsv,
  'movielens-20m': movielensCsv,
  'movielens-25m': movielensCsv,
  'movielens-latest': movielensCsv,
  'lastfm-2k': {
    delimiter: '\t',
    header: true,
    columns: { user: 'userID', item: 'artistID', value: 'weight' },
    nonNegative: true,
    description: 'HetRec 2011 Last.fm 2K user_artists.dat: userID, artistID, weight (play count), with a header, CRLF',
  },
  'lastfm-360k': {
    delimiter: '\t',
    header: false,
    columns: { user: 0, item: 2, value: 3 },
    ids: 'string',
    nonNegative: true,
    comment: null,
    description: 'Last.fm 360K usersha1-artmbid-artname-plays.tsv: user sha1, artist MBID, artist name (the item), plays',
  },
  'matrix-market': {
    mtx: true,
    description: 'Matrix Market coordinate (.mtx): real, integer or pattern; general, symmetric or skew-symmetric; 1-based',
  },
  mtx: { mtx: true, description: 'alias of matrix-market' },
} satisfies Record<string, FormatSpec>;

/** A named input format. */
export type FormatName = keyof typeof FORMATS;
