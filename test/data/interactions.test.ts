import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { IdMap, Interactions, SparseMatrix, datasets } from '../../src/data/index.js';

describe('Interactions.fromRows', () => {
  const rows = [
    { user: 'bob', item: 10, value: 4, timestamp: 5 },
    { user: 'al', item: 2, value: 3, timestamp: 9 },
    { user: 'bob', item: 2, value: 1, timestamp: 7 },
    { user: 'bob', item: 10, value: 2, timestamp: 6 },
  ];
  it('sorted ids (numbers ascending, strings after), duplicates summed keeping the latest time', () => {
    const d = Interactions.fromRows(rows);
    expect(d.users.ids()).toEqual(['al', 'bob']);
    expect(d.items.ids()).toEqual([2, 10]);
    expect(Array.from(d.matrix.toDense())).toEqual([3, 0, 1, 6]);
    expect(Array.from(d.timestamps!)).toEqual([9, 7, 6]);
  });
  it("first-seen order; 'last' keeps the last value and its time; tuples accepted", () => {
    const d = Interactions.fromRows(
      rows.map((r) => [r.user, r.item, r.value, r.timestamp] as const),
      { idOrder: 'first-seen', duplicates: 'last' },
    );
    expect(d.users.ids()).toEqual(['bob', 'al']);
    expect(d.items.ids()).toEqual([10, 2]);
    expect(Array.from(d.matrix.toDense())).toEqual([2, 1, 0, 3]);
    expect(Array.from(d.timestamps!)).toEqual([6, 7, 9]);
    expect(() => Interactions.fromRows(rows, { duplicates: 'error' })).toThrow(
      'Interactions.fromRows: duplicate entry for user "bob", item 10 at row 3',
    );
  });
  it('values default to 1; timestamps only if every row has one; mixed id types sort numbers first', () => {
    const d = Interactions.fromRows([
      ['x', 1],
      [2, 1],
      [1, 'a'],
    ]);
    expect(d.users.ids()).toEqual([1, 2, 'x']);
    expect(d.items.ids()).toEqual([1, 'a']);
    expect(Array.from(d.matrix.data)).toEqual([1, 1, 1]);
    expect(d.timestamps).toBeUndefined();
  });
  it('given id maps: indices follow them, unknown ids are errors', () => {
    const users = IdMap.from(['al', 'bob', 'cy']);
    const items = IdMap.from([10, 2, 99]);
    const d = Interactions.fromRows(rows, { users, items });
    expect(d.shape).toEqual([3, 3]);
    expect(d.users).toBe(users);
    expect(Array.from(d.matrix.toDense())).toEqual([0, 3, 0, 6, 1, 0, 0, 0, 0]);
    expect(() => Interactions.fromRows([{ user: 'zed', item: 2 }], { users, items })).toThrow(
      'unknown user "zed" at row 0: it is not in the given users IdMap',
    );
  });
  it('validates rows', () => {
    expect(() => Interactions.fromRows([{ user: 'a', item: 1, value: NaN }])).toThrow(
      /row 0 \(user a, item 1\) has value NaN/,
    );
    expect(() => Interactions.fromRows([{ user: null, item: 1 } as never])).toThrow(/row 0 has user null/);
    expect(() => Interactions.fromRows(5 as never)).toThrow(ValidationError);
  });
  it('transpose swaps ids and keeps timestamps aligned', () => {
    const d = Interactions.fromRows(rows);
    const t = d.transpose();
    expect(t.users).toBe(d.items);
    for (let r = 0; r < t.matrix.rows; r++) {
      for (let p = t.matrix.indptr[r]; p < t.matrix.indptr[r + 1]; p++) {
        const u = t.matrix.indices[p];
        const q = d.matrix.indptr[u] + Array.from(d.matrix.row(u).indices).indexOf(r);
        expect(t.timestamps![p]).toBe(d.timestamps![q]);
        expect(t.matrix.data[p]).toBe(d.matrix.data[q]);
      }
    }
  });
  it('constructor checks id maps and timestamps against the matrix', () => {
    const m = SparseMatrix.fromCOO({ rows: [0, 1], cols: [1, 0] });
    expect(new Interactions({ matrix: m }).users.ids()).toEqual([0, 1]);
    expect(() => new Interactions({ matrix: m, users: IdMap.range(3) })).toThrow(/users must be an IdMap of 2 ids/);
    expect(() => new Interactions({ matrix: m, timestamps: new Float64Array(1) })).toThrow(
      /timestamps must be a Float64Array of 2 entries/,
    );
  });
});

describe('IdMap.sorted', () => {
  it('collapses repeats and sorts numbers before strings', () => {
    expect(IdMap.sorted([10, 'b', 2, 'a', 10]).ids()).toEqual([2, 10, 'a', 'b']);
  });
});

describe('IdMap: string and number spellings of an id', () => {
  it('a numeric map finds the canonical text of its ids, and a string map the numbers of its texts', () => {
    const nums = IdMap.from([196, 7, -3, 2.5]);
    for (const [text, i] of [
      ['196', 0],
      ['7', 1],
      ['-3', 2],
      ['2.5', 3],
    ] as const) {
      expect(nums.index(text)).toBe(i);
      expect(nums.indexOf(text)).toBe(i);
      expect(nums.has(text)).toBe(true);
    }
    // Only the spelling String(n) gives back converts: no padding, signs, exponents or blanks.
    for (const text of ['0196', ' 196', '196 ', '+7', '196.0', '7e0', '', '0x7']) {
      expect(nums.indexOf(text)).toBe(-1);
      expect(() => nums.index(text, 'user id')).toThrow(`unknown user id ${JSON.stringify(text)}`);
    }
    const texts = IdMap.from(['196', '007', 'x']);
    expect(texts.index(196)).toBe(0);
    expect(texts.indexOf(7)).toBe(-1); // '007' is not how 7 is written
    expect(texts.has(Number.NaN)).toBe(false);
  });
  it('an id held as given wins over its other spelling', () => {
    const mixed = IdMap.from([196, '196', 5]);
    expect(mixed.index(196)).toBe(0);
    expect(mixed.index('196')).toBe(1);
    expect(mixed.index('5')).toBe(2);
  });
  it('fixed maps in Interactions.fromRows accept either spelling', () => {
    const d = Interactions.fromRows([{ user: '1', item: 20 }], {
      users: IdMap.from([1, 2]),
      items: IdMap.from(['20']),
    });
    expect(d.matrix.row(0).indices).toEqual(new Int32Array([0]));
  });
});

describe('datasets.synthetic', () => {
  it('is deterministic from the seed, labelled synthetic, and the requested size', () => {
    const a = datasets.synthetic({ users: 200, items: 150, rank: 5, density: 0.05, seed: 3 });
    const b = datasets.synthetic({ users: 200, items: 150, rank: 5, density: 0.05, seed: 3 });
    const c = datasets.synthetic({ users: 200, items: 150, rank: 5, density: 0.05, seed: 4 });
    expect(a.matrix.data).toEqual(b.matrix.data);
    expect(a.matrix.indices).toEqual(b.matrix.indices);
    expect(a.matrix.indices).not.toEqual(c.matrix.indices);
    expect(a.info).toMatchObject({ name: 'synthetic', synthetic: true });
    expect(a.info?.description).toMatch(/^SYNTHETIC/);
    expect(a.shape).toEqual([200, 150]);
    const density = a.nnz / (200 * 150);
    expect(density).toBeGreaterThan(0.03);
    expect(density).toBeLessThan(0.08);
    expect(a.timestamps).toHaveLength(a.nnz);
    expect(a.truth.userFactors).toHaveLength(200 * 5);
    for (const v of a.matrix.data) expect([1, 2, 3, 4, 5]).toContain(v);
  });
  it('popularity is Zipf-skewed and values follow the planted scores', () => {
    const d = datasets.synthetic({ users: 600, items: 300, rank: 4, density: 0.05, seed: 1 });
    const { rank, userFactors: U, itemFactors: V, itemPopularity } = d.truth;
    const counts = new Float64Array(300);
    for (const c of d.matrix.indices) counts[c]++;
    const byPop = Array.from(itemPopularity.keys()).sort((x, y) => itemPopularity[y] - itemPopularity[x]);
    const top = byPop.slice(0, 30).reduce((s, i) => s + counts[i], 0);
    const bottom = byPop.slice(-30).reduce((s, i) => s + counts[i], 0);
    expect(top).toBeGreaterThan(5 * bottom);
    // Correlation of rating with planted score over observed entries is clearly positive.
    const xs: number[] = [];
    const ys: number[] = [];
    for (let u = 0; u < 600; u++) {
      for (let p = d.matrix.indptr[u]; p < d.matrix.indptr[u + 1]; p++) {
        const i = d.matrix.indices[p];
        let s = 0;
        for (let k = 0; k < rank; k++) s += U[u * rank + k] * V[i * rank + k];
        xs.push(s);
        ys.push(d.matrix.data[p]);
      }
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const mx = mean(xs);
    const my = mean(ys);
    const cov = mean(xs.map((x, k) => (x - mx) * (ys[k] - my)));
    const corr = cov / Math.sqrt(mean(xs.map((x) => (x - mx) ** 2)) * mean(ys.map((y) => (y - my) ** 2)));
    expect(corr).toBeGreaterThan(0.5);
  });
  it('implicit: positive integer counts; validates options', () => {
    const d = datasets.synthetic({ users: 50, items: 40, rank: 3, density: 0.1, implicit: true, seed: 2 });
    for (const v of d.matrix.data) {
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(1);
    }
    expect(d.info?.description).toMatch(/implicit counts/);
    expect(() => datasets.synthetic({ density: 0 })).toThrow(/density must be a number in \(0, 1\]/);
    expect(() => datasets.synthetic({ users: 1.5 })).toThrow(/users must be an integer/);
  });
});
