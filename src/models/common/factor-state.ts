/**
 * A factor model as plain data (`ModelState`: class, options, factors, id maps, training interactions,
 * subclass state) and its part of a saved file: header fields `dim`, `users`, `items`, `extra`,
 * `extraArrays` and arrays `X`, `Y`, `extra.<name>` — the layout of every .lrk file so far, so old files
 * load as they are. `save()`/`load()` and the interop bridge both go through these checks, so every check
 * made on a loaded file — shapes, finiteness, id maps, interactions — applies to imported factors too.
 * @module
 */
import { ValidationError } from '../../errors.js';
import type { SparseMatrix } from '../../data/csr.js';
import type { IdMap } from '../../data/idmap.js';
import { HeapArray } from '../../runtime/heap.js';
import { checkBase, inconsistent, type LoadedParts, type ModelParts } from '../../recommend/codec.js';
import type { StoredArray } from '../../recommend/persist.js';

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

/** The factor part of a state: what `loadParts` reads from a file and `fromState` takes. */
export type FactorPart = Pick<PlacedModelState, 'dim' | 'X' | 'Y' | 'extra'>;

/** Free the heap blocks of a state nobody adopted (after a failure). */
export function freeState(s: { X?: unknown; Y?: unknown }): void {
  for (const a of [s.X, s.Y]) if (a instanceof HeapArray && !a.isFreed) a.free();
}

/** The factor part of a saved file (see the module comment). */
export function factorParts(modelType: string, s: FactorPart & { X: Float32Array; Y: Float32Array }): ModelParts {
  const arrays: [string, StoredArray][] = [
    ['X', s.X],
    ['Y', s.Y],
  ];
  const extraNames = Object.keys(s.extra?.arrays ?? {});
  for (const name of extraNames) {
    const a = s.extra!.arrays![name];
    if (!(a instanceof Float32Array))
      throw new ValidationError(`${modelType}.save: extra array ${name} must be a Float32Array`);
    arrays.push([`extra.${name}`, a]);
  }
  const header = {
    dim: s.dim,
    users: s.X.length / s.dim,
    items: s.Y.length / s.dim,
    extra: s.extra?.json ?? null,
    extraArrays: extraNames,
  };
  return { header, arrays };
}

/** The factor part of a decoded file, checked (shapes, finiteness, extra arrays). */
export function factorPartOf(modelType: string, { header: h, arrays }: LoadedParts): FactorPart {
  const bad = (what: string): never => {
    throw inconsistent(modelType, what);
  };
  const extraArrays: Record<string, Float32Array> = {};
  if (h.extraArrays != null && !Array.isArray(h.extraArrays))
    bad(`extraArrays must be a list of names, got ${JSON.stringify(h.extraArrays)}`);
  for (const name of (h.extraArrays as unknown[]) ?? []) {
    const a = arrays.get(`extra.${String(name)}`);
    if (!(a instanceof Float32Array)) return bad(`extra array ${String(name)} missing`);
    extraArrays[String(name)] = a;
  }
  const f = checkFactors(modelType, {
    dim: h.dim,
    users: h.users,
    items: h.items,
    X: arrays.get('X'),
    Y: arrays.get('Y'),
  });
  return { ...f, extra: { json: h.extra ?? undefined, arrays: extraArrays } };
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
 * Integer shapes, and X and Y of users×dim and items×dim finite f32 values. Throws ModelFormatError saying
 * what is inconsistent.
 */
function checkFactors(
  modelType: string,
  r: Pick<RawModelState, 'dim' | 'users' | 'items' | 'X' | 'Y'>,
): { dim: number; X: FactorBlock; Y: FactorBlock } {
  const bad = (what: string): never => {
    throw inconsistent(modelType, what);
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
  return { dim, X, Y };
}

/**
 * Check a raw state — integer shapes, X and Y of users×dim and items×dim finite f32 values, id lists of
 * the right lengths without duplicates, interactions of the model's items — and return it as a
 * PlacedModelState. Throws ModelFormatError saying what is inconsistent.
 */
export function checkModelState(r: RawModelState): PlacedModelState {
  const { dim, X, Y } = checkFactors(r.modelType, r);
  const base = checkBase(r, X.length / dim, Y.length / dim);
  return { modelType: r.modelType, options: r.options, dim, X, Y, ...base, extra: r.extra };
}
