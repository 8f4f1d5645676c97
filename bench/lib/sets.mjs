// The data sets of issue 29's comparisons: the real files in ../shared/data (MovieLens-100k ratings ≥ 4,
// Last.fm-2k, the Gowalla check-in lists), each binary (1 per kept interaction), and generated stand-ins
// shaped like the held-out sets the outside checks use (MovieLens-1M ratings ≥ 4: 6,038 × 3,533, 460k;
// a citation set: 5,551 × 16,980, 164k). Generated data only in addition to the real files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ratings, fmtNnz } from './data.mjs';

/** Set names, in table order. */
export const SET_NAMES = ['ml100k', 'lastfm', 'gowalla', 'gen-ml1m', 'gen-citation'];

const binarize = (lib, m) => new lib.SparseMatrix(m.indptr, m.indices, new Float32Array(m.nnz).fill(1), m.shape);

/** Keep the entries with value ≥ min, as 1s. */
function threshold(lib, m, min) {
  const { indptr, indices, data } = m;
  const ip = new Int32Array(m.rows + 1);
  const ix = [];
  for (let r = 0; r < m.rows; r++) {
    for (let p = indptr[r]; p < indptr[r + 1]; p++) if (data[p] >= min) ix.push(indices[p]);
    ip[r + 1] = ix.length;
  }
  return new lib.SparseMatrix(ip, Int32Array.from(ix), new Float32Array(ix.length).fill(1), m.shape);
}

/**
 * Gowalla as LightGCN publishes it: one user per line, `user item item …` (space-separated, 0-based ids).
 * Read here with a few lines of bench code (the library's reader gets a 'lists' format of its own).
 */
export function readLists(lib, path) {
  const text = readFileSync(path, 'utf8');
  const rows = [];
  const cols = [];
  let maxU = -1;
  let maxI = -1;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 2 || f[0] === '') continue;
    const u = Number(f[0]);
    if (u > maxU) maxU = u;
    for (let j = 1; j < f.length; j++) {
      const i = Number(f[j]);
      if (!Number.isInteger(i) || i < 0) throw new Error(`${path}: bad item ${f[j]} on the line of user ${u}`);
      rows.push(u);
      cols.push(i);
      if (i > maxI) maxI = i;
    }
  }
  const m = lib.SparseMatrix.fromCOO({
    rows: Int32Array.from(rows),
    cols: Int32Array.from(cols),
    values: new Float32Array(rows.length).fill(1),
    shape: [maxU + 1, maxI + 1],
  });
  // Duplicates (summed by fromCOO) back to 1; item ids are not contiguous: drop the empty columns.
  return dropEmptyCols(lib, binarize(lib, m));
}

function dropEmptyCols(lib, m) {
  const used = new Int32Array(m.cols).fill(-1);
  for (const c of m.indices) used[c] = 0;
  let n = 0;
  for (let c = 0; c < m.cols; c++) if (used[c] === 0) used[c] = n++;
  if (n === m.cols) return m;
  return new lib.SparseMatrix(
    m.indptr,
    Int32Array.from(m.indices, (c) => used[c]),
    m.data,
    [m.rows, n],
  );
}

const describe = (label, short, m, real) => ({
  name: `${label} ${m.rows}×${m.cols}, ${fmtNnz(m.nnz)}`,
  short,
  real,
  matrix: m,
});

/** One set by name, or undefined when its file is missing. */
export async function loadSet(lib, name, dir = '../shared/data') {
  switch (name) {
    case 'ml100k': {
      const p = join(dir, 'ml-100k', 'u.data');
      if (!existsSync(p)) return undefined;
      const m = (await lib.readInteractions(p, { format: 'movielens-100k' })).matrix;
      return describe('ML-100k ≥ 4', name, threshold(lib, m, 4), true);
    }
    case 'lastfm': {
      const p = join(dir, 'lastfm-2k', 'user_artists.dat');
      if (!existsSync(p)) return undefined;
      const m = (await lib.readInteractions(p, { format: 'lastfm-2k' })).matrix;
      return describe('Last.fm-2k', name, binarize(lib, m), true);
    }
    case 'gowalla': {
      const p = join(dir, 'gowalla-lists', 'gowalla.txt');
      if (!existsSync(p)) return undefined;
      return describe('Gowalla', name, readLists(lib, p), true);
    }
    case 'gen-ml1m':
      return describe(
        'generated ML-1M-shaped',
        name,
        binarize(lib, ratings(lib, 6038, 3533, 460_000, 29).matrix),
        false,
      );
    case 'gen-citation':
      return describe(
        'generated citation-shaped',
        name,
        binarize(lib, ratings(lib, 5551, 16980, 164_000, 31).matrix),
        false,
      );
    default:
      throw new Error(`bench: unknown data set ${name}; expected ${SET_NAMES.join(', ')}`);
  }
}

/** The sets named in `names` (comma list or array) that are available, in order; logs the missing ones. */
export async function loadSets(lib, names = SET_NAMES, dir = '../shared/data', log = console.log) {
  const out = [];
  for (const n of typeof names === 'string' ? names.split(',') : names) {
    const s = await loadSet(lib, n, dir);
    if (s) out.push(s);
    else log(`(${n} skipped: its file is not in ${dir})`);
  }
  return out;
}
