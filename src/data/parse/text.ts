/**
 * Text of field bytes: UTF-8 when the bytes are valid UTF-8, else windows-1252 (the Latin-1 superset
 * old exports such as the Book-Crossing dump are written in) — byte for byte, so distinct ids stay
 * distinct and nothing turns into U+FFFD. Quoted fields lose their doubled quotes here.
 * @internal
 * @module
 */

// ignoreBOM: a U+FEFF inside a field is text (the file's own byte-order mark is dropped by records.ts).
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** windows-1252's 0x80–0x9F (0 where the code page leaves a byte undefined: read as Latin-1, U+0080–U+009F). */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0, 0,
  0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** Are bytes [a, b) well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF)? */
export function isUtf8(buf: Uint8Array, a: number, b: number): boolean {
  let i = a;
  while (i < b) {
    const c = buf[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return false;
    if (i + n >= b) return false; // the sequence runs past the field
    const c1 = buf[i + 1];
    if (c1 < lo || c1 > hi) return false;
    for (let k = 2; k <= n; k++) if ((buf[i + k] & 0xc0) !== 0x80) return false;
    i += n + 1;
  }
  return true;
}

/** windows-1252 text of bytes [a, b). */
export function windows1252(buf: Uint8Array, a: number, b: number): string {
  let s = '';
  for (let i = a; i < b; i++) {
    const c = buf[i];
    s += String.fromCharCode(c >= 0x80 && c < 0xa0 ? CP1252_HIGH[c - 0x80] || c : c);
  }
  return s;
}

/** The character codes of a short text, reused (no view of the bytes made per text). */
const codes: number[] = [];

/** Text of bytes [a, b) known to be ASCII. */
export function asciiText(buf: Uint8Array, a: number, b: number): string {
  if (b - a > 64) return utf8.decode(buf.subarray(a, b));
  codes.length = b - a;
  for (let i = a; i < b; i++) codes[i - a] = buf[i];
  return String.fromCharCode.apply(null, codes);
}

/** Text of bytes [a, b) read as UTF-8 (an invalid sequence becomes U+FFFD). */
export function utf8Text(buf: Uint8Array, a: number, b: number): string {
  return utf8.decode(buf.subarray(a, b));
}

/** windows-1252's bytes 0x80–0x9F by character (a byte the code page leaves undefined stands for itself). */
const CP1252_BYTE = new Map<number, number>(CP1252_HIGH.map((c, i) => [c || 0x80 + i, 0x80 + i]));

/**
 * The windows-1252 bytes of `s` into `out` (room for `s.length` bytes); false if `s` has a character
 * the code page cannot write.
 */
export function encodeWindows1252(s: string, out: Uint8Array): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const byte = c < 0x80 || (c >= 0xa0 && c <= 0xff) ? c : CP1252_BYTE.get(c);
    if (byte === undefined) return false;
    out[i] = byte;
  }
  return true;
}

/** How field bytes become text: `'auto'` (UTF-8 where valid, else windows-1252), or one of the two always. */
export type Encoding = 'auto' | 'utf-8' | 'windows-1252';

/** Text of bytes [a, b); `onFallback` is called when `'auto'` read them as windows-1252. */
export function decodeAs(
  buf: Uint8Array,
  a: number,
  b: number,
  encoding: Encoding = 'auto',
  onFallback?: () => void,
): string {
  let ascii = true;
  for (let i = a; i < b; i++)
    if (buf[i] > 127) {
      ascii = false;
      break;
    }
  if (ascii) return asciiText(buf, a, b);
  if (encoding === 'windows-1252') return windows1252(buf, a, b);
  if (encoding === 'utf-8' || isUtf8(buf, a, b)) return utf8.decode(buf.subarray(a, b));
  onFallback?.();
  return windows1252(buf, a, b);
}

/** `text` with each doubled quote (`""`) made one. */
export function undouble(text: string, quote: string): string {
  return text.replaceAll(quote + quote, quote);
}
