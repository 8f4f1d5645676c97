/**
 * EASE's part of a saved file: B (f32, placed straight into the heap on load), the items it covers when
 * they are not every item, and the counts and λ of the fit — checked on load.
 * @module
 */
import type { Backend } from '../../runtime/backend.js';
import { HeapArray } from '../../runtime/heap.js';
import { inconsistent, type LoadedParts, type ModelParts } from '../../recommend/codec.js';
import { EaseMemory } from './memory.js';

/** The saved parts of a fitted EASE. */
export function easeParts(m: EaseMemory): ModelParts {
  const arrays: ModelParts['arrays'] = [['B', m.B.view.subarray(0, m.n * m.n)]];
  if (m.items) arrays.push(['fittedItems', m.items]);
  return { header: { items: m.allItems, users: m.users, n: m.n, lambda: m.lambda }, arrays };
}

/** A fitted EASE's memory from saved parts, checked. */
export function easeFromParts(backend: Backend, parts: LoadedParts): EaseMemory {
  const bad = (what: string) => inconsistent('EASE', what);
  const { items, users, n, lambda } = parts.header as Record<string, unknown>;
  const count = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (!count(items) || !count(users) || !count(n) || n > items)
    throw bad('items, users and n must be counts, n ≤ items');
  if (typeof lambda !== 'number' || !(lambda >= 0)) throw bad('lambda must be a number ≥ 0');
  const B = parts.arrays.get('B');
  if (!(B instanceof HeapArray) || B.length < n * n) throw bad(`B must hold ${n}² values`);
  const fitted = parts.arrays.get('fittedItems');
  if (n < items) {
    if (!(fitted instanceof Int32Array) || fitted.length !== n)
      throw bad(`fittedItems must list the ${n} items B covers`);
    for (let e = 0; e < n; e++)
      if (fitted[e] < 0 || fitted[e] >= items || (e > 0 && fitted[e] <= fitted[e - 1]))
        throw bad(`fittedItems must be ascending item indices in [0, ${items})`);
  } else if (fitted !== undefined) throw bad('fittedItems given though B covers every item');
  return new EaseMemory(backend, B, n, n < items ? (fitted as Int32Array) : undefined, items, users, lambda);
}
