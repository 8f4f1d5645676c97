/**
 * Node-only file helpers for saved models. `node:fs` comes from `#platform`, fetched inside each function, so the
 * library bundle still loads in browsers (where only `save()`/`load(bytes)` are available).
 * @module
 */
import { LowrankError, ValidationError } from '../errors.js';
import { nodeBuiltin } from '#platform';

type FsPromises = typeof import('node:fs/promises');

async function fs(what: string): Promise<FsPromises> {
  try {
    return await nodeBuiltin('fs/promises', what);
  } catch {
    throw new LowrankError(
      `${what} needs Node's file system; in a browser use save()/load(bytes) and store the bytes yourself`,
    );
  }
}

/**
 * Write `bytes` to `path` atomically: into a temporary file beside it, flushed to disk, then renamed over
 * `path`, so readers see the old file or the new one, never a partial write.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  if (typeof path !== 'string' || path.length === 0)
    throw new ValidationError('saveFile: path must be a non-empty string');
  const f = await fs('saveFile');
  const tmp = `${path}.${typeof process !== 'undefined' ? process.pid : 0}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  let handle: Awaited<ReturnType<FsPromises['open']>> | undefined;
  try {
    handle = await f.open(tmp, 'wx');
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await f.rename(tmp, path);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await f.rm(tmp, { force: true }).catch(() => undefined);
    // Name the target, not the temporary file the OS error mentions.
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'its directory does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (e as Error).message;
    throw new LowrankError(`saveFile: cannot write ${path}: ${why}${code ? ` (${code})` : ''}`);
  }
}

/** A file opened for reading in pieces (see `ByteSource` in persist.ts); `close()` when done. */
export interface FileSource {
  readonly size: number;
  read(start: number, end: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Open `path` for random-access reads (Node only). */
export async function openFileSource(path: string, what = 'loadFile'): Promise<FileSource> {
  if (typeof path !== 'string' || path.length === 0)
    throw new ValidationError(`${what}: path must be a non-empty string`);
  const f = await fs(what);
  let handle: Awaited<ReturnType<FsPromises['open']>>;
  try {
    handle = await f.open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LowrankError(
      `${what}: cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}${code ? ` (${code})` : ''}`,
    );
  }
  const size = (await handle.stat()).size;
  return {
    size,
    async read(start: number, end: number): Promise<Uint8Array> {
      const out = new Uint8Array(end - start);
      for (let got = 0; got < out.length; ) {
        const { bytesRead } = await handle.read(out, got, out.length - got, start + got);
        if (bytesRead === 0) throw new LowrankError(`${what}: ${path} shrank while being read`);
        got += bytesRead;
      }
      return out;
    },
    close: () => handle.close(),
  };
}
