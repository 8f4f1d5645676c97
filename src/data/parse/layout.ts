/**
 * How a delimited file is laid out, decided from its first rows (up to 1,000): whether the first is a
 * header, whether rows are columns (one interaction each) or one user's list each (`user item item …`,
 * or `count item item …` when every row's first field counts the rest), which named format it is, which
 * field holds what — and what the reader should tell about it (no value column, a timestamp column that
 * holds no times).
 * @internal
 * @module
 */
import { FieldSplitter } from './fields.js';
import { planColumns, roleOfName, type ColumnSpec } from './columns.js';
import { FORMATS, recogniseFormat, type FormatSpec } from './formats.js';
import { valueColon, type ListLayout } from './lists.js';
import { parseDate, parseNumber } from './numbers.js';
import type { ColumnLayout } from './rows.js';
import type { Encoding } from './text.js';

/** A row kept while the layout is decided (bytes copied from the chunk it came in). */
export interface Sampled {
  bytes: Uint8Array;
  line: number;
  quoted: boolean;
}

export interface LayoutOptions {
  source: string;
  /** The format asked for ('auto' adopts what the content shows). */
  format: string;
  header: boolean | 'auto';
  columns?: ColumnSpec;
  /** `columns` came from the caller (not from a named format). */
  columnsGiven: boolean;
  encoding: Encoding;
}

export type Layout =
  | { kind: 'columns'; format: string; header?: string[]; columns: ColumnLayout; notes: string[]; spec?: FormatSpec }
  | { kind: 'lists'; format: 'lists' | 'counted-lists'; header?: string[]; lists: ListLayout; notes: string[] };

/** Words that make a first line without numbers a header (besides the column names of columns.ts). */
const HEADER_WORDS =
  /^"?(user|item|movie|artist|track|product|song|book|rating|score|value|weight|count|plays|playcount|timestamp|time|date)/i;

/** A share of rows with one field count above which a file whose counts differ is columns with bad rows, not lists. */
const COLUMNS_SHARE = 0.9;

/**
 * Sampled rows whose every field is read as text; of the later rows the decision reads only the field
 * count, which fields are empty and the first field (`UNREAD` stands for the text of the others).
 */
const FULL_ROWS = 24;
const UNREAD = '\u2026';

/** The fields of a sampled row as text (`full`: all of them, else only the first; see FULL_ROWS). */
function fieldsOf(split: FieldSplitter, r: Sampled, encoding: Encoding, full: boolean): string[] {
  let nf = split.split(r.bytes, 0, r.bytes.length, split.fs.length, r.quoted);
  while (nf === split.fs.length) {
    split.reserve(2 * nf);
    nf = split.split(r.bytes, 0, r.bytes.length, split.fs.length, r.quoted);
  }
  const out: string[] = [];
  for (let k = 0; k < nf; k++)
    out.push(full || k === 0 ? split.text(r.bytes, k, encoding) : split.fs[k] === split.fe[k] ? '' : UNREAD);
  return out;
}

const isNumber = (t: string) => t.trim() !== '' && Number.isFinite(Number(t));
const trimmedCount = (f: string[]) => {
  let n = f.length;
  while (n > 0 && f[n - 1] === '') n--;
  return n;
};

/**
 * Fields per row of a file without a header: the first row's count — less the empty fields at its end
 * when rows differ in length only by such (a trailing delimiter on some rows); when every row has them,
 * they are a column of empty values.
 */
function rowFieldCount(data: string[][]): number {
  if (data.length === 0) return 0;
  const n = data[0].length;
  if (data.every((f) => f.length === n)) return n;
  const t = trimmedCount(data[0]);
  return data.every((f) => trimmedCount(f) === t) ? t : n;
}

/** Is the first row a header? `header: 'auto'`: no numbers, and names a column (or the next row has numbers). */
function hasHeader(rows: string[][], header: boolean | 'auto'): boolean {
  if (header !== 'auto') return header && rows.length > 0;
  const first = rows[0];
  if (!first || first.some(isNumber)) return false;
  if (first.some((t) => roleOfName(t) || HEADER_WORDS.test(t))) return true;
  return rows.length > 1 && rows[1].some(isNumber);
}

/** One user's list per row? `'counted-lists'` when every row's first field counts the rest (and counts differ). */
function detectLists(rows: string[][], delimiter: string): 'lists' | 'counted-lists' | undefined {
  const counts = rows.map(trimmedCount);
  if (counts.length < 2 || counts.every((c) => c === counts[0])) return undefined;
  if (rows.every((f, i) => /^(0|[1-9]\d*)$/.test(f[0] ?? '') && Number(f[0]) === counts[i] - 1)) return 'counted-lists';
  if (delimiter !== 'whitespace' && delimiter !== ' ' && delimiter !== '\t') return undefined;
  const freq = new Map<number, number>();
  for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
  return Math.max(...freq.values()) < COLUMNS_SHARE * counts.length ? 'lists' : undefined;
}

/**
 * Items written `item:value`? Yes when any item of the sampled rows is (an id, a colon, a number): then
 * every item must carry its value, so a list mixing both forms is refused rather than half misread.
 */
function listValues(split: FieldSplitter, rows: Sampled[]): boolean {
  for (const r of rows) {
    const nf = split.split(r.bytes, 0, r.bytes.length, split.fs.length, r.quoted);
    for (let k = 1; k < nf; k++) {
      const c = valueColon(r.bytes, split.fs[k], split.fe[k]);
      const v = c < 0 ? NaN : parseNumber(r.bytes, c + 1, split.fe[k]);
      if (v - v === 0) return true;
    }
  }
  return false;
}

/** Decide the layout from the sampled rows (the delimiter is already set on `split`). */
export function decideLayout(sample: Sampled[], split: FieldSplitter, o: LayoutOptions): Layout {
  const rows = sample.slice(0, 1000).map((r, i) => fieldsOf(split, r, o.encoding, i < FULL_ROWS));
  const spec = (FORMATS as Record<string, FormatSpec>)[o.format];
  const header = hasHeader(rows, o.header) ? rows[0] : undefined;
  const data = header ? rows.slice(1) : rows;
  const dataSample = header ? sample.slice(1) : sample;
  const auto = o.format === 'auto';
  const lists = spec?.lists ?? (auto && !header && !o.columnsGiven ? detectLists(data, split.delimiter) : undefined);
  if (lists) {
    const counted = lists === 'counted-lists';
    return {
      kind: 'lists',
      format: lists,
      header,
      lists: { counted, values: !noValues(o.columns) && listValues(split, dataSample) },
      notes: [],
    };
  }
  return columnsLayout(o, split, header, data, sample[0]?.line ?? 1, sample[header ? 1 : 0]?.line ?? 1);
}

/** `columns: { value: null }`: values are not read (all 1). */
function noValues(columns: ColumnSpec | undefined): boolean {
  return columns !== undefined && !Array.isArray(columns) && (columns as { value?: unknown }).value === null;
}

function columnsLayout(
  o: LayoutOptions,
  split: FieldSplitter,
  header: string[] | undefined,
  data: string[][],
  headerLine: number,
  firstLine: number,
): Layout {
  const notes: string[] = [];
  let format = o.format;
  let spec = (FORMATS as Record<string, FormatSpec>)[format];
  let columns = o.columns;
  if (format === 'auto') {
    const named = recogniseFormat(o.source, split.delimiter, header, header ?? data[0] ?? []);
    format = named ?? 'delimited';
    spec = (FORMATS as Record<string, FormatSpec>)[format];
    if (named && !o.columnsGiven) columns = spec.columns;
  }
  const fieldCount = header ? header.length : rowFieldCount(data);
  // A named format reads its files with or without their timestamp field.
  const named = !o.columnsGiven && spec?.columns !== undefined && !Array.isArray(spec.columns);
  if (named && columns && !Array.isArray(columns)) {
    const t = (columns as { timestamp?: number | string | null }).timestamp;
    if (
      (typeof t === 'string' && !header?.some((h) => h.toLowerCase() === t.toLowerCase())) ||
      (typeof t === 'number' && t >= fieldCount)
    )
      columns = { ...columns, timestamp: null };
  }
  const p = planColumns(columns, header, fieldCount, {
    source: o.source,
    line: header ? headerLine : firstLine,
    format,
  });
  const fromHeaderNames = header !== undefined && !o.columnsGiven && !spec?.columns;
  if (fromHeaderNames && p.timestamp >= 0 && !data.slice(0, 20).some((f) => isTime(f[p.timestamp]))) {
    notes.push(
      `timestamp column ${JSON.stringify(header[p.timestamp])} holds no numbers or ISO 8601 dates (e.g. ${JSON.stringify(data[0]?.[p.timestamp] ?? '')}): not read`,
    );
    p.timestamp = -1;
  }
  if (p.value < 0 && !noValues(columns)) {
    const used = new Set([p.user, p.item, p.timestamp]);
    const unread = Array.from({ length: fieldCount }, (_, k) => k).filter(
      (k) => !used.has(k) && (header ? header[k] !== '' : data[0]?.[k] !== ''),
    );
    if (unread.length > 0)
      notes.push(
        `no value column recognised, so every interaction counts 1; fields not read: ${unread.map((k) => (header ? JSON.stringify(header[k]) : `field ${k + 1}`)).join(', ')} (name the value with columns: { value: ${header ? JSON.stringify(header[unread[0]]) : unread[0]} })`,
      );
  }
  const l = p.labels;
  return {
    kind: 'columns',
    format,
    header,
    spec,
    notes,
    columns: {
      user: p.user,
      item: p.item,
      value: p.value,
      timestamp: p.timestamp,
      fieldCount,
      names: [l.user, l.item, l.value, l.timestamp],
      firstLine,
      listsHint: !header,
    },
  };
}

const enc = new TextEncoder();
function isTime(t: string | undefined): boolean {
  if (t === undefined || t === '') return false;
  if (isNumber(t)) return true;
  const b = enc.encode(t.trim());
  return !Number.isNaN(parseDate(b, 0, b.length));
}
