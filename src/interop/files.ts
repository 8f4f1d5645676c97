/**
 * Directory-shaped inputs and outputs for exchange formats that are folders of files (Spark's model
 * layout): a directory path in Node, a `FileList`/`File[]` from a browser directory picker, or an
 * in-memory map from relative path to bytes (works everywhere).
 * @module
 */
import { ModelFormatError, ValidationError } from '../errors.js';
import { nodeBuiltin } from '#platform';
import { openFileSource, type FileSource } from '../recommend/files.js';

/** A `File` as far as we need it (browsers; Node ≥ 20 has it too). */
export interface FileLike {
  readonly name: string;
  /** Set by `<input type="file" webkitdirectory>`: `"model/userFactors/part-00000-….parquet"`. */
  readonly webkitRelativePath?: string;
  /** The file's bytes. */
  arrayBuffer(): Promise<ArrayBuffer>;
  /** Size in bytes and `slice` (a `Blob`'s): when present, files are read in ranges, not whole. */
  readonly size?: number;
  slice?(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/**
 * A folder of files: a directory path (Node), the files of a directory (browser `FileList` / `File[]`,
 * with `webkitRelativePath` set), or a map from `/`-separated relative path to bytes.
 */
export type FileTree =
  | string
  | ArrayLike<FileLike>
  | Iterable<FileLike>
  | Record<string, Uint8Array | ArrayBuffer>
  | Map<string, Uint8Array | ArrayBuffer>;

/** Files as relative `/`-separated paths → bytes. */
export type FileMap = Map<string, Uint8Array>;

const isFileLike = (v: unknown): v is FileLike =>
  v !== null &&
  typeof v === 'object' &&
  typeof (v as FileLike).name === 'string' &&
  typeof (v as FileLike).arrayBuffer === 'function';

/**
 * Load the files of `tree` under the given sub-folders (all files if `folders` is omitted).
 * Paths in the result are relative to the tree's root, with `/` separators.
 */
export async function loadFileTree(tree: FileTree, what: string, folders?: string[]): Promise<FileMap> {
  const out: FileMap = new Map();
  if (typeof tree === 'string') {
    const fs = await nodeBuiltin('fs/promises', what);
    for (const { rel, full } of await listDirectory(tree, what, folders))
      out.set(rel, new Uint8Array(await fs.readFile(full)));
    return out;
  }
  if (tree instanceof Map || (tree !== null && typeof tree === 'object' && !isIterableOrArrayLike(tree))) {
    const entries =
      tree instanceof Map ? [...tree.entries()] : Object.entries(tree as Record<string, Uint8Array | ArrayBuffer>);
    for (const [p, bytes] of entries) {
      if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) {
        throw new ValidationError(
          `${what}: file ${JSON.stringify(p)} must be a Uint8Array or ArrayBuffer, got ${typeof bytes}`,
        );
      }
      const rel = normalize(p);
      if (!folders || folders.some((f) => rel.startsWith(`${f}/`)))
        out.set(rel, bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
    }
    return out;
  }
  if (tree === null || tree === undefined)
    throw new ValidationError(
      `${what}: expected a directory path, a FileList/File[] or a { path: bytes } map, got ${tree}`,
    );
  const files = Array.from(tree as ArrayLike<FileLike>);
  if (!files.every(isFileLike))
    throw new ValidationError(
      `${what}: expected File objects (from a directory picker), a directory path or a { path: bytes } map`,
    );
  // A directory picker prefixes every path with the chosen folder's name; find the model's root as the
  // part before the first known sub-folder, so picking the model folder or its parent both work.
  for (const f of files) {
    const full = normalize(f.webkitRelativePath || f.name);
    const segs = full.split('/');
    let rel = full;
    if (folders) {
      const at = segs.findIndex((s, i) => i < segs.length - 1 && folders.includes(s));
      if (at < 0) continue;
      rel = segs.slice(at).join('/');
    }
    if (out.has(rel)) throw new ModelFormatError(`${what}: two files map to ${rel}; select a single model folder`);
    out.set(rel, new Uint8Array(await f.arrayBuffer()));
  }
  if (folders && out.size === 0 && files.length > 0 && files.every((f) => !f.webkitRelativePath)) {
    throw new ModelFormatError(
      `${what}: the files carry no folder paths (webkitRelativePath); select the model directory with <input type="file" webkitdirectory>`,
    );
  }
  return out;
}

/** One file of a tree, read in byte ranges on demand. */
export interface TreeFile {
  readonly size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

/** Files of a tree (relative path → lazily read file) and `close()` to release open handles. */
export interface LazyFileTree {
  files: Map<string, TreeFile>;
  close(): Promise<void>;
}

/**
 * Like {@link loadFileTree} but reads nothing yet: each file is read later in the byte ranges asked for,
 * so a reader can size everything from headers and footers before reading (or allocating for) the data.
 */
export async function openFileTree(tree: FileTree, what: string, folders?: string[]): Promise<LazyFileTree> {
  const files = new Map<string, TreeFile>();
  if (typeof tree === 'string') {
    const fs = await nodeBuiltin('fs/promises', what);
    // Each file is opened on its first read, so only the files a reader needs hold a handle.
    const opened: Promise<FileSource>[] = [];
    for (const { rel, full } of await listDirectory(tree, what, folders)) {
      let source: Promise<FileSource> | undefined;
      files.set(rel, {
        size: (await fs.stat(full)).size,
        read: async (start, end) => (await (source ??= pushed(opened, openFileSource(full, what)))).read(start, end),
      });
    }
    return { files, close: async () => void (await Promise.all(opened.map(async (s) => (await s).close()))) };
  }
  const sliced = (bytes: Uint8Array): TreeFile => ({ size: bytes.length, read: async (a, b) => bytes.subarray(a, b) });
  const isBlob = (f: FileLike) => typeof f.size === 'number' && typeof f.slice === 'function';
  if (tree instanceof Map || (tree !== null && typeof tree === 'object' && !isIterableOrArrayLike(tree))) {
    for (const [p, bytes] of await loadFileTree(tree, what, folders)) files.set(p, sliced(bytes));
    return { files, close: async () => undefined };
  }
  const list = tree === null || tree === undefined ? [] : Array.from(tree as ArrayLike<FileLike>);
  if (list.length > 0 && list.every(isFileLike) && list.every(isBlob)) {
    // Browser files: map paths as loadFileTree does, but read ranges through Blob.slice.
    const stub = list.map(
      (f) =>
        ({
          name: f.name,
          webkitRelativePath: f.webkitRelativePath,
          arrayBuffer: async () => new ArrayBuffer(0),
        }) as FileLike,
    );
    for (const [p] of await loadFileTree(stub, what, folders)) {
      const seg = p.split('/').pop()!;
      const f = list.find((x) => normalize(x.webkitRelativePath || x.name).endsWith(p) && x.name === seg)!;
      files.set(p, { size: f.size!, read: async (a, b) => new Uint8Array(await f.slice!(a, b).arrayBuffer()) });
    }
    return { files, close: async () => undefined };
  }
  for (const [p, bytes] of await loadFileTree(tree, what, folders)) files.set(p, sliced(bytes));
  return { files, close: async () => undefined };
}

/** The files under directory `tree` (only below `folders` when given): `/`-separated relative and full paths. */
async function listDirectory(tree: string, what: string, folders?: string[]): Promise<{ rel: string; full: string }[]> {
  const fs = await nodeBuiltin('fs/promises', what);
  const path = await nodeBuiltin('path');
  let st: Awaited<ReturnType<typeof fs.stat>>;
  try {
    st = await fs.stat(tree);
  } catch {
    throw new ModelFormatError(`${what}: directory ${tree} does not exist`);
  }
  if (!st.isDirectory()) throw new ModelFormatError(`${what}: ${tree} is not a directory (expected the model folder)`);
  const found: { rel: string; full: string }[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(path.join(tree, rel), { withFileTypes: true });
    } catch {
      return; // a missing sub-folder is reported by the caller, which knows what it needed
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile()) found.push({ rel: r, full: path.join(tree, r) });
    }
  };
  if (folders) for (const f of folders) await walk(f);
  else await walk('');
  return found;
}

function pushed<T>(list: T[], item: T): T {
  list.push(item);
  return item;
}

function isIterableOrArrayLike(v: object): boolean {
  return (
    typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function' ||
    typeof (v as ArrayLike<unknown>).length === 'number'
  );
}

function normalize(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+/, '');
}

/**
 * Write `files` (relative path → bytes) under `dir`, creating folders. Refuses to write into a non-empty
 * existing directory unless `overwrite`; then the top-level entries being written are removed first, so
 * stale part files of an earlier save cannot mix with the new ones.
 */
export async function writeFileTree(dir: string, files: FileMap, what: string, overwrite = false): Promise<void> {
  const fs = await nodeBuiltin('fs/promises', what);
  const path = await nodeBuiltin('path');
  let existing: string[] = [];
  try {
    existing = await fs.readdir(dir);
  } catch {
    // does not exist yet
  }
  if (existing.length > 0 && !overwrite) {
    throw new ValidationError(
      `${what}: ${dir} already exists and is not empty; pass { overwrite: true } to write into it`,
    );
  }
  if (overwrite) {
    for (const top of new Set([...files.keys()].map((r) => r.split('/')[0])))
      await fs.rm(path.join(dir, top), { recursive: true, force: true });
  }
  for (const [rel, bytes] of files) {
    const target = path.join(dir, ...rel.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, bytes);
  }
}
