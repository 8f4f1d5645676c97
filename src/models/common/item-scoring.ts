/**
 * Serving for models that score a user straight from their interactions (the item–item models: ItemKNN's
 * r_u·S, EASE's x_u·B): a checked ScoreRequest (src/recommend/requests.ts) becomes one kernel call over
 * the request's rows. The rows — training rows, a given `userItems` matrix or one new user's items, which
 * the request already chose — are gathered into a small users × items CSR in the heap, so a new user is
 * scored exactly as a training user is, with no refit. The model's score vector has its own entries
 * (S's items, B's columns: a `ScoreSpace`); candidates become a map from entries to result columns
 * (`colOf`, −1 for non-candidates: no per-row list of the items left out), exclusions are moved into the
 * entries' space, and the kernel's k-best slots come back in the result columns the base expects.
 * @module
 */
import { ValidationError } from '../../errors.js';
import type { Backend } from '../../runtime/backend.js';
import type { HeapArray, HeapScope } from '../../runtime/heap.js';
import { uniformBounds } from '../../runtime/parallel.js';
import type { ScoreRequest } from '../../recommend/requests.js';
import type { BatchRecommendation } from '../../recommend/types.js';

/** The entries of a model's score vector. */
export interface ScoreSpace {
  /** Entries per user (S's items, B's columns). */
  readonly size: number;
  /** Item index of each entry (undefined: entry e is item e). */
  readonly items?: Int32Array;
  /** Entry of each item, −1 for an item the model does not score (undefined: item i is entry i). */
  readonly entryOf?: Int32Array;
}

/** The request's side of a scoring kernel call: the rows, what to leave out, where the k best go. */
export interface RowsCall {
  readonly uIndptr: HeapArray<'i32'>;
  readonly uIndices: HeapArray<'i32'>;
  readonly uData: HeapArray<'f32'>;
  readonly nRows: number;
  readonly k: number;
  /** Entry → result column, −1 for non-candidates (undefined: the entry's item is its column). */
  readonly colOf?: HeapArray<'i32'>;
  /** Per-row exclusions (entries), CSR over the rows. */
  readonly excIndptr?: HeapArray<'i32'>;
  readonly excIdx?: HeapArray<'i32'>;
  /** Entries excluded for every row. */
  readonly globalExc?: HeapArray<'i32'>;
  readonly nGlobal: number;
  readonly outIdx: HeapArray<'i32'>;
  readonly outScores: HeapArray<'f32'>;
  readonly outCounts: HeapArray<'i32'>;
  /** Stored entries of each row (for work estimates and splits). */
  readonly rowNnz: Int32Array;
}

/** The request's rows as CSR arrays (item indices; values default 1, checked finite). */
export function gatherRows(
  request: ScoreRequest,
  where: string,
): { indptr: Int32Array; indices: Int32Array; data: Float32Array } {
  const rows = request.users.length;
  const got = Array.from({ length: rows }, (_, r) => request.userItems(r));
  const indptr = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) indptr[r + 1] = indptr[r] + (got[r]?.indices.length ?? 0);
  const indices = new Int32Array(indptr[rows]);
  const data = new Float32Array(indptr[rows]);
  for (let r = 0; r < rows; r++) {
    const ui = got[r];
    if (!ui) continue;
    const at = indptr[r];
    for (let p = 0; p < ui.indices.length; p++) {
      const v = ui.values ? ui.values[p] : 1;
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new ValidationError(`${where}: userItems values must be finite numbers, got ${String(v)}`);
      indices[at + p] = ui.indices[p];
      data[at + p] = v;
    }
  }
  return { indptr, indices, data };
}

/** Entry of each result column's item (−1 when the model does not score it). */
function entriesOf(columns: ArrayLike<number>, request: ScoreRequest, space: ScoreSpace): Int32Array {
  const out = new Int32Array(columns.length);
  let w = 0;
  for (let j = 0; j < columns.length; j++) {
    const item = request.candidates ? request.candidates[columns[j]] : columns[j];
    const e = space.entryOf ? space.entryOf[item] : item;
    if (e >= 0) out[w++] = e;
  }
  return out.subarray(0, w);
}

/** Entry → result column: the candidates' positions, or the entries' items (undefined when both are identity). */
function columnMap(request: ScoreRequest, space: ScoreSpace): Int32Array | undefined {
  const { candidates } = request;
  if (!candidates) return space.items ? space.items.slice() : undefined;
  const colOf = new Int32Array(space.size).fill(-1);
  for (let c = 0; c < candidates.length; c++) {
    const e = space.entryOf ? space.entryOf[candidates[c]] : candidates[c];
    if (e >= 0) colOf[e] = c;
  }
  return colOf;
}

/** The request's exclusions in the entries' space: per-row CSR (when the request has it) and global. */
function exclusions(request: ScoreRequest, space: ScoreSpace) {
  const global = entriesOf(request.excludeAll, request, space);
  const ip = request.excludeIndptr;
  const ix = request.excludeIndices;
  if (!ip || !ix) return { global };
  const rows = request.users.length;
  const indptr = new Int32Array(rows + 1);
  const parts: Int32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const part = entriesOf(ix.subarray(ip[r], ip[r + 1]), request, space);
    parts.push(part);
    indptr[r + 1] = indptr[r] + part.length;
  }
  const indices = new Int32Array(indptr[rows]);
  parts.forEach((part, r) => {
    indices.set(part, indptr[r]);
  });
  return { global, indptr, indices };
}

/**
 * Score the request's rows with `run` (one kernel call given the request's heap arrays) and return its k
 * best per row in result columns, as `scoreTopK` returns them.
 */
export function scoreRows(
  backend: Backend,
  request: ScoreRequest,
  space: ScoreSpace,
  run: (call: RowsCall, scope: HeapScope) => void,
): BatchRecommendation {
  const nRows = request.users.length;
  const k = request.k;
  if (nRows === 0 || k <= 0)
    return { items: new Int32Array(0), scores: new Float32Array(0), n: Math.max(0, k), counts: new Int32Array(nRows) };
  const rows = gatherRows(request, request.where);
  const colOf = columnMap(request, space);
  const exc = exclusions(request, space);
  const scope = backend.heap.scope();
  try {
    const copy = <T extends Int32Array | Float32Array>(a: T | undefined) => {
      if (!a || a.length === 0) return undefined;
      const h = scope.allocArray(a instanceof Int32Array ? 'i32' : 'f32', a.length);
      (h.view as T).set(a);
      return h as T extends Int32Array ? HeapArray<'i32'> : HeapArray<'f32'>;
    };
    const uIndptr = copy(rows.indptr) as HeapArray<'i32'>;
    const uIndices = copy(rows.indices) ?? scope.allocArray('i32', 1);
    const uData = copy(rows.data) ?? scope.allocArray('f32', 1);
    const call: RowsCall = {
      uIndptr,
      uIndices,
      uData,
      nRows,
      k,
      colOf: copy(colOf),
      excIndptr: exc.indptr ? copy(exc.indptr) : undefined,
      excIdx: exc.indices ? (copy(exc.indices) ?? scope.allocArray('i32', 1)) : undefined,
      globalExc: copy(exc.global),
      nGlobal: exc.global.length,
      outIdx: scope.allocArray('i32', nRows * k),
      outScores: scope.allocArray('f32', nRows * k),
      outCounts: scope.allocArray('i32', nRows),
      rowNnz: Int32Array.from({ length: nRows }, (_, r) => rows.indptr[r + 1] - rows.indptr[r]),
    };
    run(call, scope);
    return {
      items: call.outIdx.toArray(),
      scores: call.outScores.toArray(),
      n: k,
      counts: call.outCounts.toArray(),
    };
  } finally {
    scope.free();
  }
}

/** Row boundaries for a scoring call on the pool: about four ranges per thread. */
export const scoreSplit =
  (nRows: number) =>
  (threads: number): Int32Array =>
    uniformBounds(nRows, Math.max(1, Math.ceil(nRows / (4 * threads))));
