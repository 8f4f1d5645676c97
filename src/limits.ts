/**
 * The `maxBytes` cap of every reader of outside bytes (model files, `.npz`, Parquet, archives): how much a
 * reader may allocate for one input, counted from the input's headers before anything is inflated or
 * allocated. One default for all readers, so a server that accepts uploads is protected without options.
 * @module
 */
import { SizeLimitError, ValidationError } from './errors.js';

/**
 * Default `maxBytes` of every reader: 1 GiB. A valid model or data set under it loads as before; a file
 * whose headers ask for more (a 1 MB `.npz` that inflates to 1.2 GB, a header claiming 10⁹ rows) is
 * refused with a `SizeLimitError` before any large allocation. Pass a larger `maxBytes` for inputs you trust
 * (wasm32 linear memory ends at 4 GiB in any case).
 */
export const DEFAULT_MAX_BYTES = 2 ** 30;

/**
 * The cap a reader uses: the caller's `maxBytes` (a positive number of bytes, `Infinity` for no cap) or
 * {@link DEFAULT_MAX_BYTES}.
 * @throws ValidationError for anything else
 */
export function resolveMaxBytes(value: unknown, where: string): number {
  if (value === undefined) return DEFAULT_MAX_BYTES;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new ValidationError(
      `${where}: maxBytes must be a positive number of bytes (or Infinity for no cap), got ${String(value)}`,
    );
  }
  return value;
}

/**
 * A running total of what one read will allocate, checked against the cap as each header is parsed.
 * `add` throws SizeLimitError naming the part that crossed the cap and the whole declared total.
 */
export class ByteBudget {
  private used = 0;
  constructor(
    readonly limit: number,
    private readonly where: string,
  ) {}

  get total(): number {
    return this.used;
  }

  /** Count `bytes` more (what `what` declares it needs); throws if the running total passes the cap. */
  add(bytes: number, what: string): void {
    if (!(bytes >= 0)) bytes = Infinity; // NaN from a corrupt header counts as too much
    this.used += bytes;
    if (this.used > this.limit) throw new SizeLimitError(`${this.where}: ${what}`, this.used, this.limit);
  }
}
