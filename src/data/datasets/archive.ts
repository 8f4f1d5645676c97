/**
 * Archive extraction for data set downloads: zip (fflate) and tar (a small streaming reader; gunzip is
 * the caller's). Every entry name is checked before anything is extracted: a name that is absolute or
 * climbs out of the target directory ("zip-slip") rejects the whole archive.
 * @internal
 * @module
 */
import { LowrankError } from '../../errors.js';
import { ByteBudget, DEFAULT_MAX_BYTES } from '../../limits.js';
import { ZipEntryReader, ZipFormatError, zipEntries, type ZipEntry } from '../zip.js';

/** A download or archive problem: HTTP failure, checksum mismatch, unsafe or missing archive entry. */
export class DatasetError extends LowrankError {}

/**
 * The entry name as a safe relative path (forward slashes), or throw. Rejects absolute paths, drive
 * letters, backslashes used as separators and any `..` that leaves the target.
 */
export function safeEntryPath(name: string, archive: string): string {
  const bad = (why: string) =>
    new DatasetError(
      `${archive}: refusing to extract entry ${JSON.stringify(name)}: ${why} (the archive may be malicious; nothing was extracted)`,
    );
  if (name.includes('\0')) throw bad('the name contains a NUL byte');
  if (name.includes('\\')) throw bad('the name contains a backslash');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw bad('the path is absolute');
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw bad('the path escapes the target directory');
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/**
 * Check every entry of a zip and return the contents of the entries `want` selects (by safe path). Only
 * selected entries are inflated, each into a buffer of its declared size after checking that size (and
 * the running total) against `maxBytes`; inflation stops at the declared size, and an entry holding more
 * than it declares is refused.
 */
export function unzipEntries(
  zip: Uint8Array,
  archive: string,
  want: (path: string) => boolean,
  maxBytes = DEFAULT_MAX_BYTES,
): Map<string, Uint8Array> {
  let entries: ZipEntry[];
  try {
    entries = zipEntries(zip, { directories: true });
  } catch (e) {
    throw new DatasetError(`${archive}: not a valid zip archive (${(e as Error).message})`);
  }
  const picked: [string, ZipEntry][] = [];
  for (const e of entries) {
    const p = safeEntryPath(e.name, archive);
    if (!e.name.endsWith('/') && want(p)) picked.push([p, e]);
  }
  const budget = new ByteBudget(maxBytes, archive);
  for (const [p, e] of picked) budget.add(e.declaredSize, `entry ${p}`);
  const out = new Map<string, Uint8Array>();
  for (const [p, e] of picked) {
    const bytes = new Uint8Array(e.declaredSize);
    try {
      const reader = new ZipEntryReader(zip, e);
      const got = reader.read(bytes);
      if (got < bytes.length)
        throw new DatasetError(`${archive}: entry ${p} is truncated (${got} of ${bytes.length} bytes)`);
      if (reader.hasMore())
        throw new DatasetError(
          `${archive}: entry ${p} holds more than the ${bytes.length} bytes it declares (the archive may be malicious; nothing was extracted)`,
        );
    } catch (err) {
      if (err instanceof ZipFormatError) throw new DatasetError(`${archive}: not a valid zip archive (${err.message})`);
      throw err;
    }
    out.set(p, bytes);
  }
  return out;
}

/** One regular file found by `TarReader`. Return a sink to receive its bytes, or undefined to skip it. */
export type TarEntryHandler = (path: string, size: number) => ((chunk: Uint8Array) => void) | undefined;

/**
 * Streaming reader of (ustar / pax / GNU long-name) tar data: `push` chunks as they arrive. Directory
 * and link entries are skipped; every regular file's name is checked with `safeEntryPath`.
 */
export class TarReader {
  private buf = new Uint8Array(0);
  private state: 'header' | 'data' | 'pad' | 'end' = 'header';
  private remaining = 0;
  private pad = 0;
  private sink: ((chunk: Uint8Array) => void) | undefined;
  private meta: 'pax' | 'longname' | undefined;
  private metaBytes: Uint8Array[] = [];
  private nextName: string | undefined;

  constructor(
    private readonly archive: string,
    private readonly onEntry: TarEntryHandler,
  ) {}

  push(chunk: Uint8Array): void {
    const data = this.buf.length ? concat(this.buf, chunk) : chunk;
    let pos = 0;
    while (pos < data.length && this.state !== 'end') {
      if (this.state === 'header') {
        if (data.length - pos < 512) break;
        this.header(data.subarray(pos, pos + 512));
        pos += 512;
      } else if (this.state === 'data') {
        const n = Math.min(this.remaining, data.length - pos);
        const part = data.subarray(pos, pos + n);
        if (this.meta) this.metaBytes.push(part.slice());
        else this.sink?.(part);
        pos += n;
        this.remaining -= n;
        if (this.remaining === 0) this.endEntry();
      } else {
        const n = Math.min(this.pad, data.length - pos);
        pos += n;
        this.pad -= n;
        if (this.pad === 0) this.state = 'header';
      }
    }
    this.buf = data.slice(pos);
  }

  /** Call after the last chunk: throws if the archive ended inside an entry. */
  finish(): void {
    if (this.state === 'data' || this.state === 'pad' || (this.state === 'header' && this.buf.length > 0)) {
      throw new DatasetError(`${this.archive}: the tar archive is truncated`);
    }
  }

  private header(h: Uint8Array): void {
    if (h.every((b) => b === 0)) {
      this.state = 'end';
      return;
    }
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    const stored = parseInt(text(h, 148, 156).trim() || 'x', 8);
    if (stored !== sum) throw new DatasetError(`${this.archive}: not a tar archive (header checksum mismatch)`);
    const size = parseInt(text(h, 124, 136).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 48);
    const prefix = text(h, 257, 262) === 'ustar' ? text(h, 345, 500) : '';
    let name = this.nextName ?? (prefix ? `${prefix}/${text(h, 0, 100)}` : text(h, 0, 100));
    this.remaining = size;
    this.pad = (512 - (size % 512)) % 512;
    this.sink = undefined;
    this.meta = undefined;
    if (type === 'x' || type === 'L') {
      this.meta = type === 'x' ? 'pax' : 'longname';
      this.metaBytes = [];
    } else {
      this.nextName = undefined;
      if (type === '0' || type === '7') {
        name = safeEntryPath(name, this.archive);
        this.sink = this.onEntry(name, size);
      } else if (type !== '5' && type !== 'g') {
        // Links and devices are never part of a data set; a link could point outside the target.
        safeEntryPath(name, this.archive);
      }
    }
    this.state = size > 0 ? 'data' : this.pad > 0 ? 'pad' : 'header';
    if (size === 0) this.endEntry();
  }

  private endEntry(): void {
    if (this.meta) {
      const all = new TextDecoder().decode(concat(...this.metaBytes));
      if (this.meta === 'longname') this.nextName = all.replace(/\0.*$/s, '');
      else {
        const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(all);
        if (m) this.nextName = m[1];
      }
      this.meta = undefined;
    }
    this.state = this.pad > 0 ? 'pad' : 'header';
  }
}

function text(h: Uint8Array, a: number, b: number): string {
  let end = a;
  while (end < b && h[end] !== 0) end++;
  return new TextDecoder().decode(h.subarray(a, end));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
