/**
 * Where the parser puts what it reads: the id columns (numeric while every id is a canonical integer,
 * then interned strings), values and timestamps as growing typed arrays, users without any item (an
 * empty list), and the build of the Interactions from them.
 * @internal
 * @module
 */
import { cooToCsr, type DuplicatePolicy } from '../csr.js';
import type { IdMap, IdOrder } from '../idmap.js';
import { indexByPermutation, indexInterned, indexNumeric } from '../ids.js';
import type { Budget } from './budget.js';
import { sortByBytes } from './byte-sort.js';
import { GrowF64, GrowI32 } from './grow.js';
import { ByteInterner } from './intern.js';
import { parseIntId } from './numbers.js';
import { asciiText, encodeWindows1252, isUtf8, utf8Text, windows1252, type Encoding } from './text.js';

/** One id column: numeric while every id is a canonical integer, then interned strings. */
export class IdColumn {
  readonly nums = new GrowF64();
  readonly codes = new GrowI32();
  /** The text of each code. */
  readonly list: string[] = [];
  /**
   * Codes by key bytes. A key is the UTF-8 of the id's text ('auto', 'utf-8'; the bytes of a field that is
   * not UTF-8 are another key of its text), or the field's bytes as they are ('windows-1252', whose reading
   * is one to one): equal texts, one code, with no text looked up.
   */
  private readonly table = new ByteInterner();
  /** Per code: where its key is in the table's arena (so codes sort by it) and its length. */
  private readonly keyStart = new GrowI32();
  private readonly keyLen = new GrowI32();
  /** The largest byte of any key: whether the keys' byte order is the texts' order. */
  private maxByte = 0;
  /** Texts without key bytes (a character windows-1252 cannot write: never read from a file). */
  private other: Map<string, number> | undefined;
  /** Room for a field with its doubled quotes undone, and for the key of a text. */
  private undoubled = new Uint8Array(256);
  private encoded = new Uint8Array(256);

  constructor(
    public numeric: boolean,
    private readonly budget: Budget,
    private readonly encoding: Encoding = 'auto',
    /** Called for each distinct field read as windows-1252 because it is not UTF-8 (`'auto'`). */
    private readonly onFallback: () => void = () => {},
  ) {}

  /** Push the id in bytes [a, b) if it is a canonical integer (and the column still numeric); false: push its text instead. */
  tryNumber(buf: Uint8Array, a: number, b: number): boolean {
    if (!this.numeric) return false;
    const v = parseIntId(buf, a, b);
    if (!Number.isNaN(v)) {
      this.nums.push(v);
      return true;
    }
    this.toStrings();
    return false;
  }

  /** Push a number id (a line number), whatever the column holds. */
  pushNumber(v: number): void {
    if (this.numeric) this.nums.push(v);
    else this.codes.push(this.codeOfNumber(v));
  }

  /** Push number id `v` `n` times (a list's user). */
  pushNumberRepeated(v: number, n: number): void {
    if (this.numeric) this.nums.pushRepeated(v, n);
    else this.codes.pushRepeated(this.codeOfNumber(v), n);
  }

  /** Push the id in bytes [a, b) as text; `quote` (a byte, or -1): the bytes hold doubled quotes to undo. */
  pushBytes(buf: Uint8Array, a: number, b: number, quote = -1): void {
    this.codes.push(this.code(buf, a, b, quote));
  }

  /** Push an id code (from `code`). */
  pushCode(k: number): void {
    this.codes.push(k);
  }

  /** The code of the id in bytes [a, b) (as `pushBytes` reads them), made if new. */
  code(buf: Uint8Array, a: number, b: number, quote = -1): number {
    if (this.numeric) this.toStrings();
    if (quote >= 0) {
      b = this.undouble(buf, a, b, quote);
      buf = this.undoubled;
      a = 0;
    }
    const k = this.table.find(buf, a, b);
    return k >= 0 ? k : this.newKey(buf, a, b);
  }

  /** Bytes [a, b) with each doubled quote made one, into `undoubled`; returns their length. */
  private undouble(buf: Uint8Array, a: number, b: number, quote: number): number {
    if (this.undoubled.length < b - a) this.undoubled = new Uint8Array(2 * (b - a));
    const out = this.undoubled;
    let n = 0;
    for (let i = a; i < b; i++) {
      out[n++] = buf[i];
      if (buf[i] === quote && i + 1 < b && buf[i + 1] === quote) i++;
    }
    return n;
  }

  /** Bytes not seen before: the code of their text — new, or the text's when the bytes are another spelling of it. */
  private newKey(buf: Uint8Array, a: number, b: number): number {
    let ascii = true;
    for (let i = a; i < b; i++)
      if (buf[i] > 127) {
        ascii = false;
        break;
      }
    if (ascii) return this.newCode(asciiText(buf, a, b), buf, a, b);
    if (this.encoding === 'windows-1252') return this.newCode(windows1252(buf, a, b), buf, a, b);
    if (isUtf8(buf, a, b)) return this.newCode(utf8Text(buf, a, b), buf, a, b);
    // Not UTF-8: 'auto' reads the field as windows-1252, 'utf-8' with U+FFFD. These bytes are kept as
    // another key of that text (they cannot equal a key, which is valid UTF-8).
    let text: string;
    if (this.encoding === 'auto') {
      this.onFallback();
      text = windows1252(buf, a, b);
    } else text = utf8Text(buf, a, b);
    const k = this.codeOfText(text);
    this.table.add(buf, a, b, k);
    return k;
  }

  /** A new code for `text`, whose key is bytes [a, b). */
  private newCode(text: string, buf: Uint8Array, a: number, b: number): number {
    this.budget.chargeId(text.length);
    const k = this.list.length;
    this.list.push(text);
    this.keyStart.push(this.table.add(buf, a, b, k));
    this.keyLen.push(b - a);
    let m = this.maxByte;
    for (let i = a; i < b; i++) if (buf[i] > m) m = buf[i];
    this.maxByte = m;
    return k;
  }

  /** The code of `text`, made if new. */
  private codeOfText(s: string): number {
    if (this.encoded.length < 3 * s.length) this.encoded = new Uint8Array(6 * s.length);
    const out = this.encoded;
    let n: number;
    if (this.encoding !== 'windows-1252') n = utf8Encoder.encodeInto(s, out).written;
    else if (encodeWindows1252(s, out)) n = s.length;
    else {
      this.other ??= new Map();
      const other = this.other;
      let k = other.get(s);
      if (k === undefined) {
        this.budget.chargeId(s.length);
        k = this.list.length;
        this.list.push(s);
        this.keyStart.push(-1);
        this.keyLen.push(0);
        other.set(s, k);
      }
      return k;
    }
    const k = this.table.find(out, 0, n);
    return k >= 0 ? k : this.newCode(s, out, 0, n);
  }

  /** The code of number id `v` (its text, as `String(v)` writes it). */
  private codeOfNumber(v: number): number {
    if (!Number.isSafeInteger(v)) return this.codeOfText(String(v));
    // The digits written straight into the key: toStrings converts every id read so far.
    const out = this.encoded;
    let x = v < 0 ? -v : v;
    let n = 0;
    do {
      out[n++] = 48 + (x % 10);
      x = Math.floor(x / 10);
    } while (x > 0);
    if (v < 0) out[n++] = 45;
    out.subarray(0, n).reverse();
    const k = this.table.find(out, 0, n);
    return k >= 0 ? k : this.newCode(String(v), out, 0, n);
  }

  pushText(s: string): void {
    if (this.numeric) this.toStrings();
    this.codes.push(this.codeOfText(s));
  }

  /** A non-integer id appeared: earlier ids become their (identical) text. */
  toStrings(): void {
    if (!this.numeric) return;
    this.numeric = false;
    const v = this.nums.view;
    for (let i = 0; i < v.length; i++) this.codes.push(this.codeOfNumber(v[i]));
  }

  get length(): number {
    return this.numeric ? this.nums.length : this.codes.length;
  }

  index(order: IdOrder): { map: IdMap; indices: Int32Array } {
    if (this.numeric) return indexNumeric(this.nums.view, order);
    // Keys in byte order are the texts in order when they are UTF-8 below U+E000 (or ASCII, read as windows-1252).
    const byBytes = this.other === undefined && this.maxByte < (this.encoding === 'windows-1252' ? 0x80 : 0xee);
    if (order === 'sorted' && byBytes) {
      const perm = sortByBytes(this.table.arena, this.keyStart.view, this.keyLen.view, this.list.length);
      return indexByPermutation(this.list, this.codes.view, perm);
    }
    return indexInterned(this.list, this.codes.view, order);
  }
}

const utf8Encoder = new TextEncoder();

/** The columns of the interactions read so far. */
export class Store {
  readonly users: IdColumn;
  readonly items: IdColumn;
  readonly values = new GrowF64();
  readonly times = new GrowF64();
  /** Users with an empty list, in the order read (ids kept apart: they have no entry). */
  readonly emptyUsers: IdColumn;
  records = 0;

  constructor(
    numericIds: boolean,
    readonly budget: Budget,
    encoding: Encoding = 'auto',
    onFallback?: () => void,
  ) {
    this.users = new IdColumn(numericIds, budget, encoding, onFallback);
    this.items = new IdColumn(numericIds, budget, encoding, onFallback);
    this.emptyUsers = new IdColumn(numericIds, budget, encoding, onFallback);
  }

  /** Before pushing a record: the cap. */
  check(): void {
    if (this.records >= this.budget.maxRecords) this.budget.exceeded(this.records);
  }

  /**
   * The matrix (users × items; users with an empty list are empty rows) and id maps. `hasValues` /
   * `hasTimes`: whether values and timestamps were pushed with every record.
   */
  build(
    order: IdOrder,
    duplicates: DuplicatePolicy,
    hasValues: boolean,
    hasTimes: boolean,
    source: string,
  ): { matrix: ReturnType<typeof cooToCsr>['matrix']; users: IdMap; items: IdMap; times?: Float64Array } {
    const n = this.records;
    // Users without entries join the user column after the records, so they get rows but no entries.
    const empty = this.emptyUsers;
    if (empty.length > 0) {
      if (this.users.numeric && !empty.numeric) this.users.toStrings();
      if (empty.numeric) for (const v of empty.nums.view) this.users.pushNumber(v);
      else for (const k of empty.codes.view) this.users.pushText(empty.list[k]);
    }
    const u = this.users.index(order);
    const it = this.items.index(order);
    const { matrix, times } = cooToCsr(
      u.indices.subarray(0, n),
      it.indices,
      hasValues ? this.values.view : undefined,
      [u.map.size, it.map.size],
      duplicates,
      hasTimes ? this.times.view : undefined,
      (r, c) =>
        `${source}: duplicate entry for user ${JSON.stringify(u.map.id(r))}, item ${JSON.stringify(it.map.id(c))}`,
      source,
    );
    return times ? { matrix, users: u.map, items: it.map, times } : { matrix, users: u.map, items: it.map };
  }
}
