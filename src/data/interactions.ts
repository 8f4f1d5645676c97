/**
 * Interactions: a user × item SparseMatrix with the original ids of its rows and columns (and, when
 * the source has them, one timestamp per stored entry). What parsers and datasets return and what
 * models fit on.
 * @module
 */
import { ValidationError, type ParseError } from '../errors.js';
import { SparseMatrix, cooToCsr, type DuplicatePolicy } from './csr.js';
import { IdMap, type Id, type IdOrder } from './idmap.js';
import { indexIds } from './ids.js';
import type { DroppedRows, RowKind } from './parse/problems.js';

/** Where a data set came from. Synthetic data says so here. */
export interface DatasetInfo {
  /** Short name, e.g. `'movielens-100k'` or `'synthetic'`. */
  name: string;
  /** True for generated data (never real users). */
  synthetic?: boolean;
  /** One line on what it is. */
  description?: string;
  /** Publisher URL or file path. */
  source?: string;
}

/** What a parser saw; `skipped`/`errors` are filled when `onError` is not `'throw'`. */
export interface ParseReport {
  source: string;
  /**
   * The format the input was read as: a named one, `'matrix-market'`, `'lists'` / `'counted-lists'` (one
   * user's list per line), or `'delimited'` (also for `'auto'` input no named format matched).
   */
  format: string;
  /** The field delimiter used (after auto-detection). */
  delimiter: string;
  /** Header fields, if the input had a header line. */
  header?: string[];
  /** The 0-based field of each role in delimited input (-1: not in the input); absent for Matrix Market. */
  columns?: { user: number; item: number; value: number; timestamp: number };
  bytes: number;
  /** Every line read, including header, comments and blanks. */
  lines: number;
  /** Lines that became entries. */
  records: number;
  /** Bad rows dropped because of errors (`onError: 'skip'` or a callback); blank rows are not counted here. */
  skipped: number;
  /** The first (up to 100) errors of the skipped rows. */
  errors: ParseError[];
  /**
   * Rows not read, per kind — `'blank'` (empty lines and rows of empty fields such as `,,`: always skipped),
   * `'zero'` (values of 0 with `zeros: 'drop'`), and the bad rows skipped with `onError`: `'missing field'`,
   * `'extra field'`, `'empty id'`, `'not a number'`, `'not finite'`, `'out of range'`, `'negative'`,
   * `'list count'`, `'unclosed quote'`, `'extra entry'` — each with its count and first lines.
   */
  dropped: Partial<Record<RowKind, DroppedRows>>;
  /** Values equal to 0 read (kept, dropped or replaced as the `zeros` option says). */
  zeros: number;
  /** Distinct ids that were not valid UTF-8 and were read as windows-1252 (Latin-1) text (`encoding: 'auto'`). */
  nonUtf8Ids: number;
  /** What the reader decided that you may want to know: no value column recognised, a timestamp column ignored. */
  notes: string[];
}

/** What an `Interactions` is made of: the matrix and, optionally, its id maps, timestamps and provenance. */
export interface InteractionsInit {
  matrix: SparseMatrix;
  /** Row ids; default `IdMap.range(matrix.rows)`. */
  users?: IdMap;
  /** Column ids; default `IdMap.range(matrix.cols)`. */
  items?: IdMap;
  /** One time per stored entry, aligned with `matrix.data` (CSR order). */
  timestamps?: Float64Array;
  info?: DatasetInfo;
  report?: ParseReport;
}

/** One interaction for `Interactions.fromRows`: an object or a tuple `[user, item, value?, timestamp?]`. */
export type InteractionRow =
  | { user: Id; item: Id; value?: number; timestamp?: number }
  | readonly [Id, Id, number?, number?];

/** Options of `Interactions.fromRows`. */
export interface FromRowsOptions {
  /** Repeated (user, item) pairs: `'sum'` (default), `'last'` or `'error'`. */
  duplicates?: DuplicatePolicy;
  /** Index ids in sorted order (default; numeric ids ascending, so user 1 → row 0) or first-seen order. */
  idOrder?: IdOrder;
  /** Use these user ids (e.g. a training set's); an unknown user is an error. */
  users?: IdMap;
  /** Use these item ids; an unknown item is an error. */
  items?: IdMap;
}

/** A user × item matrix with the id maps back to the original ids (and timestamps when the source has them): what parsers and data sets return and what models fit on. */
export class Interactions {
  readonly matrix: SparseMatrix;
  readonly users: IdMap;
  readonly items: IdMap;
  readonly timestamps?: Float64Array;
  readonly info?: DatasetInfo;
  readonly report?: ParseReport;

  /** Checked: id maps match the matrix's shape, timestamps (if any) one per stored entry. */
  constructor(init: InteractionsInit) {
    if (init === null || typeof init !== 'object' || !(init.matrix instanceof SparseMatrix)) {
      throw new ValidationError('Interactions: expected { matrix: SparseMatrix, users?, items?, timestamps? }');
    }
    const { matrix } = init;
    const users = init.users ?? IdMap.range(matrix.rows);
    const items = init.items ?? IdMap.range(matrix.cols);
    if (!(users instanceof IdMap) || users.size !== matrix.rows)
      throw new ValidationError(
        `Interactions: users must be an IdMap of ${matrix.rows} ids (one per row), got ${users instanceof IdMap ? users.size : typeof users}`,
      );
    if (!(items instanceof IdMap) || items.size !== matrix.cols)
      throw new ValidationError(
        `Interactions: items must be an IdMap of ${matrix.cols} ids (one per column), got ${items instanceof IdMap ? items.size : typeof items}`,
      );
    if (
      init.timestamps !== undefined &&
      (!(init.timestamps instanceof Float64Array) || init.timestamps.length !== matrix.nnz)
    ) {
      throw new ValidationError(
        `Interactions: timestamps must be a Float64Array of ${matrix.nnz} entries (one per stored entry)`,
      );
    }
    this.matrix = matrix;
    this.users = users;
    this.items = items;
    if (init.timestamps) this.timestamps = init.timestamps;
    if (init.info) this.info = init.info;
    if (init.report) this.report = init.report;
  }

  /** Free the matrix's memory now (`SparseMatrix.dispose`); `using data = await readInteractions(…)` does it at the block's end. */
  dispose(): void {
    this.matrix.dispose();
  }

  /** `dispose()`, for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Number of stored (user, item) entries. */
  get nnz(): number {
    return this.matrix.nnz;
  }
  /** [users, items]. */
  get shape(): readonly [number, number] {
    return this.matrix.shape;
  }

  /**
   * Build from rows `{ user, item, value?, timestamp? }` or tuples `[user, item, value?, timestamp?]`.
   * Values default to 1; timestamps are kept if every row has one.
   */
  static fromRows(rows: Iterable<InteractionRow>, options: FromRowsOptions = {}): Interactions {
    if (rows == null || typeof (rows as Iterable<InteractionRow>)[Symbol.iterator] !== 'function') {
      throw new ValidationError(
        'Interactions.fromRows: rows must be an iterable of { user, item, value?, timestamp? } or [user, item, value?, timestamp?]',
      );
    }
    const { duplicates = 'sum', idOrder = 'sorted' } = options;
    if (idOrder !== 'sorted' && idOrder !== 'first-seen')
      throw new ValidationError(
        `Interactions.fromRows: idOrder must be 'sorted' or 'first-seen', got ${JSON.stringify(idOrder)}`,
      );
    if (duplicates !== 'sum' && duplicates !== 'last' && duplicates !== 'error') {
      throw new ValidationError(
        `Interactions.fromRows: duplicates must be 'sum', 'last' or 'error', got ${JSON.stringify(duplicates)}`,
      );
    }
    const userIds: Id[] = [];
    const itemIds: Id[] = [];
    const values: number[] = [];
    const times: number[] = [];
    let allTimes = true;
    let i = 0;
    for (const row of rows) {
      let user: unknown, item: unknown, value: unknown, time: unknown;
      if (Array.isArray(row)) [user, item, value, time] = row;
      else if (row !== null && typeof row === 'object')
        ({ user, item, value, timestamp: time } = row as { user: Id; item: Id; value?: number; timestamp?: number });
      else
        throw new ValidationError(
          `Interactions.fromRows: row ${i} is ${String(row)}; expected { user, item, value? } or [user, item, value?]`,
        );
      for (const [what, id] of [
        ['user', user],
        ['item', item],
      ] as const) {
        if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
          throw new ValidationError(
            `Interactions.fromRows: row ${i} has ${what} ${String(id)}; ids must be strings or finite numbers`,
          );
        }
      }
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw new ValidationError(
          `Interactions.fromRows: row ${i} (user ${String(user)}, item ${String(item)}) has value ${String(value)}; expected a finite number`,
        );
      }
      if (time !== undefined && (typeof time !== 'number' || !Number.isFinite(time))) {
        throw new ValidationError(
          `Interactions.fromRows: row ${i} has timestamp ${String(time)}; expected a finite number`,
        );
      }
      userIds.push(user as Id);
      itemIds.push(item as Id);
      values.push(value === undefined ? 1 : (value as number));
      if (time === undefined) allTimes = false;
      else times.push(time as number);
      i++;
    }
    const u = indexIds(userIds, idOrder, options.users, 'user');
    const it = indexIds(itemIds, idOrder, options.items, 'item');
    const { matrix, times: t } = cooToCsr(
      u.indices,
      it.indices,
      values,
      [u.map.size, it.map.size],
      duplicates,
      allTimes && i > 0 ? times : undefined,
      (r, c, e) =>
        `Interactions.fromRows: duplicate entry for user ${JSON.stringify(u.map.id(r))}, item ${JSON.stringify(it.map.id(c))} at row ${e}`,
      'Interactions.fromRows',
    );
    return new Interactions({ matrix, users: u.map, items: it.map, timestamps: t });
  }

  /** The same interactions with users and items swapped (item × user). */
  transpose(): Interactions {
    let timestamps: Float64Array | undefined;
    if (this.timestamps) {
      // Permute times like transpose() permutes data: walk rows, place each entry at its column's slot.
      const m = this.matrix;
      const t = m.transpose();
      const fill = t.indptr.slice(0, t.rows);
      timestamps = new Float64Array(m.nnz);
      for (let r = 0; r < m.rows; r++)
        for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) timestamps[fill[m.indices[p]]++] = this.timestamps[p];
    }
    return new Interactions({
      matrix: this.matrix.transpose(),
      users: this.items,
      items: this.users,
      timestamps,
      info: this.info,
    });
  }
}
