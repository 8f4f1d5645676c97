/**
 * Scoring on a model's factors: the fused scores + top-k kernel (scoreTopkF32, split by users over the
 * pool on 'wasm-threads') and row-normalised copies for cosine similarity — kept on the model's Factors
 * with the serving scratch, so they are freed with it.
 * @module
 */
import type { HeapArray, HeapRef } from '../../runtime/heap.js';
import { uniformBounds } from '../../runtime/parallel.js';
import { scratchOf } from '../../recommend/scratch.js';
import type { BatchRecommendation } from '../../recommend/types.js';
import type { Factors } from './factors.js';

/** Scratch budget for one block of batch scores: big enough to amortise, small enough for the cache. */
const BATCH_SCRATCH_BYTES = 4 << 20;
const MAX_BLOCK_ROWS = 64;

/** A scoring request in kernel terms (columns are candidate positions when `candidates` is set). */
export interface ScoreJob {
  /** The query rows (nRows × dim, or indexed by `xRows`). */
  X: HeapRef<'f32'>;
  xRows: Int32Array | undefined;
  nRows: number;
  /** The candidates' rows (indexed by `candidates` when given). */
  Y: HeapRef<'f32'>;
  cols: number;
  candidates: Int32Array | undefined;
  k: number;
  /** Per-row exclusions (CSR over rows) in column space. */
  excIndptr: Int32Array | undefined;
  excIdx: Int32Array | undefined;
  globalExc: Int32Array;
}

/** Run the fused kernel; returns the result rows, in columns (candidate positions when `candidates` is set). */
export function scoreTopk(f: Factors, job: ScoreJob, dim = f.dim): BatchRecommendation {
  const backend = f.backend;
  const s = scratchOf(f);
  const { nRows, cols, k } = job;
  const blockRows = Math.max(
    1,
    Math.min(nRows, MAX_BLOCK_ROWS, Math.floor(BATCH_SCRATCH_BYTES / Math.max(1, cols * 4))),
  );
  // On 'wasm-threads', big batches are split by users; each thread scores into its own block of `scores`.
  // Every allocation first: any of them may grow memory and move the views.
  const scores = s.get('scores', 'u8', backend.kernels.scratchFor('scoreTopkF32', { blockRows, nCols: cols }));
  const outIdx = s.get('outIdx', 'i32', nRows * k);
  const outScores = s.get('outScores', 'f32', nRows * k);
  const counts = s.get('counts', 'i32', nRows);
  const xRows = job.xRows ? s.get('xRows', 'i32', job.xRows.length) : undefined;
  const yRows = job.candidates ? s.get('yRows', 'i32', job.candidates.length) : undefined;
  const excIndptr = job.excIndptr ? s.get('excIndptr', 'i32', job.excIndptr.length) : undefined;
  const excIdx = job.excIdx ? s.get('excIdx', 'i32', job.excIdx.length) : undefined;
  const globalExc = s.get('globalExc', 'i32', job.globalExc.length);
  if (xRows) xRows.view.set(job.xRows!);
  if (yRows) yRows.view.set(job.candidates!);
  if (excIndptr) excIndptr.view.set(job.excIndptr!);
  if (excIdx) excIdx.view.set(job.excIdx!);
  globalExc.view.set(job.globalExc);
  const args = {
    X: job.X,
    xRows,
    Y: job.Y,
    yRows,
    nCols: cols,
    dim,
    k,
    excIndptr,
    excIdx,
    globalExc,
    nGlobal: job.globalExc.length,
    scratch: scores,
    blockRows,
    outIdx,
    outScores,
    outCounts: counts,
  };
  // A chunk of users [r0, r1) moves every per-user pointer by r0 rows (the runner, from the declaration).
  // Each user's scores and top-k are computed exactly as in one call, so the result does not depend on the
  // split. About four ranges per thread (at most a score block each, at most 1024 ranges in all).
  backend.kernels.runRows('scoreTopkF32', args, {
    rows: nRows,
    work: nRows * cols * dim,
    unit: 'scoring',
    split: (t) =>
      uniformBounds(nRows, Math.max(1, Math.min(blockRows, Math.ceil(nRows / (4 * t))), Math.ceil(nRows / 1024))),
  });
  return {
    items: outIdx.view.slice(0, nRows * k),
    scores: outScores.view.slice(0, nRows * k),
    n: k,
    counts: counts.view.slice(0, nRows),
  };
}

/** The row-normalised copy of X or Y (its first `fc` columns), made on first use and kept with the factors. */
export function normalized(f: Factors, which: 'X' | 'Y', fc: number): HeapArray<'f32'> {
  return f.derive(`normalized.${which}`, () => {
    const rows = which === 'X' ? f.userCount : f.itemCount;
    const out = f.backend.heap.allocArray('f32', Math.max(1, rows * fc));
    const src = which === 'X' ? f.X : f.Y;
    f.backend.kernels.call('normalizeRowsF32', { A: src, m: rows, stride: f.dim, cols: fc, out });
    return out;
  });
}
