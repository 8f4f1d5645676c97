/**
 * Error classes thrown by lowrank. Every error a user can cause is one of these, with a message that says
 * what was wrong (which row, which value, what was expected) so it can be acted on.
 * @module
 */

/** Base class of every error lowrank throws on purpose. */
export class LowrankError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An argument to a public function is of the wrong type, shape or range. */
export class ValidationError extends LowrankError {}

/** The runtime was used before `init()`, or the requested backend is not available here. */
export class BackendError extends LowrankError {}

/** A worker thread failed (threw or exited) while running a job; the message is the worker's. */
export class WorkerError extends BackendError {}

/**
 * Linear memory could not grow to hold a request (wasm32 has a 4 GiB ceiling).
 * `requested` and `inUse` are byte counts.
 */
export class OutOfMemoryError extends LowrankError {
  readonly requested: number;
  readonly inUse: number;
  constructor(requested: number, inUse: number, detail = '') {
    super(
      `out of memory: requested ${formatBytes(requested)} with ${formatBytes(inUse)} already in use` +
        ` (wasm32 linear memory is limited to 4 GiB)${detail ? `; ${detail}` : ''}`,
    );
    this.requested = requested;
    this.inUse = inUse;
  }
}

/** Input text or bytes could not be parsed. `line`/`column` are 1-based where known. */
export class ParseError extends LowrankError {
  readonly source?: string;
  readonly line?: number;
  readonly column?: number;
  constructor(message: string, where: { source?: string; line?: number; column?: number } = {}) {
    const loc = [
      where.source,
      where.line !== undefined ? `line ${where.line}` : undefined,
      where.column !== undefined ? `column ${where.column}` : undefined,
    ]
      .filter((s) => s !== undefined)
      .join(', ');
    super(loc ? `${loc}: ${message}` : message);
    this.source = where.source;
    this.line = where.line;
    this.column = where.column;
  }
}

/**
 * The fields of delimited input could not be matched to user, item, value and timestamp (by the header's
 * names, or by position). `header` is what the header line holds; `found` the field index of each role
 * that could be matched (-1: not found). The message shows a `columns` option that fixes it.
 */
export class ColumnsError extends ParseError {
  readonly header: readonly string[];
  readonly found: Readonly<Record<'user' | 'item' | 'value' | 'timestamp', number>>;
  /** Header names per role that would read the file: what was recognised plus a guess for the rest. */
  readonly suggested: Readonly<Partial<Record<'user' | 'item' | 'value' | 'timestamp', string>>>;
  constructor(
    message: string,
    where: { source?: string; line?: number },
    header: readonly string[],
    found: Record<'user' | 'item' | 'value' | 'timestamp', number>,
    suggested: Partial<Record<'user' | 'item' | 'value' | 'timestamp', string>>,
  ) {
    super(message, where);
    this.header = header.slice();
    this.found = { ...found };
    this.suggested = { ...suggested };
  }
}

/** Fitting produced (or would produce) invalid factors; the message names the row and the likely cause. */
export class ModelFitError extends LowrankError {}

/** A model method that needs fitted factors was called before `fit`/`load`. */
export class NotFittedError extends LowrankError {}

/**
 * The model has no such operation (e.g. `similarUsers` on an item–item model, which learns no user
 * representation); the message names the model and what it offers instead.
 */
export class NotSupportedError extends LowrankError {}

/**
 * An object whose memory was released — by `dispose()`, or at the end of a `using` block — was used again.
 * The message names the object and what to do (build, fit or load a new one).
 */
export class DisposedError extends LowrankError {}

/** A saved model or exchange file is truncated, corrupted, of the wrong kind or of an unsupported version. */
export class ModelFormatError extends LowrankError {}

/**
 * Reading outside bytes (a model file, an archive, a ratings file) would allocate more than the reader's
 * `maxBytes` cap allows. `declared` is what the input's headers (or its size) say it needs, `limit` the cap;
 * both in bytes. Raise the cap (the reader's `maxBytes` option) only for inputs you trust.
 */
export class SizeLimitError extends LowrankError {
  readonly declared: number;
  readonly limit: number;
  constructor(what: string, declared: number, limit: number, hint = 'pass a larger maxBytes if you trust this input') {
    super(`${what} needs ${formatBytes(declared)}, over the cap of ${formatBytes(limit)} (maxBytes); ${hint}`);
    this.declared = declared;
    this.limit = limit;
  }
}

/** An operation was cancelled through its `AbortSignal`. */
export class AbortError extends LowrankError {}

/** Human-readable byte count, e.g. "2.00 MiB (2097152 bytes)", as used in error messages. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]} (${n} bytes)`;
}

/**
 * A feature needs what this runtime does not have: a file path, the dataset cache or Node worker threads
 * in a browser build. The message says what to use instead (bytes, a Blob, a stream).
 */
export class PlatformError extends LowrankError {}
