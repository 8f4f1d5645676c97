/**
 * The persistence codec: a model as plain data (`ModelState`: class name, options, factors, id maps,
 * training interactions, subclass state) to and from the saved-model container (persist.ts). `save()` /
 * `load()` and the interop bridge both go through it, so every check made on a loaded file — shapes,
 * finiteness, id maps, interactions — applies to imported factors too. Decoding never returns a partial
 * state: any inconsistency is a ModelFormatError saying what.
 * @module
 */
import { ModelFormatError, ValidationError } from '../errors.js';
import { SparseMatrix } from '../data/csr.js';
import { IdMap, type Id } from '../data/idmap.js';
import { HeapArray } from '../runtime/heap.js';
import {
  decodeModelFile,
  encodeModelFile,
  freeDecoded,
  readModelFile,
  type ByteSource,
  type DecodeOptions,
  type PlacedModelFile,
  type StoredArray,
} from './persist.js';

/** Extra state a subclass saves beside X and Y (e.g. a global mean): JSON plus named f32 arrays. */
export interface ExtraState {
  json?: unknown;
  arrays?: Record<string, Float32Array>;
}

/** A model as plain data (arrays are the caller's; nothing is in a heap). */
export interface ModelState {
  /** The registered class name. */
  modelType: string;
  /** The class's options (JSON), as `new Cls(options)` takes them. */
  options: unknown;
  /** Stored columns per row (factors plus bias columns, where the model has them). */
  dim: number;
  /** users × dim and items × dim, row-major. */
  X: Float32Array;
  Y: Float32Array;
  userIds?: IdMap;
  itemIds?: IdMap;
  /** The training interactions (rows = users), when kept. */
  interactions?: SparseMatrix;
  extra?: ExtraState;
}

/** A factor block: plain values, or a heap block a decoder or importer already placed (adopted by `fromState`). */
export type FactorBlock = Float32Array | HeapArray<'f32'>;

/** A state whose X and Y may be heap blocks (what decoding and importing produce). */
export type PlacedModelState = Omit<ModelState, 'X' | 'Y'> & { X: FactorBlock; Y: FactorBlock };

/** Free the heap blocks of a state nobody adopted (after a failure). */
export function freeState(s: { X?: unknown; Y?: unknown }): void {
  for (const a of [s.X, s.Y]) if (a instanceof HeapArray && !a.isFreed) a.free();
}

/** Serialise a state (see persist.ts for the container). */
export function encodeModel(s: ModelState): Uint8Array {
  const arrays: [string, StoredArray][] = [
    ['X', s.X],
    ['Y', s.Y],
  ];
  const extraNames = Object.keys(s.extra?.arrays ?? {});
  for (const name of extraNames) {
    const a = s.extra!.arrays![name];
    if (!(a instanceof Float32Array))
      throw new ValidationError(`${s.modelType}.save: extra array ${name} must be a Float32Array`);
    arrays.push([`extra.${name}`, a]);
  }
  const t = s.interactions;
  if (t)
    arrays.push(['interactions.indptr', t.indptr], ['interactions.indices', t.indices], ['interactions.data', t.data]);
  const header = {
    modelType: s.modelType,
    options: s.options,
    dim: s.dim,
    users: s.X.length / s.dim,
    items: s.Y.length / s.dim,
    userIds: s.userIds ? s.userIds.ids() : null,
    itemIds: s.itemIds ? s.itemIds.ids() : null,
    interactions: t ? { rows: t.rows, cols: t.cols } : null,
    extra: s.extra?.json ?? null,
    extraArrays: extraNames,
  };
  return encodeModelFile(header, arrays);
}

/** A model state as found in a file or handed over by interop, before its checks. */
export interface RawModelState {
  modelType: string;
  options: unknown;
  dim: unknown;
  /** Declared row counts (a file's header); default: what X and Y hold. */
  users?: unknown;
  items?: unknown;
  X: unknown;
  Y: unknown;
  /** Id lists (or null / undefined for none). */
  userIds?: unknown;
  itemIds?: unknown;
  interactions?: SparseMatrix;
  extra?: ExtraState;
}

/**
 * Check a raw state — integer shapes, X and Y of users×dim and items×dim finite f32 values, id lists of
 * the right lengths without duplicates — and return it as a ModelState. Throws ModelFormatError saying
 * what is inconsistent.
 */
export function checkModelState(r: RawModelState): PlacedModelState {
  const bad = (what: string): never => {
    throw new ModelFormatError(`model file: inconsistent ${r.modelType} model: ${what}`);
  };
  const dim = r.dim as number;
  if (!Number.isSafeInteger(dim) || dim < 0) bad(`dim = ${String(dim)}`);
  if (dim < 1) bad('dim = 0');
  const isBlock = (a: unknown): a is FactorBlock =>
    a instanceof Float32Array || (a instanceof HeapArray && a.kind === 'f32' && !a.isFreed);
  const count = (v: unknown, a: unknown) => (v !== undefined ? v : isBlock(a) ? a.length / dim : 0);
  const users = count(r.users, r.X) as number;
  const items = count(r.items, r.Y) as number;
  for (const [k, v] of Object.entries({ users, items }))
    if (!Number.isSafeInteger(v) || v < 0) bad(`${k} = ${String(v)}`);
  const X = r.X;
  const Y = r.Y;
  if (!isBlock(X) || X.length !== users * dim) return bad(`X must hold ${users}×${dim} f32 values`);
  if (!isBlock(Y) || Y.length !== items * dim) return bad(`Y must hold ${items}×${dim} f32 values`);
  for (const [name, block] of [
    ['X', X],
    ['Y', Y],
  ] as const) {
    const a = block instanceof HeapArray ? block.view : block;
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) bad(`${name} has a non-finite value at ${i}`);
  }
  const ids = (list: unknown, n: number, what: string): IdMap | undefined => {
    if (list === null || list === undefined) return undefined;
    if (list instanceof IdMap) list = list.ids();
    if (!Array.isArray(list) || list.length !== n) bad(`${what} must list ${n} ids`);
    try {
      return IdMap.from(list as Id[]);
    } catch (e) {
      return bad(`${what}: ${(e as Error).message}`);
    }
  };
  const userIds = ids(r.userIds, users, 'userIds');
  const itemIds = ids(r.itemIds, items, 'itemIds');
  if (r.interactions && r.interactions.cols !== items)
    bad(`interactions have ${r.interactions.cols} columns for ${items} items`);
  return {
    modelType: r.modelType,
    options: r.options,
    dim,
    X,
    Y,
    userIds,
    itemIds,
    interactions: r.interactions,
    extra: r.extra,
  };
}

/**
 * Parse and check saved bytes. Throws ModelFormatError naming the first problem, SizeLimitError when the
 * header declares more than `maxBytes`. With `heap`, X and Y are decoded straight into heap blocks (the
 * caller adopts them, e.g. through `fromState`; on failure they are freed here).
 */
export function decodeModel(bytes: Uint8Array, options: DecodeOptions = {}): PlacedModelState {
  return stateOf(decodeModelFile(bytes, 'model file', options));
}

/** `decodeModel` from a file read in pieces (see `readModelFile`): the whole file is never in memory. */
export async function readModel(
  src: ByteSource,
  source: string,
  options: DecodeOptions = {},
): Promise<PlacedModelState> {
  return stateOf(await readModelFile(src, source, options));
}

function stateOf(file: PlacedModelFile): PlacedModelState {
  try {
    return checkedState(file);
  } catch (e) {
    freeDecoded(file.arrays);
    throw e;
  }
}

function checkedState({ header: h, arrays }: PlacedModelFile): PlacedModelState {
  const type = h.modelType;
  if (typeof type !== 'string') throw new ModelFormatError('model file: corrupted: the header has no modelType');
  const bad = (what: string): never => {
    throw new ModelFormatError(`model file: inconsistent ${type} model: ${what}`);
  };
  let interactions: SparseMatrix | undefined;
  if (h.interactions) {
    const { rows, cols } = h.interactions as { rows: number; cols: number };
    const ip = arrays.get('interactions.indptr');
    const ix = arrays.get('interactions.indices');
    const dt = arrays.get('interactions.data');
    if (!(ip instanceof Int32Array) || !(ix instanceof Int32Array) || !(dt instanceof Float32Array))
      return bad('interaction arrays missing');
    try {
      interactions = new SparseMatrix(ip, ix, dt, [rows, cols]);
    } catch (e) {
      bad(`interactions: ${(e as Error).message}`);
    }
  }
  const extraArrays: Record<string, Float32Array> = {};
  if (h.extraArrays != null && !Array.isArray(h.extraArrays))
    bad(`extraArrays must be a list of names, got ${JSON.stringify(h.extraArrays)}`);
  for (const name of (h.extraArrays as unknown[]) ?? []) {
    const a = arrays.get(`extra.${String(name)}`);
    if (!(a instanceof Float32Array)) return bad(`extra array ${String(name)} missing`);
    extraArrays[String(name)] = a;
  }
  return checkModelState({
    modelType: type,
    options: h.options,
    dim: h.dim,
    users: h.users,
    items: h.items,
    X: arrays.get('X'),
    Y: arrays.get('Y'),
    userIds: h.userIds,
    itemIds: h.itemIds,
    interactions,
    extra: { json: h.extra ?? undefined, arrays: extraArrays },
  });
}
