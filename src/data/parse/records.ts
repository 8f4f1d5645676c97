/**
 * Records from byte chunks: lines ended by `\n`, `\r\n` or `\r` (mixed too), split across chunks or
 * not; a UTF-8 byte-order mark dropped; a line that ends inside a quoted field joined with the next (the
 * line break kept in the field, as RFC 4180 says). Each record goes to the sink with the number of the
 * line it starts on and whether it holds a quote byte (only such records need the quote-aware split).
 * @internal
 * @module
 */
import { ParseError } from '../../errors.js';
import { MAX_LINE_BYTES } from './budget.js';

/** Receives each record: bytes [s, e) of `buf` (no line break at its end), starting on line `line`. */
export interface RecordSink {
  /** Called once, with the first line that is neither blank nor a comment, before it is read as a record. */
  firstLine(buf: Uint8Array, s: number, e: number): void;
  record(buf: Uint8Array, s: number, e: number, line: number, quoted: boolean): void;
  /** Does line [s, e), read from a field start (or inside a quoted field: `inQuote`), end inside quotes? */
  endsInQuote(buf: Uint8Array, s: number, e: number, inQuote: boolean): boolean;
}

/** Reads rows once the layout is known: the hot path, called straight for lines without quotes. */
export interface RowReader {
  row(buf: Uint8Array, s: number, e: number, line: number, quoted: boolean): void;
  /** A line holding a quote byte, read if it is a whole record (false: nothing read, it takes the general path). */
  quotedRow?(buf: Uint8Array, s: number, e: number, line: number): boolean;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export class RecordReader {
  /** Lines read so far (a record spanning lines counts each). */
  lines = 0;
  private leftover: Uint8Array | null = null;
  private started = false;
  private skipLF = false;
  private seenFirst = false;
  /** Set once the layout is known: lines that are whole records without quotes go straight to it. */
  direct: RowReader | null = null;
  /** A record whose quoted field is still open: its bytes so far, and the line it started on. */
  private open: { parts: Uint8Array[]; bytes: number; line: number } | null = null;

  constructor(
    private readonly sink: RecordSink,
    private readonly source: string,
    /** The quote byte (-1: none), and the comment byte (-1: none) whose lines are never quote-scanned. */
    private readonly quote: number,
    private readonly comment: number,
  ) {}

  push(chunk: Uint8Array): void {
    let buf = chunk;
    let pos = 0;
    if (!this.started) {
      if (this.leftover) {
        buf = concat(this.leftover, chunk);
        this.leftover = null;
      }
      if (buf.length < 3) {
        this.leftover = buf.slice();
        return;
      }
      this.started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
    }
    if (this.skipLF && buf.length > pos) {
      this.skipLF = false;
      if (buf[pos] === 10) {
        // The LF of a CRLF split across chunks: inside an open quoted field it is part of the field.
        if (this.open) {
          this.open.parts.push(new Uint8Array([10]));
          this.open.bytes++;
        }
        pos++;
      }
    }
    if (this.leftover) pos = this.finishLeftover(buf, pos);
    if (pos >= 0) this.scan(buf, pos);
  }

  /** The line an earlier chunk began: joined with its end in `buf` (only it, not the chunk). Where to go on, or -1. */
  private finishLeftover(buf: Uint8Array, pos: number): number {
    const lf = buf.indexOf(10, pos);
    const cr = buf.indexOf(13, pos);
    const brk = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    const left = this.leftover!;
    this.leftover = null;
    if (brk < 0) {
      this.leftover = this.checkLength(concat(left, buf.subarray(pos)));
      return -1;
    }
    let next = brk + 1;
    if (buf[brk] === 13) {
      if (next < buf.length) {
        if (buf[next] === 10) next++;
      } else this.skipLF = true;
    }
    const joined = concat(left, buf.subarray(pos, next));
    this.line(joined, 0, joined.length - (next - brk), joined.length);
    return next;
  }

  /** No more input: the last line (without a line break), and an open quoted field. */
  end(): void {
    if (!this.started && this.leftover) {
      // Fewer than 3 bytes in all: no byte-order mark, but maybe line breaks.
      const l = this.leftover;
      this.leftover = null;
      this.started = true;
      this.scan(l, 0);
    }
    this.skipLF = false;
    const l = this.leftover;
    this.leftover = null;
    if (l && l.length > 0) this.line(l, 0, l.length, l.length);
    if (this.open) {
      // The file ends inside a quoted field: the record is what there is (the split reports it unclosed).
      const o = this.open;
      this.open = null;
      const joined = this.joined(o.parts, o.bytes);
      this.sink.record(joined, 0, joined.length, o.line, true);
    }
  }

  private scan(buf: Uint8Array, from: number): void {
    // The common chunk — LF line ends only, no quote, the layout known — takes the plain loop.
    if (this.direct !== null && this.open === null && buf.indexOf(13, from) < 0) {
      if (this.quote < 0 || buf.indexOf(this.quote, from) < 0) {
        this.scanPlain(buf, from, this.direct);
        return;
      }
    }
    const n = buf.length;
    let pos = from;
    // Cursors of the next LF, CR and quote at or after pos (-1: none left in this chunk), advanced lazily so
    // each byte value is searched once per chunk.
    let lf = -2;
    let cr = -2;
    let q = this.quote >= 0 ? -2 : -1;
    while (pos < n) {
      if (lf !== -1 && lf < pos) lf = buf.indexOf(10, pos);
      if (cr !== -1 && cr < pos) cr = buf.indexOf(13, pos);
      const brk = lf < 0 ? cr : cr < 0 ? lf : lf < cr ? lf : cr;
      if (brk < 0) {
        // Copy: stream chunks (Node Buffers) may be views of reused memory.
        this.leftover = this.checkLength(buf.slice(pos));
        return;
      }
      let next = brk + 1;
      if (buf[brk] === 13) {
        if (next < n) {
          if (buf[next] === 10) next++;
        } else this.skipLF = true;
      }
      if (q !== -1 && q < pos) q = buf.indexOf(this.quote, pos);
      const quoted = q >= 0 && q < brk;
      const direct = this.direct;
      if (direct !== null && this.open === null && brk - pos <= MAX_LINE_BYTES) {
        if (!quoted) direct.row(buf, pos, brk, ++this.lines, false);
        // A quoted line that is a whole record is split once (no separate look for an open quote).
        else if (direct.quotedRow?.(buf, pos, brk, this.lines + 1)) this.lines++;
        else this.line(buf, pos, brk, next, true);
      } else this.line(buf, pos, brk, next, quoted);
      pos = next;
    }
  }

  /** `scan` for a chunk without CR and quote bytes. */
  private scanPlain(buf: Uint8Array, from: number, rows: RowReader): void {
    const n = buf.length;
    for (let pos = from; pos < n; ) {
      const brk = buf.indexOf(10, pos);
      if (brk < 0) {
        this.leftover = this.checkLength(buf.slice(pos));
        return;
      }
      if (brk - pos > MAX_LINE_BYTES) this.tooLong(this.lines + 1);
      rows.row(buf, pos, brk, ++this.lines, false);
      pos = brk + 1;
    }
  }

  /** One line [s, e); `next` is where the following line starts ([e, next) is the line break). */
  private line(buf: Uint8Array, s: number, e: number, next: number, hasQuote = this.hasQuote(buf, s, e)): void {
    this.lines++;
    if (e - s > MAX_LINE_BYTES) this.tooLong(this.lines);
    if (this.open) {
      this.continueOpen(buf, s, e, next, hasQuote);
      return;
    }
    if (!this.seenFirst && !this.blankOrComment(buf, s, e)) {
      this.seenFirst = true;
      this.sink.firstLine(buf, s, e);
    }
    if (hasQuote && buf[s] !== this.comment && this.sink.endsInQuote(buf, s, e, false)) {
      this.open = { parts: [buf.slice(s, next)], bytes: next - s, line: this.lines };
      return;
    }
    this.sink.record(buf, s, e, this.lines, hasQuote);
  }

  private continueOpen(buf: Uint8Array, s: number, e: number, next: number, hasQuote: boolean): void {
    const o = this.open!;
    const closes = hasQuote && !this.sink.endsInQuote(buf, s, e, true);
    const piece = buf.subarray(s, closes ? e : next);
    o.parts.push(piece.slice());
    o.bytes += piece.length;
    if (o.bytes > MAX_LINE_BYTES)
      throw new ParseError(
        `a quoted field opened on line ${o.line} is still open after ${MAX_LINE_BYTES >> 20} MiB (an unmatched quote? pass quote: null if quotes are part of the data)`,
        { source: this.source, line: o.line },
      );
    if (!closes) return;
    this.open = null;
    const joined = this.joined(o.parts, o.bytes);
    this.sink.record(joined, 0, joined.length, o.line, true);
  }

  private joined(parts: Uint8Array[], bytes: number): Uint8Array {
    const out = new Uint8Array(bytes);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  private hasQuote(buf: Uint8Array, s: number, e: number): boolean {
    if (this.quote < 0) return false;
    for (let i = s; i < e; i++) if (buf[i] === this.quote) return true;
    return false;
  }

  private blankOrComment(buf: Uint8Array, s: number, e: number): boolean {
    if (s < e && buf[s] === this.comment) return true;
    for (let i = s; i < e; i++) if (buf[i] !== 32 && buf[i] !== 9) return false;
    return true;
  }

  private checkLength(pending: Uint8Array): Uint8Array {
    if (pending.length > MAX_LINE_BYTES) this.tooLong(this.lines + 1);
    return pending;
  }

  private tooLong(line: number): never {
    throw new ParseError(
      `a line longer than ${MAX_LINE_BYTES >> 20} MiB: this is not delimited interaction data (binary data, or no line breaks?)`,
      { source: this.source, line },
    );
  }
}
