// Benchmark inputs: seeded generated matrices (the default) and the real MovieLens-100k / Last.fm-2k files
// when --data points at them. Every generator is deterministic, so runs compare on identical inputs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const cache = new Map();
function cached(key, make) {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key);
}

/** Sampler of column indices with weight ∝ (j + offset)^-exponent (power-law popularity). */
function powerLawPicker(rng, n, exponent, offset = 1) {
  const cum = new Float64Array(n);
  let t = 0;
  for (let j = 0; j < n; j++) cum[j] = t += (j + offset) ** -exponent;
  return () => {
    const x = rng.next() * t;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * Ratings-like rows × cols matrix with exactly `nnz` distinct entries, values 1–5: power-law item
 * popularity (∝ rank^-0.8) and log-normal user activity (σ 0.9), like MovieLens-1M (6040 × 3706, 1M).
 */
export function ratings(lib, rows = 6040, cols = 3706, nnz = 1_000_000, seed = 20240601) {
  return cached(`ratings:${rows}:${cols}:${nnz}:${seed}`, () => {
    const rng = new lib.Rng(seed);
    const pick = powerLawPicker(rng, cols, 0.8);
    const act = Float64Array.from({ length: rows }, () => Math.exp(rng.normal() * 0.9));
    const actSum = act.reduce((a, b) => a + b, 0);
    // Each user's count ∝ activity, capped at half the items; the remainder goes round-robin.
    const count = Int32Array.from(act, (a) => Math.min(cols >> 1, Math.max(1, Math.floor((nnz * a) / actSum))));
    let left = nnz - count.reduce((a, b) => a + b, 0);
    for (let u = 0; left > 0; u = (u + 1) % rows) if (count[u] < cols >> 1) count[u]++, left--;
    for (let u = 0; left < 0; u = (u + 1) % rows) if (count[u] > 1) count[u]--, left++;
    const r = new Int32Array(nnz);
    const c = new Int32Array(nnz);
    const v = new Float32Array(nnz);
    const seen = new Uint8Array(cols);
    let n = 0;
    for (let u = 0; u < rows; u++) {
      const start = n;
      while (n - start < count[u]) {
        const j = pick();
        if (seen[j]) continue;
        seen[j] = 1;
        r[n] = u;
        c[n] = j;
        v[n] = 1 + rng.nextInt(5);
        n++;
      }
      for (let p = start; p < n; p++) seen[c[p]] = 0;
    }
    const m = lib.SparseMatrix.fromCOO({ rows: r, cols: c, values: v, shape: [rows, cols] });
    return { name: `generated ratings ${rows}×${cols}, ${fmtNnz(m.nnz)} nnz`, short: `gen-${rows}x${cols}`, matrix: m };
  });
}

/** The same structure with every value 1 (implicit feedback), e.g. 6040 × 3706 with 575k nonzeros. */
export function binary(lib, rows = 6040, cols = 3706, nnz = 575_000, seed = 7) {
  return cached(`binary:${rows}:${cols}:${nnz}:${seed}`, () => {
    const m = ratings(lib, rows, cols, nnz, seed).matrix;
    const b = new lib.SparseMatrix(m.indptr, m.indices, new Float32Array(m.nnz).fill(1), m.shape);
    return { name: `generated binary ${rows}×${cols}, ${fmtNnz(b.nnz)} nnz`, short: `gen-${rows}x${cols}`, matrix: b };
  });
}

export const fmtNnz = (n) =>
  n >= 1e6 ? `${+(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${Math.round(n / 1e3)}k` : String(n);

export function ml100kPath(dir) {
  const p = dir && join(dir, 'ml-100k', 'u.data');
  return p && existsSync(p) ? p : undefined;
}
export function lastfmPath(dir) {
  const p = dir && join(dir, 'lastfm-2k', 'user_artists.dat');
  return p && existsSync(p) ? p : undefined;
}

/** MovieLens-100k ratings (943 × 1682, 100k), or undefined without --data. */
export async function ml100k(lib, dir) {
  const path = ml100kPath(dir);
  if (!path) return undefined;
  return cached(`ml100k:${path}`, async () => {
    const d = await lib.readInteractions(path, { format: 'movielens-100k' });
    return {
      name: `ML-100k ${d.matrix.rows}×${d.matrix.cols}, ${fmtNnz(d.matrix.nnz)} nnz`,
      short: 'ml100k',
      matrix: d.matrix,
    };
  });
}

/** Last.fm-2k user–artist plays, every count set to 1 (as benfred/implicit's anchor), or undefined. */
export async function lastfm(lib, dir) {
  const path = lastfmPath(dir);
  if (!path) return undefined;
  return cached(`lastfm:${path}`, async () => {
    const m = (await lib.readInteractions(path, { format: 'lastfm-2k' })).matrix;
    const b = new lib.SparseMatrix(m.indptr, m.indices, new Float32Array(m.nnz).fill(1), m.shape);
    return { name: `Last.fm-2k binary ${b.rows}×${b.cols}, ${fmtNnz(b.nnz)} nnz`, short: 'lastfm', matrix: b };
  });
}

/** The training part (80 %, trainTestSplit seed 0) of a data set: what a user fits on after holding out a test set. */
function trainOf(lib, d) {
  return cached(`train:${d.short}`, () => {
    const { train } = lib.trainTestSplit(d.matrix, { testFraction: 0.2, seed: 0 });
    return {
      name: `${d.name.replace(/, [^,]+ nnz$/, '')} train, ${fmtNnz(train.nnz)} nnz`,
      short: `${d.short}-train`,
      matrix: train,
    };
  });
}

/**
 * The implicit-ALS benchmark matrices of issue 16: a generated ML-1M-like 6040 × 3706 ratings matrix of
 * 575k entries (values 1–5, power-law item popularity, log-normal user activity; seeded) and, with --data,
 * Last.fm-2k binarized — each as its 80 % training split (≈ 460k and 74k entries).
 */
export function ratingsTrain(lib) {
  return trainOf(lib, ratings(lib, 6040, 3706, 575_000, 16));
}
export async function lastfmTrain(lib, dir) {
  const lf = await lastfm(lib, dir);
  return lf && trainOf(lib, lf);
}
