// Shared setup for the threads tests: a skewed seeded matrix (short rows exercise the Woodbury path,
// long rows the general one) and a switch that makes every size go parallel.
import { SparseMatrix } from '../../src/data/csr.js';
import { Rng } from '../../src/random.js';
import { THRESHOLDS } from '../../src/runtime/parallel.js';

/** rows × cols, row r has about 2 + 60·u³ entries (u uniform): many short rows, a few long ones. */
export function skewedMatrix(seed: number, rows: number, cols: number): SparseMatrix {
  const rng = new Rng(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < rows; i++) {
    const u = rng.next();
    const n = Math.min(cols, 2 + Math.floor(60 * u * u * u));
    const seen = new Set<number>();
    while (seen.size < n) seen.add(Math.floor(rng.next() * cols));
    for (const j of seen) {
      r.push(i);
      c.push(j);
      v.push(1 + Math.floor(rng.next() * 5));
    }
  }
  return SparseMatrix.fromCOO({ rows: r, cols: c, values: v, shape: [rows, cols] });
}

const saved = { ...THRESHOLDS };

/** Make every job big enough to split (tests use small matrices). */
export function forceParallel(): void {
  for (const unit of Object.keys(THRESHOLDS) as (keyof typeof THRESHOLDS)[]) THRESHOLDS[unit] = 0;
}

export function restoreThresholds(): void {
  Object.assign(THRESHOLDS, saved);
}

/** Bitwise equality of two float arrays (NaN payloads and ±0 included). */
export function sameBits(a: Float32Array | Float64Array, b: Float32Array | Float64Array): boolean {
  if (a.length !== b.length || a.constructor !== b.constructor) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
