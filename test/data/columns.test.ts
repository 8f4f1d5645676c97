// Delimited input as people write it: header names in any order and spelling, columns given by role list
// or by name, content-based format detection, and the errors that say which option fixes a layout.
import { describe, expect, it } from 'vitest';
import { ColumnsError, ParseError, SizeLimitError, ValidationError } from '../../src/errors.js';
import { readInteractions, type Interactions } from '../../src/data/index.js';
import { BYTES_PER_RECORD } from '../../src/data/parse/budget.js';

const fixture = (name: string) => new URL(`../fixtures/data/${name}`, import.meta.url);

/** (user, item, value) triples, sorted, for comparisons independent of row order. */
function triples(d: Interactions): [unknown, unknown, number][] {
  const out: [unknown, unknown, number][] = [];
  const m = d.matrix;
  for (let r = 0; r < m.rows; r++)
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) out.push([d.users.id(r), d.items.id(m.indices[p]), m.data[p]]);
  return out;
}

const WANT = [
  [1, 10, 4],
  [1, 20, 5],
  [2, 10, 3],
];
const rows = [
  { user: 1, item: 10, value: 4, t: 100 },
  { user: 1, item: 20, value: 5, t: 101 },
  { user: 2, item: 10, value: 3, t: 102 },
];

/** A file with the given header names (one per role, in the order given) and delimiter. */
function file(
  names: Record<'user' | 'item' | 'value' | 't', string>,
  order: ('user' | 'item' | 'value' | 't')[],
  d = ',',
): string {
  return [order.map((k) => names[k]).join(d), ...rows.map((r) => order.map((k) => r[k]).join(d))].join('\n') + '\n';
}

describe('header names as people write them, in any order', () => {
  const spellings: Record<'user' | 'item' | 'value' | 't', string>[] = [
    { user: 'user', item: 'item', value: 'rating', t: 'timestamp' },
    { user: 'userId', item: 'movieId', value: 'rating', t: 'timestamp' },
    { user: 'user_id', item: 'item_id', value: 'value', t: 'time' },
    { user: 'uid', item: 'artistID', value: 'weight', t: 'date' },
    { user: 'UserID', item: 'product', value: 'count', t: 'ts' },
    { user: '"User Id"', item: 'sku', value: 'plays', t: 'Timestamp' },
  ];
  const orders: ('user' | 'item' | 'value' | 't')[][] = [
    ['user', 'item', 'value', 't'],
    ['item', 'user', 'value', 't'],
    ['t', 'value', 'item', 'user'],
    ['value', 'user', 't', 'item'],
  ];
  for (const names of spellings) {
    it(`${Object.values(names).join(', ')}`, async () => {
      for (const order of orders) {
        for (const d of [',', '\t', ';', '|']) {
          const got = await readInteractions(file(names, order, d));
          expect(triples(got), `${order} ${JSON.stringify(d)}`).toEqual(WANT);
          expect(Array.from(got.timestamps!)).toEqual([100, 101, 102]);
          expect(got.report?.columns).toEqual({
            user: order.indexOf('user'),
            item: order.indexOf('item'),
            value: order.indexOf('value'),
            timestamp: order.indexOf('t'),
          });
        }
      }
    });
  }
  it("the issue's swapped header is read the right way round", async () => {
    const d = await readInteractions('item,user,rating\n50,196,3\n172,196,4\n50,22,5\n');
    expect(d.users.ids()).toEqual([22, 196]);
    expect(d.items.ids()).toEqual([50, 172]);
  });
  it('a header without a value column gives all-ones values; extra unnamed columns are ignored', async () => {
    const d = await readInteractions('title,user,item,genre\nx,1,10,a\ny,2,10,b\n');
    expect(triples(d)).toEqual([
      [1, 10, 1],
      [2, 10, 1],
    ]);
    expect(d.report?.columns).toEqual({ user: 1, item: 2, value: -1, timestamp: -1 });
  });
  it('one id named, the other the only unnamed field left', async () => {
    const d = await readInteractions('buyer,product,qty\n7,10,2\n');
    expect(triples(d)).toEqual([[7, 10, 2]]);
  });
  it('a header of labels (naming neither users nor items) reads as user, item, value, timestamp', async () => {
    const d = await readInteractions('who,what,how much\na,1,2\n');
    expect(triples(d)).toEqual([['a', 1, 2]]);
  });
});

describe('ColumnsError: the header, what was recognised, and the columns option that fixes it', () => {
  async function columnsError(text: string): Promise<ColumnsError> {
    try {
      await readInteractions(text, { name: 'r.csv' });
    } catch (e) {
      expect(e).toBeInstanceOf(ColumnsError);
      expect(e).toBeInstanceOf(ParseError);
      return e as ColumnsError;
    }
    throw new Error('expected a ColumnsError');
  }
  it('the item cannot be told apart', async () => {
    const e = await columnsError('user,title,year,rating\n1,Heat,1995,4\n');
    expect(e.message).toBe(
      'r.csv, line 1: cannot tell which column holds the items; the header has "user", "title", "year", "rating" (recognised: user "user", value "rating"). ' +
        'Say which is which with the columns option, e.g. columns: { user: "user", item: "title", value: "rating" }',
    );
    expect(e.header).toEqual(['user', 'title', 'year', 'rating']);
    expect(e.found).toEqual({ user: 0, item: -1, value: 3, timestamp: -1 });
    // The suggested option works.
    const d = await readInteractions('user,title,year,rating\n1,Heat,1995,4\n', {
      columns: { user: 'user', item: 'title', value: 'rating' },
    });
    expect(triples(d)).toEqual([[1, 'Heat', 4]]);
  });
  it('a labelled header whose rating column sits where an id would be', async () => {
    const e = await columnsError('rating,a,b\n4,1,2\n');
    expect(e.message).toMatch(/cannot tell which columns hold the users and items \("rating" looks like the value\)/);
  });
  it('two columns for one role', async () => {
    // Different names for one role: the more usual one wins (user over uid).
    expect((await readInteractions('uid,item,user\n1,2,3\n')).users.ids()).toEqual([3]);
    const f = await columnsError('item,user,user\n1,2,3\n');
    expect(f.message).toMatch(/two columns could be the user: "user", "user"/);
    // Given columns settle it.
    expect((await readInteractions('item,user,user\n1,2,3\n', { columns: { user: 2 } })).users.ids()).toEqual([3]);
  });
  it('a named format whose header names are missing says to read the file as auto', async () => {
    await expect(
      readInteractions('user,item,rating\n1,2,3\n', { format: 'movielens-csv', name: 'ratings.csv' }),
    ).rejects.toThrow(
      'ratings.csv, line 1: the header has no column "userId" for user (header: "user", "item", "rating"); if this is not a movielens-csv file, read it with format \'auto\' (the default)',
    );
  });
});

describe('columns as a list of roles by position', () => {
  it('reads the fields in the order given, skipping null and "-"', async () => {
    const d = await readInteractions('10|1|x|4\n20|1|y|5\n10|2|z|3\n', { columns: ['item', 'user', null, 'rating'] });
    expect(triples(d)).toEqual(WANT);
    const e = await readInteractions('10|1|x|4\n20|1|y|5\n10|2|z|3\n', {
      columns: ['itemId', 'uid', '-', 'value'],
      header: false,
    });
    expect(triples(e)).toEqual(WANT);
  });
  it("overrides a header's names", async () => {
    const d = await readInteractions('a,b,c\n10,1,4\n', { columns: ['item', 'user', 'value'] });
    expect(triples(d)).toEqual([[1, 10, 4]]);
    expect(d.report?.header).toEqual(['a', 'b', 'c']);
  });
  it('is validated before reading', async () => {
    await expect(readInteractions('1,2\n', { columns: ['user', 'thing'] })).rejects.toThrow(
      /columns\[1\] is "thing"; expected user, item, value/,
    );
    await expect(readInteractions('1,2\n', { columns: ['user', 'user'] })).rejects.toThrow(/lists user twice/);
    await expect(readInteractions('1,2\n', { columns: ['user', 'value'] })).rejects.toThrow(
      /must list both user and item/,
    );
    await expect(readInteractions('1,2\n', { columns: [1, 2] as never })).rejects.toThrow(ValidationError);
  });
  it('object specs keep working, and positional defaults never collide with a given position', async () => {
    const d = await readInteractions('4,10,1\n', { columns: { user: 2, item: 1 } });
    expect(triples(d)).toEqual([[1, 10, 1]]);
  });
});

describe("format 'auto' (the default): named formats from the content, the file name only between look-alikes", () => {
  it('reads each named fixture as its format', async () => {
    for (const [name, format] of [
      ['ml100k-u.data', 'movielens-100k'],
      ['ml1m-ratings.dat', 'movielens-1m'],
      ['ml-ratings.csv', 'movielens-csv'],
      ['lastfm-user_artists.dat', 'lastfm-2k'],
      ['lastfm360k.tsv', 'lastfm-360k'],
      ['small.mtx', 'matrix-market'],
    ] as const) {
      const d = await readInteractions(fixture(name));
      expect(d.report?.format, name).toBe(format);
      if (format !== 'matrix-market')
        expect(triples(d)).toEqual(triples(await readInteractions(fixture(name), { format })));
    }
  });
  it('a file named ratings.csv with another header is read by its header', async () => {
    const d = await readInteractions('user,item,rating\n1,10,4\n', { name: 'ratings.csv' });
    expect(d.report?.format).toBe('delimited');
    expect(triples(d)).toEqual([[1, 10, 4]]);
  });
  it("named formats' rules apply only when recognised; explicit options win", async () => {
    await expect(readInteractions('userId,movieId,rating,timestamp\n1,2,-1,5\n')).rejects.toThrow(
      /negative, which the movielens-csv format does not allow/,
    );
    const ok = await readInteractions('userId,movieId,rating,timestamp\n1,2,-1,5\n', { nonNegative: false });
    expect(ok.matrix.data[0]).toBe(-1);
    const plain = await readInteractions('user,item,rating\n1,2,-1\n');
    expect(plain.matrix.data[0]).toBe(-1);
  });
});

describe('maxBytes: what a read may allocate', () => {
  const lines = (n: number) =>
    Array.from({ length: n }, (_, i) => `${i % 97},${i % 89},${1 + (i % 5)}`).join('\n') + '\n';
  const text = lines(5000);
  it('refuses from the input size before parsing, naming the estimate and the cap', async () => {
    let seen = 0;
    const e = await readInteractions(text, {
      maxBytes: 100_000,
      name: 'big.csv',
      onProgress: (p) => (seen = p.lines),
    }).catch((x) => x);
    expect(e).toBeInstanceOf(SizeLimitError);
    expect(e.limit).toBe(100_000);
    expect(e.declared).toBeGreaterThan(5000 * BYTES_PER_RECORD * 0.9);
    expect(e.message).toMatch(
      /^reading big\.csv \(\d+ bytes, about \d+ lines of \d+ bytes\) needs .* over the cap of 97\.7 KiB \(100000 bytes\) \(maxBytes\)/,
    );
    expect(seen).toBe(0); // refused before any line was parsed
    const d = await readInteractions(text, { maxBytes: 5000 * BYTES_PER_RECORD * 1.2 });
    expect(d.nnz).toBeGreaterThan(0);
  });
  it('a stream of unknown size is stopped line by line at the cap', async () => {
    const bytes = new TextEncoder().encode(text);
    const chunks = [bytes.subarray(0, 20_000), bytes.subarray(20_000)];
    const e = await readInteractions(chunks, { maxBytes: 1000 * BYTES_PER_RECORD }).catch((x) => x);
    expect(e).toBeInstanceOf(SizeLimitError);
    expect(e.message).toMatch(/\(1000 interactions so far\)/);
  });
  it('string ids count their characters', async () => {
    const long = Array.from({ length: 200 }, (_, i) => `${'u'.repeat(1000)}${i},${i}`).join('\n') + '\n';
    await expect(readInteractions([long], { maxBytes: 200_000 })).rejects.toThrow(SizeLimitError);
    expect((await readInteractions([long], { maxBytes: 2_000_000 })).shape).toEqual([200, 200]);
  });
  it('a Matrix Market size line is checked before any entry', async () => {
    const e = await readInteractions(
      '%%MatrixMarket matrix coordinate pattern general\n2000000000 2000000000 3\n1 1\n',
      { maxBytes: 1 << 30 },
    ).catch((x) => x);
    expect(e).toBeInstanceOf(SizeLimitError);
    expect(e.message).toMatch(/the size line of <string> \(3 entries, 4000000000 rows and columns\)/);
  });
  it('a line longer than 1 MiB is not interaction data', async () => {
    const blob = new Uint8Array(3 << 20).fill(65);
    await expect(
      readInteractions([blob.subarray(0, 1 << 20), blob.subarray(1 << 20)], { name: 'x.bin' }),
    ).rejects.toThrow('x.bin, line 1: a line longer than 1 MiB');
  });
  it('has a default from the heap, and is validated', async () => {
    expect((await readInteractions('1,2\n')).nnz).toBe(1);
    for (const bad of [0, -1, NaN, '1e6'])
      await expect(readInteractions('1,2\n', { maxBytes: bad as never })).rejects.toThrow(
        /readInteractions: maxBytes must be a positive number of bytes/,
      );
    expect((await readInteractions('1,2\n', { maxBytes: Infinity })).nnz).toBe(1);
  });
});
