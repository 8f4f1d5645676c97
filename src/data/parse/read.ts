/**
 * readInteractions: parse delimited interaction files (MovieLens, Last.fm, CSV/TSV of your own) or
 * Matrix Market into `Interactions`, streaming, in Node and browsers.
 * @module
 */
import { AbortError, ValidationError } from '../../errors.js';
import type { DuplicatePolicy } from '../csr.js';
import type { IdOrder } from '../idmap.js';
import type { Interactions } from '../interactions.js';
import { resolveMaxBytes } from '../../limits.js';
import { Budget, defaultMaxBytes } from './budget.js';
import { validateColumns, type ColumnSpec } from './columns.js';
import { LineEngine, type OnError } from './engine.js';
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
  /**
   * A named layout (see `FORMATS`). Default `'auto'`: detected from the content — Matrix Market by its
   * banner; a named format when the first line has its layout (a `userId,movieId,rating,timestamp`
   * header is MovieLens CSV; u.data and ratings.dat by name and layout); else delimited text with the
   * delimiter, header and columns detected. `'delimited'` detects the same without adopting a named
   * format's rules (such as refusing negative values). Explicit options below override the format's.
   */
  format?: FormatName;
  /** `'\t'`, `','`, `'::'`, `';'`, `'|'`, `'whitespace'` (runs of spaces/tabs) or any string. Default: detected from the first line. */
  delimiter?: string;
  /**
   * Which field is what. Default: from the header's names, as people write them and in any order —
   * user: `user`, `userId`, `user_id`, `uid`, `customer`, …; item: `item`, `itemId`, `movieId`,
   * `artistID`, `product`, `sku`, `track`, …; value: `rating`, `value`, `weight`, `count`, `plays`, …;
   * timestamp: `timestamp`, `time`, `date`, … (compared ignoring case, `_`, `-` and spaces). A header
   * naming neither user nor item is read as labels of the usual layout; without a header the fields are
   * user, item, value, timestamp in that order. When the header names one but the other cannot be told,
   * a `ColumnsError` shows the header and a `columns` value that fixes it.
   *
   * Give either per role a 0-based position or a header name (`{ user: 'uid', item: 3 }`; `value: null`
   * ignores values, all 1), or the roles by position (`['item', 'user', 'rating']`; `null` or `'-'` skips
   * a field).
   */
  columns?: ColumnSpec;
  /** `true`, `false` or `'auto'` (default): a first line without numbers that names columns (or is followed by a line with numbers) is a header. */
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
  /**
   * What the read may allocate, in bytes; past it a `SizeLimitError` names the estimate and the cap. It
   * is checked before anything is parsed (from the input's size, when known, and the length of its first
   * lines; from a Matrix Market size line before any entry) and again line by line (about 128 bytes per
   * interaction plus the characters of string ids), so a stream of unknown size cannot cross it either.
   * Lines longer than 1 MiB are refused as not being interaction data. Default: what the JavaScript heap
   * can still take — Node: V8's available heap size (set by `--max-old-space-size`); Chromium: the heap
   * limit minus its use; elsewhere 1 GiB — so one upload cannot take a server down, while a large data set
   * of your own (MovieLens 25M is about 3.2 GB by this count) still reads; the model readers' default is
   * `DEFAULT_MAX_BYTES`. Pass a smaller cap on a server; `Infinity` turns it off, for inputs you trust.
   */
  maxBytes?: number;
}

const OPTION_KEYS = new Set([
  'format',
  'delimiter',
  'columns',
  'header',
  'comment',
  'ids',
  'idOrder',
  'duplicates',
  'nonNegative',
  'onProgress',
  'onError',
  'name',
  'signal',
  'maxBytes',
]);

/** Bytes of the first chunk whose lines estimate the input's line length. */
const SAMPLE_BYTES = 1 << 16;

/**
 * Read interactions (user, item, value?, timestamp?) from text: a string, bytes, a Blob/File, a web or
 * Node stream, or — in Node — a file path. Streams in chunks; numbers are parsed straight from bytes.
 *
 * @example
 * const data = await readInteractions('ml-100k/u.data', { format: 'movielens-100k' });
 * data.matrix.shape; // [943, 1682]
 */
export async function readInteractions(
  input: InteractionsInput,
  options: ReadInteractionsOptions = {},
): Promise<Interactions> {
  if (options === null || typeof options !== 'object')
    throw new ValidationError('readInteractions: options must be an object');
  for (const k of Object.keys(options)) {
    if (!OPTION_KEYS.has(k))
      throw new ValidationError(
        `readInteractions: unknown option ${JSON.stringify(k)}; known options: ${[...OPTION_KEYS].join(', ')}`,
      );
  }
  const formatName = options.format ?? 'auto';
  if (!Object.prototype.hasOwnProperty.call(FORMATS, formatName)) {
    throw new ValidationError(
      `readInteractions: unknown format ${JSON.stringify(formatName)}; known formats: ${Object.keys(FORMATS).join(', ')}`,
    );
  }
  const f: FormatSpec = FORMATS[formatName];
  const header = options.header ?? f.header ?? 'auto';
  if (header !== true && header !== false && header !== 'auto')
    throw new ValidationError(`readInteractions: header must be true, false or 'auto', got ${JSON.stringify(header)}`);
  const delimiter = options.delimiter ?? f.delimiter;
  if (
    delimiter !== undefined &&
    (typeof delimiter !== 'string' || delimiter.length === 0 || /[\r\n]/.test(delimiter))
  ) {
    throw new ValidationError(
      `readInteractions: delimiter must be a non-empty string without line breaks, got ${JSON.stringify(delimiter)}`,
    );
  }
  const comment = options.comment !== undefined ? options.comment : f.comment !== undefined ? f.comment : '#';
  if (comment !== null && (typeof comment !== 'string' || comment.length !== 1))
    throw new ValidationError(
      `readInteractions: comment must be one character or null, got ${JSON.stringify(comment)}`,
    );
  const ids = options.ids ?? f.ids;
  if (ids !== undefined && ids !== 'auto' && ids !== 'string')
    throw new ValidationError(`readInteractions: ids must be 'auto' or 'string', got ${JSON.stringify(ids)}`);
  const idOrder = options.idOrder ?? 'sorted';
  if (idOrder !== 'sorted' && idOrder !== 'first-seen')
    throw new ValidationError(
      `readInteractions: idOrder must be 'sorted' or 'first-seen', got ${JSON.stringify(idOrder)}`,
    );
  const duplicates = options.duplicates ?? 'sum';
  if (duplicates !== 'sum' && duplicates !== 'last' && duplicates !== 'error')
    throw new ValidationError(
      `readInteractions: duplicates must be 'sum', 'last' or 'error', got ${JSON.stringify(duplicates)}`,
    );
  const onError = options.onError ?? 'throw';
  if (onError !== 'throw' && onError !== 'skip' && typeof onError !== 'function')
    throw new ValidationError(
      `readInteractions: onError must be 'throw', 'skip' or a function, got ${JSON.stringify(onError)}`,
    );
  const { onProgress, signal } = options;
  if (onProgress !== undefined && typeof onProgress !== 'function')
    throw new ValidationError('readInteractions: onProgress must be a function');
  const columns = options.columns ?? f.columns;
  if (columns !== undefined) validateColumns(columns);
  // The other readers' default (DEFAULT_MAX_BYTES) is sized for model files; interactions are bounded by the heap.
  const maxBytes =
    options.maxBytes === undefined ? await defaultMaxBytes() : resolveMaxBytes(options.maxBytes, 'readInteractions');

  const src = await openInput(input, options.name);
  const budget = new Budget(maxBytes, src.name);
  const engine = new LineEngine({
    source: src.name,
    format: formatName,
    recognise: formatName === 'auto',
    budget,
    delimiter,
    header,
    comment,
    columns,
    ids,
    nonNegative: options.nonNegative ?? f.nonNegative,
    onError: onError as OnError,
    mtx: f.mtx ?? false,
  });
  const progress = () =>
    onProgress?.(
      src.totalBytes === undefined
        ? { bytes: engine.bytes, lines: engine.lineNo }
        : { bytes: engine.bytes, lines: engine.lineNo, totalBytes: src.totalBytes },
    );
  let first = true;
  for await (const chunk of src.chunks) {
    if (signal?.aborted) throw new AbortError(`readInteractions: aborted after ${engine.bytes} bytes of ${src.name}`);
    if (first && src.totalBytes !== undefined) {
      // The input's size and its first lines' length tell about how many interactions it holds.
      const sample = chunk.subarray(0, SAMPLE_BYTES);
      let lines = 0;
      for (let p = sample.indexOf(10); p >= 0; p = sample.indexOf(10, p + 1)) lines++;
      if (lines > 0) budget.checkInput(src.totalBytes, sample.length / lines);
    }
    first = false;
    engine.push(chunk);
    progress();
  }
  const result = engine.finish(idOrder, duplicates);
  progress();
  return result;
}
