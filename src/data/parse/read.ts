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
   * header is MovieLens CSV; u.data and ratings.dat by name and layout); one user's list per line when
   * the rows' field counts differ — `'counted-lists'` if every row's first field counts the rest
   * (citeulike's users.dat), `'lists'` (`user item item …`, LightGCN's train.txt) for space- or
   * tab-separated rows; else delimited text with the delimiter, header and columns detected (from the
   * first 1,000 rows). A file whose rows have differing field counts is never read as columns: a row
   * of another length is an error that names these formats. `'delimited'` detects the same without
   * adopting a named format's rules (such as refusing negative values) or lists. Explicit options below
   * override the format's.
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
   * The quote character of RFC 4180 quoting (default `'"'`): a field that starts with it runs to the
   * matching one, with delimiters and line breaks inside, and `""` inside stands for one quote. A field
   * with text after its closing quote is read as it stands. `null`: quotes are ordinary characters.
   */
  quote?: string | null;
  /**
   * How bytes become id text: `'auto'` (default) reads UTF-8, and a field that is not valid UTF-8 (a
   * Latin-1 export such as the Book-Crossing dump) as windows-1252 — byte for byte, so distinct ids stay
   * distinct; `report.nonUtf8Ids` counts them. `'utf-8'` (invalid bytes become U+FFFD) or
   * `'windows-1252'` for every field. A UTF-8 byte-order mark is dropped.
   */
  encoding?: 'auto' | 'utf-8' | 'windows-1252';
  /**
   * Values equal to 0: `'keep'` (default), `'drop'` (the row is not read; counted in
   * `report.dropped.zero`), or a number to read them as — e.g. `zeros: 1` where 0 means "seen, not rated"
   * (the Book-Crossing dump), so models that read 0 as no preference (ImplicitALS) count them as
   * interactions. `report.zeros` counts the zeros read.
   */
  zeros?: 'keep' | 'drop' | number;
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
   * Bad rows (a missing or extra field, an empty id, a value that is not a number, …): `'throw'` (default,
   * strict) throws a ParseError naming source, line, column and text; `'skip'` drops them and counts them
   * per kind in `report.dropped` (with the first lines of each kind; `report.skipped` is the total, the
   * first 100 errors are in `report.errors`); a function is called with each ParseError and the row is
   * skipped. Blank rows (empty lines, `,,`) are never errors: they are skipped and counted as
   * `report.dropped.blank`.
   */
  onError?: OnError;
  /**
   * Say with `console.warn` (once per process for each kind) what `report.notes` says: a header without a
   * recognised value column (every interaction then counts 1), a timestamp column holding no times.
   * Default true.
   */
  warnings?: boolean;
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
  'quote',
  'encoding',
  'zeros',
  'warnings',
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
  const quote = options.quote !== undefined ? options.quote : f.quote !== undefined ? f.quote : '"';
  if (
    quote !== null &&
    (typeof quote !== 'string' || quote.length !== 1 || quote.charCodeAt(0) > 127 || /[\r\n]/.test(quote))
  )
    throw new ValidationError(
      `readInteractions: quote must be one ASCII character or null, got ${JSON.stringify(quote)}`,
    );
  const encoding = options.encoding ?? 'auto';
  if (encoding !== 'auto' && encoding !== 'utf-8' && encoding !== 'windows-1252')
    throw new ValidationError(
      `readInteractions: encoding must be 'auto', 'utf-8' or 'windows-1252', got ${JSON.stringify(encoding)}`,
    );
  const zeros = options.zeros ?? 'keep';
  if (zeros !== 'keep' && zeros !== 'drop' && !(typeof zeros === 'number' && Number.isFinite(Math.fround(zeros))))
    throw new ValidationError(
      `readInteractions: zeros must be 'keep', 'drop' or a finite number to read 0 as, got ${JSON.stringify(zeros)}`,
    );
  const warnings = options.warnings ?? true;
  if (typeof warnings !== 'boolean')
    throw new ValidationError(`readInteractions: warnings must be true or false, got ${JSON.stringify(warnings)}`);
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
    budget,
    delimiter,
    header,
    comment,
    quote,
    columns,
    columnsGiven: options.columns !== undefined,
    ids,
    encoding,
    zeros,
    warnings,
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
      // Old Mac line ends (CR only).
      if (lines === 0) for (let p = sample.indexOf(13); p >= 0; p = sample.indexOf(13, p + 1)) lines++;
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
