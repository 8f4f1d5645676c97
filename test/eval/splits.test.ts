import { describe, expect, it } from 'vitest';
import { leaveKOut, trainTestSplit } from '../../src/eval/splits.js';
import { temporalSplit } from '../../src/eval/temporal.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { ValidationError } from '../../src/errors.js';
import { entries, randomMatrix, rowsMatrix } from './fakes.js';

/** Disjoint, union = input, same shape. */
function expectPartition(m: SparseMatrix, train: SparseMatrix, test: SparseMatrix) {
  expect(train.shape).toEqual(m.shape);
  expect(test.shape).toEqual(m.shape);
  const a = entries(train);
  const b = entries(test);
  const pairs = (xs: string[]) => new Set(xs.map((x) => x.split(',').slice(0, 2).join(',')));
  const pa = pairs(a);
  for (const p of pairs(b)) expect(pa.has(p)).toBe(false);
  expect([...a, ...b].sort()).toEqual(entries(m).sort());
  // Both are valid CSR (the checking constructor accepts them).
  for (const x of [train, test]) expect(() => new SparseMatrix(x.indptr, x.indices, x.data, x.shape)).not.toThrow();
}

describe('trainTestSplit', () => {
  const m = randomMatrix(40, 30, 0.2, 11);
  it('partitions the entries with exactly round(f·nnz) in test', () => {
    for (const f of [0.1, 0.2, 0.5, 0.9]) {
      const { train, test } = trainTestSplit(m, { testFraction: f, seed: 3 });
      expectPartition(m, train, test);
      expect(test.nnz).toBe(Math.round(f * m.nnz));
    }
  });
  it('is seed-stable and seed-dependent; default testFraction 0.2', () => {
    const a = trainTestSplit(m, { seed: 5 });
    const b = trainTestSplit(m, { seed: 5 });
    const c = trainTestSplit(m, { seed: 6 });
    expect(entries(a.test)).toEqual(entries(b.test));
    expect(entries(a.test)).not.toEqual(entries(c.test));
    expect(a.test.nnz).toBe(Math.round(0.2 * m.nnz));
    expect(entries(trainTestSplit(m).test)).toEqual(entries(trainTestSplit(m, { seed: 0 }).test));
  });
  it('samples every entry with probability ≈ f', () => {
    const small = rowsMatrix([[0, 1, 2, 3, 4]], 5);
    const counts = new Array(5).fill(0);
    for (let s = 0; s < 2000; s++)
      for (const i of trainTestSplit(small, { testFraction: 0.4, seed: s }).test.indices) counts[i]++;
    for (const c of counts) expect(Math.abs(c / 2000 - 0.4)).toBeLessThan(0.05);
  });
  it('validates', () => {
    for (const f of [0, 1, -0.1, NaN, '0.2'])
      expect(() => trainTestSplit(m, { testFraction: f as number })).toThrow(ValidationError);
    expect(() => trainTestSplit({} as SparseMatrix)).toThrow(/SparseMatrix/);
    expect(() => trainTestSplit(m, { seed: Infinity })).toThrow(/seed/);
  });
  it('handles an empty matrix', () => {
    const e = rowsMatrix([[], []], 3);
    const { train, test } = trainTestSplit(e);
    expect([train.nnz, test.nnz]).toEqual([0, 0]);
  });
});

describe('leaveKOut', () => {
  const m = randomMatrix(50, 20, 0.25, 12);
  for (const k of [1, 2, 5]) {
    it(`k = ${k}: k test entries per user with > k, none otherwise`, () => {
      const { train, test } = leaveKOut(m, { k, seed: 1 });
      expectPartition(m, train, test);
      for (let u = 0; u < m.rows; u++) {
        const n = m.rowNnz(u);
        expect(test.rowNnz(u)).toBe(n > k ? k : 0);
      }
    });
  }
  it('keeps users with ≤ k entries wholly in train; seed-stable', () => {
    const x = rowsMatrix([[0], [0, 1], [0, 1, 2]], 3);
    const { train, test } = leaveKOut(x, { k: 1, seed: 9 });
    expect(test.rowNnz(0)).toBe(0);
    expect(train.rowNnz(0)).toBe(1);
    expect(test.rowNnz(1)).toBe(1);
    expect(test.rowNnz(2)).toBe(1);
    expect(entries(leaveKOut(m, { seed: 4 }).test)).toEqual(entries(leaveKOut(m, { seed: 4 }).test));
    expect(entries(leaveKOut(m, { seed: 4 }).test)).not.toEqual(entries(leaveKOut(m, { seed: 5 }).test));
  });
  it('validates k', () => {
    for (const k of [0, -1, 1.5, NaN]) expect(() => leaveKOut(m, { k })).toThrow(/k must be an integer/);
  });
});

describe('temporalSplit', () => {
  // events: (user, item, time)
  const ev = [
    [0, 0, 10],
    [0, 1, 20],
    [0, 2, 30],
    [0, 3, 40],
    [1, 0, 15],
    [1, 2, 35],
    [2, 1, 50],
    [0, 1, 45], // repeat of (0,1): pair keeps earliest time 20, values summed
  ];
  const inter = {
    users: ev.map((e) => e[0]),
    items: ev.map((e) => e[1]),
    timestamps: ev.map((e) => e[2]),
    values: ev.map(() => 2),
  };
  const full = SparseMatrix.fromCOO({ rows: inter.users, cols: inter.items, values: inter.values, shape: [3, 4] });

  it('before: pairs at or after the timestamp go to test', () => {
    const { train, test } = temporalSplit(inter, { before: 35 });
    expectPartition(full, train, test);
    expect(entries(test).sort()).toEqual(['0,3,2', '1,2,2', '2,1,2']);
    expect(entries(train)).toContain('0,1,4'); // merged, placed by its first event (20)
  });
  it('testFraction: the latest round(f·pairs) pairs, ties broken by input order', () => {
    // 7 pairs; f = 0.3 → round(2.1) = 2 latest: (2,1)@50, (0,3)@40
    expect(entries(temporalSplit(inter, { testFraction: 0.3 }).test).sort()).toEqual(['0,3,2', '2,1,2']);
    const tie = { users: [0, 1, 2, 3], items: [0, 0, 0, 0], timestamps: [5, 7, 7, 7] };
    // f = 0.5 → 2 pairs; three tie at 7: the two later in the input (users 2, 3)
    const t = temporalSplit(tie, { testFraction: 0.5 }).test;
    expect(Array.from(t.indptr)).toEqual([0, 0, 0, 1, 2]);
  });
  it('perUser: each user keeps at least one training pair', () => {
    const { train, test } = temporalSplit(inter, { testFraction: 0.5, perUser: true });
    expectPartition(full, train, test);
    // user 0: 4 pairs → 2 latest (3@40, 2@30); user 1: 2 → 1 (2@35); user 2: 1 pair → stays in train
    expect(entries(test).sort()).toEqual(['0,2,2', '0,3,2', '1,2,2']);
  });
  it('splits an Interactions (one timestamp per stored entry) the same way', async () => {
    const { Interactions } = await import('../../src/data/interactions.js');
    // The merged pairs with their earliest times, as an Interactions would hold them.
    const m = SparseMatrix.fromCOO({
      rows: [0, 0, 0, 0, 1, 1, 2],
      cols: [0, 1, 2, 3, 0, 2, 1],
      values: [2, 4, 2, 2, 2, 2, 2],
      shape: [3, 4],
    });
    const timed = new Interactions({ matrix: m, timestamps: Float64Array.of(10, 20, 30, 40, 15, 35, 50) });
    for (const o of [{ before: 35 }, { testFraction: 0.3 }, { testFraction: 0.5, perUser: true }]) {
      const a = temporalSplit(timed, o);
      const b = temporalSplit(inter, o);
      expect(entries(a.test), JSON.stringify(o)).toEqual(entries(b.test));
      expect(entries(a.train)).toEqual(entries(b.train));
    }
    expect(() => temporalSplit(new Interactions({ matrix: m }), { before: 1 })).toThrow(/no timestamps/);
  });
  it('respects shape and validates', () => {
    expect(temporalSplit({ ...inter, shape: [5, 6] }, { before: 0 }).test.shape).toEqual([5, 6]);
    expect(() => temporalSplit(inter, {})).toThrow(/exactly one/);
    expect(() => temporalSplit(inter, { before: 1, testFraction: 0.2 })).toThrow(/exactly one/);
    expect(() => temporalSplit(inter, { before: 1, perUser: true })).toThrow(/perUser/);
    expect(() => temporalSplit(inter, { testFraction: 1 })).toThrow(/\(0, 1\)/);
    expect(() => temporalSplit({ ...inter, timestamps: [1] }, { before: 1 })).toThrow(/same length/);
    expect(() => temporalSplit({ ...inter, timestamps: inter.timestamps.map(() => NaN) }, { before: 1 })).toThrow(
      /non-finite timestamp/,
    );
    expect(() => temporalSplit({ ...inter, users: inter.users.map(() => -1) }, { before: 1 })).toThrow(/user index/);
    expect(() => temporalSplit({ ...inter, shape: [2, 4] }, { before: 1 })).toThrow(/shape/);
  });
});

describe('temporalSplit vs a sort-based oracle (random events, ties, negative and fractional times)', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}`, () => {
      let s = seed;
      const rnd = (n: number) => (s = (s * 48271) % 2147483647) % n;
      const n = 400;
      const tsPool = [-1e12, -3.5, -0, 0, 0.25, 1, 1e-300, 7, 7.5, 1.7e9, 1e15];
      const users = Array.from({ length: n }, () => rnd(12));
      const items = Array.from({ length: n }, () => rnd(15));
      const timestamps = Array.from({ length: n }, () => tsPool[rnd(tsPool.length)]);
      // Oracle: pairs with earliest time (earliest input position on ties), chronological by (time, position).
      const pairs = new Map<string, { u: number; t: number; pos: number }>();
      for (let e = 0; e < n; e++) {
        const key = `${users[e]},${items[e]}`;
        const p = pairs.get(key);
        if (!p || timestamps[e] < p.t) pairs.set(key, { u: users[e], t: timestamps[e], pos: e });
      }
      const chrono = [...pairs].sort((a, b) => a[1].t - b[1].t || a[1].pos - b[1].pos);
      const f = 0.3;
      const globalTest = chrono
        .slice(chrono.length - Math.round(f * chrono.length))
        .map((x) => x[0])
        .sort();
      const perUserTest: string[] = [];
      for (let u = 0; u < 12; u++) {
        const mine = chrono.filter((x) => x[1].u === u);
        const t = Math.min(mine.length - 1, Math.round(f * mine.length));
        if (t > 0) perUserTest.push(...mine.slice(mine.length - t).map((x) => x[0]));
      }
      const keys = (m: SparseMatrix) =>
        entries(m)
          .map((x) => x.split(',').slice(0, 2).join(','))
          .sort();
      const input = { users, items, timestamps };
      expect(keys(temporalSplit(input, { testFraction: f }).test)).toEqual(globalTest);
      expect(keys(temporalSplit(input, { testFraction: f, perUser: true }).test)).toEqual(perUserTest.sort());
      const before = [...pairs]
        .filter((x) => x[1].t >= 0.25)
        .map((x) => x[0])
        .sort();
      expect(keys(temporalSplit(input, { before: 0.25 }).test)).toEqual(before);
    });
  }
});
