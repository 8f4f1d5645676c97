/**
 * Named input formats: the layouts of the public data sets, so `readInteractions(path, { format })`
 * needs no other option.
 * @module
 */
import type { ColumnSpec } from './columns.js';

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
  /** The quote character (`null`: quotes are data). */
  quote?: string | null;
  /** One user's list per line rather than one interaction per row. */
  lists?: 'lists' | 'counted-lists';
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
  /**
   * The default: detected from the content — Matrix Market by its banner, else delimited text (delimiter,
   * header, columns by their names) read as the named format below whose layout it has (the file name
   * decides between layouts that look alike, e.g. MovieLens 100K's u.data).
   */
  auto: {
    mtx: 'auto',
    description:
      'detected from the content: Matrix Market, a named format whose layout it has, one list per line, or delimited text',
  },
  /** Delimited text, everything detected: delimiter, header, columns (user, item, value?, timestamp?); no named-format rules. */
  delimited: {
    mtx: 'auto',
    description: 'delimited text (delimiter, header and columns detected; Matrix Market recognised by its banner)',
  },
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
    // Artist names such as "Weird Al" Yankovic start with a quote that opens nothing.
    quote: null,
    description:
      'Last.fm 360K usersha1-artmbid-artname-plays.tsv: user sha1, artist MBID, artist name (the item), plays',
  },
  lists: {
    lists: 'lists',
    header: false,
    description:
      'one user per line: user item item … (LightGCN/NGCF train.txt, test.txt); items may be written item:value; a user with no item is an empty row',
  },
  'counted-lists': {
    lists: 'counted-lists',
    header: false,
    description:
      "one user per line: count item item … (citeulike users.dat); the user is the line's 0-based number; items may be written item:value",
  },
  'matrix-market': {
    mtx: true,
    description:
      'Matrix Market coordinate (.mtx): real, integer or pattern; general, symmetric or skew-symmetric; 1-based',
  },
  mtx: { mtx: true, description: 'alias of matrix-market' },
} satisfies Record<string, FormatSpec>;

/** A named input format. */
export type FormatName = keyof typeof FORMATS;

/** A named format's file name (the public data sets' own names). */
const FILE_NAMES: [RegExp, FormatName][] = [
  [/(^|[^a-z0-9])u(\d|a|b)?\.(data|base|test)$/i, 'movielens-100k'],
  [/(^|[^a-z0-9])ratings\.dat$/i, 'movielens-1m'],
];

const sameNames = (a: readonly string[] | undefined, b: readonly string[]): boolean =>
  a !== undefined && a.length === b.length && a.every((x, k) => x === b[k]);

/**
 * The named format whose layout the first line has (format 'auto'): `header` is the header line's fields
 * (undefined without one), `fields` the header or the first data line. Headers and the Last.fm 360K layout
 * speak for themselves; MovieLens 100K and 1M need their file name too, since other files look alike.
 */
export function recogniseFormat(
  source: string,
  delimiter: string,
  header: readonly string[] | undefined,
  fields: readonly string[],
): FormatName | undefined {
  if (header) {
    const ml = ['userId', 'movieId', 'rating', 'timestamp'];
    if (delimiter === ',' && (sameNames(header, ml) || sameNames(header, ml.slice(0, 3)))) return 'movielens-csv';
    if (delimiter === '\t' && sameNames(header, ['userID', 'artistID', 'weight'])) return 'lastfm-2k';
    return undefined;
  }
  // Last.fm 360K: user sha1, artist MBID (often empty), artist name, plays — a name where the usual
  // layout wants a value.
  if (
    delimiter === '\t' &&
    fields.length === 4 &&
    fields[3] !== '' &&
    Number.isFinite(Number(fields[3])) &&
    (/^[0-9a-f]{40}$/.test(fields[0]) || !Number.isFinite(Number(fields[2])))
  ) {
    return 'lastfm-360k';
  }
  for (const [name, format] of FILE_NAMES) {
    const f = FORMATS[format] as FormatSpec;
    if (name.test(source) && delimiter === f.delimiter && (fields.length === 4 || fields.length === 3)) return format;
  }
  return undefined;
}
