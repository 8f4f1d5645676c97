/**
 * Where the parser puts what it reads: the id columns (numeric while every id is a canonical integer,
 * then interned strings), values and timestamps as growing typed arrays, users without any item (an
 * empty list), and the build of the Interactions from them.
 * @internal
 * @module
 */
import { cooToCsr, type DuplicatePolicy } from '../csr.js';
import type { IdMap, IdOrder } from '../idmap.js';
import { indexInterned, indexNumeric } from '../ids.js';
import type { Budget } from './budget.js';
import { GrowF64, GrowI32 } from './grow.js';
import { ByteInterner } from './intern.js';
import { parseIntId } from './numbers.js';

/** One id column: numeric while every id is a canonical integer, then interned strings. */
export class IdColumn {
  readonly nums = new GrowF64();
  readonly codes = new GrowI32();
  readonly list: string[] = [];
  readonly seen = new Map<string, number>();
  constructor(
    public numeric: boolean,
    private readonly budget: Budget,
  ) {}

  /** Push the id in bytes [a, b) if it is a canonical integer (and the column still numeric); false: push its text instead. */
  tryNumber(buf: Uint8Array, a: number, b: number): boolean {
    if (!this.numeric) return false;
    const v = parseIntId(buf, a, b);
    if (v === v) {
      this.nums.push(v);
      return true;
    }
    this.toStrings();
    return false;
  }

  /** Push a number id (a line number), whatever the column holds. */
  pushNumber(v: number): void {
    if (this.numeric) this.nums.push(v);
    else this.pushText(String(v));
  }

  /** Codes by bytes: of plain (or quoted) fields, and of quoted fields with doubled quotes inside (other text). */
  private readonly byBytes: (ByteInterner | undefined)[] = [undefined, undefined];

  /**
   * Push the id in bytes [a, b) as text (`decode` makes it, only for bytes not seen before): ids seen
   * before are found by their bytes, with no string made. `doubled`: the bytes hold doubled quotes.
   */
  pushBytes(
    buf: Uint8Array,
    a: number,
    b: number,
    decode: (buf: Uint8Array, a: number, b: number) => string,
    doubled = false,
  ): void {
    if (this.numeric) this.toStrings();
    const bytes = (this.byBytes[doubled ? 1 : 0] ??= new ByteInterner());
    let k = bytes.find(buf, a, b);
    if (k < 0) {
      const text = decode(buf, a, b);
      // Distinct plain bytes decode to distinct texts until `unify` is called: then the texts are looked up.
      k = this.unified || doubled ? this.codeOf(text) : this.newCode(text);
      bytes.add(buf, a, b, k);
    }
    this.codes.push(k);
  }

  /** Texts are looked up from now on (`seen`): two byte sequences may now decode to one text. */
  private unified = false;

  /**
   * From now on, find texts by text too: called when two byte sequences may decode to one text (a field
   * read as windows-1252 where others were UTF-8, ids pushed as text, U+FFFD replacements).
   */
  unify(): void {
    if (this.unified) return;
    this.unified = true;
    this.list.forEach((t, k) => this.seen.set(t, k));
  }

  private newCode(s: string): number {
    this.budget.chargeId(s.length);
    this.list.push(s);
    return this.list.length - 1;
  }

  pushText(s: string): void {
    if (this.numeric) this.toStrings();
    this.codes.push(this.codeOf(s));
  }

  private codeOf(s: string): number {
    this.unify();
    let k = this.seen.get(s);
    if (k === undefined) {
      this.budget.chargeId(s.length);
      k = this.list.length;
      this.seen.set(s, k);
      this.list.push(s);
    }
    return k;
  }

  /** A non-integer id appeared: earlier ids become their (identical) text. */
  toStrings(): void {
    this.numeric = false;
    const v = this.nums.view;
    for (let i = 0; i < v.length; i++) this.pushText(String(v[i]));
  }

  get length(): number {
    return this.numeric ? this.nums.length : this.codes.length;
  }

  index(order: IdOrder): { map: IdMap; indices: Int32Array } {
    return this.numeric ? indexNumeric(this.nums.view, order) : indexInterned(this.list, this.codes.view, order);
  }
}

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
  ) {
    this.users = new IdColumn(numericIds, budget);
    this.items = new IdColumn(numericIds, budget);
    this.emptyUsers = new IdColumn(numericIds, budget);
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
