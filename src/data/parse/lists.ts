/**
 * Rows of one user's list each: `'lists'` (`user item item …`, the layout of LightGCN/NGCF train.txt and
 * test.txt) or `'counted-lists'` (`count item item …`, citeulike's users.dat: the user is the 0-based line
 * number). Items may carry a value as `item:value`. A user whose list is empty is kept, as an empty row.
 * @internal
 * @module
 */
import { fieldText, pushId, readValue, type ReadContext, type Row } from './context.js';
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
  constructor(
    private readonly ctx: ReadContext,
    readonly layout: ListLayout,
  ) {}

  row(buf: Uint8Array, s: number, e: number, line: number, quoted: boolean): void {
    if (buf[s] === this.ctx.comment && s < e) return;
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
    if (nf === 0 || (nf === 1 && fs[0] === fe[0])) return problems.drop('blank', buf, s, e, line);
    // The user: the line number (counted lists), else the first field.
    let uNum: number;
    let uText = '';
    if (this.layout.counted) {
      const count = parseIntId(buf, fs[0], fe[0]);
      if (!(count >= 0) || count !== nf - 1)
        return problems.fail(
          'list count',
          row,
          fs[0],
          fe[0],
          `the count (field 1) ${count >= 0 ? `says ${count} items but the line has ${nf - 1}` : 'is not a count of items'}; in format 'counted-lists' each line is "count item item …" (a line of "user item item …" is format 'lists')`,
        );
      uNum = line - 1;
    } else {
      uNum = parseIntId(buf, fs[0], fe[0]);
      if (!(uNum === uNum)) uText = fieldText(this.ctx, buf, 0);
    }
    if (nf === 1) {
      if (uNum === uNum) store.emptyUsers.pushNumber(uNum);
      else store.emptyUsers.pushText(uText);
      return;
    }
    const values = this.layout.values ? this.values(row, nf) : undefined;
    if (this.layout.values && !values) return;
    for (let k = 1; k < nf; k++) {
      if (values && Number.isNaN(values[k - 1])) continue;
      store.check();
      if (uNum === uNum) store.users.pushNumber(uNum);
      else store.users.pushText(uText);
      if (values) {
        const b = valueColon(buf, fs[k], fe[k]);
        if (!store.items.tryNumber(buf, fs[k], b)) store.items.pushBytes(buf, fs[k], b, this.ctx.decode);
      } else pushId(this.ctx, store.items, buf, k);
      if (values) store.values.push(values[k - 1]);
      store.records++;
    }
  }

  /** The items' values (`item:value`), checked before anything of the row is stored; undefined if the row was refused. */
  private values(row: Row, nf: number): number[] | undefined {
    const { fs, fe } = this.ctx.split;
    const out: number[] = [];
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
        return undefined;
      }
      if (this.ctx.zeros === 'drop' && parseNumber(row.buf, c + 1, fe[k]) === 0) {
        // One item of the list is dropped, not the row.
        this.ctx.zeroCount++;
        this.ctx.problems.drop('zero', row.buf, fs[k], fe[k], row.line);
        out.push(NaN);
        continue;
      }
      const v = readValue(this.ctx, row, c + 1, fe[k], "an item's value");
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
}
