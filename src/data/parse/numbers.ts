/**
 * Number parsing straight from UTF-8 bytes: the parser's hot path, with no string made per field.
 * Results equal `Number(text)` (a mantissa below 2^53 divided or multiplied by an exact power of ten is
 * one correctly rounded operation); longer or unusual literals fall back to `Number`.
 * @internal
 * @module
 */

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Text of bytes [a, b) (for errors and the rare slow path). */
export function latin1(buf: Uint8Array, a: number, b: number): string {
  let s = '';
  for (let i = a; i < b; i++) s += String.fromCharCode(buf[i]);
  return s;
}

/**
 * The decimal number in bytes [a, b) (`-12`, `3.5`, `.5`, `1e-3`), or NaN if the bytes are not one. NaN
 * and Infinity literals give NaN too; the caller tells them apart for its message.
 */
export function parseNumber(buf: Uint8Array, a: number, b: number): number {
  let i = a;
  let neg = false;
  let c = buf[i];
  if (c === 45 /* - */) {
    neg = true;
    i++;
  } else if (c === 43 /* + */) i++;
  let mant = 0;
  let digits = 0;
  let exp = 0;
  for (; i < b; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) break;
    mant = mant * 10 + d;
    digits++;
  }
  if (i < b && buf[i] === 46 /* . */) {
    for (i++; i < b; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
      digits++;
      exp--;
    }
  }
  if (digits === 0) return NaN;
  if (i < b) {
    c = buf[i];
    if (c !== 101 && c !== 69) return NaN; // e / E
    i++;
    let eneg = false;
    if (buf[i] === 45) {
      eneg = true;
      i++;
    } else if (buf[i] === 43) i++;
    let e = 0;
    let ed = 0;
    for (; i < b; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) break;
      e = e * 10 + d;
      ed++;
    }
    if (ed === 0 || i < b) return NaN;
    exp += eneg ? -e : e;
  }
  // Number() of the full text (sign included) where one exact operation cannot give the right rounding.
  if (digits > 15 || exp < -22 || exp > 22) return Number(latin1(buf, a, b));
  const v = exp < 0 ? mant / POW10[-exp] : mant * POW10[exp];
  return neg ? -v : v;
}

/**
 * A canonical integer id in bytes [a, b): `0` or `-?[1-9][0-9]{0,14}` — exactly the texts that
 * `String(n)` gives back, so numeric and string ids can be converted into each other losslessly. NaN
 * otherwise.
 */
export function parseIntId(buf: Uint8Array, a: number, b: number): number {
  let i = a;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  }
  const len = b - i;
  if (len < 1 || len > 15) return NaN;
  if (buf[i] === 48 /* 0 */ && (len > 1 || neg)) return NaN;
  let v = 0;
  for (; i < b; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return neg ? -v : v;
}

/** Is the text a NaN or infinity literal (as written by numpy, R, Java, …)? */
export function isNonFiniteLiteral(text: string): boolean {
  return /^[+-]?(nan|inf|infinity)$/i.test(text.trim());
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An ISO 8601 date or date-time in bytes [a, b) (`2016-03-09`, `2016-03-09 00:44:42`, `…T00:44:42.5Z`,
 * `…+01:00`) as seconds since 1970-01-01 UTC (UTC unless the text gives an offset); NaN otherwise.
 */
export function parseDate(buf: Uint8Array, a: number, b: number): number {
  if (b - a < 10 || b - a > 40) return NaN;
  const m = ISO_DATE.exec(latin1(buf, a, b));
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  const check = new Date(ms);
  if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 60) return NaN;
  let offset = 0;
  if (zone && zone !== 'Z') {
    const z = zone.replace(':', '');
    offset = (zone[0] === '-' ? -1 : 1) * (+z.slice(1, 3) * 60 + +z.slice(3, 5)) * 60;
  }
  return ms / 1000 + (frac ? Number(frac) : 0) - offset;
}
