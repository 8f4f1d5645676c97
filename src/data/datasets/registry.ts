/**
 * Where each public data set is published and how to read it. Checksums: a data set is verified
 * against `sha256` when pinned here (or passed by the caller), else against the publisher's `md5`
 * (Node only). Pins are only recorded when known from the publisher — never guessed; where neither is
 * known the first download is trusted and its sha256 printed so it can be pinned with `{ sha256 }`.
 * @internal
 * @module
 */
import type { FormatName } from '../parse/formats.js';

export interface DatasetEntry {
  /** Cache directory name and message label, e.g. `ml-100k`. */
  key: string;
  /** Publisher URL of the archive. */
  url: string;
  archive: 'zip' | 'tar.gz';
  /** The ratings file inside the archive (a path, or a name matched as the last path component). */
  file: string;
  format: FormatName;
  /** Lowercase hex. Unknown here for every archive (it cannot be computed offline); see md5. */
  sha256?: string;
  /** Lowercase hex, as published by the data set's maintainers. */
  md5?: string;
  description: string;
  /**
   * Default `maxBytes` when larger than `DEFAULT_MAX_BYTES`: what downloading and extracting this (pinned)
   * archive legitimately takes.
   */
  maxBytes?: number;
}

const GROUPLENS = 'https://files.grouplens.org/datasets';

/** MovieLens releases `datasets.movielens` can fetch. */
export type MovieLensSize = '100k' | '1m' | '20m' | 'latest-small';
/** Last.fm data sets `datasets.lastfm` can fetch. */
export type LastfmSize = '2k' | '360k';

export const MOVIELENS: Record<MovieLensSize, DatasetEntry> = {
  '100k': {
    key: 'ml-100k',
    url: `${GROUPLENS}/movielens/ml-100k.zip`,
    archive: 'zip',
    file: 'ml-100k/u.data',
    format: 'movielens-100k',
    // sha256 unknown offline; GroupLens publishes this md5 (ml-100k.zip.md5).
    md5: '0e33842e24a9c977be4e0107933c0723',
    description: 'MovieLens 100K: 100,000 ratings (1–5) from 943 users on 1,682 movies (GroupLens)',
  },
  '1m': {
    key: 'ml-1m',
    url: `${GROUPLENS}/movielens/ml-1m.zip`,
    archive: 'zip',
    file: 'ml-1m/ratings.dat',
    format: 'movielens-1m',
    // No checksum known here: trusted on first download (sha256 printed); pin with { sha256 }.
    description: 'MovieLens 1M: 1,000,209 ratings (1–5) from 6,040 users on 3,706 movies (GroupLens)',
  },
  '20m': {
    key: 'ml-20m',
    url: `${GROUPLENS}/movielens/ml-20m.zip`,
    archive: 'zip',
    file: 'ml-20m/ratings.csv',
    format: 'movielens-csv',
    // No checksum known here: trusted on first download (sha256 printed); pin with { sha256 }.
    description: 'MovieLens 20M: 20,000,263 ratings (0.5–5) from 138,493 users on 26,744 movies (GroupLens)',
  },
  'latest-small': {
    key: 'ml-latest-small',
    url: `${GROUPLENS}/movielens/ml-latest-small.zip`,
    archive: 'zip',
    file: 'ml-latest-small/ratings.csv',
    format: 'movielens-csv',
    // "latest" is republished from time to time, so no fixed checksum can be pinned.
    description:
      'MovieLens latest-small: about 100,000 ratings (0.5–5) from about 600 users (GroupLens; changes over time)',
  },
};

export const LASTFM: Record<LastfmSize, DatasetEntry> = {
  '2k': {
    key: 'lastfm-2k',
    url: `${GROUPLENS}/hetrec2011/hetrec2011-lastfm-2k.zip`,
    archive: 'zip',
    file: 'user_artists.dat',
    format: 'lastfm-2k',
    // No checksum known here: trusted on first download (sha256 printed); pin with { sha256 }.
    description: 'HetRec 2011 Last.fm 2K: 92,834 user–artist play counts from 1,892 users on 17,632 artists',
  },
  '360k': {
    key: 'lastfm-360k',
    url: 'http://mtg.upf.edu/static/datasets/last.fm/lastfm-dataset-360K.tar.gz',
    archive: 'tar.gz',
    file: 'usersha1-artmbid-artname-plays.tsv',
    format: 'lastfm-360k',
    // No checksum known here: trusted on first download (sha256 printed); pin with { sha256 }.
    description: 'Last.fm 360K (Òscar Celma): about 17.5 million user–artist play counts from about 360,000 users',
    maxBytes: 4 * 2 ** 30, // a 550 MB .tar.gz whose ratings file alone inflates to about 1.6 GB
  },
};
