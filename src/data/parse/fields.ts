/**
 * Splitting one record of bytes into fields: the delimiter (one byte, several bytes, or runs of blanks),
 * its detection from the first line, RFC 4180 quoting (a field that starts with a quote runs to the
 * matching quote, `""` inside standing for one quote, delimiters and line breaks included), and whether
 * a line ends inside a quoted field (so the record goes on at the next line). No strings are made.
 * @internal
 * @module
 */
import { decodeAs, undouble, type Encoding } from './text.js';

const WS = 1;
const BYTE = 0;
const MULTI = 2;

/** `FieldSplitter.delimByte` of runs of spaces and tabs. */
export const WHITESPACE = -2;

/** Field flags (`fq`): plain text; quoted (the range excludes the quotes); quoted with doubled quotes inside. */
export const PLAIN = 0;
export const QUOTED = 1;
export const DOUBLED = 2;

/** The delimiter of a first line: `::`, tab, comma, semicolon, pipe, else runs of blanks (text inside quotes ignored). */
export function detectDelimiter(firstLine: string, quote: string | null = '"'): string {
  let line = firstLine;
  if (quote) {
    const q = quote.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    line = line.replace(new RegExp(`${q}(?:[^${q}]|${q}${q})*${q}`, 'g'), 'x');
  }
  for (const d of ['::', '\t', ',', ';', '|']) if (line.includes(d)) return d;
  return 'whitespace';
}

/** Field boundaries of a record: `fs[k]`..`fe[k]` (byte offsets, surrounding spaces trimmed), `fq[k]` its flag. */
export class FieldSplitter {
  fs = new Int32Array(64);
  fe = new Int32Array(64);
  fq = new Uint8Array(64);
  /** The delimiter in use (`'whitespace'` for runs of spaces and tabs). */
  delimiter = '';
  /** The quote byte, or -1 when quotes are data like any other byte. */
  quote = 34;
  private kind = BYTE;
  private byte = 9;
  /** The delimiter for loops of their own: its byte, WHITESPACE for runs of blanks, -1 for several bytes. */
  delimByte = 9;
  private bytes = new Uint8Array(0);

  /** Use delimiter `d` (`'whitespace'` or `' '`: runs of spaces and tabs). */
  setDelimiter(d: string): void {
    this.delimiter = d;
    if (d === 'whitespace' || d === ' ') {
      this.kind = WS;
      this.delimByte = WHITESPACE;
      return;
    }
    const bytes = new TextEncoder().encode(d);
    if (bytes.length === 1) {
      this.kind = BYTE;
      this.byte = this.delimByte = bytes[0];
    } else {
      this.kind = MULTI;
      this.bytes = bytes;
      this.delimByte = -1;
    }
  }

  /** Room for at least `n` fields. */
  reserve(n: number): void {
    if (n > this.fs.length) {
      this.fs = new Int32Array(n);
      this.fe = new Int32Array(n);
      this.fq = new Uint8Array(n);
    }
  }

  /** The text of field k of the last split record (doubled quotes undone). */
  text(buf: Uint8Array, k: number, encoding: Encoding = 'auto', onFallback?: () => void): string {
    const t = decodeAs(buf, this.fs[k], this.fe[k], encoding, onFallback);
    return this.quotedSplit && this.fq[k] === DOUBLED ? undouble(t, String.fromCharCode(this.quote)) : t;
  }

  /**
   * Split record [s, e) into at most `max` fields; returns how many were found (`max + 1` is a useful
   * `max` to learn whether there are more). `quoted`: the record holds a quote byte, so quoting is read;
   * without it the fast path never looks for quotes.
   */
  split(buf: Uint8Array, s: number, e: number, max: number, quoted = false): number {
    if (max > this.fs.length) this.reserve(max);
    this.quotedSplit = quoted && this.quote >= 0;
    if (this.quotedSplit) return this.splitQuoted(buf, s, e, max);
    const fs = this.fs;
    const fe = this.fe;
    let k = 0;
    let i = s;
    if (this.kind === WS) {
      while (k < max) {
        while (i < e && (buf[i] === 32 || buf[i] === 9)) i++;
        if (i >= e) break;
        fs[k] = i;
        while (i < e && buf[i] !== 32 && buf[i] !== 9) i++;
        fe[k++] = i;
      }
      return k;
    }
    const d = this.byte;
    const db = this.bytes;
    const dl = this.kind === MULTI ? db.length : 1;
    while (k < max) {
      let a = i;
      if (dl > 1) {
        // Inlined (the hot path of '::' files): the next occurrence of all dl bytes.
        const d0 = db[0];
        for (;;) {
          while (i < e && buf[i] !== d0) i++;
          if (i >= e) break;
          let m = 1;
          while (m < dl && i + m < e && buf[i + m] === db[m]) m++;
          if (m === dl) break;
          i++;
        }
      } else while (i < e && buf[i] !== d) i++;
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

  /** True if `buf[i]` starts a delimiter (for whitespace: a space or tab). */
  private delimAt(buf: Uint8Array, i: number, e: number): boolean {
    if (this.kind === WS) return buf[i] === 32 || buf[i] === 9;
    if (this.kind === BYTE) return buf[i] === this.byte;
    const db = this.bytes;
    if (i + db.length > e) return false;
    for (let m = 0; m < db.length; m++) if (buf[i + m] !== db[m]) return false;
    return true;
  }

  /** The next delimiter at or after `i` (or `e`). */
  private nextDelim(buf: Uint8Array, i: number, e: number): number {
    if (this.kind === MULTI) return this.nextMulti(buf, i, e);
    while (i < e && !this.delimAt(buf, i, e)) i++;
    return i;
  }

  private nextMulti(buf: Uint8Array, i: number, e: number): number {
    const d0 = this.bytes[0];
    for (;;) {
      while (i < e && buf[i] !== d0) i++;
      if (i >= e || this.delimAt(buf, i, e)) return i;
      i++;
    }
  }

  /** Past one delimiter at `i` (whitespace: the whole run). */
  private skipDelim(buf: Uint8Array, i: number, e: number): number {
    if (this.kind === WS) {
      while (i < e && (buf[i] === 32 || buf[i] === 9)) i++;
      return i;
    }
    return i + (this.kind === MULTI ? this.bytes.length : 1);
  }

  /**
   * The quote-aware split. A field that starts (after spaces) with a quote and ends with its closing quote
   * (then spaces, then the delimiter or the end) is its inside; one with text after its closing quote is
   * read as it stands, quotes included, up to the next delimiter; one whose quote never closes runs to
   * the end of the record (the caller decides whether that is an error: `unclosed`). Nothing is
   * allocated per field (this runs for every row of a quoted file).
   */
  private splitQuoted(buf: Uint8Array, s: number, e: number, max: number): number {
    const ws = this.kind === WS;
    const q = this.quote;
    const fs = this.fs;
    const fe = this.fe;
    const fq = this.fq;
    let k = 0;
    let i = s;
    this.unclosed = false;
    while (k < max) {
      while (i < e && (buf[i] === 32 || (ws && buf[i] === 9))) i++;
      if (ws && i >= e) break;
      const a = i;
      let flag = PLAIN;
      let fa = a;
      let fb = e;
      if (i < e && buf[i] === q) {
        // The closing quote: the first one not doubled.
        let close = -1;
        let doubled = false;
        for (let j = i + 1; j < e; j++) {
          if (buf[j] !== q) continue;
          if (j + 1 < e && buf[j + 1] === q) {
            doubled = true;
            j++;
            continue;
          }
          close = j;
          break;
        }
        if (close < 0) {
          this.unclosed = true;
          fa = a + 1;
          i = e;
          flag = doubled ? DOUBLED : QUOTED;
        } else {
          let p = close + 1;
          while (p < e && buf[p] === 32) p++;
          if (p >= e || this.delimAt(buf, p, e)) {
            fa = a + 1;
            fb = close;
            i = p;
            flag = doubled ? DOUBLED : QUOTED;
          } else {
            i = this.nextDelim(buf, close + 1, e);
            fb = i;
            while (fb > fa && buf[fb - 1] === 32) fb--;
          }
        }
      } else {
        i = this.nextDelim(buf, i, e);
        fb = i;
        while (fb > fa && buf[fb - 1] === 32) fb--;
      }
      fs[k] = fa;
      fe[k] = fb;
      fq[k++] = flag;
      if (i >= e) break;
      i = this.skipDelim(buf, i, e);
    }
    return k;
  }

  /** Set by a quote-aware split: a quoted field of the record is never closed. */
  unclosed = false;
  /** The last split read quotes (so `fq` holds its fields' flags; otherwise every field is plain). */
  quotedSplit = false;

  /**
   * Whether line [s, e) ends inside a quoted field, reading from the start of a field (`inQuote` false) or
   * from inside a quoted field the previous line left open (`inQuote` true).
   */
  endsInQuote(buf: Uint8Array, s: number, e: number, inQuote: boolean): boolean {
    const q = this.quote;
    let i = s;
    for (;;) {
      if (!inQuote) {
        while (i < e && (buf[i] === 32 || (this.kind === WS && buf[i] === 9))) i++;
        if (i >= e) return false;
        if (buf[i] !== q) {
          i = this.nextDelim(buf, i, e);
          if (i >= e) return false;
          i = this.skipDelim(buf, i, e);
          continue;
        }
        i++;
      }
      // Inside a quoted field: find its closing quote.
      let closed = false;
      for (; i < e; i++) {
        if (buf[i] !== q) continue;
        if (i + 1 < e && buf[i + 1] === q) i++;
        else {
          closed = true;
          i++;
          break;
        }
      }
      if (!closed) return true;
      inQuote = false;
      i = this.nextDelim(buf, i, e);
      if (i >= e) return false;
      i = this.skipDelim(buf, i, e);
    }
  }
}
