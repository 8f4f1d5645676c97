/**
 * Fitting EASE (Steck 2019): B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹, on the items of X or on its
 * `maxItems` most popular ones. With at least as many users as items, G = XᵀX + λI is built from the
 * sparse matrix in f64 (easeGram, split by rows), inverted in place by blocked Cholesky (inverse.ts) and
 * B written in f32 (easeFinish): 12·n² bytes at the peak, n³ flops. With fewer users m than items n,
 * the same B comes through the users by Woodbury's identity — Cholesky of XXᵀ + λI (m × m), Z = L⁻¹X,
 * B[i,j] = z_i·z_j/(1 − ‖z_j‖²) — in n²·m flops and 8·n·m + max(8·m², 4·n²) bytes. Either way B (4·n²) is
 * all that stays; the fit refuses before allocating anything when its peak does not fit, naming the
 * largest item count that would.
 * @module
 */
import { ModelFitError, OutOfMemoryError, ValidationError } from '../../errors.js';
import type { SparseMatrix } from '../../data/csr.js';
import type { CsrArrays } from '../../data/csr-heap.js';
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray, HeapScope } from '../../runtime/heap.js';
import { alignedBounds, BLOCK, inverseCholeskyFactor, invertSpd, type Checkpoint } from './inverse.js';

/** A fitted EASE: B (n × n f32, row-major) over n items, `items[c]` = the original index of column c. */
export interface EaseFit {
  readonly B: HeapArray<'f32'>;
  readonly n: number;
  /** Original item index of each of B's rows/columns; undefined when B covers every item in order. */
  readonly items: Int32Array | undefined;
  /** The λ used. */
  readonly lambda: number;
}

/** How the inverse is formed: over the items (n × n Cholesky) or through the users (Woodbury, m × m). */
export type EasePath = 'items' | 'users';

/** Multiply–adds of a fit on n items with m users: n³/2 over the items, n²·m/2 + m³/3 through the users. */
export function easeWork(n: number, m: number, path: EasePath): number {
  return path === 'items' ? (n * n * n) / 2 : (n * n * m) / 2 + (m * m * m) / 3;
}

/**
 * The work the default `maxItems` allows: 10¹² multiply–adds, a minute or so on one core (the f64 products
 * run at 10–13 G multiply–adds per second in WASM SIMD on a 2024 x86 core).
 */
export const EASE_WORK_BUDGET = 1e12;

/**
 * Heap bytes a fit on n items (m users) needs at its peak: over the items G in f64 and B in f32 (12·n²);
 * through the users Z = L⁻¹X in f64 beside XXᵀ's factor (8·m²) and then beside B in f32 (4·n²). Plus
 * panel scratch.
 */
export function easeFitBytes(n: number, m = n, path: EasePath = 'items'): number {
  const extra = 8 * BLOCK * (Math.max(n, m) + BLOCK) + 16 * n + 64;
  return path === 'items' ? 12 * n * n + extra : 8 * n * m + Math.max(8 * m * m + 8 * m, 4 * n * n) + extra;
}

/** The most items whose fit (with m users on `path`) needs at most `bytes` of heap. */
export function easeMaxItems(bytes: number, m = 0, path: EasePath = 'items'): number {
  let lo = 0;
  let hi = Math.ceil(Math.sqrt(Math.max(0, bytes) / 4)) + 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (easeFitBytes(mid, path === 'items' ? mid : m, path) <= bytes) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The `maxItems` items with the most interactions (stored entries; ties to the lower index), in index
 * order, or undefined when that is every item.
 */
export function popularItems(m: SparseMatrix, maxItems: number): Int32Array | undefined {
  const n = m.cols;
  if (maxItems >= n) return undefined;
  const count = new Int32Array(n);
  const ix = m.arrays().indices;
  for (let p = 0; p < ix.length; p++) count[ix[p]]++;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => count[b] - count[a] || a - b);
  return order.subarray(0, maxItems).sort();
}

/** X restricted to the columns `items` (renumbered 0..items.length−1), rows kept. */
function restrictColumns(a: CsrArrays, rows: number, cols: number, items: Int32Array): CsrArrays {
  const map = new Int32Array(cols).fill(-1);
  for (let c = 0; c < items.length; c++) map[items[c]] = c;
  const indptr = new Int32Array(rows + 1);
  let nnz = 0;
  for (let p = 0; p < a.indices.length; p++) if (map[a.indices[p]] >= 0) nnz++;
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  let q = 0;
  for (let r = 0; r < rows; r++) {
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      const c = map[a.indices[p]];
      if (c < 0) continue;
      indices[q] = c;
      data[q++] = a.data[p];
    }
    indptr[r + 1] = q;
  }
  return { indptr, indices, data };
}

/** Counting-sort transpose (rows stay ascending within each column). */
function transpose(a: CsrArrays, rows: number, cols: number): CsrArrays {
  const indptr = new Int32Array(cols + 1);
  for (let p = 0; p < a.indices.length; p++) indptr[a.indices[p] + 1]++;
  for (let c = 0; c < cols; c++) indptr[c + 1] += indptr[c];
  const fill = indptr.slice(0, cols);
  const indices = new Int32Array(a.indices.length);
  const data = new Float32Array(a.indices.length);
  for (let r = 0; r < rows; r++)
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      const q = fill[a.indices[p]]++;
      indices[q] = r;
      data[q] = a.data[p];
    }
  return { indptr, indices, data };
}

/** The cheaper path whose fit on n items (m users) needs at most `room` bytes, or undefined when none fits. */
export function easePath(n: number, m: number, room: number): EasePath | undefined {
  const fits = (['users', 'items'] as const).filter((p) => easeFitBytes(n, m, p) <= room);
  return fits.sort((a, b) => easeWork(n, m, a) - easeWork(n, m, b))[0];
}

/**
 * The default item count for m users and n items: all of them when a path fits `room` within the work
 * budget, else the most items any path fits within both.
 */
export function easeDefaultItems(n: number, m: number, room: number): number {
  const ok = (k: number) =>
    (['users', 'items'] as const).some((p) => easeFitBytes(k, m, p) <= room && easeWork(k, m, p) <= EASE_WORK_BUDGET);
  if (ok(n)) return n;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The path for n items and m users, or an OutOfMemoryError naming the largest item count that fits. */
function choosePath(backend: Backend, n: number, m: number, asked: EasePath | undefined): EasePath {
  const heap = backend.heap;
  const room = heap.storage.maxBytes - heap.bytesInUse;
  const path = asked !== undefined ? (easeFitBytes(n, m, asked) <= room ? asked : undefined) : easePath(n, m, room);
  if (path) return path;
  const paths = asked !== undefined ? [asked] : (['items', 'users'] as const);
  const fits = Math.max(...paths.map((p) => easeMaxItems(room, m, p)));
  const need = Math.min(...paths.map((p) => easeFitBytes(n, m, p)));
  throw new OutOfMemoryError(
    need,
    heap.bytesInUse,
    `EASE on ${n} items and ${m} users needs 12·items² bytes over the items (XᵀX in f64, B in f32) or 8·items·users + max(8·users², 4·items²) through the users; at most ${fits} items fit — pass maxItems: ${fits} (or fewer) to fit on the most popular items only`,
  );
}

/** The matrix both ways as JS arrays, restricted to `items` when given. */
function prepare(X: SparseMatrix, items: Int32Array | undefined) {
  // JS arrays (copies, for a matrix living in the heap: heap views would not survive the allocations below).
  const whole: CsrArrays = { indptr: X.indptr, indices: X.indices, data: X.data };
  const n = items ? items.length : X.cols;
  const csr = items ? restrictColumns(whole, X.rows, X.cols, items) : whole;
  return { n, csr, t: transpose(csr, X.rows, n) };
}

/** Both ways into the heap (scope): users × items (u…) and items × users (i…). */
function upload(scope: HeapScope, csr: CsrArrays, t: CsrArrays) {
  const i32 = (a: Int32Array) => {
    const h = scope.allocArray('i32', Math.max(1, a.length));
    h.view.set(a);
    return h;
  };
  const f32 = (a: Float32Array) => {
    const h = scope.allocArray('f32', Math.max(1, a.length));
    h.view.set(a);
    return h;
  };
  return {
    uIndptr: i32(csr.indptr),
    uIndices: i32(csr.indices),
    uData: f32(csr.data),
    iIndptr: i32(t.indptr),
    iIndices: i32(t.indices),
    iData: f32(t.data),
  };
}

/** Row cost of a Gram row: the products it sums, plus the row's own length. */
const gramSplit = (rows: number, len: number, cnt: (r: number) => number) => (th: number) =>
  alignedBounds(rows, th, (r) => len / 8 + cnt(r) * 16, 1);

/** B over the items: G = XᵀX + λI, P = G⁻¹ by Cholesky, B from P. */
async function overItems(
  backend: Backend,
  csr: CsrArrays,
  t: CsrArrays,
  n: number,
  lambda: number,
  pause: Checkpoint,
): Promise<HeapArray<'f32'>> {
  const heap = backend.heap;
  const scope = heap.scope();
  let G: HeapArray<'f64'> | undefined;
  try {
    const x = upload(scope, csr, t);
    G = heap.allocArray('f64', Math.max(1, n * n));
    const cnt = (i: number) => t.indptr[i + 1] - t.indptr[i];
    backend.kernels.runRows(
      'easeGram',
      { ...x, n, lambda, G },
      { rows: n, work: n * n, unit: 'nnz', split: gramSplit(n, n, cnt) },
    );
    scope.free();
    await invertSpd(backend, G, n, pause);
    const B = heap.allocArray('f32', Math.max(1, n * n));
    backend.kernels.runRows(
      'easeFinish',
      { P: G, n, B },
      { rows: n, work: n * n, unit: 'nnz', split: (th) => alignedBounds(n, th, () => 1, 32) },
    );
    return B;
  } finally {
    scope.free();
    G?.free();
  }
}

/**
 * B through the users (Woodbury): K = XXᵀ + λI = L·Lᵀ (m × m), W = L⁻¹, Z = W·X; P = (I − ZᵀZ)/λ, so
 * B[i,j] = z_i·z_j / (1 − ‖z_j‖²) off the diagonal.
 */
async function throughUsers(
  backend: Backend,
  csr: CsrArrays,
  t: CsrArrays,
  m: number,
  n: number,
  lambda: number,
  pause: Checkpoint,
): Promise<HeapArray<'f32'>> {
  if (!(lambda > 0)) throw new ValidationError('EASE: fitting through the users needs a regularization > 0');
  const heap = backend.heap;
  const run = backend.kernels;
  const scope = heap.scope();
  try {
    const x = upload(scope, csr, t);
    const K = scope.allocArray('f64', Math.max(1, m * m));
    const D = scope.allocArray('f64', Math.max(1, m));
    // XXᵀ + λI: easeGram with the roles of users and items swapped.
    const cnt = (u: number) => csr.indptr[u + 1] - csr.indptr[u];
    run.runRows(
      'easeGram',
      {
        uIndptr: x.iIndptr,
        uIndices: x.iIndices,
        uData: x.iData,
        iIndptr: x.uIndptr,
        iIndices: x.uIndices,
        iData: x.uData,
        n: m,
        lambda,
        G: K,
      },
      { rows: m, work: m * m, unit: 'nnz', split: gramSplit(m, m, cnt) },
    );
    await inverseCholeskyFactor(backend, K, m, D, pause);
    await pause();
    const Zt = scope.allocArray('f64', Math.max(1, n * m));
    const scale = scope.allocArray('f64', Math.max(1, n));
    run.runRows(
      'easeZ',
      {
        Wt: K,
        m,
        D,
        iIndptr: x.iIndptr,
        iIndices: x.iIndices,
        iData: x.iData,
        Zt,
        scale,
      },
      {
        rows: n,
        work: t.indices.length * m,
        unit: 'flops',
        split: (th) => alignedBounds(n, th, (j) => m / 4 + (t.indptr[j + 1] - t.indptr[j]) * m, 1),
      },
    );
    const sv = scale.view;
    for (let j = 0; j < n; j++)
      if (!(sv[j] > 0) || !Number.isFinite(sv[j]))
        throw new ModelFitError(
          `EASE: item ${j}'s inverse diagonal is not positive (λ = ${lambda} is too small for f64); use a larger regularization`,
        );
    await pause();
    // XXᵀ's factor is done with: B may take its room.
    K.free();
    D.free();
    const B = heap.allocArray('f32', Math.max(1, n * n));
    run.runRows(
      'easeWoodburyB',
      { Zt, m, n, scale, B },
      { rows: n, work: (n * n * m) / 2, unit: 'flops', split: (th) => alignedBounds(n, th, (i) => i + 1, 4) },
    );
    return B;
  } finally {
    scope.free();
  }
}

/** Options of {@link fitEase}. */
export interface EaseFitOptions {
  /** λ ≥ 0 (> 0 through the users), or λ as a function of the items fitted on (undefined: all). */
  lambda: number | ((items: Int32Array | undefined) => number);
  /** Fit on at most this many of the most popular items; undefined: {@link easeDefaultItems}. */
  maxItems?: number;
  /** How to form the inverse; undefined: the cheaper path that fits the heap. */
  path?: EasePath;
  /** Called between blocks of work (yield to the event loop, check an abort); default none. */
  pause?: Checkpoint;
}

/** Fit EASE on X (users × items). */
export async function fitEase(backend: Backend, X: SparseMatrix, o: EaseFitOptions): Promise<EaseFit> {
  const m = X.rows;
  const heap = backend.heap;
  const maxItems = o.maxItems ?? easeDefaultItems(X.cols, m, heap.storage.maxBytes - heap.bytesInUse);
  const items = popularItems(X, maxItems);
  const lambda = typeof o.lambda === 'function' ? o.lambda(items) : o.lambda;
  if (!(typeof lambda === 'number' && Number.isFinite(lambda) && lambda >= 0))
    throw new ValidationError(`EASE: regularization must be a finite number ≥ 0, got ${String(lambda)}`);
  const n = items ? items.length : X.cols;
  // Through the users needs λ > 0 (K = XXᵀ + λI must be definite).
  const how = choosePath(backend, n, m, o.path ?? (lambda > 0 ? undefined : 'items'));
  const { csr, t } = prepare(X, items);
  const pause = o.pause ?? (() => Promise.resolve());
  const B =
    how === 'users'
      ? await throughUsers(backend, csr, t, m, n, lambda, pause)
      : await overItems(backend, csr, t, n, lambda, pause);
  return { B, n, items, lambda };
}
