/**
 * The line parser behind readInteractions: fed byte chunks, it splits lines (also across chunk
 * boundaries, CRLF included), finds fields by scanning bytes for the delimiter, parses numbers from the
 * bytes directly, and appends to typed column stores. No string is made per line; ids become strings
 * only when they are not canonical integers. The first line decides the layout (delimiter, header,
 * columns, and — for format 'auto' — a named format); Matrix Market files are recognised by their banner.
 * @internal
 * @module
 */
import { ParseError } from '../../errors.js';
import { cooToCsr, type DuplicatePolicy } from '../csr.js';
import { IdMap, type IdOrder } from '../idmap.js';
import { indexInterned, indexNumeric } from '../ids.js';
import { Interactions, type ParseReport } from '../interactions.js';
import { MAX_LINE_BYTES, type Budget } from './budget.js';
import { planColumns, roleOfName, type ColumnSpec } from './columns.js';
import { detectDelimiter, FieldSplitter } from './fields.js';
import { FORMATS, recogniseFormat, type FormatSpec } from './formats.js';
import { GrowF64, GrowI32 } from './grow.js';
import { checkSize, mirrored, parseBanner, startsWithBanner, type MtxHeader } from './mtx.js';
import { decode, isNonFiniteLiteral, parseIntId, parseNumber } from './numbers.js';

/** What the parser does with a bad line: `'throw'` (default, strict), `'skip'` (count it in the report) or call a function with the `ParseError`. */
export type OnError = 'throw' | 'skip' | ((error: ParseError) => void);

export interface EngineOptions {
  source: string;
  format: string;
  /** Format 'auto': adopt a named format when the first line (and the source name) matches it. */
  recognise: boolean;
  delimiter?: string;
  header: boolean | 'auto';
  comment: string | null;
  columns?: ColumnSpec;
  /** undefined: 'auto', unless a recognised format says otherwise. */
  ids: 'auto' | 'string' | undefined;
  /** undefined: false, unless a recognised format says otherwise. */
  nonNegative: boolean | undefined;
  onError: OnError;
  /** true: Matrix Market; 'auto': Matrix Market if the first line is its banner. */
  mtx: boolean | 'auto';
  budget: Budget;
}

const MAX_ERRORS_KEPT = 100;
/** Words that make a first line without numbers a header (besides the column names of columns.ts). */
const HEADER_WORDS =
  /^"?(user|item|movie|artist|track|product|song|book|rating|score|value|weight|count|plays|playcount|timestamp|time|date)/i;

const utf8 = new TextDecoder();
const unquote = (s: string): string =>
  s.length >= 2 && s.charCodeAt(0) === 34 && s.charCodeAt(s.length - 1) === 34 ? s.slice(1, -1) : s;

/** One id column: numeric while every id is a canonical integer, then interned strings. */
class IdColumn {
  readonly nums = new GrowF64();
  readonly codes = new GrowI32();
  readonly list: string[] = [];
  readonly seen = new Map<string, number>();
  constructor(
    public numeric: boolean,
    private readonly budget: Budget,
  ) {}
  push(buf: Uint8Array, a: number, b: number): void {
    if (this.numeric) {
      const v = parseIntId(buf, a, b);
      if (v === v) {
        this.nums.push(v);
        return;
      }
      this.toStrings();
    }
    this.intern(unquote(decode(buf, a, b)));
  }
  private intern(s: string): void {
    let k = this.seen.get(s);
    if (k === undefined) {
      this.budget.chargeId(s.length);
      k = this.list.length;
      this.seen.set(s, k);
      this.list.push(s);
    }
    this.codes.push(k);
  }
  /** A non-integer id appeared: earlier ids become their (identical) text. */
  private toStrings(): void {
    this.numeric = false;
    const v = this.nums.view;
    for (let i = 0; i < v.length; i++) this.intern(String(v[i]));
  }
  index(order: IdOrder): { map: IdMap; indices: Int32Array } {
    return this.numeric ? indexNumeric(this.nums.view, order) : indexInterned(this.list, this.codes.view, order);
  }
}

export class LineEngine {
  lineNo = 0;
  bytes = 0;
  records = 0;
  skipped = 0;
  readonly errors: ParseError[] = [];
  private leftover: Uint8Array | null = null;
  private phase: 'start' | 'pending' | 'data' | 'mtx-size' | 'mtx-data' = 'start';
  private pending: { bytes: Uint8Array; line: number } | null = null;
  private readonly split = new FieldSplitter();
  private header: string[] | undefined;
  private need = 2;
  private uc = 0;
  private ic = 1;
  private vc = -1;
  private tc = -1;
  private names = ['user', 'item', 'value', 'timestamp'];
  private readonly commentByte: number;
  private readonly users: IdColumn;
  private readonly items: IdColumn;
  private readonly values = new GrowF64();
  private readonly times = new GrowF64();
  private mtx: MtxHeader | undefined;
  private format: string;
  private columns: ColumnSpec | undefined;
  private nonNegative: boolean;

  constructor(private readonly o: EngineOptions) {
    this.commentByte = o.comment ? o.comment.charCodeAt(0) : -1;
    this.users = new IdColumn(o.ids !== 'string', o.budget);
    this.items = new IdColumn(o.ids !== 'string', o.budget);
    this.format = o.format;
    this.columns = o.columns;
    this.nonNegative = o.nonNegative ?? false;
  }

  /** Feed the next chunk. */
  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    let pos = 0;
    const n = chunk.length;
    if (this.leftover) {
      const nl = chunk.indexOf(10);
      const joined = concat(this.leftover, nl < 0 ? chunk : chunk.subarray(0, nl));
      if (nl < 0) {
        this.leftover = this.checkLength(joined);
        return;
      }
      this.leftover = null;
      this.line(joined, 0, joined.length);
      pos = nl + 1;
    }
    while (pos < n) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        // Copy: stream chunks (Node Buffers) may be views of reused memory.
        this.leftover = this.checkLength(Uint8Array.prototype.slice.call(chunk, pos));
        return;
      }
      this.line(chunk, pos, nl);
      pos = nl + 1;
    }
  }

  /** No more input: flush the last line and build the result. */
  finish(order: IdOrder, duplicates: DuplicatePolicy): Interactions {
    if (this.leftover) {
      const l = this.leftover;
      this.leftover = null;
      this.line(l, 0, l.length);
    }
    if (this.pending) this.flushPending(false);
    const report: ParseReport = {
      source: this.o.source,
      format: this.format,
      delimiter: this.mtx ? 'whitespace' : this.split.delimiter,
      bytes: this.bytes,
      lines: this.lineNo,
      records: this.records,
      skipped: this.skipped,
      errors: this.errors,
    };
    if (this.header) report.header = this.header;
    if (this.mtx) return this.finishMtx(this.mtx, duplicates, report);
    if (this.records === 0) {
      throw new ParseError(
        this.lineNo === 0
          ? 'empty input: no lines to read'
          : `no data lines (read ${this.lineNo} line${this.lineNo === 1 ? '' : 's'}: header, comments, blanks${this.skipped ? `, ${this.skipped} skipped for errors` : ''})`,
        { source: this.o.source },
      );
    }
    report.columns = { user: this.uc, item: this.ic, value: this.vc, timestamp: this.tc };
    const u = this.users.index(order);
    const it = this.items.index(order);
    const hasTimes = this.tc >= 0;
    const { matrix, times } = cooToCsr(
      u.indices,
      it.indices,
      this.vc >= 0 ? this.values.view : undefined,
      [u.map.size, it.map.size],
      duplicates,
      hasTimes ? this.times.view : undefined,
      (r, c) =>
        `${this.o.source}: duplicate entry for user ${JSON.stringify(u.map.id(r))}, item ${JSON.stringify(it.map.id(c))}`,
      this.o.source,
    );
    return new Interactions({ matrix, users: u.map, items: it.map, timestamps: times, report });
  }

  // ---- lines ----

  private checkLength(pending: Uint8Array): Uint8Array {
    if (pending.length > MAX_LINE_BYTES) this.tooLong(this.lineNo + 1);
    return pending;
  }

  private tooLong(line: number): never {
    throw new ParseError(
      `a line longer than ${MAX_LINE_BYTES >> 20} MiB: this is not delimited interaction data (binary data, or no line breaks?)`,
      { source: this.o.source, line },
    );
  }

  private line(buf: Uint8Array, s: number, e: number): void {
    this.lineNo++;
    if (e > s && buf[e - 1] === 13) e--;
    if (e - s > MAX_LINE_BYTES) this.tooLong(this.lineNo);
    if (this.phase === 'data') {
      // Hot path: skip blank/comment lines cheaply, then parse.
      const c = buf[s];
      if (e === s || c === this.commentByte) return;
      if ((c === 32 || c === 9) && this.isBlank(buf, s, e)) return;
      this.dataLine(buf, s, e);
      return;
    }
    if (this.lineNo === 1 && this.o.mtx !== false && startsWithBanner(buf, s, e)) {
      this.mtx = {
        ...parseBanner(utf8.decode(buf.subarray(s, e)), { source: this.o.source, line: this.lineNo }),
        rows: 0,
        cols: 0,
        entries: 0,
      };
      this.format = 'matrix-market';
      this.split.setDelimiter('whitespace');
      this.phase = 'mtx-size';
      return;
    }
    if (this.isBlank(buf, s, e)) return;
    if (this.o.mtx === true || this.mtx) {
      if (buf[s] === 37 /* % */) return;
      if (this.phase === 'mtx-size') this.mtxSize(this.mtx!, buf, s, e);
      else if (this.phase === 'mtx-data') this.mtxEntry(this.mtx!, buf, s, e);
      else
        throw new ParseError('a Matrix Market file must start with a "%%MatrixMarket matrix coordinate …" banner', {
          source: this.o.source,
          line: this.lineNo,
        });
      return;
    }
    if (buf[s] === this.commentByte) return;
    if (this.phase === 'start') this.firstLine(buf, s, e);
    else if (this.phase === 'pending') this.secondLine(buf, s, e);
  }

  private isBlank(buf: Uint8Array, s: number, e: number): boolean {
    for (let i = s; i < e; i++) if (buf[i] !== 32 && buf[i] !== 9) return false;
    return true;
  }

  private firstLine(buf: Uint8Array, s: number, e: number): void {
    this.split.setDelimiter(this.o.delimiter ?? detectDelimiter(decode(buf, s, Math.min(e, s + 4096))));
    const { header } = this.o;
    if (header === true) return this.takeHeader(buf, s, e);
    if (header === false) return this.startData(buf, s, e);
    const nf = this.split.split(buf, s, e, 64);
    let numeric = false;
    let named = false;
    for (let k = 0; k < nf; k++) {
      const v = parseNumber(buf, this.split.fs[k], this.split.fe[k]);
      if (v === v) numeric = true;
      else {
        const text = unquote(this.split.text(buf, k));
        if (roleOfName(text) || HEADER_WORDS.test(text)) named = true;
      }
    }
    if (numeric) return this.startData(buf, s, e);
    if (named) return this.takeHeader(buf, s, e);
    // No numbers and no familiar names: a header if the next line has numbers.
    this.pending = { bytes: buf.slice(s, e), line: this.lineNo };
    this.phase = 'pending';
  }

  private secondLine(buf: Uint8Array, s: number, e: number): void {
    const nf = this.split.split(buf, s, e, 64);
    let numeric = false;
    for (let k = 0; k < nf && !numeric; k++) {
      const v = parseNumber(buf, this.split.fs[k], this.split.fe[k]);
      if (v === v) numeric = true;
    }
    this.flushPending(numeric);
    this.dataLine(buf, s, e);
  }

  private flushPending(isHeader: boolean): void {
    const p = this.pending!;
    this.pending = null;
    const saved = this.lineNo;
    this.lineNo = p.line;
    if (isHeader) this.takeHeader(p.bytes, 0, p.bytes.length);
    else this.startData(p.bytes, 0, p.bytes.length);
    this.lineNo = saved;
  }

  private takeHeader(buf: Uint8Array, s: number, e: number): void {
    const nf = this.split.split(buf, s, e, 64);
    this.header = [];
    for (let k = 0; k < nf; k++) this.header.push(unquote(this.split.text(buf, k)));
    this.layout(this.header, nf);
    this.phase = 'data';
  }

  private startData(buf: Uint8Array, s: number, e: number): void {
    const nf = this.split.split(buf, s, e, 64);
    const fields: string[] = [];
    for (let k = 0; k < nf; k++) fields.push(this.split.text(buf, k));
    this.layout(fields, nf);
    this.phase = 'data';
    this.dataLine(buf, s, e);
  }

  /** Fix the columns from the first line (`fields`: the header, or the first data line). */
  private layout(fields: string[], fieldCount: number): void {
    if (this.o.recognise) {
      const named = recogniseFormat(this.o.source, this.split.delimiter, this.header, fields);
      if (named) {
        const f: FormatSpec = FORMATS[named];
        this.format = named;
        // What the caller gave explicitly stays.
        if (this.columns === undefined) this.columns = f.columns;
        if (this.o.nonNegative === undefined) this.nonNegative = f.nonNegative ?? false;
        if (this.o.ids === undefined && f.ids === 'string') this.users.numeric = this.items.numeric = false;
      } else {
        this.format = 'delimited'; // no named format: the report says what the file was read as
      }
    }
    const p = planColumns(this.columns, this.header, fieldCount, {
      source: this.o.source,
      line: this.lineNo,
      format: this.format,
    });
    [this.uc, this.ic, this.vc, this.tc] = [p.user, p.item, p.value, p.timestamp];
    this.need = Math.max(this.uc, this.ic, this.vc, this.tc) + 1;
    this.split.reserve(this.need);
    this.names = [p.labels.user, p.labels.item, p.labels.value, p.labels.timestamp];
  }

  private dataLine(buf: Uint8Array, s: number, e: number): void {
    const nf = this.split.split(buf, s, e, this.need);
    if (nf < this.need) {
      const missing = [this.uc, this.ic, this.vc, this.tc]
        .map((c, i) => (c >= nf ? this.names[i] : ''))
        .filter(Boolean);
      return this.fail(
        buf,
        s,
        e,
        e,
        e,
        `missing column: expected at least ${this.need} fields (${missing.join(', ')} in field ${[
          this.uc,
          this.ic,
          this.vc,
          this.tc,
        ]
          .filter((c) => c >= nf)
          .map((c) => c + 1)
          .join(', ')}), found ${nf}`,
        true,
      );
    }
    const fs = this.split.fs;
    const fe = this.split.fe;
    let v = 1;
    if (this.vc >= 0) {
      const a = fs[this.vc];
      const b = fe[this.vc];
      v = parseNumber(buf, a, b);
      if (!(v - v === 0)) return this.badNumber(buf, s, e, a, b, 2, v);
      if (!Number.isFinite(Math.fround(v)))
        return this.fail(
          buf,
          s,
          e,
          a,
          b,
          `${this.names[2]} (field ${this.vc + 1}) is beyond the float32 range (±3.4e38) values are stored in`,
        );
      if (v < 0 && this.nonNegative)
        return this.fail(
          buf,
          s,
          e,
          a,
          b,
          `${this.names[2]} (field ${this.vc + 1}) is negative, which the ${this.format} format does not allow`,
        );
    }
    let t = 0;
    if (this.tc >= 0) {
      const a = fs[this.tc];
      const b = fe[this.tc];
      t = parseNumber(buf, a, b);
      if (!(t - t === 0)) return this.badNumber(buf, s, e, a, b, 3, t);
    }
    const ua = fs[this.uc];
    const ub = fe[this.uc];
    const ia = fs[this.ic];
    const ib = fe[this.ic];
    if (ua === ub) return this.fail(buf, s, e, ua, ub, `${this.names[0]} (field ${this.uc + 1}) is empty`);
    if (ia === ib) return this.fail(buf, s, e, ia, ib, `${this.names[1]} (field ${this.ic + 1}) is empty`);
    if (this.records >= this.o.budget.maxRecords) this.o.budget.exceeded(this.records);
    this.users.push(buf, ua, ub);
    this.items.push(buf, ia, ib);
    if (this.vc >= 0) this.values.push(v);
    if (this.tc >= 0) this.times.push(t);
    this.records++;
  }

  private badNumber(buf: Uint8Array, s: number, e: number, a: number, b: number, which: number, v: number): void {
    const col = which === 2 ? this.vc : this.tc;
    const text = decode(buf, a, b);
    const what =
      a === b
        ? 'is empty; expected a number'
        : isNonFiniteLiteral(text) || v === v
          ? 'is not finite (NaN and infinity are not allowed)'
          : 'is not a number';
    this.fail(buf, s, e, a, b, `${this.names[which]} (field ${col + 1}) ${what}`);
  }

  /** Report a bad line: throw, or count and skip it. `showLine`: quote the whole line rather than the field. */
  private fail(buf: Uint8Array, s: number, e: number, a: number, b: number, message: string, showLine = false): void {
    const column = utf8.decode(buf.subarray(s, a)).length + 1;
    const quoted = showLine ? utf8.decode(buf.subarray(s, e)) : utf8.decode(buf.subarray(a, b));
    const shown = quoted.length > 60 ? `${quoted.slice(0, 57)}...` : quoted;
    const err = new ParseError(`${message}: ${JSON.stringify(shown)}`, {
      source: this.o.source,
      line: this.lineNo,
      column,
    });
    const on = this.o.onError;
    if (on === 'throw') throw err;
    this.skipped++;
    if (this.errors.length < MAX_ERRORS_KEPT) this.errors.push(err);
    if (typeof on === 'function') on(err);
  }

  // ---- Matrix Market ----

  private mtxSize(m: MtxHeader, buf: Uint8Array, s: number, e: number): void {
    const nf = this.split.split(buf, s, e, 4);
    const nums = [0, 1, 2].map((k) => (k < nf ? parseIntId(buf, this.split.fs[k], this.split.fe[k]) : NaN));
    [m.rows, m.cols, m.entries] = checkSize(nums, nf, utf8.decode(buf.subarray(s, e)), {
      source: this.o.source,
      line: this.lineNo,
      column: 1,
    });
    this.o.budget.checkDeclared(m.symmetry === 'general' ? m.entries : 2 * m.entries, m.rows + m.cols);
    this.need = m.field === 'pattern' ? 2 : 3;
    this.vc = m.field === 'pattern' ? -1 : 2;
    this.names = ['row index', 'column index', 'value', ''];
    this.phase = 'mtx-data';
  }

  private mtxEntry(m: MtxHeader, buf: Uint8Array, s: number, e: number): void {
    if (this.records + this.skipped >= m.entries) {
      return this.fail(buf, s, e, s, e, `more entries than the ${m.entries} declared on the size line`);
    }
    const nf = this.split.split(buf, s, e, this.need);
    if (nf < this.need)
      return this.fail(
        buf,
        s,
        e,
        e,
        e,
        `missing column: a ${m.field} entry has ${this.need} fields (row column${this.need === 3 ? ' value' : ''}), found ${nf}`,
        true,
      );
    const lim = [m.rows, m.cols];
    const idx = [0, 0];
    for (let k = 0; k < 2; k++) {
      const a = this.split.fs[k];
      const b = this.split.fe[k];
      const v = parseIntId(buf, a, b);
      if (!(v === v)) return this.fail(buf, s, e, a, b, `${this.names[k]} is not an integer`);
      if (v < 1 || v > lim[k])
        return this.fail(
          buf,
          s,
          e,
          a,
          b,
          `${this.names[k]} ${v} is outside the declared shape ${m.rows} × ${m.cols} (indices are 1-based)`,
        );
      idx[k] = v;
    }
    let v = 1;
    if (this.vc >= 0) {
      const a = this.split.fs[2];
      const b = this.split.fe[2];
      v = parseNumber(buf, a, b);
      if (!(v - v === 0)) return this.badNumber(buf, s, e, a, b, 2, v);
      if (!Number.isFinite(Math.fround(v)))
        return this.fail(buf, s, e, a, b, 'value is beyond the float32 range (±3.4e38) values are stored in');
      if (m.field === 'integer' && !Number.isInteger(v))
        return this.fail(buf, s, e, a, b, 'value is not an integer, which an "integer" Matrix Market file requires');
    }
    this.users.nums.push(idx[0] - 1);
    this.items.nums.push(idx[1] - 1);
    this.values.push(v);
    this.records++;
  }

  private finishMtx(m: MtxHeader, duplicates: DuplicatePolicy, report: ParseReport): Interactions {
    if (this.phase !== 'mtx-data')
      throw new ParseError('empty input: the Matrix Market size line is missing', {
        source: this.o.source,
        line: this.lineNo,
      });
    if (this.records + this.skipped < m.entries) {
      throw new ParseError(
        `the size line declares ${m.entries} entries but the file has ${this.records + this.skipped}`,
        { source: this.o.source, line: this.lineNo },
      );
    }
    const { r, c, v } = mirrored(this.users.nums.view, this.items.nums.view, this.values.view, m.symmetry);
    const { matrix } = cooToCsr(
      r,
      c,
      v,
      [m.rows, m.cols],
      duplicates,
      undefined,
      (i, j) => `${this.o.source}: duplicate entry (${i + 1}, ${j + 1})`,
      this.o.source,
    );
    const ids = (n: number) => IdMap.from(Array.from({ length: n }, (_, i) => i + 1));
    return new Interactions({ matrix, users: ids(m.rows), items: ids(m.cols), report });
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
