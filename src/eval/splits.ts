/**
 * Train/test splits for offline evaluation. Every split is seeded (same seed → same split on every
 * platform), keeps the input's shape in both halves, and puts each stored (user, item) entry in exactly one
 * half: `train` and `test` are disjoint and their union is the input. All run in O(nnz) and allocate only the
 * two output matrices plus a few index arrays. The time-aware split is temporal.ts.
 * @module
 */
import { ValidationError } from '../errors.js';
import { OptionReader } from '../options.js';
import { SparseMatrix } from '../data/csr.js';
import { Rng } from '../random.js';

/** The two halves of a split; both have the input's shape. */
export interface Split {
  train: SparseMatrix;
  test: SparseMatrix;
}

/** Options of {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /** Fraction of the stored entries moved to `test`, in (0, 1). Default 0.2. */
  testFraction?: number;
  /** PRNG seed. Default 0. */
  seed?: number;
}

/** Options of {@link leaveKOut}. */
export interface LeaveKOutOptions {
  /** Entries held out per user (integer ≥ 1). Users with ≤ k entries stay wholly in train. Default 1. */
  k?: number;
  /** PRNG seed. Default 0. */
  seed?: number;
}

function checkMatrix(fn: string, m: unknown): asserts m is SparseMatrix {
  if (!(m instanceof SparseMatrix)) throw new ValidationError(`${fn}: expected a SparseMatrix, got ${describe(m)}`);
}

export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

/** Options of `fn`: an object (not null; with `required`, not omitted either) of the `allowed` keys. */
export function checkOptions(fn: string, o: unknown, allowed: readonly string[], required = false): void {
  new OptionReader(fn, o, allowed, { nullIsDefaults: false, required });
}

/** Checks a fraction in the open interval (0, 1). */
export function checkFraction(fn: string, name: string, f: unknown): number {
  if (typeof f !== 'number' || !Number.isFinite(f) || f <= 0 || f >= 1) {
    throw new ValidationError(`${fn}: ${name} must be a number in (0, 1), got ${String(f)}`);
  }
  return f;
}

/** A validated seed (the Rng accepts any finite number). */
export function checkSeed(fn: string, seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new ValidationError(`${fn}: seed must be a finite number, got ${String(seed)}`);
  return seed;
}

/**
 * Splits `m` into the entries whose `mask` byte is 0 (train) and non-zero (test), keeping row order, so
 * both outputs are valid CSR without re-sorting.
 */
export function splitByMask(m: SparseMatrix, mask: Uint8Array): Split {
  const rows = m.rows;
  const nnz = m.nnz;
  let nTest = 0;
  for (let p = 0; p < nnz; p++) nTest += mask[p] !== 0 ? 1 : 0;
  const trPtr = new Int32Array(rows + 1);
  const tePtr = new Int32Array(rows + 1);
  const trIdx = new Int32Array(nnz - nTest);
  const trVal = new Float32Array(nnz - nTest);
  const teIdx = new Int32Array(nTest);
  const teVal = new Float32Array(nTest);
  const { indptr, indices, data } = m;
  let a = 0;
  let b = 0;
  for (let r = 0; r < rows; r++) {
    for (let p = indptr[r], e = indptr[r + 1]; p < e; p++) {
      if (mask[p] !== 0) {
        teIdx[b] = indices[p];
        teVal[b++] = data[p];
      } else {
        trIdx[a] = indices[p];
        trVal[a++] = data[p];
      }
    }
    trPtr[r + 1] = a;
    tePtr[r + 1] = b;
  }
  return {
    train: SparseMatrix.trusted(trPtr, trIdx, trVal, m.shape),
    test: SparseMatrix.trusted(tePtr, teIdx, teVal, m.shape),
  };
}

/**
 * Random split by interaction: exactly round(testFraction · nnz) stored entries, drawn uniformly without
 * replacement, go to `test`; the rest stay in `train`. Unlike implicit's `train_test_split` (an independent
 * coin per entry) the test size is exact.
 *
 * @example
 * const { train, test } = trainTestSplit(m, { testFraction: 0.2, seed: 42 });
 */
export function trainTestSplit(m: SparseMatrix, options: TrainTestSplitOptions = {}): Split {
  const fn = 'trainTestSplit';
  checkMatrix(fn, m);
  checkOptions(fn, options, ['testFraction', 'seed']);
  const f = checkFraction(fn, 'testFraction', options.testFraction ?? 0.2);
  const rng = new Rng(checkSeed(fn, options.seed ?? 0));
  const nnz = m.nnz;
  const nTest = Math.round(nnz * f);
  // Partial Fisher–Yates: the first nTest slots of a shuffled identity are a uniform sample.
  const perm = new Int32Array(nnz);
  for (let i = 0; i < nnz; i++) perm[i] = i;
  const mask = new Uint8Array(nnz);
  for (let i = 0; i < nTest; i++) {
    const j = i + rng.nextInt(nnz - i);
    const t = perm[j];
    perm[j] = perm[i];
    perm[i] = t;
    mask[t] = 1;
  }
  return splitByMask(m, mask);
}

/**
 * Leave-k-out per user: every user (row) with more than `k` stored entries has `k` of them, drawn uniformly,
 * moved to `test`; users with ≤ k entries stay wholly in `train`. (implicit's `leave_k_out_split` only
 * holds out from users with more than k + 1 entries; here a user with k + 1 entries keeps one.)
 *
 * @example
 * const { train, test } = leaveKOut(m, { k: 1, seed: 0 }); // leave-one-out
 */
export function leaveKOut(m: SparseMatrix, options: LeaveKOutOptions = {}): Split {
  const fn = 'leaveKOut';
  checkMatrix(fn, m);
  checkOptions(fn, options, ['k', 'seed']);
  const k = options.k ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new ValidationError(`${fn}: k must be an integer ≥ 1, got ${String(k)}`);
  const rng = new Rng(checkSeed(fn, options.seed ?? 0));
  const { indptr } = m;
  let maxRow = 0;
  for (let r = 0; r < m.rows; r++) maxRow = Math.max(maxRow, indptr[r + 1] - indptr[r]);
  const scratch = new Int32Array(maxRow);
  const mask = new Uint8Array(m.nnz);
  for (let r = 0; r < m.rows; r++) {
    const a = indptr[r];
    const n = indptr[r + 1] - a;
    if (n <= k) continue;
    for (let i = 0; i < n; i++) scratch[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + rng.nextInt(n - i);
      const t = scratch[j];
      scratch[j] = scratch[i];
      scratch[i] = t;
      mask[a + t] = 1;
    }
  }
  return splitByMask(m, mask);
}

/**
 * Assigns each stored entry of `m` to one of `folds` folds, uniformly at random with fold sizes differing by
 * at most one. Returns the fold index per entry (CSR order).
 */
export function assignFolds(m: SparseMatrix, folds: number, seed: number): Uint8Array | Uint16Array {
  const nnz = m.nnz;
  const rng = new Rng(seed);
  const perm = new Int32Array(nnz);
  for (let i = 0; i < nnz; i++) perm[i] = i;
  rng.shuffle(perm);
  const fold = folds <= 256 ? new Uint8Array(nnz) : new Uint16Array(nnz);
  for (let i = 0; i < nnz; i++) fold[perm[i]] = i % folds;
  return fold;
}
