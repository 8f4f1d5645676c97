/**
 * Rows of a delimited file read as columns: one interaction per row, every row with the field count of
 * the first (or of the header). A row with fewer or more fields is a bad row whose message says which
 * fields it lacks, and — for a file without a header — that one user's list per line is read with
 * `format: 'lists'` or `'counted-lists'`: rows with differing field counts are never read as columns.
 * @internal
 * @module
 */
import { pushId, readTime, readValue, type ReadContext, type Row } from './context.js';
import { parseNumber } from './numbers.js';

/** The largest float32: values above it cannot be stored. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** Which field holds what (-1: absent), how many fields a row has, and the names messages use. */
export interface ColumnLayout {
  user: number;
  item: number;
  value: number;
  timestamp: number;
  /** Fields per row (the header's count, or the first data row's). */
  fieldCount: number;
  /** Per role (user, item, value, timestamp), how messages name it. */
  names: readonly [string, string, string, string];
  /** The row that fixed the field count, for messages. */
  firstLine: number;
  /** No header: a row of another length may be one user's list, which messages then say. */
  listsHint: boolean;
}

const LISTS_HINT =
  "; rows with differing field counts are not columns: if each line is one user's list, read it with format: 'lists' (user item item …) or format: 'counted-lists' (count item item …)";

export class ColumnRows {
  private readonly need: number;
  /** The row being read (one object reused: no allocation per row). */
  private readonly cur: Row = { buf: new Uint8Array(0), s: 0, e: 0, line: 0 };
  /** How messages name the value and timestamp fields (made once, not per row). */
  private readonly valueLabel: string;
  private readonly timeLabel: string;
  constructor(
    private readonly ctx: ReadContext,
    readonly layout: ColumnLayout,
  ) {
    const l = layout;
    this.need = Math.max(l.fieldCount, l.user + 1, l.item + 1, l.value + 1, l.timestamp + 1);
    ctx.split.reserve(this.need + 1);
    this.valueLabel = `${l.names[2]} (field ${l.value + 1})`;
    this.timeLabel = `${l.names[3]} (field ${l.timestamp + 1})`;
  }

  row(buf: Uint8Array, s: number, e: number, line: number, quoted: boolean): void {
    if (buf[s] === this.ctx.comment && s < e) return;
    this.fields(buf, s, e, line, this.ctx.split.split(buf, s, e, this.need + 1, quoted), quoted);
  }

  /**
   * A line with a quote byte, read in one pass when it is a whole record: false (nothing read) when a
   * quoted field is still open at its end — the record goes on at the next line — or when it has more
   * fields than the rows (not all of it was split, so whether a quote is left open is not known yet).
   */
  quotedRow(buf: Uint8Array, s: number, e: number, line: number): boolean {
    if (buf[s] === this.ctx.comment && s < e) return true;
    const split = this.ctx.split;
    const nf = split.split(buf, s, e, this.need + 1, true);
    if (split.unclosed || nf > this.need) return false;
    this.fields(buf, s, e, line, nf, true);
    return true;
  }

  /** The row [s, e) whose `nf` fields the splitter holds. */
  private fields(buf: Uint8Array, s: number, e: number, line: number, nf: number, quoted: boolean): void {
    const { split, problems, store } = this.ctx;
    const l = this.layout;
    const fs = split.fs;
    const fe = split.fe;
    const row = this.cur;
    row.buf = buf;
    row.s = s;
    row.e = e;
    row.line = line;
    if (quoted && split.unclosed) {
      problems.fail('unclosed quote', row, s, e, 'a quoted field is not closed before the end of the file', true);
      return;
    }
    if (nf < this.need || fs[l.user] === fe[l.user] || fs[l.item] === fe[l.item]) {
      if (this.blank(buf, nf)) {
        problems.drop('blank', buf, s, e, line);
        return;
      }
      if (nf < this.need) {
        this.missing(row, nf);
        return;
      }
      const [k, role] = fs[l.user] === fe[l.user] ? [l.user, 0] : [l.item, 1];
      problems.fail(
        'empty id',
        row,
        fs[k],
        fe[k],
        `${l.names[role]} (field ${k + 1}) is empty in a row that is not blank`,
      );
      return;
    }
    if (nf > this.need && this.extra(row, quoted)) return;
    // Plain positive numbers are checked here; anything else (not a number, 0, negative, huge) goes
    // through readValue / readTime, which parse again and say what is wrong.
    let v = 1;
    if (l.value >= 0) {
      v = parseNumber(buf, fs[l.value], fe[l.value]);
      if (!(v > 0 && v <= FLOAT32_MAX)) {
        const got = readValue(this.ctx, row, fs[l.value], fe[l.value], this.valueLabel);
        if (got === undefined) return;
        v = got;
      }
    }
    let t = 0;
    if (l.timestamp >= 0) {
      t = parseNumber(buf, fs[l.timestamp], fe[l.timestamp]);
      if (!(t - t === 0)) {
        const got = readTime(this.ctx, row, fs[l.timestamp], fe[l.timestamp], this.timeLabel);
        if (got === undefined) return;
        t = got;
      }
    }
    store.check();
    if (!store.users.tryNumber(buf, fs[l.user], fe[l.user])) pushId(this.ctx, store.users, buf, l.user);
    if (!store.items.tryNumber(buf, fs[l.item], fe[l.item])) pushId(this.ctx, store.items, buf, l.item);
    if (l.value >= 0) store.values.push(v);
    if (l.timestamp >= 0) store.times.push(t);
    store.records++;
  }

  /** Every field of the last split is empty or blanks (`,,`, `"", " "`): a blank row. */
  private blank(buf: Uint8Array, nf: number): boolean {
    const { fs, fe } = this.ctx.split;
    for (let k = 0; k < nf; k++) for (let i = fs[k]; i < fe[k]; i++) if (buf[i] !== 32 && buf[i] !== 9) return false;
    return true;
  }

  private missing(row: Row, nf: number): void {
    const l = this.layout;
    const roles = [l.user, l.item, l.value, l.timestamp];
    const lacking = roles.flatMap((c, i) => (c >= nf ? [`${l.names[i]} in field ${c + 1}`] : []));
    const what =
      l.fieldCount < 2
        ? `where a row needs at least two (user and item)${l.listsHint ? LISTS_HINT : ''}`
        : this.need > l.fieldCount
          ? `but the columns option reads the ${lacking.join(', ')}`
          : `where the rows have ${this.need} (as on line ${l.firstLine})${lacking.length ? `: no ${lacking.join(', ')}` : ''}${l.listsHint ? LISTS_HINT : ''}`;
    this.ctx.problems.fail(
      'missing field',
      row,
      row.e,
      row.e,
      `missing field: ${nf} field${nf === 1 ? '' : 's'} ${what}`,
      true,
    );
  }

  /** More fields than the rows have: fine if the extra ones are all empty (a trailing delimiter), else a bad row. */
  private extra(row: Row, quoted: boolean): boolean {
    const { split } = this.ctx;
    const { buf, s, e } = row;
    const all = split.split(buf, s, e, Math.max(split.fs.length, 2 * this.need + 2), quoted);
    for (let k = this.need; k < all; k++) {
      if (split.fs[k] === split.fe[k]) continue;
      const l = this.layout;
      this.ctx.problems.fail(
        'extra field',
        row,
        split.fs[k],
        split.fe[k],
        `extra field: ${all}${all === split.fs.length ? ' or more' : ''} fields where the rows have ${this.need} (as on line ${l.firstLine})${l.listsHint ? LISTS_HINT : ''}`,
      );
      return true;
    }
    split.split(buf, s, e, this.need, quoted); // the fields of the row again, for the caller
    return false;
  }
}
