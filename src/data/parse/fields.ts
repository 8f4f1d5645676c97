/**
 * Splitting one line of bytes into fields: the delimiter (one byte, several bytes, or runs of blanks),
 * its detection from the first line, and the field boundaries of a line (no strings made).
 * @internal
 * @module
 */
import { decode } from './numbers.js';

const WS = 1;
const BYTE = 0;
const MULTI = 2;

/** The delimiter of a first line: `::`, tab, comma, semicolon, pipe, else runs of blanks. */
export function detectDelimiter(firstLine: string): string {
  for (const d of ['::', '\t', ',', ';', '|']) if (firstLine.includes(d)) return d;
  return 'whitespace';
}

/** Field boundaries of a line: `fs[k]`..`fe[k]` (byte offsets, surrounding spaces trimmed). */
export class FieldSplitter {
  fs = new Int32Array(64);
  fe = new Int32Array(64);
  /** The delimiter in use (`'whitespace'` for runs of spaces and tabs). */
  delimiter = '';
  private kind = BYTE;
  private byte = 9;
  private bytes = new Uint8Array(0);

  /** Use delimiter `d` (`'whitespace'` or `' '`: runs of spaces and tabs). */
  setDelimiter(d: string): void {
    this.delimiter = d;
    if (d === 'whitespace' || d === ' ') {
      this.kind = WS;
      return;
    }
    const bytes = new TextEncoder().encode(d);
    if (bytes.length === 1) {
      this.kind = BYTE;
      this.byte = bytes[0];
    } else {
      this.kind = MULTI;
      this.bytes = bytes;
    }
  }

  /** Room for at least `n` fields. */
  reserve(n: number): void {
    if (n > this.fs.length) {
      this.fs = new Int32Array(n);
      this.fe = new Int32Array(n);
    }
  }

  /** The text of field k of the last split line. */
  text(buf: Uint8Array, k: number): string {
    return decode(buf, this.fs[k], this.fe[k]);
  }

  /** Split line [s, e) into at most `max` fields; returns how many were found. */
  split(buf: Uint8Array, s: number, e: number, max: number): number {
    const fs = this.fs;
    const fe = this.fe;
    if (max > fs.length) max = fs.length;
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
    const multi = this.kind === MULTI;
    const db = this.bytes;
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
}
