/**
 * NumPy `.npz` archives: a zip of `.npy` members (`np.savez` stores them, `np.savez_compressed` and
 * `scipy.sparse.save_npz` deflate them). Read and written with fflate.
 * @module
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { ModelFormatError, ValidationError } from '../errors.js';
import { readNpy, writeNpy, type NpyArray } from './npy.js';

/** Options of {@link writeNpz}. */
export interface WriteNpzOptions {
  /** Deflate the members like `np.savez_compressed` (default `false`: stored, like `np.savez`). */
  compress?: boolean;
}

/**
 * Read an `.npz` archive into a map from array name (member name without `.npy`) to array, in archive
 * order. Members that are not `.npy` files are ignored, as numpy's loader would expose them only as raw bytes.
 * @throws ModelFormatError if the bytes are not a zip archive or a member is not a readable `.npy`
 */
export function readNpz(bytes: Uint8Array | ArrayBuffer, source = '.npz'): Map<string, NpyArray> {
  const out = new Map<string, NpyArray>();
  for (const [name, data] of readNpzMembers(bytes, source)) out.set(name, readNpy(data, `${source}:${name}.npy`));
  return out;
}

/**
 * The raw `.npy` members of an `.npz` (name without `.npy` → bytes), for readers that parse only some
 * members (e.g. skip a hyperparameter numpy pickled).
 * @throws ModelFormatError if the bytes are not a readable zip archive
 */
export function readNpzMembers(bytes: Uint8Array | ArrayBuffer, source = '.npz'): Map<string, Uint8Array> {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) throw new ValidationError(`readNpz: expected the file's bytes (Uint8Array or ArrayBuffer), got ${Object.prototype.toString.call(bytes)}`);
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (b.length < 4 || b[0] !== 0x50 || b[1] !== 0x4b) {
    throw new ModelFormatError(`${source}: not a zip archive (an .npz starts with 'PK'); got ${b.length} bytes starting ${Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ')}`);
  }
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(b);
  } catch (e) {
    throw new ModelFormatError(`${source}: corrupt or unsupported zip archive: ${(e as Error).message}`);
  }
  const out = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(members)) if (name.endsWith('.npy')) out.set(name.slice(0, -4), data);
  return out;
}

/**
 * Write arrays as an `.npz` archive that `np.load` reads (member `<name>.npy` per entry).
 * @throws ValidationError for an empty or duplicate-looking name or an array `writeNpy` rejects
 */
export function writeNpz(arrays: Record<string, NpyArray> | Map<string, NpyArray>, options: WriteNpzOptions = {}): Uint8Array {
  const entries = arrays instanceof Map ? [...arrays.entries()] : Object.entries(arrays);
  const files: Zippable = {};
  for (const [name, array] of entries) {
    if (typeof name !== 'string' || name.length === 0 || name.includes('/')) throw new ValidationError(`writeNpz: array names must be non-empty and contain no '/', got ${JSON.stringify(name)}`);
    files[`${name}.npy`] = writeNpy(array);
  }
  // A fixed 1980 timestamp (what numpy writes too) keeps the output byte-for-byte reproducible.
  return zipSync(files, { level: options.compress ? 6 : 0, mtime: new Date(1980, 0, 1, 0, 0, 0) });
}
