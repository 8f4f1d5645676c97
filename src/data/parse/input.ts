/**
 * Every input readInteractions accepts, as one async stream of byte chunks: text, bytes, a web
 * ReadableStream, a Blob/File, a Node stream or any (async) iterable of chunks, or — in Node — a file
 * path or `file:` URL.
 * @internal
 * @module
 */
import { ValidationError } from '../../errors.js';
import { nodeBuiltin } from '#platform';

/** What `readInteractions` reads. In Node a string without a line break is a file path (a missing one is an error); a string with one is data. */
export type InteractionsInput =
  | string
  | URL
  | Uint8Array
  | ArrayBuffer
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;

export interface ChunkSource {
  /** Name for messages: the file name, or `<string>`, `<bytes>`, `<stream>`. */
  name: string;
  /** Full path or URL, when known. */
  path?: string;
  totalBytes?: number;
  chunks: AsyncIterable<Uint8Array>;
}

/** Slices of large in-memory inputs, so progress is reported as they are parsed. */
const SLICE = 4 << 20;

async function* slices(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  for (let a = 0; a < bytes.length; a += SLICE) yield bytes.subarray(a, Math.min(bytes.length, a + SLICE));
}

async function* fromIterable(it: AsyncIterable<unknown> | Iterable<unknown>): AsyncIterable<Uint8Array> {
  const enc = new TextEncoder();
  for await (const c of it as AsyncIterable<unknown>) {
    if (c instanceof Uint8Array) yield c;
    else if (typeof c === 'string') yield enc.encode(c);
    else if (c instanceof ArrayBuffer) yield new Uint8Array(c);
    else
      throw new ValidationError(
        `readInteractions: a stream chunk is ${Object.prototype.toString.call(c)}; expected Uint8Array or string chunks`,
      );
  }
}

async function* fromReader(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (typeof value === 'string') yield new TextEncoder().encode(value);
      else yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}

async function fromPath(path: string): Promise<ChunkSource> {
  const fs = await nodeBuiltin('fs', 'readInteractions(path)');
  const st = await fs.promises.stat(path);
  if (!st.isFile()) throw new ValidationError(`readInteractions: ${path} is not a file`);
  const stream = fs.createReadStream(path, { highWaterMark: 1 << 22 });
  return { name: baseName(path), path, totalBytes: st.size, chunks: fromIterable(stream as AsyncIterable<Uint8Array>) };
}

/** Turn any accepted input into a chunk source. */
export async function openInput(input: InteractionsInput, name?: string): Promise<ChunkSource> {
  if (typeof input === 'string') {
    if (isNode && !/[\r\n]/.test(input) && input.length > 0 && input.length < 4096) {
      const fs = await nodeBuiltin('fs', 'readInteractions(path)');
      let exists = false;
      try {
        exists = fs.statSync(input) !== undefined;
      } catch {
        exists = false;
      }
      if (exists) return fromPath(input);
      // A one-line string is a path whatever its extension ('ratings' as much as 'ratings.csv'): data has line breaks.
      throw new ValidationError(
        `readInteractions: no such file: ${input} (to parse a string as data, it must contain a line break)`,
      );
    }
    const bytes = new TextEncoder().encode(input);
    return { name: name ?? '<string>', totalBytes: bytes.length, chunks: slices(bytes) };
  }
  if (typeof URL !== 'undefined' && input instanceof URL) {
    if (input.protocol !== 'file:' || !isNode)
      throw new ValidationError(
        `readInteractions: only file: URLs are read directly (in Node); fetch ${input.href} and pass the response body`,
      );
    const { fileURLToPath } = await nodeBuiltin('url', 'readInteractions(file URL)');
    return fromPath(fileURLToPath(input));
  }
  if (input instanceof Uint8Array) return { name: name ?? '<bytes>', totalBytes: input.length, chunks: slices(input) };
  if (input instanceof ArrayBuffer)
    return { name: name ?? '<bytes>', totalBytes: input.byteLength, chunks: slices(new Uint8Array(input)) };
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const fileName = (input as { name?: unknown }).name;
    return {
      name: name ?? (typeof fileName === 'string' && fileName ? fileName : '<blob>'),
      totalBytes: input.size,
      chunks: fromReader(input.stream() as ReadableStream<Uint8Array>),
    };
  }
  if (input !== null && typeof input === 'object') {
    if (typeof (input as ReadableStream).getReader === 'function' && !(Symbol.asyncIterator in input)) {
      return { name: name ?? '<stream>', chunks: fromReader(input as ReadableStream<Uint8Array>) };
    }
    if (Symbol.asyncIterator in input || Symbol.iterator in input) {
      const p = (input as { path?: unknown }).path;
      const label = typeof p === 'string' ? baseName(p) : '<stream>';
      return { name: name ?? label, chunks: fromIterable(input as AsyncIterable<unknown>) };
    }
  }
  throw new ValidationError(
    `readInteractions: cannot read ${Object.prototype.toString.call(input)}; expected a string, file path, Uint8Array, ArrayBuffer, Blob/File, ReadableStream or Node stream`,
  );
}
