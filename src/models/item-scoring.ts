/**
 * Scoring for the item–item models: a batch of users' rows (a users × items CSR in the heap) against
 * ItemKNN's sparse S (knnScoreTopk) or EASE's dense B (easeScoreTopk), each user's scores and top-k in
 * one kernel call, users split over the worker pool. Each user's result is computed alone, so it does
 * not depend on the batch or the thread count. What to score and what to leave out is the caller's
 * (the recommender base): this file only runs kernels.
 * @module
 */
import type { Backend } from '../runtime/backend.js';
import type { HeapArray } from '../runtime/heap.js';
import { uniformBounds } from '../runtime/parallel.js';
import type { KnnSimilarity } from './item-knn/similarity.js';
import type { EaseFit } from './ease/fit.js';

/** Users' interaction rows in the heap (users × items, f32 values). */
export interface HeapRows {
  readonly indptr: HeapArray<'i32'>;
  readonly indices: HeapArray<'i32'>;
  readonly data: HeapArray<'f32'>;
}

/** A batch: which rows, how many results, what to leave out (item indices in the model's item space). */
export interface ItemScoreJob {
  /** Row of `rows` for each user scored (undefined: rows 0 .. nRows−1). */
  readonly users: Int32Array | undefined;
  readonly nRows: number;
  readonly k: number;
  /** Per-user exclusions, CSR over the batch's users. */
  readonly excIndptr?: Int32Array;
  readonly excIdx?: Int32Array;
  /** Items left out for every user. */
  readonly globalExc?: Int32Array;
}

/** Per-user results: k slots each, padded with item −1 and score −Infinity. */
export interface ItemScores {
  items: Int32Array;
  scores: Float32Array;
  n: number;
  counts: Int32Array;
}

interface Common {
  uRows: number;
  excIndptr: number;
  excIdx: number;
  globalExc: number;
  nGlobal: number;
  outIdx: number;
  outScores: number;
  outCounts: number;
}

/** Copy the job's lists and allocate its outputs in `scope`; run `body` with their pointers; read the results. */
function withJob(
  backend: Backend,
  job: ItemScoreJob,
  scratchBytes: number,
  body: (c: Common, scratch: number) => void,
): ItemScores {
  const scope = backend.heap.scope();
  const { nRows, k } = job;
  try {
    const copy = (a: Int32Array | undefined) => {
      if (!a || a.length === 0) return undefined;
      const h = scope.allocArray('i32', a.length);
      return { h, a };
    };
    const lists = [copy(job.users), copy(job.excIndptr), copy(job.excIdx), copy(job.globalExc)];
    const outIdx = scope.allocArray('i32', Math.max(1, nRows * k));
    const outScores = scope.allocArray('f32', Math.max(1, nRows * k));
    const outCounts = scope.allocArray('i32', Math.max(1, nRows));
    const scratch = scope.allocArray('u8', scratchBytes * backend.kernels.threads);
    for (const l of lists) l?.h.view.set(l.a);
    const ptr = (i: number) => lists[i]?.h.ptr ?? 0;
    body(
      {
        uRows: ptr(0),
        excIndptr: job.excIndptr ? ptr(1) : 0,
        excIdx: ptr(2),
        globalExc: ptr(3),
        nGlobal: job.globalExc?.length ?? 0,
        outIdx: outIdx.ptr,
        outScores: outScores.ptr,
        outCounts: outCounts.ptr,
      },
      scratch.ptr,
    );
    return {
      items: outIdx.view.slice(0, nRows * k),
      scores: outScores.view.slice(0, nRows * k),
      n: k,
      counts: outCounts.view.slice(0, nRows),
    };
  } finally {
    scope.free();
  }
}

/** Bytes moved per row of a batch by the per-user pointers. */
function perRow(c: Common, k: number, hasUsers: boolean, hasExc: boolean) {
  return {
    uRows: hasUsers ? 4 : 0,
    uIndptr: hasUsers ? 0 : 4,
    excIndptr: hasExc ? 4 : 0,
    outIdx: 4 * k,
    outScores: 4 * k,
    outCounts: c.outCounts ? 4 : 0,
  };
}

const split = (nRows: number) => (t: number) => uniformBounds(nRows, Math.max(1, Math.ceil(nRows / (4 * t))));

/**
 * ItemKNN: score_j = Σ_{i ∈ items(u)} r_ui·S[i,j] over the items reached (or every item when `allItems`),
 * the k best per user (ties to the lower item).
 */
export function knnScore(
  backend: Backend,
  S: KnnSimilarity,
  rows: HeapRows,
  job: ItemScoreJob,
  allItems = false,
): ItemScores {
  const n = S.items;
  const stride = (16 * n + 8 * job.k + 15) & ~15;
  return withJob(backend, job, stride, (c, scratch) => {
    let work = 0;
    const ip = rows.indptr.view;
    const users = job.users;
    for (let r = 0; r < job.nRows; r++) {
      const u = users ? users[r] : r;
      work += (ip[u + 1] - ip[u]) * (S.nnz / Math.max(1, n)) + (allItems ? n : 0);
    }
    backend.kernels.runRows(
      'knnScoreTopk',
      {
        ...c,
        uIndptr: rows.indptr.ptr,
        uIndices: rows.indices.ptr,
        uData: rows.data.ptr,
        sIndptr: S.indptr.ptr,
        sIndices: S.indices.ptr,
        sData: S.data.ptr,
        nItems: n,
        k: job.k,
        allItems: allItems ? 1 : 0,
        scratch,
      },
      {
        rows: job.nRows,
        work,
        unit: 'nnz',
        split: split(job.nRows),
        perRow: perRow(c, job.k, users !== undefined, job.excIndptr !== undefined),
        scratch: { stride, slots: backend.kernels.threads },
      },
    );
  });
}

/**
 * EASE: scores = Σ_{i ∈ items(u)} x_ui·B[m(i), :] with `colMap` m (item → B's row, −1 skips; undefined:
 * identity); the k best of B's columns per user (ties to the lower column).
 */
export function easeScore(
  backend: Backend,
  fit: EaseFit,
  rows: HeapRows,
  job: ItemScoreJob,
  colMap?: HeapArray<'i32'>,
): ItemScores {
  const n = fit.n;
  const stride = (4 * n + 15) & ~15;
  return withJob(backend, job, stride, (c, scratch) => {
    let work = 0;
    const ip = rows.indptr.view;
    const users = job.users;
    for (let r = 0; r < job.nRows; r++) {
      const u = users ? users[r] : r;
      work += (ip[u + 1] - ip[u] + 1) * n;
    }
    backend.kernels.runRows(
      'easeScoreTopk',
      {
        ...c,
        B: fit.B.ptr,
        n,
        uIndptr: rows.indptr.ptr,
        uIndices: rows.indices.ptr,
        uData: rows.data.ptr,
        colMap: colMap ? colMap.ptr : 0,
        k: job.k,
        scratch,
      },
      {
        rows: job.nRows,
        work,
        unit: 'nnz',
        split: split(job.nRows),
        perRow: perRow(c, job.k, users !== undefined, job.excIndptr !== undefined),
        scratch: { stride, slots: backend.kernels.threads },
      },
    );
  });
}
