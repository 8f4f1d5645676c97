/**
 * The parser behind readInteractions: records from the byte chunks (records.ts), the first up to 1,000
 * rows kept to decide the layout (layout.ts: header, columns or lists, named format), then every row
 * through the reader of that layout (rows.ts, lists.ts, mtx-rows.ts) into typed column stores. No string
 * is made per row; ids become strings only when they are not canonical integers.
 * @internal
 * @module
 */
import { ParseError } from '../../errors.js';
import type { DuplicatePolicy } from '../csr.js';
import { IdMap, type IdOrder } from '../idmap.js';
import { Interactions, type ParseReport } from '../interactions.js';
import type { Budget } from './budget.js';
import type { ColumnSpec } from './columns.js';
import type { ReadContext, Zeros } from './context.js';
import { detectDelimiter, FieldSplitter } from './fields.js';
import { decideLayout, type Layout, type Sampled } from './layout.js';
import { ListRows } from './lists.js';
import { MtxRows } from './mtx-rows.js';
import { parseBanner, startsWithBanner } from './mtx.js';
import { RowProblems, type OnError } from './problems.js';
import { RecordReader, type RecordSink } from './records.js';
import { ColumnRows } from './rows.js';
import { Store } from './store.js';
import { decodeAs, type Encoding } from './text.js';

export type { OnError } from './problems.js';

export interface EngineOptions {
  source: string;
  format: string;
  delimiter?: string;
  header: boolean | 'auto';
  comment: string | null;
  quote: string | null;
  columns?: ColumnSpec;
  /** `columns` came from the caller (not from a named format). */
  columnsGiven: boolean;
  /** undefined: 'auto', unless a recognised format says otherwise. */
  ids: 'auto' | 'string' | undefined;
  /** undefined: false, unless a recognised format says otherwise. */
  nonNegative: boolean | undefined;
  onError: OnError;
  /** true: Matrix Market; 'auto': Matrix Market if the first line is its banner. */
  mtx: boolean | 'auto';
  encoding: Encoding;
  zeros: Zeros;
  /** Say what report.notes says with console.warn (once per process per kind of note). */
  warnings: boolean;
  budget: Budget;
}

/** Rows kept to decide the layout, at most (and at most SAMPLE_BYTES of them). */
const SAMPLE_ROWS = 1000;
const SAMPLE_BYTES = 1 << 20;

/** Kinds of note already said with console.warn in this process. */
const warned = new Set<string>();

export class LineEngine implements RecordSink {
  bytes = 0;
  private readonly reader: RecordReader;
  private readonly split = new FieldSplitter();
  private readonly ctx: ReadContext;
  private readonly commentByte: number;
  private sample: Sampled[] = [];
  /** Blank rows among the held ones (after the first), counted once the held rows are read. */
  private blanks: Sampled[] = [];
  private sampleBytes = 0;
  private rows: ColumnRows | ListRows | MtxRows | undefined;
  private bannerLine = 0;
  private layout: Layout | undefined;

  constructor(private readonly o: EngineOptions) {
    this.commentByte = o.comment ? o.comment.charCodeAt(0) : -1;
    const quote = o.quote ? o.quote.charCodeAt(0) : -1;
    this.split.quote = quote;
    this.reader = new RecordReader(this, o.source, quote, this.commentByte);
    // A field that is not UTF-8, read as windows-1252: counted for report.nonUtf8Ids.
    const store = new Store(o.ids !== 'string', o.budget, o.encoding, () => this.ctx.fallbacks++);
    this.ctx = {
      source: o.source,
      split: this.split,
      store,
      problems: new RowProblems(o.source, o.onError, o.encoding),
      encoding: o.encoding,
      comment: this.commentByte,
      format: o.format,
      nonNegative: o.nonNegative ?? false,
      zeros: o.zeros,
      zeroCount: 0,
      fallbacks: 0,
    };
  }

  /** Lines read so far. */
  get lineNo(): number {
    return this.reader.lines;
  }

  /** Feed the next chunk. */
  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    this.reader.push(chunk);
  }

  firstLine(buf: Uint8Array, s: number, e: number): void {
    if (this.o.mtx !== false && startsWithBanner(buf, s, e)) {
      const where = { source: this.o.source, line: this.reader.lines };
      const banner = parseBanner(decodeAs(buf, s, e), where);
      this.rows = new MtxRows(this.ctx, { ...banner, rows: 0, cols: 0, entries: 0 });
      this.bannerLine = this.reader.lines;
      return;
    }
    if (this.o.mtx === true)
      throw new ParseError('a Matrix Market file must start with a "%%MatrixMarket matrix coordinate …" banner', {
        source: this.o.source,
        line: this.reader.lines,
      });
    this.split.setDelimiter(this.o.delimiter ?? detectDelimiter(decodeAs(buf, s, Math.min(e, s + 4096)), this.o.quote));
  }

  endsInQuote(buf: Uint8Array, s: number, e: number, inQuote: boolean): boolean {
    return this.split.endsInQuote(buf, s, e, inQuote);
  }

  record(buf: Uint8Array, s: number, e: number, line: number, quoted: boolean): void {
    const c = buf[s];
    if (e === s || ((c === 32 || c === 9) && isBlank(buf, s, e))) {
      // While rows are held to decide the layout, blank ones are held too, so rows are counted in order.
      if (!this.rows && this.sample.length > 0) this.blanks.push({ bytes: buf.slice(s, e), line, quoted: false });
      else this.ctx.problems.drop('blank', buf, s, e, line);
      return;
    }
    if (this.rows) {
      if (line === this.bannerLine) return;
      if (c === this.commentByte && !(this.rows instanceof MtxRows)) return;
      this.rows.row(buf, s, e, line, quoted);
      return;
    }
    if (c === this.commentByte) return;
    this.sample.push({ bytes: buf.slice(s, e), line, quoted });
    this.sampleBytes += e - s;
    if (this.sample.length >= SAMPLE_ROWS || this.sampleBytes >= SAMPLE_BYTES) this.decide();
  }

  private dropBlank(r: Sampled): void {
    this.ctx.problems.drop('blank', r.bytes, 0, r.bytes.length, r.line);
  }

  /** Fix the layout from the sampled rows, then read them. */
  private decide(): void {
    const o = this.o;
    const layout = decideLayout(this.sample, this.split, {
      source: o.source,
      format: o.format,
      header: o.header,
      columns: o.columns,
      columnsGiven: o.columnsGiven,
      encoding: o.encoding,
    });
    this.layout = layout;
    this.ctx.format = layout.format;
    if (layout.kind === 'columns') {
      const spec = layout.spec;
      // What the caller gave explicitly stays; a recognised format's rules apply otherwise.
      if (o.nonNegative === undefined) this.ctx.nonNegative = spec?.nonNegative ?? false;
      if (o.ids === undefined && spec?.ids === 'string') {
        const st = this.ctx.store;
        st.users.numeric = st.items.numeric = st.emptyUsers.numeric = false;
      }
      this.rows = new ColumnRows(this.ctx, layout.columns);
    } else this.rows = new ListRows(this.ctx, layout.lists);
    this.reader.direct = this.rows;
    if (o.warnings)
      for (const note of layout.notes) {
        const kind = note.slice(0, 12);
        if (warned.has(kind)) continue;
        warned.add(kind);
        console.warn(`lowrank: readInteractions(${o.source}): ${note}`);
      }
    const rows = layout.header ? this.sample.slice(1) : this.sample;
    const blanks = this.blanks;
    this.sample = [];
    this.blanks = [];
    let b = 0;
    for (const r of rows) {
      for (; b < blanks.length && blanks[b].line < r.line; b++) this.dropBlank(blanks[b]);
      this.rows.row(r.bytes, 0, r.bytes.length, r.line, r.quoted);
    }
    for (; b < blanks.length; b++) this.dropBlank(blanks[b]);
  }

  /** No more input: flush the last line and build the result. */
  finish(order: IdOrder, duplicates: DuplicatePolicy): Interactions {
    this.reader.end();
    if (!this.rows && this.sample.length > 0) this.decide();
    const { store, problems } = this.ctx;
    const report = this.report();
    if (this.rows instanceof MtxRows) {
      const m = this.rows.header;
      const matrix = this.rows.finish(duplicates, this.reader.lines);
      const ids = (n: number) => IdMap.from(Array.from({ length: n }, (_, i) => i + 1));
      return new Interactions({ matrix, users: ids(m.rows), items: ids(m.cols), report });
    }
    if (store.records === 0 && store.emptyUsers.length === 0) {
      const n = this.reader.lines;
      const blank = problems.count('blank');
      throw new ParseError(
        n === 0
          ? 'empty input: no lines to read'
          : `no data lines (read ${n} line${n === 1 ? '' : 's'}: header, comments, ${blank} blank${problems.skipped ? `, ${problems.skipped} skipped for errors` : ''})`,
        { source: this.o.source },
      );
    }
    const l = this.layout!;
    const hasValues = l.kind === 'columns' ? l.columns.value >= 0 : l.lists.values;
    const hasTimes = l.kind === 'columns' && l.columns.timestamp >= 0;
    const built = store.build(order, duplicates, hasValues, hasTimes, this.o.source);
    return new Interactions({
      matrix: built.matrix,
      users: built.users,
      items: built.items,
      timestamps: built.times,
      report,
    });
  }

  private report(): ParseReport {
    const { problems, store } = this.ctx;
    const l = this.layout;
    const report: ParseReport = {
      source: this.o.source,
      format: this.ctx.format,
      delimiter: this.rows instanceof MtxRows ? 'whitespace' : this.split.delimiter,
      bytes: this.bytes,
      lines: this.reader.lines,
      records: store.records,
      skipped: problems.skipped,
      errors: problems.errors,
      dropped: problems.dropped,
      zeros: this.ctx.zeroCount,
      nonUtf8Ids: this.ctx.fallbacks,
      notes: l?.notes ?? [],
    };
    if (l?.header) report.header = l.header;
    if (l?.kind === 'columns') {
      const c = l.columns;
      report.columns = { user: c.user, item: c.item, value: c.value, timestamp: c.timestamp };
    }
    return report;
  }
}

function isBlank(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (buf[i] !== 32 && buf[i] !== 9) return false;
  return true;
}
