/**
 * Fetch a data set archive once, verify it, extract the ratings file and cache it. Node caches the
 * extracted file under $XDG_CACHE_HOME/lowrank (or ~/.cache/lowrank); browsers keep the verified
 * archive in the Cache API. A failed download, checksum or extraction leaves nothing in the cache.
 * @internal
 * @module
 */
import { SizeLimitError } from '../../errors.js';
import { DEFAULT_MAX_BYTES, resolveMaxBytes } from '../../limits.js';
import { readInteractions } from '../parse/read.js';
import type { Interactions } from '../interactions.js';
import { DatasetError, TarReader, unzipEntries } from './archive.js';
import type { DatasetEntry } from './registry.js';
import { nodeBuiltin } from '#platform';

/** Options shared by `datasets.movielens` and `datasets.lastfm`. */
export interface DatasetOptions {
  /** Expected sha256 (hex) of the archive; overrides the pinned checksum. */
  sha256?: string;
  /** Download from this directory URL instead of the publisher's (a mirror; tests use a local server). */
  baseUrl?: string;
  /** Node: cache directory. Default `$XDG_CACHE_HOME/lowrank`, else `~/.cache/lowrank`. */
  cacheDir?: string;
  /** Download again even if cached. */
  force?: boolean;
  /** Progress of the download, then of parsing. */
  onProgress?: (p: { phase: 'download' | 'parse'; bytes: number; totalBytes?: number }) => void;
  signal?: AbortSignal;
  /** A fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
  /**
   * Most bytes the download, and separately the extraction, may take: a `Content-Length` over it is
   * refused before reading, a body that grows past it is cut off, and archive entries are checked against
   * it before they are inflated (inflation stops at the entry's declared size). Refusals are
   * `SizeLimitError`s. Default `DEFAULT_MAX_BYTES` (1 GiB), or what the data set is known to need where that
   * is more (Last.fm 360K: 4 GiB).
   */
  maxBytes?: number;
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
const MARKER = '.lowrank-dataset.json';

function archiveName(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

function resolveUrl(entry: DatasetEntry, baseUrl: string | undefined): string {
  if (baseUrl === undefined) return entry.url;
  return `${baseUrl.replace(/\/+$/, '')}/${archiveName(entry.url)}`;
}

function wants(entry: DatasetEntry): (path: string) => boolean {
  return (p) => p === entry.file || p.endsWith(`/${entry.file}`);
}

async function open(url: string, o: DatasetOptions): Promise<Response> {
  const f = o.fetch ?? globalThis.fetch;
  if (typeof f !== 'function') throw new DatasetError('no fetch() in this runtime; pass { fetch }');
  let res: Response;
  try {
    res = await f(url, { signal: o.signal });
  } catch (e) {
    throw new DatasetError(
      `GET ${url} failed: ${(e as Error).message}. Offline? Use { baseUrl } for a mirror, or download the file yourself and call readInteractions(path, { format }).`,
    );
  }
  if (!res.ok || !res.body) throw new DatasetError(`GET ${url}: HTTP ${res.status} ${res.statusText}`.trimEnd());
  return res;
}

/** The cap for `entry`: the caller's, else the larger of the default and what the entry is known to need. */
function capFor(entry: DatasetEntry, o: DatasetOptions): number {
  return o.maxBytes !== undefined
    ? resolveMaxBytes(o.maxBytes, `datasets (${entry.key})`)
    : Math.max(DEFAULT_MAX_BYTES, entry.maxBytes ?? 0);
}

/** Refuse a response whose declared length is over the cap, before reading it. */
function declaredLength(res: Response, url: string, limit: number): number | undefined {
  const total = Number(res.headers.get('content-length')) || undefined;
  if (total !== undefined && total > limit) throw new SizeLimitError(`GET ${url}`, total, limit);
  return total;
}

/** Count a chunk; past the cap, stop reading (the connection is cancelled) and refuse. */
async function counted(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  bytes: number,
  url: string,
  limit: number,
): Promise<void> {
  if (bytes <= limit) return;
  await reader.cancel().catch(() => undefined);
  throw new SizeLimitError(`GET ${url} (the body grew past its declared length or the cap)`, bytes, limit);
}

/** The whole response body, with download progress. */
async function readBody(res: Response, o: DatasetOptions, url: string, limit: number): Promise<Uint8Array> {
  const total = declaredLength(res, url, limit);
  const parts: Uint8Array[] = [];
  let bytes = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    await counted(reader, bytes, url, limit);
    parts.push(value);
    o.onProgress?.(
      total === undefined ? { phase: 'download', bytes } : { phase: 'download', bytes, totalBytes: total },
    );
  }
  const out = new Uint8Array(bytes);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function hex(buf: ArrayBuffer | Uint8Array): string {
  return Array.from(buf instanceof Uint8Array ? buf : new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}

/**
 * Compare digests with the expectation: a caller's sha256, else the pinned sha256, else the pinned md5.
 * With none known, warn with the sha256 so it can be pinned.
 */
function check(entry: DatasetEntry, url: string, o: DatasetOptions, sha256: string, md5: string | undefined): void {
  const expected = (o.sha256 ?? entry.sha256)?.toLowerCase();
  const fail = (kind: string, want: string, got: string) =>
    new DatasetError(
      `${url}: ${kind} mismatch: expected ${want}, got ${got}. The download is corrupt or the file changed upstream; nothing was cached.` +
        ` If you have checked the new file, pass { sha256: '${sha256}' }.`,
    );
  if (expected !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(expected))
      throw new DatasetError(`sha256 must be 64 hex digits, got ${JSON.stringify(o.sha256 ?? entry.sha256)}`);
    if (sha256 !== expected) throw fail('sha256', expected, sha256);
    return;
  }
  if (entry.md5 && md5 !== undefined) {
    if (md5 !== entry.md5) throw fail('md5', entry.md5, md5);
    return;
  }
  console.warn(
    `lowrank: no pinned checksum for ${entry.key}; the downloaded ${archiveName(url)} has sha256 ${sha256}. Pass { sha256 } to pin it.`,
  );
}

async function digests(bytes: Uint8Array): Promise<{ sha256: string; md5?: string }> {
  if (isNode) {
    const { createHash } = await nodeBuiltin('crypto');
    return {
      sha256: createHash('sha256').update(bytes).digest('hex'),
      md5: createHash('md5').update(bytes).digest('hex'),
    };
  }
  return { sha256: hex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)) };
}

function cacheRoot(o: DatasetOptions, path: typeof import('node:path'), os: typeof import('node:os')): string {
  if (o.cacheDir !== undefined) return path.resolve(o.cacheDir);
  const xdg = process.env.XDG_CACHE_HOME;
  return xdg ? path.join(xdg, 'lowrank') : path.join(os.homedir(), '.cache', 'lowrank');
}

/** Node: the path of the cached ratings file, downloading and extracting it first if needed. */
async function nodeFile(entry: DatasetEntry, o: DatasetOptions): Promise<string> {
  const fs = await nodeBuiltin('fs', 'loadDataset');
  const path = await nodeBuiltin('path');
  const os = await nodeBuiltin('os');
  const root = cacheRoot(o, path, os);
  const dir = path.join(root, entry.key);
  const marker = path.join(dir, MARKER);
  if (!o.force && fs.existsSync(marker)) {
    const m = JSON.parse(fs.readFileSync(marker, 'utf8')) as { file: string };
    return path.join(dir, m.file);
  }
  const url = resolveUrl(entry, o.baseUrl);
  await fs.promises.mkdir(root, { recursive: true });
  const tmp = await fs.promises.mkdtemp(path.join(root, `.${entry.key}.partial-`));
  try {
    let file: string | undefined;
    let sha256: string;
    const res = await open(url, o);
    const limit = capFor(entry, o);
    if (entry.archive === 'zip') {
      const bytes = await readBody(res, o, url, limit);
      const d = await digests(bytes);
      sha256 = d.sha256;
      check(entry, url, o, d.sha256, d.md5);
      for (const [p, data] of unzipEntries(bytes, archiveName(url), wants(entry), limit)) {
        file ??= p;
        await fs.promises.mkdir(path.dirname(path.join(tmp, p)), { recursive: true });
        await fs.promises.writeFile(path.join(tmp, p), data);
      }
    } else {
      // Stream to disk while hashing: the 360K archive is about 550 MB.
      const { createHash } = await nodeBuiltin('crypto');
      const sha = createHash('sha256');
      const md5 = createHash('md5');
      const archivePath = path.join(tmp, archiveName(url));
      const out = fs.createWriteStream(archivePath);
      const total = declaredLength(res, url, limit);
      let bytes = 0;
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await counted(reader, bytes + value.length, url, limit);
        sha.update(value);
        md5.update(value);
        if (!out.write(value)) await new Promise<void>((r) => out.once('drain', () => r()));
        bytes += value.length;
        o.onProgress?.(
          total === undefined ? { phase: 'download', bytes } : { phase: 'download', bytes, totalBytes: total },
        );
      }
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
      sha256 = sha.digest('hex');
      check(entry, url, o, sha256, md5.digest('hex'));
      file = await untarGz(archivePath, tmp, archiveName(url), wants(entry), limit);
      await fs.promises.rm(archivePath);
    }
    if (file === undefined)
      throw new DatasetError(`${archiveName(url)} has no entry ${entry.file}; is it the right archive?`);
    await fs.promises.writeFile(
      path.join(tmp, MARKER),
      JSON.stringify({ url, sha256, file, downloaded: new Date().toISOString() }, null, 2),
    );
    await fs.promises.rm(dir, { recursive: true, force: true });
    await fs.promises.rename(tmp, dir);
    return path.join(dir, file);
  } catch (e) {
    await fs.promises.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Extract the first entry `want` selects from a .tar.gz into `dir`; every entry name is checked, and
 * inflation stops once the uncompressed tar passes `limit` (so a gzip bomb costs `limit`, not its size).
 */
async function untarGz(
  archivePath: string,
  dir: string,
  label: string,
  want: (p: string) => boolean,
  limit: number,
): Promise<string | undefined> {
  const fs = await nodeBuiltin('fs', 'loadDataset');
  const path = await nodeBuiltin('path');
  const zlib = await nodeBuiltin('zlib');
  let found: string | undefined;
  let fd: number | undefined;
  const reader = new TarReader(label, (p, size) => {
    if (found !== undefined || !want(p)) return undefined;
    if (size > limit) throw new SizeLimitError(`${label}: entry ${p}`, size, limit);
    found = p;
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    const handle = fs.openSync(path.join(dir, p), 'w');
    fd = handle;
    return (chunk) => fs.writeSync(handle, chunk);
  });
  try {
    let inflated = 0;
    for await (const chunk of fs.createReadStream(archivePath).pipe(zlib.createGunzip())) {
      inflated += (chunk as Uint8Array).length;
      if (inflated > limit) throw new SizeLimitError(`${label}: the uncompressed archive`, inflated, limit);
      reader.push(chunk as Uint8Array);
    }
    reader.finish();
  } catch (e) {
    if (e instanceof DatasetError || e instanceof SizeLimitError) throw e;
    throw new DatasetError(`${label}: cannot extract (${(e as Error).message})`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return found;
}

/** Browser: the ratings file's bytes, from the Cache API when present. @internal Exported for tests. */
export async function browserBytes(entry: DatasetEntry, o: DatasetOptions): Promise<Uint8Array> {
  if (entry.archive !== 'zip') {
    throw new DatasetError(
      `${entry.key} is a large .tar.gz that is only downloaded in Node; fetch the .tsv yourself and call readInteractions(file, { format: '${entry.format}' })`,
    );
  }
  const url = resolveUrl(entry, o.baseUrl);
  const cache = typeof caches !== 'undefined' ? await caches.open('lowrank-datasets') : undefined;
  const hit = cache && !o.force ? await cache.match(url) : undefined;
  let bytes: Uint8Array;
  if (hit) bytes = new Uint8Array(await hit.arrayBuffer());
  else {
    bytes = await readBody(await open(url, o), o, url, capFor(entry, o));
    const d = await digests(bytes);
    check(entry, url, o, d.sha256, d.md5);
  }
  const files = unzipEntries(bytes, archiveName(url), wants(entry), capFor(entry, o));
  const first = files.values().next();
  if (first.done) throw new DatasetError(`${archiveName(url)} has no entry ${entry.file}; is it the right archive?`);
  // Cache only an archive that verified and extracted.
  if (!hit) await cache?.put(url, new Response(bytes as Uint8Array<ArrayBuffer>));
  return first.value;
}

/** Download (or reuse), verify, extract and parse one data set. */
export async function loadDataset(entry: DatasetEntry, o: DatasetOptions): Promise<Interactions> {
  const parseProgress = o.onProgress
    ? (p: { bytes: number; totalBytes?: number }) => o.onProgress!({ phase: 'parse', ...p })
    : undefined;
  const input = isNode ? await nodeFile(entry, o) : await browserBytes(entry, o);
  const data = await readInteractions(input, {
    format: entry.format,
    name: entry.file.split('/').pop(),
    onProgress: parseProgress,
    signal: o.signal,
  });
  return Object.assign(data, { info: { name: entry.key, description: entry.description, source: entry.url } });
}
