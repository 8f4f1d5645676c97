/**
 * readInteractions: parse delimited interaction files (MovieLens, Last.fm, CSV/TSV of your own) or
 * Matrix Market into `Interactions`, streaming, in Node and browsers.
 * @module
 */
import { AbortError, ValidationError } from '../../errors.js';
import type { DuplicatePolicy } from '../csr.js';
import type { IdOrder } from '../idmap.js';
import type { Interactions } from '../interactions.js';
import { LineEngine, type ColumnSpec, type OnError } from './engine.js';
import { FORMATS, type FormatName, type FormatSpec } from './formats.js';
import { openInput, type InteractionsInput } from './input.js';

/** Progress of a read: bytes and lines consumed so far; `totalBytes` when the input's size is known. */
export interface ReadProgress {
  bytes: number;
  lines: number;
  totalBytes?: number;
}

/** Options of `readInteractions`: the format (or its pieces), progress and error handling. */
export interface ReadInteractionsOptions {
  /** A named layout (see `FORMATS`); default `'delimited'` (everything detected). Explicit options below override it. */
  format?: FormatName;
  /** `'\t'`, `','`, `'::'`, `';'`, `'whitespace'` (runs of spaces/tabs) or any string. Default: detected from the first line. */
  delimiter?: string;
  /**
   * Which field is what: 0-based positions or header names. Default: user 0, item 1, value 2 and
   * timestamp 3 when the first data line has that many fields. `value: null` ignores values (all 1).
   */
  columns?: ColumnSpec;
  /** `true`, `false` or `'auto'` (default): a first line without numbers is a header. */
  header?: boolean | 'auto';
  /** Lines starting with this character are skipped. Default `'#'`; `null` for none. */
  comment?: string | null;
  /**
   * `'auto'` (default): ids that are canonical integers stay numbers (`1`, not `'1'`); a column with any
   * other id is read as strings. `'string'`: always strings.
   */
  ids?: 'auto' | 'string';
  /** `'sorted'` (default: numeric ids ascending, so MovieLens user 1 is row 0) or `'first-seen'`. */
  idOrder?: IdOrder;
  /** Repeated (user, item) pairs: `'sum'` (default), `'last'` or `'error'`. */
  duplicates?: DuplicatePolicy;
  /** Reject negative values. Default: true for the named rating/play-count formats, false otherwise. */
  nonNegative?: boolean;
  /** Called after each chunk and once at the end. */
  onProgress?: (progress: ReadProgress) => void;
  /**
   * Bad lines: `'throw'` (default, strict) throws a ParseError naming source, line, column and text;
   * `'skip'` drops them and counts them in `result.report.skipped` (first 100 in `report.errors`); a
   * function is called with each ParseError and the line is skipped.
   */
  onError?: OnError;
  /** Name used in messages (default: the file name, or `<string>`, `<bytes>`, `<stream>`). */
  name?: string;
  /** Cancels the read between chunks with an AbortError. */
  signal?: AbortSignal;
}

const OPTION_KEYS = new Set(['format', 'delimiter', 'columns', 'header', 'comment', 'ids', 'idOrder', 'duplicates', 'nonNegative', 'onProgress', 'onError', 'name', 'signal']);

/**
 * Read interactions (user, item, value?, timestamp?) from text: a string, bytes, a Blob/File, a web or
 * Node stream, or — in Node — a file path. Streams in chunks; numbers are parsed straight from bytes.
 *
 * @example
 * const data = await readInteractions('ml-100k/u.data', { format: 'movielens-100k' });
 * data.matrix.shape; // [943, 1682]
 */
export async function readInteractions(input: InteractionsInput, options: ReadInteractionsOptions = {}): Promise<Interactions> {
  if (options === null || typeof options !== 'object') throw new ValidationError('readInteractions: options must be an object');
  for (const k of Object.keys(options)) {
    if (!OPTION_KEYS.has(k)) throw new ValidationError(`readInteractions: unknown option ${JSON.stringify(k)}; known options: ${[...OPTION_KEYS].join(', ')}`);
  }
  const formatName = options.format ?? 'delimited';
  if (!Object.prototype.hasOwnProperty.call(FORMATS, formatName)) {
    throw new ValidationError(`readInteractions: unknown format ${JSON.stringify(formatName)}; known formats: ${Object.keys(FORMATS).join(', ')}`);
  }
  const f: FormatSpec = FORMATS[formatName];
  const header = options.header ?? f.header ?? 'auto';
  if (header !== true && header !== false && header !== 'auto') throw new ValidationError(`readInteractions: header must be true, false or 'auto', got ${JSON.stringify(header)}`);
  const delimiter = options.delimiter ?? f.delimiter;
  if (delimiter !== undefined && (typeof delimiter !== 'string' || delimiter.length === 0 || /[\r\n]/.test(delimiter))) {
    throw new ValidationError(`readInteractions: delimiter must be a non-empty string without line breaks, got ${JSON.stringify(delimiter)}`);
  }
  const comment = options.comment !== undefined ? options.comment : f.comment !== undefined ? f.comment : '#';
  if (comment !== null && (typeof comment !== 'string' || comment.length !== 1)) throw new ValidationError(`readInteractions: comment must be one character or null, got ${JSON.stringify(comment)}`);
  const ids = options.ids ?? f.ids ?? 'auto';
  if (ids !== 'auto' && ids !== 'string') throw new ValidationError(`readInteractions: ids must be 'auto' or 'string', got ${JSON.stringify(ids)}`);
  const idOrder = options.idOrder ?? 'sorted';
  if (idOrder !== 'sorted' && idOrder !== 'first-seen') throw new ValidationError(`readInteractions: idOrder must be 'sorted' or 'first-seen', got ${JSON.stringify(idOrder)}`);
  const duplicates = options.duplicates ?? 'sum';
  if (duplicates !== 'sum' && duplicates !== 'last' && duplicates !== 'error') throw new ValidationError(`readInteractions: duplicates must be 'sum', 'last' or 'error', got ${JSON.stringify(duplicates)}`);
  const onError = options.onError ?? 'throw';
  if (onError !== 'throw' && onError !== 'skip' && typeof onError !== 'function') throw new ValidationError(`readInteractions: onError must be 'throw', 'skip' or a function, got ${JSON.stringify(onError)}`);
  const { onProgress, signal } = options;
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new ValidationError('readInteractions: onProgress must be a function');
  const columns = options.columns ?? f.columns;
  if (columns !== undefined) validateColumns(columns);

  const src = await openInput(input, options.name);
  const engine = new LineEngine({
    source: src.name,
    format: formatName,
    delimiter,
    header,
    comment,
    columns,
    ids,
    nonNegative: options.nonNegative ?? f.nonNegative ?? false,
    onError: onError as OnError,
    mtx: f.mtx ?? false,
  });
  const progress = () => onProgress?.(src.totalBytes === undefined ? { bytes: engine.bytes, lines: engine.lineNo } : { bytes: engine.bytes, lines: engine.lineNo, totalBytes: src.totalBytes });
  for await (const chunk of src.chunks) {
    if (signal?.aborted) throw new AbortError(`readInteractions: aborted after ${engine.bytes} bytes of ${src.name}`);
    engine.push(chunk);
    progress();
  }
  const result = engine.finish(idOrder, duplicates);
  progress();
  return result;
}

function validateColumns(c: ColumnSpec): void {
  if (c === null || typeof c !== 'object') throw new ValidationError('readInteractions: columns must be an object { user, item, value?, timestamp? }');
  for (const [k, v] of Object.entries(c)) {
    if (!['user', 'item', 'value', 'timestamp'].includes(k)) throw new ValidationError(`readInteractions: unknown column role ${JSON.stringify(k)}; expected user, item, value, timestamp`);
    if (v === null && (k === 'value' || k === 'timestamp')) continue;
    if (v === undefined) continue;
    if (typeof v === 'string' && v.length > 0) continue;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1024) continue;
    throw new ValidationError(`readInteractions: columns.${k} must be a 0-based field position or a header name, got ${JSON.stringify(v)}`);
  }
}

