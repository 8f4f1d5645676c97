/**
 * NumPy `.npz` archives: a zip of `.npy` members (`np.savez` stores them, `np.savez_compressed` and
 * `scipy.sparse.save_npz` deflate them). Written with fflate; read with the zip reader in zip.ts, which
 * inflates each member only as far as its `.npy` header declares and straight into the array's own buffer,
 * so reading costs the size of the arrays (checked against `maxBytes` before any is allocated) and no more.
 * @module
 */
import { zipSync, type Zippable } from 'fflate';
import { ModelFormatError, ValidationError } from '../errors.js';
import { ByteBudget, resolveMaxBytes } from '../limits.js';
import {
  decodeNpyData,
  npyDecodedBytes,
  npyHeaderLength,
  parseNpyHeader,
  type NpyArray,
  type NpyHeader,
  type ReadNpyOptions,
} from './npy.js';
import { writeNpy } from './npy-write.js';
import { ZipEntryReader, ZipFormatError, zipEntries, type ZipEntry } from '../data/zip.js';

/** Options of {@link writeNpz}. */
export interface WriteNpzOptions {
  /** Deflate the members like `np.savez_compressed` (default `false`: stored, like `np.savez`). */
  compress?: boolean;
}

function asBytes(bytes: Uint8Array | ArrayBuffer, fn: string): Uint8Array {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer))
    throw new ValidationError(
      `${fn}: expected the file's bytes (Uint8Array or ArrayBuffer), got ${Object.prototype.toString.call(bytes)}`,
    );
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}

/**
 * An opened `.npz`: its `.npy` members by name (without `.npy`), each header parsed on first use and each
 * member's data read once, sequentially, into a buffer the caller chooses.
 */
export class NpzArchive {
  private readonly entries = new Map<string, ZipEntry>();
  private readonly open = new Map<string, { reader: ZipEntryReader; header: NpyHeader; raw: Uint8Array }>();

  /** @throws ModelFormatError if the bytes are not a readable zip archive */
  constructor(
    private readonly bytes: Uint8Array,
    readonly source: string,
  ) {
    if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
      throw new ModelFormatError(
        `${source}: not a zip archive (an .npz starts with 'PK'); got ${bytes.length} bytes starting ${Array.from(bytes.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ')}`,
      );
    }
    let list: ZipEntry[];
    try {
      list = zipEntries(bytes);
    } catch (e) {
      throw this.wrap(e, 'corrupt or unsupported zip archive');
    }
    for (const e of list)
      if (e.name.endsWith('.npy') && !this.entries.has(e.name.slice(0, -4))) this.entries.set(e.name.slice(0, -4), e);
  }

  /** Member names (without `.npy`), in archive order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The member's parsed `.npy` header (inflating only the header's bytes). */
  header(name: string): NpyHeader {
    return this.opened(name).header;
  }

  /** The member's preamble and header bytes, as in the file. */
  rawHeader(name: string): Uint8Array {
    return this.opened(name).raw;
  }

  /**
   * Read the member's data into `dst`, which must hold exactly `header(name).dataBytes` bytes; inflation
   * stops there. A member that ends early is a ModelFormatError. Each member's data can be read once.
   */
  readInto(name: string, dst: Uint8Array): void {
    const { reader, header } = this.opened(name);
    if (dst.length !== header.dataBytes)
      throw new ValidationError(
        `NpzArchive.readInto: ${name} has ${header.dataBytes} data bytes, the destination ${dst.length}`,
      );
    this.readExactly(reader, dst, name, header);
  }

  /** Stream the member's data to `sink` in pieces of at most `chunk` bytes (the buffer is reused). */
  readChunks(name: string, chunk: number, sink: (bytes: Uint8Array, offset: number) => void): void {
    const { reader, header } = this.opened(name);
    const buf = new Uint8Array(Math.min(chunk, Math.max(1, header.dataBytes)));
    for (let off = 0; off < header.dataBytes; ) {
      const piece = buf.subarray(0, Math.min(buf.length, header.dataBytes - off));
      this.readExactly(reader, piece, name, header, off);
      sink(piece, off);
      off += piece.length;
    }
  }

  /** The whole member as an array, in a buffer of its own. */
  read(name: string): NpyArray {
    const header = this.header(name);
    const raw = new Uint8Array(header.dataBytes);
    this.readInto(name, raw);
    return decodeNpyData(header, raw, this.member(name));
  }

  private member(name: string): string {
    return `${this.source}:${name}.npy`;
  }

  private readExactly(reader: ZipEntryReader, dst: Uint8Array, name: string, header: NpyHeader, before = 0): void {
    let got: number;
    try {
      got = reader.read(dst);
    } catch (e) {
      throw this.wrap(e, `${name}.npy`);
    }
    if (got < dst.length) {
      throw new ModelFormatError(
        `${this.member(name)}: truncated data: shape (${header.shape.join(', ')}) of '${header.descr}' needs ${header.dataBytes} bytes, found ${before + got}`,
      );
    }
  }

  private opened(name: string): { reader: ZipEntryReader; header: NpyHeader; raw: Uint8Array } {
    const have = this.open.get(name);
    if (have) return have;
    const entry = this.entries.get(name);
    if (!entry) throw new ModelFormatError(`${this.source}: the archive has no ${name}.npy`);
    const reader = new ZipEntryReader(this.bytes, entry);
    const source = this.member(name);
    try {
      const pre = new Uint8Array(12);
      const n = reader.read(pre);
      const total = npyHeaderLength(pre.subarray(0, n), source);
      // A dict needs more than the 2 bytes that would end a v1 header inside the 12 read so far.
      if (n > total) throw new ModelFormatError(`${source}: .npy header of ${total} bytes is too short to hold a dict`);
      const head = new Uint8Array(total);
      head.set(pre.subarray(0, n));
      if (total > n && reader.read(head.subarray(n)) < total - n)
        throw new ModelFormatError(`${source}: truncated .npy header`);
      const header = parseNpyHeader(head, source);
      const opened = { reader, header, raw: head };
      this.open.set(name, opened);
      return opened;
    } catch (e) {
      throw this.wrap(e, `${name}.npy`);
    }
  }

  private wrap(e: unknown, what: string): Error {
    if (e instanceof ZipFormatError) return new ModelFormatError(`${this.source}: ${what}: ${e.message}`);
    return e as Error;
  }
}

/**
 * Read an `.npz` archive into a map from array name (member name without `.npy`) to array, in archive
 * order. Members that are not `.npy` files are ignored, as numpy's loader would expose them only as raw bytes.
 * @throws ModelFormatError if the bytes are not a zip archive or a member is not a readable `.npy`
 * @throws SizeLimitError if the arrays together would take more than `maxBytes` (checked before any is read)
 */
export function readNpz(
  bytes: Uint8Array | ArrayBuffer,
  source = '.npz',
  options: ReadNpyOptions = {},
): Map<string, NpyArray> {
  const limit = resolveMaxBytes(options.maxBytes, 'readNpz');
  const z = new NpzArchive(asBytes(bytes, 'readNpz'), source);
  const budget = new ByteBudget(limit, source);
  for (const name of z.names()) {
    const h = z.header(name);
    budget.add(npyDecodedBytes(h), `${name}.npy (shape (${h.shape.join(', ')}) '${h.descr}')`);
  }
  const out = new Map<string, NpyArray>();
  for (const name of z.names()) out.set(name, z.read(name));
  return out;
}

/**
 * The raw `.npy` members of an `.npz` (name without `.npy` → bytes: header and data), for readers that
 * parse only some members. Each member is inflated only as far as its `.npy` header declares.
 * @throws ModelFormatError if the bytes are not a readable zip archive or a member's header is unreadable
 * @throws SizeLimitError past `maxBytes` in total
 */
export function readNpzMembers(
  bytes: Uint8Array | ArrayBuffer,
  source = '.npz',
  options: ReadNpyOptions = {},
): Map<string, Uint8Array> {
  const limit = resolveMaxBytes(options.maxBytes, 'readNpzMembers');
  const z = new NpzArchive(asBytes(bytes, 'readNpzMembers'), source);
  const budget = new ByteBudget(limit, source);
  for (const name of z.names()) budget.add(z.header(name).headerBytes + z.header(name).dataBytes, `${name}.npy`);
  const out = new Map<string, Uint8Array>();
  for (const name of z.names()) {
    const h = z.header(name);
    const all = new Uint8Array(h.headerBytes + h.dataBytes);
    all.set(z.rawHeader(name));
    z.readInto(name, all.subarray(h.headerBytes));
    out.set(name, all);
  }
  return out;
}

/**
 * Write arrays as an `.npz` archive that `np.load` reads (member `<name>.npy` per entry).
 * @throws ValidationError for an empty or duplicate-looking name or an array `writeNpy` rejects
 */
export function writeNpz(
  arrays: Record<string, NpyArray> | Map<string, NpyArray>,
  options: WriteNpzOptions = {},
): Uint8Array {
  const entries = arrays instanceof Map ? [...arrays.entries()] : Object.entries(arrays);
  const files: Zippable = {};
  for (const [name, array] of entries) {
    if (typeof name !== 'string' || name.length === 0 || name.includes('/'))
      throw new ValidationError(
        `writeNpz: array names must be non-empty and contain no '/', got ${JSON.stringify(name)}`,
      );
    files[`${name}.npy`] = writeNpy(array);
  }
  // A fixed 1980 timestamp (what numpy writes too) keeps the output byte-for-byte reproducible.
  return zipSync(files, { level: options.compress ? 6 : 0, mtime: new Date(1980, 0, 1, 0, 0, 0) });
}
