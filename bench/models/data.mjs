// The real data sets of the item-model benches (../shared/data): MovieLens-100k ratings and binary,
// Last.fm-2k binary, the Gowalla lists. Ids are compacted in order of first appearance, as lowrank's
// readers (and bench/models/item_quality.py) number them, so both sides see the same matrices.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SETS = ['ml100k', 'ml100k-binary', 'lastfm-binary', 'gowalla'];

/** The Gowalla lists (`user item item …` per line) as a binary users × items matrix. */
function gowalla(lib, path) {
  const rows = [];
  const cols = [];
  const ids = new Map();
  const lines = readFileSync(path, 'utf8').split('\n');
  let u = 0;
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    if (f.length < 2) continue;
    for (let t = 1; t < f.length; t++) {
      let c = ids.get(f[t]);
      if (c === undefined) {
        c = ids.size;
        ids.set(f[t], c);
      }
      rows.push(u);
      cols.push(c);
    }
    u++;
  }
  return lib.SparseMatrix.fromCOO({
    rows,
    cols,
    values: new Float32Array(rows.length).fill(1),
    shape: [u, ids.size],
    duplicates: 'last',
  });
}

const binary = (lib, m) => new lib.SparseMatrix(m.indptr, m.indices, new Float32Array(m.nnz).fill(1), m.shape);

/** { name: SparseMatrix } for the sets asked for that exist under `dir`. */
export async function loadSets(lib, dir, names = SETS) {
  const out = {};
  const ml = join(dir, 'ml-100k', 'u.data');
  const lf = join(dir, 'lastfm-2k', 'user_artists.dat');
  const gw = join(dir, 'gowalla-lists', 'gowalla.txt');
  if ((names.includes('ml100k') || names.includes('ml100k-binary')) && existsSync(ml)) {
    const m = (await lib.readInteractions(ml, { format: 'movielens-100k' })).matrix;
    if (names.includes('ml100k')) out.ml100k = m;
    if (names.includes('ml100k-binary')) out['ml100k-binary'] = binary(lib, m);
  }
  if (names.includes('lastfm-binary') && existsSync(lf))
    out['lastfm-binary'] = binary(lib, (await lib.readInteractions(lf, { format: 'lastfm-2k' })).matrix);
  if (names.includes('gowalla') && existsSync(gw)) out.gowalla = gowalla(lib, gw);
  return out;
}
