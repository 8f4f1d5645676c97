// The format calls renamed to read…/write… keep their old names for one release in lowrank/formats: the
// same result as the new call, one console.warn naming it, and the old names are not in the root.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as formats from '../../src/formats.js';
import * as root from '../../src/index.js';
import { Interactions, SparseMatrix } from '../../src/index.js';

const m = SparseMatrix.fromCOO({ rows: [0, 1, 2], cols: [1, 0, 2], values: [1, 2, 3], shape: [3, 3] });
const data = Interactions.fromRows([
  { user: 10, item: 7, value: 1 },
  { user: 11, item: 8, value: 2 },
  { user: 12, item: 7, value: 3 },
]);
const dense = (x: SparseMatrix) => {
  const { indptr, indices, data: values } = x;
  return { indptr: Array.from(indptr), indices: Array.from(indices), values: Array.from(values) };
};

afterEach(() => vi.restoreAllMocks());

describe('renamed format calls', () => {
  it('toScipyNpz / fromScipyNpz do what writeScipyNpz / readScipyNpz do, warning once each', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const bytes = formats.toScipyNpz(m);
    formats.toScipyNpz(m);
    expect(bytes).toEqual(formats.writeScipyNpz(m));
    const back = formats.fromScipyNpz(bytes);
    expect(dense(back)).toEqual(dense(m));
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringContaining('toScipyNpz is deprecated'),
      expect.stringContaining('fromScipyNpz is deprecated'),
    ]);
    expect(String(warn.mock.calls[0]?.[0])).toContain('writeScipyNpz');
  });

  it('toParquet / fromParquet round-trip like writeParquet / readParquet, warning once each', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const bytes = formats.toParquet(data);
    expect(bytes).toEqual(formats.writeParquet(data));
    const back = await formats.fromParquet(bytes);
    expect(dense(back.matrix)).toEqual(dense(data.matrix));
    expect(back.users.ids()).toEqual(data.users.ids());
    expect(warn.mock.calls.map((c) => String(c[0]).split(' is ')[0])).toEqual([
      'lowrank: toParquet',
      'lowrank: fromParquet',
    ]);
  });

  it('are not exported from the root', () => {
    for (const old of ['toParquet', 'fromParquet', 'toScipyNpz', 'fromScipyNpz', 'dispose'])
      expect(Object.keys(root)).not.toContain(old);
  });
});
