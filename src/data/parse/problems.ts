/**
 * Rows that are not read, by kind: blank rows (skipped and counted, never an error), and bad rows — an
 * error that stops the read (`onError: 'throw'`, the default, whose message says how to skip such rows)
 * or, with `onError: 'skip'` or a callback, counted and kept as examples (the first lines of each kind).
 * @internal
 * @module
 */
import { ParseError } from '../../errors.js';
import { decodeAs, type Encoding } from './text.js';

/** What is wrong with a row that was not read (`'blank'` and `'zero'` are not errors). */
export type RowKind =
  | 'blank'
  | 'missing field'
  | 'extra field'
  | 'empty id'
  | 'not a number'
  | 'not finite'
  | 'out of range'
  | 'negative'
  | 'list count'
  | 'unclosed quote'
  | 'extra entry'
  | 'zero';

/** Rows of one kind that were not read: how many, and the first few (line number and text). */
export interface DroppedRows {
  count: number;
  first: { line: number; text: string }[];
}

/** What the parser does with a bad row: `'throw'` (default, strict), `'skip'` (count it in the report) or call a function with the `ParseError`. */
export type OnError = 'throw' | 'skip' | ((error: ParseError) => void);

const MAX_ERRORS_KEPT = 100;
/** Example lines kept per kind. */
const FIRST_KEPT = 5;
const SHOWN = 60;

export class RowProblems {
  /** Bad rows skipped (with `onError` other than `'throw'`). */
  skipped = 0;
  /** The first 100 errors of the skipped rows. */
  readonly errors: ParseError[] = [];
  /** Rows not read, per kind. */
  readonly dropped: Partial<Record<RowKind, DroppedRows>> = {};

  constructor(
    private readonly source: string,
    private readonly onError: OnError,
    private readonly encoding: Encoding,
  ) {}

  /** Count a row of `kind` that is dropped without an error (blank; a zero with `zeros: 'drop'`). */
  drop(kind: RowKind, buf: Uint8Array, s: number, e: number, line: number): void {
    let d = this.dropped[kind];
    if (d === undefined) {
      d = { count: 0, first: [] };
      this.dropped[kind] = d;
    }
    d.count++;
    if (d.first.length < FIRST_KEPT) d.first.push({ line, text: this.text(buf, s, e) });
  }

  /** Rows of `kind` dropped so far. */
  count(kind: RowKind): number {
    return this.dropped[kind]?.count ?? 0;
  }

  /**
   * A bad row: throw (with how to skip such rows), or count and skip it. The message quotes field [a, b)
   * of row [s, e), or the whole row (`showLine`).
   */
  fail(
    kind: RowKind,
    at: { buf: Uint8Array; s: number; e: number; line: number },
    a: number,
    b: number,
    message: string,
    showLine = false,
  ): void {
    const { buf, s, e, line } = at;
    const column = this.text(buf, s, a, Infinity).length + 1;
    const quoted = showLine ? this.text(buf, s, e) : this.text(buf, a, b);
    const text = `${message}: ${JSON.stringify(quoted)}`;
    const where = { source: this.source, line, column };
    if (this.onError === 'throw')
      throw new ParseError(`${text} (to skip bad rows like this one and count them, pass onError: 'skip')`, where);
    const err = new ParseError(text, where);
    this.skipped++;
    this.drop(kind, buf, s, e, line);
    if (this.errors.length < MAX_ERRORS_KEPT) this.errors.push(err);
    if (typeof this.onError === 'function') this.onError(err);
  }

  private text(buf: Uint8Array, a: number, b: number, max = SHOWN): string {
    const t = decodeAs(buf, a, Math.min(b, a + 4 * max + 16), this.encoding);
    return t.length > max ? `${t.slice(0, max - 3)}...` : t;
  }
}
