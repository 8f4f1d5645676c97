/**
 * Rows of one user's list each: `'lists'` (`user item item …`, the layout of LightGCN/NGCF train.txt and
 * test.txt) or `'counted-lists'` (`count item item …`, citeulike's users.dat: the user is the 0-based line
 * number). Items may carry a value as `item:value`. A user whose list is empty is kept, as an empty row.
 * @internal
 * @module
 */
import { pushId, readValue, type ReadContext, type Row } from './context.js';
import { DOUBLED, WHITESPACE } from './fields.js';
import { parseIntId, parseNumber } from './numbers.js';

/** How a list file is laid out. */
export interface ListLayout {
  counted: boolean;
  /** Items are written `item:value`. */
  values: boolean;
}

/** The offset of the `:` that separates an item from its value in field [a, b), or -1. */
export function valueColon(buf: Uint8Array, a: number, b: number): number {
  for (let i = b - 1; i > a; i--) if (buf[i] === 58) return i < b - 1 ? i : -1;
  return -1;
}

export class ListRows {
  /** The row being read (one object reused: no allocation per row). */
  private readonly cur: Row = { buf: new Uint8Array(0), s: 0, e: 0, line: 0 };
  /** The values of a row's items (`item:value`; NaN: a zero dropped), reused from row to row. */
  private vals = new Float64Array(64);
  constructor(
    private readonly ctx: ReadContext,
    readonly layout: ListLayout,
  ) {}

  row(buf: Uint8Array, s: number, e: number, line: number, quoted: boolean): void {
    if (buf[s] === this.ctx.comment && s < e) return;
    if (!quoted && !this.layout.values && this.numericRow(buf, s, e, line)) return;
    const { split, store, problems } = this.ctx;
    let nf = split.split(buf, s, e, split.fs.length, quoted);
    while (nf === split.fs.length) {
      split.reserve(2 * nf);
      nf = split.split(buf, s, e, split.fs.length, quoted);
    }
    const row = this.cur;
    row.buf = buf;
    row.s = s;
    row.e = e;
    row.line = line;
    const fs = split.fs;
    const fe = split.fe;
    if (nf === 0 || (nf === 1 && fs[0] === fe[0])) {
      problems.drop('blank', buf, s, e, line);
      return;
    }
    // The user: the line number (counted lists), else the first field.
    let uNum = NaN;
    if (this.layout.counted) {
      const count = parseIntId(buf, fs[0], fe[0]);
      if (!(count >= 0) || count !== nf - 1) {
        problems.fail(
          'list count',
          row,
          fs[0],
          fe[0],
          `the count (field 1) ${count >= 0 ? `says ${count} items but the line has ${nf - 1}` : 'is not a count of items'}; in format 'counted-lists' each line is "count item item …" (a line of "user item item …" is format 'lists')`,
        );
        return;
      }
      uNum = line - 1;
    } else uNum = parseIntId(buf, fs[0], fe[0]);
    const quote = split.quotedSplit && split.fq[0] === DOUBLED ? split.quote : -1;
    if (nf === 1) {
      if (!Number.isNaN(uNum)) store.emptyUsers.pushNumber(uNum);
      else store.emptyUsers.pushBytes(buf, fs[0], fe[0], quote);
      return;
    }
    if (this.layout.values && !this.values(row, nf)) return;
    // A user id that is text is interned once for the row (after the checks: a refused row adds no user).
    const uCode = !Number.isNaN(uNum) ? -1 : store.users.code(buf, fs[0], fe[0], quote);
    const vals = this.vals;
    for (let k = 1; k < nf; k++) {
      if (this.layout.values && Number.isNaN(vals[k - 1])) continue;
      store.check();
      if (uCode < 0) store.users.pushNumber(uNum);
      else store.users.pushCode(uCode);
      if (this.layout.values) {
        const b = valueColon(buf, fs[k], fe[k]);
        if (!store.items.tryNumber(buf, fs[k], b)) store.items.pushBytes(buf, fs[k], b);
        store.values.push(vals[k - 1]);
      } else pushId(this.ctx, store.items, buf, k);
      store.records++;
    }
  }

  /**
   * The common row — integer ids, no values, no quotes — in one pass over its bytes: items parsed as
   * they are found, straight into the item store, kept only once the whole row is read. False (nothing
   * stored) for any other row, which the general path reads and judges.
   */
  private numericRow(buf: Uint8Array, s: number, e: number, line: number): boolean {
    const { store, split } = this.ctx;
    const d = split.delimByte;
    const users = store.users;
    const items = store.items.nums;
    if (!store.items.numeric || d === -1 || !(users.numeric || this.layout.counted)) return false;
    const ws = d === WHITESPACE;
    items.reserve(((e - s) >> 1) + 1);
    const a = items.a;
    const n0 = items.length;
    let n = n0;
    let first = NaN;
    let i = s;
    for (;;) {
      while (i < e && (buf[i] === 32 || (ws && buf[i] === 9))) i++;
      if (i >= e) break;
      // A canonical integer (as parseIntId reads it): -?(0|[1-9][0-9]{0,14}).
      const neg = buf[i] === 45;
      if (neg) i++;
      const start = i;
      let v = 0;
      while (i < e) {
        const c = buf[i] - 48;
        if (c < 0 || c > 9) break;
        v = v * 10 + c;
        i++;
      }
      const len = i - start;
      if (len === 0 || len > 15 || (buf[start] === 48 && (len > 1 || neg))) return false;
      if (!ws) {
        while (i < e && buf[i] === 32) i++;
        if (i < e) {
          if (buf[i] !== d) return false;
          i++;
          if (i >= e) return false; // a trailing delimiter: an empty field
        }
      } else if (i < e && buf[i] !== 32 && buf[i] !== 9) return false;
      if (Number.isNaN(first)) first = neg ? -v : v;
      else a[n++] = neg ? -v : v;
    }
    const count = n - n0;
    if (count === 0 || (this.layout.counted && first !== count)) return false;
    if (store.records + count > store.budget.maxRecords) return false; // the general path says so
    items.length = n;
    users.pushNumberRepeated(this.layout.counted ? line - 1 : first, count);
    store.records += count;
    return true;
  }

  /** The items' values (`item:value`) into `vals`, checked before anything of the row is stored; false if the row was refused. */
  private values(row: Row, nf: number): boolean {
    const { fs, fe } = this.ctx.split;
    if (this.vals.length < nf) this.vals = new Float64Array(2 * nf);
    const vals = this.vals;
    for (let k = 1; k < nf; k++) {
      const c = valueColon(row.buf, fs[k], fe[k]);
      if (c < 0) {
        this.ctx.problems.fail(
          'missing field',
          row,
          fs[k],
          fe[k],
          `item ${k} has no value: the items of this file are written item:value`,
        );
        return false;
      }
      if (this.ctx.zeros === 'drop' && parseNumber(row.buf, c + 1, fe[k]) === 0) {
        // One item of the list is dropped, not the row.
        this.ctx.zeroCount++;
        this.ctx.problems.drop('zero', row.buf, fs[k], fe[k], row.line);
        vals[k - 1] = NaN;
        continue;
      }
      const v = readValue(this.ctx, row, c + 1, fe[k], "an item's value");
      if (v === undefined) return false;
      vals[k - 1] = v;
    }
    return true;
  }
}
