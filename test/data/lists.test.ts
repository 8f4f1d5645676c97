// One user's list per line (issue 26): format 'lists' (`user item item …`, LightGCN/NGCF train.txt) and
// 'counted-lists' (`count item item …`, citeulike's users.dat: the user is the 0-based line number),
// detected from the content when unambiguous; a delimited file whose rows have differing field counts is
// never read as columns. Replicas of the real files are generated here (no licensed data).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { readInteractions, type Interactions } from '../../src/data/index.js';

/** Each user's items (ids), in the order of the user ids. */
function lists(d: Interactions): Record<string, (string | number)[]> {
  const out: Record<string, (string | number)[]> = {};
  const m = d.matrix;
  for (let r = 0; r < m.rows; r++) {
    const items: (string | number)[] = [];
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) items.push(d.items.id(m.indices[p]));
    out[String(d.users.id(r))] = items.sort((a, b) => (a < b ? -1 : 1));
  }
  return out;
}

/** The value stored for (user id, item id), or 0. */
function value(d: Interactions, user: string | number, item: string | number): number {
  const { indices, values } = d.matrix.row(d.users.index(user));
  const k = Array.from(indices).indexOf(d.items.index(item));
  return k < 0 ? 0 : values[k];
}

/** mulberry32 */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `users` lists of distinct items from `items` (sizes 0–`most`, skewed small), seeded. */
function makeLists(users: number, items: number, most: number, seed: number): number[][] {
  const r = rng(seed);
  return Array.from({ length: users }, () => {
    const n = Math.floor(most * r() ** 3);
    const set = new Set<number>();
    while (set.size < n) set.add(Math.floor(items * r() ** 2));
    return [...set];
  });
}

describe("format 'lists': user item item …", () => {
  it('reads each line as one user, keeps users without items, tolerates tabs and trailing spaces', async () => {
    const text = '0 10 11 12\n1 11\n2\n3\t12\t13 \n4 10 11 12 13 14 \n';
    const d = await readInteractions(text, { format: 'lists' });
    expect(d.report?.format).toBe('lists');
    expect(d.shape).toEqual([5, 5]);
    expect(d.nnz).toBe(11);
    expect(lists(d)).toEqual({ 0: [10, 11, 12], 1: [11], 2: [], 3: [12, 13], 4: [10, 11, 12, 13, 14] });
    expect(Array.from(d.matrix.data)).toEqual(new Array(11).fill(1));
  });

  it('is detected from the content (field counts differ, spaces or tabs), string ids too', async () => {
    const d = await readInteractions('u1 a b c\nu2 b\nu3 c d e f\nu4\nu5 a a\n');
    expect(d.report?.format).toBe('lists');
    expect(lists(d)).toEqual({ u1: ['a', 'b', 'c'], u2: ['b'], u3: ['c', 'd', 'e', 'f'], u4: [], u5: ['a'] });
    // A repeated item sums, as repeated (user, item) rows do.
    expect(value(d, 'u5', 'a')).toBe(2);
  });

  it('items may carry values as item:value', async () => {
    const d = await readInteractions('7 1:5 2:3.5\n8 2:1\n9\n', { format: 'lists' });
    expect(d.shape).toEqual([3, 2]);
    expect(value(d, 7, 2)).toBe(3.5);
    expect(value(d, 8, 2)).toBe(1);
    await expect(readInteractions('7 1:5 2\n', { format: 'lists' })).rejects.toThrow(/item 2 has no value/);
  });

  it('the same in any chunking', async () => {
    const text = '0 10 11 12\r\n1 11\r\n2\r\n3 12 13\r\n';
    const want = lists(await readInteractions(text, { format: 'lists' }));
    const bytes = new TextEncoder().encode(text);
    for (const n of [1, 2, 5]) {
      const chunks = Array.from({ length: Math.ceil(bytes.length / n) }, (_, k) => bytes.subarray(k * n, (k + 1) * n));
      expect(lists(await readInteractions(chunks, { format: 'lists' }))).toEqual(want);
    }
  });
});

describe("format 'counted-lists': count item item …, the user is the line number", () => {
  it('reads users 0, 1, 2, … with their counted items; a count of 0 is an empty row', async () => {
    const d = await readInteractions('3 10 11 12\n1 11\n0\n2 12 13\n', { format: 'counted-lists' });
    expect(d.report?.format).toBe('counted-lists');
    expect(d.users.ids()).toEqual([0, 1, 2, 3]);
    expect(lists(d)).toEqual({ 0: [10, 11, 12], 1: [11], 2: [], 3: [12, 13] });
  });

  it('a count that disagrees with the line is an error that names the lists formats', async () => {
    await expect(readInteractions('3 10 11 12\n2 11\n', { format: 'counted-lists' })).rejects.toThrow(
      /line 2, column 1: the count \(field 1\) says 2 items but the line has 1.*format 'lists'/,
    );
    const skipped = await readInteractions('3 10 11 12\n2 11\n1 5\n', { format: 'counted-lists', onError: 'skip' });
    expect(skipped.users.ids()).toEqual([0, 2]);
    expect(skipped.report?.dropped['list count']).toEqual({ count: 1, first: [{ line: 2, text: '2 11' }] });
  });

  it('is detected when every line counts the rest', async () => {
    const d = await readInteractions('2 5 6\n1 7\n3 5 6 7\n');
    expect(d.report?.format).toBe('counted-lists');
    expect(d.shape).toEqual([3, 3]);
  });
});

describe('rows with differing field counts are never read as columns', () => {
  it("the issue's citeulike case: count-first lines were read as 240 × 1,710 columns; now as counted lists", async () => {
    const L = makeLists(300, 2000, 60, 1);
    const text = L.map((items) => [items.length, ...items].join(' ')).join('\n') + '\n';
    const d = await readInteractions(text);
    expect(d.report?.format).toBe('counted-lists');
    expect(d.shape[0]).toBe(300);
    expect(d.nnz).toBe(L.reduce((n, l) => n + l.length, 0));
    expect(d.shape[1]).toBe(new Set(L.flat()).size);
  });

  it('a comma file whose rows differ in length is refused, naming format (and onError to skip)', async () => {
    const e = await readInteractions('1,2,3\n4,5,6,7,8\n').catch((x) => x);
    expect(e).toBeInstanceOf(ParseError);
    expect(e.message).toMatch(
      /line 2.*extra field: 5 fields where the rows have 3 \(as on line 1\).*format: 'lists'.*onError: 'skip'/,
    );
    const short = await readInteractions('1,2,3\n4,5\n').catch((x) => x);
    expect(short.message).toMatch(/missing field: 2 fields where the rows have 3.*format: 'counted-lists'/);
  });

  it('a columns file with a rare longer row past the first 1,000 rows is refused there, not misread', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => `${i % 50} ${i % 70} ${1 + (i % 5)}`);
    rows[1200] = '3 4 5 6 7';
    await expect(readInteractions(rows.join('\n'))).rejects.toThrow(/line 1201.*extra field.*format: 'lists'/);
    const d = await readInteractions(rows.join('\n'), { onError: 'skip' });
    expect(d.report?.format).toBe('delimited');
    expect(d.report?.dropped['extra field']?.count).toBe(1);
  });

  it('trailing empty fields (a delimiter at the end of some rows) are not a differing count', async () => {
    const d = await readInteractions('1,2,3,\n4,5,6\n7,8,9,,\n');
    expect(d.nnz).toBe(3);
  });
});

describe('replicas of the public files (generated here)', () => {
  it("citeulike users.dat: 'count item item …' on 5,551 lines, space-separated, the user is the line number", async () => {
    const L = makeLists(5551, 16980, 400, 7);
    L[17] = []; // a user without items is written "0"
    const text = L.map((items) => [items.length, ...items].join(' ')).join('\n') + '\n';
    const d = await readInteractions(text, { name: 'users.dat' });
    expect(d.report?.format).toBe('counted-lists');
    expect(d.shape).toEqual([5551, new Set(L.flat()).size]);
    expect(d.nnz).toBe(L.reduce((n, l) => n + l.length, 0));
    expect(d.matrix.rowNnz(17)).toBe(0);
    expect(d.users.id(5550)).toBe(5550);
  });

  it("LightGCN train.txt: 'user item item …', some users with one item or none, trailing spaces", async () => {
    const L = makeLists(3000, 4000, 80, 9);
    const text = L.map((items, u) => `${[u, ...items].join(' ')}${u % 7 === 0 ? ' ' : ''}`).join('\n') + '\n';
    const d = await readInteractions(text, { name: 'train.txt' });
    expect(d.report?.format).toBe('lists');
    expect(d.shape).toEqual([3000, new Set(L.flat()).size]);
    expect(d.nnz).toBe(L.reduce((n, l) => n + l.length, 0));
    expect(lists(d)['5']).toEqual([...L[5]].sort((a, b) => (a < b ? -1 : 1)));
  });

  const gowalla = new URL('../../../shared/data/gowalla-lists/gowalla.txt', import.meta.url);
  it.skipIf(!existsSync(gowalla))(
    '../shared gowalla.txt (LightGCN layout): 29,858 × 38,546, 217,242 pairs',
    async () => {
      const d = await readInteractions(gowalla);
      expect(d.report?.format).toBe('lists');
      expect(d.shape).toEqual([29858, 38546]);
      expect(d.nnz).toBe(217242);
    },
  );
});
