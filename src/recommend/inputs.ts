/**
 * What models take in, shared by every model class (ALS, ImplicitALS, PureSVD): the matrix of a `fit`,
 * one user's `{ indices, values }` and lists of them, and replacing rows of the stored training matrix
 * when `partialFitUsers`/`partialFitItems` bring new data.
 * @module
 */
import { ValidationError } from '../errors.js';
import { SparseMatrix } from '../data/csr.js';
import type { UserItems } from './types.js';

/** The matrix of a `fit` argument: a SparseMatrix, or an Interactions-like `{ matrix, users, items }`. */
export function matrixOf(input: unknown, where: string): { matrix: SparseMatrix; users?: unknown; items?: unknown } {
  if (input instanceof SparseMatrix) return { matrix: input };
  if (input !== null && typeof input === 'object' && (input as { matrix?: unknown }).matrix instanceof SparseMatrix) {
    const o = input as { matrix: SparseMatrix; users?: unknown; items?: unknown };
    return { matrix: o.matrix, users: o.users, items: o.items };
  }
  throw new ValidationError(
    `${where}: expected a SparseMatrix (rows = users, columns = items) or Interactions, got ${input === null ? 'null' : typeof input}`,
  );
}

/** One row as a 1 × cols SparseMatrix (indices checked and sorted, duplicates summed, values default 1). */
export function userItemsMatrix(ui: UserItems, cols: number, where: string): SparseMatrix {
  if (ui === null || typeof ui !== 'object' || ui.indices == null || typeof ui.indices.length !== 'number') {
    throw new ValidationError(`${where}: expected { indices, values? } with item indices in [0, ${cols})`);
  }
  const n = ui.indices.length;
  if (ui.values != null && ui.values.length !== n)
    throw new ValidationError(`${where}: indices has ${n} entries but values has ${ui.values.length}`);
  for (let j = 0; j < n; j++) {
    const c = ui.indices[j];
    if (!Number.isInteger(c) || c < 0 || c >= cols)
      throw new ValidationError(`${where}: item index ${c} is outside [0, ${cols})`);
  }
  return SparseMatrix.fromCOO({
    rows: new Int32Array(n),
    cols: ui.indices,
    values: ui.values ?? undefined,
    shape: [1, cols],
  });
}

/** Rows given as a SparseMatrix or a list of UserItems, as a SparseMatrix of `count` rows. */
export function rowsMatrix(
  rows: SparseMatrix | readonly UserItems[],
  count: number,
  cols: number,
  where: string,
): SparseMatrix {
  if (rows instanceof SparseMatrix) {
    if (rows.rows !== count)
      throw new ValidationError(
        `${where}: the matrix has ${rows.rows} rows but ${count} indices were given (one row per index)`,
      );
    if (rows.cols > cols)
      throw new ValidationError(`${where}: the matrix has ${rows.cols} columns but the model has ${cols}`);
    if (rows.cols === cols) return rows;
    return SparseMatrix.trusted(rows.indptr, rows.indices, rows.data, [rows.rows, cols]);
  }
  if (!Array.isArray(rows))
    throw new ValidationError(`${where}: expected a SparseMatrix or an array of { indices, values? }`);
  if (rows.length !== count) throw new ValidationError(`${where}: ${rows.length} rows given for ${count} indices`);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  rows.forEach((ui, i) => {
    const m = userItemsMatrix(ui, cols, `${where}, row ${i}`);
    for (let p = 0; p < m.nnz; p++) {
      r.push(i);
      c.push(m.indices[p]);
      v.push(m.data[p]);
    }
  });
  return SparseMatrix.fromCOO({ rows: r, cols: c, values: v, shape: [count, cols] });
}

/**
 * A copy of `m` (or an empty matrix) with shape `shape` whose rows `ids[j]` are replaced by row j of
 * `rows`; other rows are kept.
 */
export function replaceRows(
  m: SparseMatrix | undefined,
  ids: Int32Array,
  rows: SparseMatrix,
  shape: readonly [number, number],
): SparseMatrix {
  const nr = shape[0];
  const src = new Int32Array(nr).fill(-1);
  for (let j = 0; j < ids.length; j++) src[ids[j]] = j;
  const indptr = new Int32Array(nr + 1);
  for (let r = 0; r < nr; r++) {
    const j = src[r];
    const len = j >= 0 ? rows.indptr[j + 1] - rows.indptr[j] : m && r < m.rows ? m.indptr[r + 1] - m.indptr[r] : 0;
    indptr[r + 1] = indptr[r] + len;
  }
  const indices = new Int32Array(indptr[nr]);
  const data = new Float32Array(indptr[nr]);
  for (let r = 0; r < nr; r++) {
    const j = src[r];
    if (j >= 0) {
      indices.set(rows.indices.subarray(rows.indptr[j], rows.indptr[j + 1]), indptr[r]);
      data.set(rows.data.subarray(rows.indptr[j], rows.indptr[j + 1]), indptr[r]);
    } else if (m && r < m.rows) {
      indices.set(m.indices.subarray(m.indptr[r], m.indptr[r + 1]), indptr[r]);
      data.set(m.data.subarray(m.indptr[r], m.indptr[r + 1]), indptr[r]);
    }
  }
  return SparseMatrix.trusted(indptr, indices, data, shape);
}
