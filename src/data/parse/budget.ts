/**
 * What readInteractions may allocate (`maxBytes`): the default cap, and the estimates it is checked
 * against — from the input's size before reading, from a Matrix Market size line before any entry, and
 * line by line as records and string ids accumulate, so the cap is never crossed by more than one line.
 * @internal
 * @module
 */
import { nodeBuiltin, platform } from '#platform';
import { SizeLimitError } from '../../errors.js';

/**
 * Peak bytes per interaction while parsing: four f64 column stores at up to twice their length, then
 * the index arrays and the CSR build (scatter and output arrays, timestamps included).
 */
export const BYTES_PER_RECORD = 128;
/** Bytes per distinct string id besides its characters (the string, two maps and list slots). */
export const BYTES_PER_STRING_ID = 160;
/** Bytes per row or column a Matrix Market size line declares (id maps and row pointers). */
export const BYTES_PER_DECLARED_ID = 64;
/** The longest line read (1 MiB): longer ones are not interaction data (binary, or no line breaks). */
export const MAX_LINE_BYTES = 1 << 20;
/** The cap where the runtime tells nothing about its memory (browsers other than Chromium). */
const FALLBACK_MAX_BYTES = 1 << 30;

/**
 * The default `maxBytes`: what the JavaScript heap can still take — in Node, V8's
 * `total_available_size` (the heap limit minus what is in use; `--max-old-space-size` sets the limit);
 * in Chromium, `performance.memory`'s limit minus the used size; elsewhere (or where those give no
 * figure) 1 GiB.
 */
export async function defaultMaxBytes(): Promise<number> {
  if (platform === 'node') {
    const v8 = await nodeBuiltin('v8', 'readInteractions (the default maxBytes)');
    // Deno and Bun emulate node:v8; a figure they do not have must not become a cap of 0.
    const free = v8.getHeapStatistics?.().total_available_size;
    return typeof free === 'number' && free > 0 ? free : FALLBACK_MAX_BYTES;
  }
  const mem = (globalThis as { performance?: { memory?: { jsHeapSizeLimit?: number; usedJSHeapSize?: number } } })
    .performance?.memory;
  const free =
    mem && typeof mem.jsHeapSizeLimit === 'number' && typeof mem.usedJSHeapSize === 'number'
      ? mem.jsHeapSizeLimit - mem.usedJSHeapSize
      : 0;
  return free > 0 ? free : FALLBACK_MAX_BYTES;
}

/** The running account of one read against its cap. */
export class Budget {
  /** Records that fit in what is left after the string ids. */
  maxRecords: number;
  private idBytes = 0;
  constructor(
    readonly maxBytes: number,
    private readonly source: string,
  ) {
    this.maxRecords = Math.floor(maxBytes / BYTES_PER_RECORD);
  }

  /**
   * Before reading: `totalBytes` of input whose first lines average `lineBytes` each hold about
   * `totalBytes / lineBytes` interactions.
   */
  checkInput(totalBytes: number, lineBytes: number): void {
    const records = Math.ceil(totalBytes / Math.max(1, lineBytes));
    const need = records * BYTES_PER_RECORD;
    if (need > this.maxBytes) {
      throw new SizeLimitError(
        `reading ${this.source} (${totalBytes} bytes, about ${records} lines of ${Math.round(lineBytes)} bytes)`,
        need,
        this.maxBytes,
      );
    }
  }

  /** A Matrix Market size line: `entries` (doubled when symmetric) and `rows + cols` ids. */
  checkDeclared(entries: number, ids: number): void {
    const need = entries * BYTES_PER_RECORD + ids * BYTES_PER_DECLARED_ID;
    if (need > this.maxBytes)
      throw new SizeLimitError(
        `the size line of ${this.source} (${entries} entries, ${ids} rows and columns)`,
        need,
        this.maxBytes,
      );
  }

  /** A new distinct string id of `chars` characters. */
  chargeId(chars: number): void {
    this.idBytes += BYTES_PER_STRING_ID + 2 * chars;
    this.maxRecords = Math.floor((this.maxBytes - this.idBytes) / BYTES_PER_RECORD);
    if (this.maxRecords < 0) this.exceeded(0);
  }

  /** `records` interactions read so far: the cap is reached. */
  exceeded(records: number): never {
    throw new SizeLimitError(
      `reading ${this.source} (${records} interactions so far)`,
      (records + 1) * BYTES_PER_RECORD + this.idBytes,
      this.maxBytes,
    );
  }
}
