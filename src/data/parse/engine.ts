/**
 * The line parser behind readInteractions: fed byte chunks, it splits lines (also across chunk
 * boundaries, CRLF included), finds fields by scanning bytes for the delimiter, parses numbers from the
 * bytes directly, and appends to typed column stores. No string is made per line; ids become strings
 * only when they are not canonical integers. Also reads Matrix Market coordinate files.
 * @internal
 * @module
 */
import { ParseError, ValidationError } from '../../errors.js';
import { cooToCsr, type DuplicatePolicy } from '../csr.js';
import { IdMap, type IdOrder } from '../idmap.js';
import { indexInterned, indexNumeric } from '../ids.js';
import { Interactions, type ParseReport } from '../interactions.js';
import { GrowF64, GrowI32 } from './grow.js';
import { isNonFiniteLiteral, parseIntId, parseNumber } from './numbers.js';

/** Which field holds what: a 0-based position, or a header name. `value: null` ignores values (all 1). */
export interface ColumnSpec {
  user?: number | string;
  item?: number | string;
  value?: number | string | null;
  timestamp?: number | string | null;
}

/** What the parser does with a bad line: `'throw'` (default, strict), `'skip'` (count it in the report) or call a function with the `ParseError`. */
export type OnError = 'throw' | 'skip' | ((error: ParseError) => void);

export interface EngineOptions {
  source: string;
  format: string;
  delimiter?: string;
  header: boolean | 'auto';
  comment: string | null;
  columns?: ColumnSpec;
  ids: 'auto' | 'string';
  nonNegative: boolean;
  onError: OnError;
  /** true: Matrix Market; 'auto': Matrix Market if the first line is its banner. */
  mtx: boolean | 'auto';
}

const WS = 1;
const BYTE = 0;
const MULTI = 2;
const MAX_ERRORS_KEPT = 100;
const HEADER_WORDS = /^"?(user|item|movie|artist|track|product|song|book|rating|score|value|weight|count|plays|playcount|timestamp|time|date)/i;

const utf8 = new TextDecoder();

function decode(buf: Uint8Array, a: number, b: number): string {
  if (b - a <= 64) {
    let ascii = true;
    for (let i = a; i < b; i++) if (buf[i] > 127) ascii = false;
    if (ascii) return String.fromCharCode.apply(null, buf.subarray(a, b) as unknown as number[]);
  }
  return utf8.decode(buf.subarray(a, b));
}

/** One id column: numeric while every id is a canonical integer, then interned strings. */
class IdColumn {
  numeric: boolean;
  readonly nums = new GrowF64();
  readonly codes = new GrowI32();
  readonly list: string[] = [];
  readonly seen = new Map<string, number>();
  constructor(numeric: boolean) {
    this.numeric = numeric;
  }
  push(buf: Uint8Array, a: number, b: number): void {
    if (this.numeric) {
      const v = parseIntId(buf, a, b);
      if (v === v) {
        this.nums.push(v);
        return;
      }
      this.toStrings();
    }
    let s = decode(buf, a, b);
    if (s.length >= 2 && s.charCodeAt(0) === 34 && s.charCodeAt(s.length - 1) === 34) s = s.slice(1, -1);
    this.intern(s);
  }
  private intern(s: string): void {
    let k = this.seen.get(s);
    if (k === undefined) {
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
  private delimKind = BYTE;
  private delimByte = 9;
  private delimBytes = new Uint8Array(0);
  private delimiter = '';
  private header: string[] | undefined;
  private fs = new Int32Array(64);
  private fe = new Int32Array(64);
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
  private mtx = false;
  private mtxField: 'real' | 'integer' | 'pattern' = 'real';
  private mtxSymmetry: 'general' | 'symmetric' | 'skew-symmetric' = 'general';
  private mtxShape: [number, number, number] = [0, 0, 0];
  private format: string;

  constructor(private readonly o: EngineOptions) {
    this.commentByte = o.comment ? o.comment.charCodeAt(0) : -1;
    this.users = new IdColumn(o.ids === 'auto');
    this.items = new IdColumn(o.ids === 'auto');
    this.format = o.format;
    if (o.mtx === true) this.mtx = true;
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
        this.leftover = joined;
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
        this.leftover = Uint8Array.prototype.slice.call(chunk, pos);
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
      delimiter: this.mtx ? 'whitespace' : this.delimiter,
      bytes: this.bytes,
      lines: this.lineNo,
      records: this.records,
      skipped: this.skipped,
      errors: this.errors,
    };
    if (this.header) report.header = this.header;
    if (this.mtx) return this.finishMtx(duplicates, report);
    if (this.records === 0) {
      throw new ParseError(
        this.lineNo === 0 ? 'empty input: no lines to read' : `no data lines (read ${this.lineNo} line${this.lineNo === 1 ? '' : 's'}: header, comments, blanks${this.skipped ? `, ${this.skipped} skipped for errors` : ''})`,
        { source: this.o.source },
      );
    }
    const u = this.users.index(order);
    const it = this.items.index(order);
    const hasTimes = this.tc >= 0;
    const { matrix, times } = cooToCsr(u.indices, it.indices, this.vc >= 0 ? this.values.view : undefined, [u.map.size, it.map.size], duplicates, hasTimes ? this.times.view : undefined, (r, c) =>
      `${this.o.source}: duplicate entry for user ${JSON.stringify(u.map.id(r))}, item ${JSON.stringify(it.map.id(c))}`,
    this.o.source);
    return new Interactions({ matrix, users: u.map, items: it.map, timestamps: times, report });
  }

  // ---- lines ----

  private line(buf: Uint8Array, s: number, e: number): void {
    this.lineNo++;
    if (e > s && buf[e - 1] === 13) e--;
    if (this.phase === 'data') {
      // Hot path: skip blank/comment lines cheaply, then parse.
      const c = buf[s];
      if (e === s || c === this.commentByte) return;
      if ((c === 32 || c === 9) && this.isBlank(buf, s, e)) return;
      this.dataLine(buf, s, e);
      return;
    }
    if (this.lineNo === 1 && this.o.mtx !== false && startsWithBanner(buf, s, e)) {
      this.mtxBanner(buf, s, e);
      return;
    }
    if (this.isBlank(buf, s, e)) return;
    if (this.mtx) {
      if (buf[s] === 37 /* % */) return;
      if (this.phase === 'mtx-size') this.mtxSize(buf, s, e);
      else if (this.phase === 'mtx-data') this.mtxEntry(buf, s, e);
      else throw new ParseError('a Matrix Market file must start with a "%%MatrixMarket matrix coordinate …" banner', { source: this.o.source, line: this.lineNo });
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
    this.setDelimiter(buf, s, e);
    const { header } = this.o;
    if (header === true) return this.takeHeader(buf, s, e);
    if (header === false) return this.startData(buf, s, e);
    const nf = this.tokenize(buf, s, e, 64);
    let numeric = false;
    let named = false;
    for (let k = 0; k < nf; k++) {
      const v = parseNumber(buf, this.fs[k], this.fe[k]);
      if (v === v) numeric = true;
      else if (HEADER_WORDS.test(decode(buf, this.fs[k], this.fe[k]))) named = true;
    }
    if (numeric) return this.startData(buf, s, e);
    if (named) return this.takeHeader(buf, s, e);
    // No numbers and no familiar names: a header if the next line has numbers.
    this.pending = { bytes: buf.slice(s, e), line: this.lineNo };
    this.phase = 'pending';
  }

  private secondLine(buf: Uint8Array, s: number, e: number): void {
    const nf = this.tokenize(buf, s, e, 64);
    let numeric = false;
    for (let k = 0; k < nf && !numeric; k++) {
      const v = parseNumber(buf, this.fs[k], this.fe[k]);
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
    const nf = this.tokenize(buf, s, e, 64);
    this.header = [];
    for (let k = 0; k < nf; k++) this.header.push(decode(buf, this.fs[k], this.fe[k]).replace(/^"(.*)"$/, '$1'));
    this.resolveColumns(nf, true);
    this.phase = 'data';
  }

  private startData(buf: Uint8Array, s: number, e: number): void {
    this.resolveColumns(this.tokenize(buf, s, e, 64), false);
    this.phase = 'data';
    this.dataLine(buf, s, e);
  }

  private setDelimiter(buf: Uint8Array, s: number, e: number): void {
    let d = this.o.delimiter;
    if (d === undefined) {
      const text = decode(buf, s, Math.min(e, s + 4096));
      d = text.includes('::') ? '::' : text.includes('\t') ? '\t' : text.includes(',') ? ',' : text.includes(';') ? ';' : text.includes('|') ? '|' : 'whitespace';
    }
    this.delimiter = d;
    if (d === 'whitespace' || d === ' ') this.delimKind = WS;
    else {
      const bytes = new TextEncoder().encode(d);
      if (bytes.length === 1) {
        this.delimKind = BYTE;
        this.delimByte = bytes[0];
      } else {
        this.delimKind = MULTI;
        this.delimBytes = bytes;
      }
    }
  }

  private resolveColumns(fieldCount: number, fromHeader: boolean): void {
    const spec = this.o.columns ?? {};
    const h = this.header;
    const resolve = (key: 'user' | 'item' | 'value' | 'timestamp', dflt: number): number => {
      const c = spec[key];
      if (c === null) return -1;
      if (c === undefined) return dflt;
      if (typeof c === 'number') return c;
      if (!h) throw new ValidationError(`readInteractions: columns.${key} is ${JSON.stringify(c)}, a header name, but ${this.o.source} has no header line (pass header: true, or give a 0-based position)`);
      let k = h.indexOf(c);
      if (k < 0) k = h.findIndex((x) => x.toLowerCase() === c.toLowerCase());
      if (k < 0) throw new ParseError(`the header has no column ${JSON.stringify(c)} for ${key} (header: ${h.map((x) => JSON.stringify(x)).join(', ')})`, { source: this.o.source, line: this.lineNo });
      return k;
    };
    this.uc = resolve('user', 0);
    this.ic = resolve('item', 1);
    this.vc = resolve('value', fieldCount >= 3 ? 2 : -1);
    this.tc = resolve('timestamp', fieldCount >= 4 ? 3 : -1);
    if (this.uc < 0 || this.ic < 0) throw new ValidationError('readInteractions: columns.user and columns.item are required');
    this.need = Math.max(this.uc, this.ic, this.vc, this.tc) + 1;
    if (this.need > this.fs.length) {
      this.fs = new Int32Array(this.need);
      this.fe = new Int32Array(this.need);
    }
    const names = ['user', 'item', 'value', 'timestamp'];
    [this.uc, this.ic, this.vc, this.tc].forEach((c, i) => {
      if (c >= 0 && h && fromHeader && h[c] !== undefined) names[i] = `${names[i]} "${h[c]}"`;
    });
    this.names = names;
  }

  /** Field boundaries of line [s, e) into fs/fe, at most `max` fields; returns how many were found. */
  private tokenize(buf: Uint8Array, s: number, e: number, max: number): number {
    const fs = this.fs;
    const fe = this.fe;
    if (max > fs.length) max = fs.length;
    let k = 0;
    let i = s;
    if (this.delimKind === WS) {
      while (k < max) {
        while (i < e && (buf[i] === 32 || buf[i] === 9)) i++;
        if (i >= e) break;
        fs[k] = i;
        while (i < e && buf[i] !== 32 && buf[i] !== 9) i++;
        fe[k++] = i;
      }
      return k;
    }
    const d = this.delimByte;
    const multi = this.delimKind === MULTI;
    const db = this.delimBytes;
    const dl = multi ? db.length : 1;
    while (k < max) {
      let a = i;
      if (multi) {
        const d0 = db[0];
        for (;;) {
          while (i < e && buf[i] !== d0) i++;
          if (i >= e) break;
          let m = 1;
          while (m < dl && i + m < e && buf[i + m] === db[m]) m++;
          if (m === dl) break;
          i++;
        }
      } else {
        while (i < e && buf[i] !== d) i++;
      }
      let b = i;
      while (a < b && buf[a] === 32) a++;
      while (b > a && buf[b - 1] === 32) b--;
      fs[k] = a;
      fe[k++] = b;
      if (i >= e) break;
      i += dl;
    }
    return k;
  }

  private dataLine(buf: Uint8Array, s: number, e: number): void {
    const nf = this.tokenize(buf, s, e, this.need);
    if (nf < this.need) {
      const missing = [this.uc, this.ic, this.vc, this.tc].map((c, i) => (c >= nf ? this.names[i] : '')).filter(Boolean);
      return this.fail(buf, s, e, e, e, `missing column: expected at least ${this.need} fields (${missing.join(', ')} in field ${[this.uc, this.ic, this.vc, this.tc].filter((c) => c >= nf).map((c) => c + 1).join(', ')}), found ${nf}`, true);
    }
    const fs = this.fs;
    const fe = this.fe;
    let v = 1;
    if (this.vc >= 0) {
      const a = fs[this.vc];
      const b = fe[this.vc];
      v = parseNumber(buf, a, b);
      if (!(v - v === 0)) return this.badNumber(buf, s, e, a, b, 2, v);
      if (!Number.isFinite(Math.fround(v))) return this.fail(buf, s, e, a, b, `${this.names[2]} (field ${this.vc + 1}) is beyond the float32 range (±3.4e38) values are stored in`);
      if (v < 0 && this.o.nonNegative) return this.fail(buf, s, e, a, b, `${this.names[2]} (field ${this.vc + 1}) is negative, which the ${this.format} format does not allow`);
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
      a === b ? 'is empty; expected a number' : isNonFiniteLiteral(text) || v === v ? 'is not finite (NaN and infinity are not allowed)' : 'is not a number';
    this.fail(buf, s, e, a, b, `${this.names[which]} (field ${col + 1}) ${what}`);
  }

  /** Report a bad line: throw, or count and skip it. `showLine`: quote the whole line rather than the field. */
  private fail(buf: Uint8Array, s: number, e: number, a: number, b: number, message: string, showLine = false): void {
    const column = utf8.decode(buf.subarray(s, a)).length + 1;
    const quoted = showLine ? utf8.decode(buf.subarray(s, e)) : utf8.decode(buf.subarray(a, b));
    const shown = quoted.length > 60 ? `${quoted.slice(0, 57)}...` : quoted;
    const err = new ParseError(`${message}: ${JSON.stringify(shown)}`, { source: this.o.source, line: this.lineNo, column });
    const on = this.o.onError;
    if (on === 'throw') throw err;
    this.skipped++;
    if (this.errors.length < MAX_ERRORS_KEPT) this.errors.push(err);
    if (typeof on === 'function') on(err);
  }

  // ---- Matrix Market ----

  private mtxBanner(buf: Uint8Array, s: number, e: number): void {
    this.mtx = true;
    this.format = 'matrix-market';
    const words = utf8.decode(buf.subarray(s, e)).trim().toLowerCase().split(/\s+/);
    const [, object, layout, field, symmetry] = words;
    const where = { source: this.o.source, line: this.lineNo };
    if (object !== 'matrix') throw new ParseError(`Matrix Market object ${JSON.stringify(object)} is not supported; expected "matrix"`, where);
    if (layout !== 'coordinate') throw new ParseError(`Matrix Market layout ${JSON.stringify(layout)} is not supported; expected "coordinate" (sparse)`, where);
    if (field !== 'real' && field !== 'integer' && field !== 'pattern') throw new ParseError(`Matrix Market field ${JSON.stringify(field)} is not supported; expected real, integer or pattern`, where);
    if (symmetry !== 'general' && symmetry !== 'symmetric' && symmetry !== 'skew-symmetric') {
      throw new ParseError(`Matrix Market symmetry ${JSON.stringify(symmetry)} is not supported; expected general, symmetric or skew-symmetric`, where);
    }
    this.mtxField = field;
    this.mtxSymmetry = symmetry;
    this.delimKind = WS;
    this.phase = 'mtx-size';
  }

  private mtxSize(buf: Uint8Array, s: number, e: number): void {
    const nf = this.tokenize(buf, s, e, 4);
    const nums = [0, 1, 2].map((k) => (k < nf ? parseIntId(buf, this.fs[k], this.fe[k]) : NaN));
    if (nf !== 3 || nums.some((x) => !(x >= 0))) {
      throw new ParseError(`the Matrix Market size line must be "rows columns entries" (three non-negative integers): ${JSON.stringify(utf8.decode(buf.subarray(s, e)))}`, {
        source: this.o.source,
        line: this.lineNo,
        column: 1,
      });
    }
    // Refuse sizes no SparseMatrix can hold before allocating for them (Int32 indices and nonzero counts).
    const [nr, nc, nz] = nums;
    const where = { source: this.o.source, line: this.lineNo, column: 1 };
    if (nr > 0x7fffffff || nc > 0x7fffffff) throw new ParseError(`the size line declares a ${nr} × ${nc} matrix; rows and columns are limited to 2^31-1`, where);
    if (nz > 0x7fffffff) throw new ParseError(`the size line declares ${nz} entries; a SparseMatrix holds at most 2^31-1 nonzeros`, where);
    if (nz > nr * nc) throw new ParseError(`the size line declares ${nz} entries, more than the ${nr} × ${nc} = ${nr * nc} cells`, where);
    this.mtxShape = nums as [number, number, number];
    this.need = this.mtxField === 'pattern' ? 2 : 3;
    this.vc = this.mtxField === 'pattern' ? -1 : 2;
    this.names = ['row index', 'column index', 'value', ''];
    this.phase = 'mtx-data';
  }

  private mtxEntry(buf: Uint8Array, s: number, e: number): void {
    const [rows, cols, nnz] = this.mtxShape;
    if (this.records + this.skipped >= nnz) {
      return this.fail(buf, s, e, s, e, `more entries than the ${nnz} declared on the size line`);
    }
    const nf = this.tokenize(buf, s, e, this.need);
    if (nf < this.need) return this.fail(buf, s, e, e, e, `missing column: a ${this.mtxField} entry has ${this.need} fields (row column${this.need === 3 ? ' value' : ''}), found ${nf}`, true);
    const lim = [rows, cols];
    const idx = [0, 0];
    for (let k = 0; k < 2; k++) {
      const a = this.fs[k];
      const b = this.fe[k];
      const v = parseIntId(buf, a, b);
      if (!(v === v)) return this.fail(buf, s, e, a, b, `${this.names[k]} is not an integer`);
      if (v < 1 || v > lim[k]) return this.fail(buf, s, e, a, b, `${this.names[k]} ${v} is outside the declared shape ${rows} × ${cols} (indices are 1-based)`);
      idx[k] = v;
    }
    let v = 1;
    if (this.vc >= 0) {
      const a = this.fs[2];
      const b = this.fe[2];
      v = parseNumber(buf, a, b);
      if (!(v - v === 0)) return this.badNumber(buf, s, e, a, b, 2, v);
      if (!Number.isFinite(Math.fround(v))) return this.fail(buf, s, e, a, b, 'value is beyond the float32 range (±3.4e38) values are stored in');
      if (this.mtxField === 'integer' && !Number.isInteger(v)) return this.fail(buf, s, e, a, b, 'value is not an integer, which an "integer" Matrix Market file requires');
    }
    this.users.nums.push(idx[0] - 1);
    this.items.nums.push(idx[1] - 1);
    this.values.push(v);
    this.records++;
  }

  private finishMtx(duplicates: DuplicatePolicy, report: ParseReport): Interactions {
    if (this.phase !== 'mtx-data') throw new ParseError('empty input: the Matrix Market size line is missing', { source: this.o.source, line: this.lineNo });
    const [rows, cols, nnz] = this.mtxShape;
    if (this.records + this.skipped < nnz) {
      throw new ParseError(`the size line declares ${nnz} entries but the file has ${this.records + this.skipped}`, { source: this.o.source, line: this.lineNo });
    }
    let r = this.users.nums.view;
    let c = this.items.nums.view;
    let v = this.values.view;
    if (this.mtxSymmetry !== 'general') {
      // Only one triangle is stored: add the mirror of every off-diagonal entry.
      const sign = this.mtxSymmetry === 'skew-symmetric' ? -1 : 1;
      const R = new GrowF64();
      const C = new GrowF64();
      const V = new GrowF64();
      for (let p = 0; p < r.length; p++) {
        R.push(r[p]);
        C.push(c[p]);
        V.push(v[p]);
        if (r[p] !== c[p]) {
          R.push(c[p]);
          C.push(r[p]);
          V.push(sign * v[p]);
        }
      }
      r = R.view;
      c = C.view;
      v = V.view;
    }
    const { matrix } = cooToCsr(r, c, v, [rows, cols], duplicates, undefined, (i, j) => `${this.o.source}: duplicate entry (${i + 1}, ${j + 1})`, this.o.source);
    const ids = (n: number) => IdMap.from(Array.from({ length: n }, (_, i) => i + 1));
    return new Interactions({ matrix, users: ids(rows), items: ids(cols), report });
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function startsWithBanner(buf: Uint8Array, s: number, e: number): boolean {
  const banner = '%%matrixmarket';
  if (e - s < banner.length) return false;
  for (let k = 0; k < banner.length; k++) if ((buf[s + k] | 0x20) !== banner.charCodeAt(k) && buf[s + k] !== banner.charCodeAt(k)) return false;
  return true;
}
