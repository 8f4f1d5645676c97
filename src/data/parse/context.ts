/**
 * What the row readers (columns, lists, Matrix Market) share: the field splitter, the store, the bad-row
 * bookkeeping, and the checks every value and timestamp goes through.
 * @internal
 * @module
 */
import { DOUBLED, type FieldSplitter } from './fields.js';
import { isNonFiniteLiteral, parseDate, parseNumber } from './numbers.js';
import type { RowProblems } from './problems.js';
import type { IdColumn, Store } from './store.js';
import { decodeAs, type Encoding } from './text.js';

/** What `readInteractions` does with values equal to 0: keep them, drop the row, or read them as this number. */
export type Zeros = 'keep' | 'drop' | number;

export interface ReadContext {
  readonly source: string;
  readonly split: FieldSplitter;
  readonly store: Store;
  readonly problems: RowProblems;
  readonly encoding: Encoding;
  /** The comment byte (-1: none): rows starting with it are skipped. */
  readonly comment: number;
  /** The format read as (for messages). */
  format: string;
  nonNegative: boolean;
  readonly zeros: Zeros;
  /** Values equal to 0 read so far (whatever `zeros` did with them). */
  zeroCount: number;
  /** Distinct ids that were not valid UTF-8 and were read as windows-1252. */
  fallbacks: number;
}

/** Push field `k` of the last split to an id column: a number if it is a canonical integer, else its text. */
export function pushId(ctx: ReadContext, col: IdColumn, buf: Uint8Array, k: number): void {
  const { fs, fe } = ctx.split;
  if (col.tryNumber(buf, fs[k], fe[k])) return;
  col.pushBytes(buf, fs[k], fe[k], ctx.split.quotedSplit && ctx.split.fq[k] === DOUBLED ? ctx.split.quote : -1);
}

/** One row being read: bytes [s, e) of `buf`, starting on line `line`. */
export interface Row {
  buf: Uint8Array;
  s: number;
  e: number;
  line: number;
}

/**
 * The value in bytes [a, b) of `row` (`label`: how messages name it), after the checks every value goes
 * through and the `zeros` option; undefined when the row was refused or dropped.
 */
export function readValue(ctx: ReadContext, row: Row, a: number, b: number, label: string): number | undefined {
  let v = parseNumber(row.buf, a, b);
  const p = ctx.problems;
  if (!(v - v === 0)) {
    badNumber(ctx, row, a, b, label, v);
    return undefined;
  }
  if (!Number.isFinite(Math.fround(v))) {
    p.fail('out of range', row, a, b, `${label} is beyond the float32 range (±3.4e38) values are stored in`);
    return undefined;
  }
  if (v < 0 && ctx.nonNegative) {
    p.fail('negative', row, a, b, `${label} is negative, which the ${ctx.format} format does not allow`);
    return undefined;
  }
  if (v === 0) {
    ctx.zeroCount++;
    if (ctx.zeros === 'drop') {
      p.drop('zero', row.buf, row.s, row.e, row.line);
      return undefined;
    }
    if (typeof ctx.zeros === 'number') v = ctx.zeros;
  }
  return v;
}

/** The timestamp in bytes [a, b): a number, or an ISO 8601 date (seconds since 1970, UTC unless it says). */
export function readTime(ctx: ReadContext, row: Row, a: number, b: number, label: string): number | undefined {
  let t = parseNumber(row.buf, a, b);
  if (!(t - t === 0)) t = parseDate(row.buf, a, b);
  if (!(t - t === 0)) {
    badNumber(ctx, row, a, b, label, t, ' or an ISO 8601 date');
    return undefined;
  }
  return t;
}

function badNumber(ctx: ReadContext, row: Row, a: number, b: number, label: string, v: number, or = ''): void {
  const text = decodeAs(row.buf, a, b, ctx.encoding);
  if (a === b) {
    ctx.problems.fail('not a number', row, a, b, `${label} is empty; expected a number${or}`);
    return;
  }
  if (isNonFiniteLiteral(text) || !Number.isNaN(v)) {
    ctx.problems.fail('not finite', row, a, b, `${label} is not finite (NaN and infinity are not allowed)`);
    return;
  }
  ctx.problems.fail('not a number', row, a, b, `${label} is not a number${or}`);
}
