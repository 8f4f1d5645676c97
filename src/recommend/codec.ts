/**
 * The saved-model codec every model shares: a model as the container of persist.ts holds it — a JSON header
 * and named f32/i32 arrays. The base stores what every recommender has (class name, options, id maps, the
 * training interactions); the model adds its own parts (`ModelParts`: header fields and arrays, e.g. factor
 * blocks, a similarity matrix as CSR, a dense weight matrix), so a new model persists itself without new
 * codec code. Decoding never returns a partial state: any inconsistency is a ModelFormatError saying what.
 * @module
 */
import { ModelFormatError, ValidationError } from '../errors.js';
import { SparseMatrix } from '../data/csr.js';
import { IdMap, type Id } from '../data/idmap.js';
import {
  decodeModelFile,
  encodeModelFile,
  freeDecoded,
  readModelFile,
  type ByteSource,
  type DecodedArray,
  type DecodeOptions,
  type PlacedModelFile,
  type StoredArray,
} from './persist.js';
import { modelClass } from './registry.js';

/** What the base saves of every model. */
export interface SavedBase {
  /** The registered class name. */
  modelType: string;
  /** The class's options (JSON), as `new Cls(options)` takes them. */
  options: unknown;
  /** Id lists (IdMaps, or lists as read from a file; checked against the model's counts when adopted). */
  userIds?: unknown;
  itemIds?: unknown;
  /** The training interactions (rows = users), when kept. */
  interactions?: SparseMatrix;
}

/** A model's own part of a saved file: header fields and named arrays. */
export interface ModelParts {
  /** JSON-serialisable fields; not the base's keys (modelType, options, userIds, itemIds, interactions). */
  header: Record<string, unknown>;
  /** Named f32/i32 arrays (names must not start with `interactions.`). */
  arrays: [string, StoredArray][];
}

/** A model's part as decoded: its header fields and arrays (the ones its class places in the heap, placed). */
export interface LoadedParts {
  header: Record<string, unknown>;
  arrays: Map<string, DecodedArray>;
}

const BASE_KEYS = ['modelType', 'options', 'userIds', 'itemIds', 'interactions'];
const INTERACTIONS = ['interactions.indptr', 'interactions.indices', 'interactions.data'];

/** Serialise a model: the base's fields and the model's parts (see persist.ts for the container). */
export function encodeModel(base: SavedBase, parts: ModelParts): Uint8Array {
  for (const key of Object.keys(parts.header))
    if (BASE_KEYS.includes(key)) throw new ValidationError(`${base.modelType}.save: header field ${key} is the base's`);
  const arrays = [...parts.arrays];
  const t = base.interactions;
  if (t) arrays.push([INTERACTIONS[0], t.indptr], [INTERACTIONS[1], t.indices], [INTERACTIONS[2], t.data]);
  const ids = (m: unknown) => (m instanceof IdMap ? m.ids() : null);
  const header = {
    modelType: base.modelType,
    options: base.options,
    ...parts.header,
    userIds: ids(base.userIds),
    itemIds: ids(base.itemIds),
    interactions: t ? { rows: t.rows, cols: t.cols } : null,
  };
  return encodeModelFile(header, arrays);
}

/** The arrays a file's class wants in the heap (read from the header's modelType, before any is allocated). */
function heapArraysOf(header: Record<string, unknown>): readonly string[] {
  const ctor = typeof header.modelType === 'string' ? modelClass(header.modelType) : undefined;
  return (ctor as { heapArrays?: readonly string[] } | undefined)?.heapArrays ?? [];
}

/**
 * Parse and check saved bytes into the base's fields and the model's parts. Throws ModelFormatError naming
 * the first problem, SizeLimitError when the header declares more than `maxBytes`. With `heap`, the arrays
 * the file's class lists in `heapArrays` are decoded straight into heap blocks (the caller adopts them; on
 * failure here they are freed).
 */
export function decodeModel(
  bytes: Uint8Array,
  options: Omit<DecodeOptions, 'heapArrays'> = {},
): { base: SavedBase; parts: LoadedParts } {
  return split(decodeModelFile(bytes, 'model file', { ...options, heapArrays: heapArraysOf }));
}

/** `decodeModel` from a file read in pieces (see `readModelFile`): the whole file is never in memory. */
export async function readModel(
  src: ByteSource,
  source: string,
  options: Omit<DecodeOptions, 'heapArrays'> = {},
): Promise<{ base: SavedBase; parts: LoadedParts }> {
  return split(await readModelFile(src, source, { ...options, heapArrays: heapArraysOf }));
}

function split(file: PlacedModelFile): { base: SavedBase; parts: LoadedParts } {
  try {
    return splitChecked(file);
  } catch (e) {
    freeDecoded(file.arrays);
    throw e;
  }
}

function splitChecked({ header: h, arrays }: PlacedModelFile): { base: SavedBase; parts: LoadedParts } {
  const type = h.modelType;
  if (typeof type !== 'string') throw new ModelFormatError('model file: corrupted: the header has no modelType');
  let interactions: SparseMatrix | undefined;
  if (h.interactions) {
    const { rows, cols } = h.interactions as { rows: number; cols: number };
    const [ip, ix, dt] = INTERACTIONS.map((name) => arrays.get(name));
    if (!(ip instanceof Int32Array) || !(ix instanceof Int32Array) || !(dt instanceof Float32Array))
      throw inconsistent(type, 'interaction arrays missing');
    try {
      interactions = new SparseMatrix(ip, ix, dt, [rows, cols]);
    } catch (e) {
      throw inconsistent(type, `interactions: ${(e as Error).message}`);
    }
  }
  const header = Object.fromEntries(Object.entries(h).filter(([key]) => !BASE_KEYS.includes(key)));
  const own = new Map([...arrays].filter(([name]) => !INTERACTIONS.includes(name)));
  return {
    base: { modelType: type, options: h.options, userIds: h.userIds, itemIds: h.itemIds, interactions },
    parts: { header, arrays: own },
  };
}

/** The ModelFormatError of a file whose contents disagree with each other. */
export function inconsistent(modelType: string, what: string): ModelFormatError {
  return new ModelFormatError(`model file: inconsistent ${modelType} model: ${what}`);
}

/** An id list (or IdMap, or none) of `n` distinct ids, as an IdMap; ModelFormatError otherwise. */
export function checkIds(list: unknown, n: number, what: string, modelType: string): IdMap | undefined {
  if (list === null || list === undefined) return undefined;
  if (list instanceof IdMap && list.size === n) return list;
  const ids = list instanceof IdMap ? list.ids() : list;
  if (!Array.isArray(ids) || ids.length !== n) throw inconsistent(modelType, `${what} must list ${n} ids`);
  try {
    return IdMap.from(ids as Id[]);
  } catch (e) {
    throw inconsistent(modelType, `${what}: ${(e as Error).message}`);
  }
}

/** The base's fields checked against a model's counts: id maps of the right lengths, interactions of its items. */
export function checkBase(
  base: SavedBase,
  users: number,
  items: number,
): { userIds?: IdMap; itemIds?: IdMap; interactions?: SparseMatrix } {
  const userIds = checkIds(base.userIds, users, 'userIds', base.modelType);
  const itemIds = checkIds(base.itemIds, items, 'itemIds', base.modelType);
  const t = base.interactions;
  if (t && t.cols !== items)
    throw inconsistent(base.modelType, `interactions have ${t.cols} columns for ${items} items`);
  return { userIds, itemIds, interactions: t };
}
