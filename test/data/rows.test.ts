// Rows as they come in real files (issue 26): blank rows skipped and counted; bad rows stop a read with an
// error that names onError: 'skip', or are skipped and counted per kind with their first lines; header
// names of the public data sets; zeros; named formats with or without their timestamp; missing files.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParseError, ValidationError } from '../../src/errors.js';
import { readInteractions } from '../../src/data/index.js';
import { resetZeroWarning, warnZeroPreferences, zeroEntries } from '../../src/data/zeros.js';
import { ImplicitALS } from '../../src/index.js';

afterEach(() => vi.restoreAllMocks());

describe('blank rows', () => {
  it('empty lines and rows of empty fields (,,) are skipped and counted, never an error', async () => {
    const d = await readInteractions('user,item,rating\n1,10,4\n,,\n\n  \n2,11,5\n"",""," "\n3,12,1\n', {
      name: 'b.csv',
    });
    expect(d.nnz).toBe(3);
    expect(d.report?.dropped.blank?.count).toBe(4);
    expect(d.report?.dropped.blank?.first.map((r) => r.line)).toEqual([3, 4, 5, 7]);
    expect(d.report?.skipped).toBe(0);
  });

  it('a row with some fields and an empty id is broken, not blank, and the message says so', async () => {
    const e: ParseError = await readInteractions('user,item,rating\n1,10,4\n,11,5\n').catch((x) => x);
    expect(e.message).toMatch(/line 3, column 1: user "user" \(field 1\) is empty in a row that is not blank/);
    expect(e.message).toMatch(/pass onError: 'skip'/);
  });

  it('only blank rows: the message counts them', async () => {
    await expect(readInteractions('user,item\n,\n\n,\n', { name: 'x.csv' })).rejects.toThrow(
      /no data lines \(read 4 lines: header, comments, 3 blank\)/,
    );
  });
});

describe("bad rows: onError 'skip' counts them per kind and keeps their first lines", () => {
  const text = [
    'user,item,rating,time',
    '1,10,4,100',
    '1,11', // missing field
    '2,12,x,101', // not a number
    '2,13,NaN,102', // not finite
    '3,14,1e39,103', // out of range (float32)
    ',15,3,104', // empty id
    '4,16,3,105,extra', // extra field
    '5,17,2,abc', // timestamp not a number
    '6,18,5,2009-02-13T23:31:30Z', // an ISO date is a timestamp
    ...Array.from({ length: 8 }, (_, i) => `7,${20 + i}`), // more missing fields
  ].join('\n');

  it('the first bad row stops a default read, naming onError: skip', async () => {
    await expect(readInteractions(text)).rejects.toThrow(
      /line 3, column 5: missing field: 2 fields where the rows have 4 \(as on line 2\): no value "rating" in field 3, timestamp "time" in field 4: "1,11" \(to skip bad rows like this one and count them, pass onError: 'skip'\)/,
    );
  });

  it('skip: counts per kind, the first five lines of each, the total in skipped', async () => {
    const d = await readInteractions(text, { onError: 'skip' });
    expect(d.nnz).toBe(2);
    expect(Array.from(d.timestamps!)).toEqual([100, 1234567890]);
    const r = d.report!;
    const counts = Object.fromEntries(Object.entries(r.dropped).map(([k, v]) => [k, v.count]));
    expect(counts).toEqual({
      'missing field': 9,
      'not a number': 2,
      'not finite': 1,
      'out of range': 1,
      'empty id': 1,
      'extra field': 1,
    });
    expect(r.skipped).toBe(15);
    expect(r.dropped['missing field']!.first).toEqual([
      { line: 3, text: '1,11' },
      { line: 11, text: '7,20' },
      { line: 12, text: '7,21' },
      { line: 13, text: '7,22' },
      { line: 14, text: '7,23' },
    ]);
    expect(r.dropped['not a number']!.first.map((x) => x.line)).toEqual([4, 9]);
    expect(r.errors).toHaveLength(15);
    expect(r.errors[0].message).not.toMatch(/onError/);
  });
});

describe('header names of the public data sets, matched ignoring case and punctuation', () => {
  const cases: [string, string, string, { user: number; item: number; value: number; timestamp: number }][] = [
    [
      'Book-Crossing',
      '"User-ID";"ISBN";"Book-Rating"\n"276725";"034545104X";"0"\n',
      ';',
      { user: 0, item: 1, value: 2, timestamp: -1 },
    ],
    [
      'Amazon reviews',
      'reviewerID,asin,reviewerName,overall,unixReviewTime\nA2S,0528881469,"Ann, B",5,1370131200\n',
      ',',
      { user: 0, item: 1, value: 3, timestamp: 4 },
    ],
    [
      'Yelp',
      'review_id,user_id,business_id,stars,date\nr1,u1,b1,4,2016-03-09 00:44:42\n',
      ',',
      { user: 1, item: 2, value: 3, timestamp: 4 },
    ],
    [
      'Goodreads',
      'user_id,book_id,is_read,rating,is_reviewed\n0,948,1,5,0\n',
      ',',
      { user: 0, item: 1, value: 3, timestamp: -1 },
    ],
    ['Jester', 'UserID,JokeID,Rating\n1,5,0.219\n', ',', { user: 0, item: 1, value: 2, timestamp: -1 }],
    [
      'Netflix',
      'CustomerID,MovieID,Rating,Date\n1488844,1,3,2005-09-06\n',
      ',',
      { user: 0, item: 1, value: 2, timestamp: 3 },
    ],
    [
      'Steam',
      'user_id\titem_id\tplaytime_forever\n76561197970982479\t10\t6\n',
      '\t',
      { user: 0, item: 1, value: 2, timestamp: -1 },
    ],
    [
      'retail',
      'customer_id,product_id,quantity,InvoiceDate\nc1,p1,6,2010-12-01 08:26:00\n',
      ',',
      { user: 0, item: 1, value: 2, timestamp: 3 },
    ],
    ['UserId / ItemId', 'UserId,ItemId,Score\n1,2,3\n', ',', { user: 0, item: 1, value: 2, timestamp: -1 }],
  ];
  for (const [what, text, delimiter, columns] of cases) {
    it(what, async () => {
      const d = await readInteractions(text);
      expect(d.report?.delimiter).toBe(delimiter);
      expect(d.report?.columns).toEqual(columns);
      expect(d.report?.notes).toEqual([]);
      expect(d.nnz).toBe(1);
    });
  }

  it('Online Retail: StockCode and CustomerID; an InvoiceDate of "12/1/2010 8:26" is not a time: a note, not read', async () => {
    const text =
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n' +
      '536365,85123A,"WHITE HANGING HEART T-LIGHT HOLDER",6,12/1/2010 8:26,2.55,17850,United Kingdom\n' +
      '536365,71053,"WHITE METAL LANTERN, BIG",6,12/1/2010 8:26,3.39,17850,United Kingdom\n';
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const d = await readInteractions(text);
    expect(d.report?.columns).toEqual({ user: 6, item: 1, value: 3, timestamp: -1 });
    expect(d.report?.notes).toEqual([
      'timestamp column "InvoiceDate" holds no numbers or ISO 8601 dates (e.g. "12/1/2010 8:26"): not read',
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('no value column recognised: report.notes says so and the library warns once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const text = 'User-ID,ISBN,Stars Given\n1,a,5\n2,b,3\n';
    const d = await readInteractions(text, { name: 'bx.csv' });
    expect(d.report?.columns?.value).toBe(-1);
    expect(d.report?.notes[0]).toMatch(
      /^no value column recognised, so every interaction counts 1; fields not read: "Stars Given" \(name the value with columns: \{ value: "Stars Given" \}\)$/,
    );
    await readInteractions(text, { name: 'bx.csv' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^lowrank: readInteractions\(bx\.csv\): no value column/);
    // warnings: false keeps it in the report only; a value named with columns silences it.
    expect((await readInteractions(text, { columns: { value: 'Stars Given' } })).report?.notes).toEqual([]);
    expect((await readInteractions('user,item\n1,2\n')).report?.notes).toEqual([]);
  });
});

describe('zeros', () => {
  const text = 'user,item,rating\n1,10,0\n1,11,5\n2,10,0\n2,12,7\n';
  it("'keep' (default) stores them, 'drop' leaves them out, a number reads them as that number", async () => {
    const keep = await readInteractions(text);
    expect(keep.nnz).toBe(4);
    expect(zeroEntries(keep.matrix)).toBe(2);
    expect(keep.report?.zeros).toBe(2);
    const drop = await readInteractions(text, { zeros: 'drop' });
    expect(drop.nnz).toBe(2);
    expect(drop.report?.dropped.zero?.count).toBe(2);
    const one = await readInteractions(text, { zeros: 1 });
    expect(Array.from(one.matrix.data).sort()).toEqual([1, 1, 5, 7]);
    expect(one.report?.zeros).toBe(2);
    await expect(readInteractions(text, { zeros: 'one' as never })).rejects.toThrow(
      /zeros must be 'keep', 'drop' or a finite number/,
    );
  });

  it('ImplicitALS.fit warns once with the share of zero entries and the option that counts them', async () => {
    resetZeroWarning();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const data = await readInteractions(text);
    await new ImplicitALS({ factors: 2, iterations: 1 }).fit(data);
    await new ImplicitALS({ factors: 2, iterations: 1 }).fit(data);
    const said = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('are 0'));
    expect(said).toEqual([
      'lowrank: ImplicitALS.fit: 50.0% of the stored entries (2 of 4) are 0, which ImplicitALS reads as no preference — the same as no entry. If 0 means an interaction (e.g. "seen, not rated"), read the data with readInteractions(…, { zeros: 1 }) (lowrank CLI: --zeros 1) to count them; zeros: \'drop\' leaves them out and silences this',
    ]);
    resetZeroWarning();
    await new ImplicitALS({ factors: 2, iterations: 1 }).fit(await readInteractions(text, { zeros: 1 }));
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('are 0'))).toHaveLength(1);
    expect(warnZeroPreferences((await readInteractions(text, { zeros: 'drop' })).matrix, 'X')).toBeUndefined();
  });
});

describe('named formats with or without their timestamp; missing files', () => {
  it('movielens-100k, -1m and -csv files without the timestamp field are read', async () => {
    const ml1m = await readInteractions('1::10::5\n2::20::3\n', { format: 'movielens-1m' });
    expect(ml1m.nnz).toBe(2);
    expect(ml1m.timestamps).toBeUndefined();
    const withTime = await readInteractions('1::10::5::978300760\n', { format: 'movielens-1m' });
    expect(Array.from(withTime.timestamps!)).toEqual([978300760]);
    expect((await readInteractions('1\t10\t5\n', { format: 'movielens-100k' })).nnz).toBe(1);
    const csv = await readInteractions('userId,movieId,rating\n1,2,3.5\n', { format: 'movielens-csv' });
    expect(csv.report?.columns).toEqual({ user: 0, item: 1, value: 2, timestamp: -1 });
    // Recognised by layout, too.
    expect((await readInteractions('userId,movieId,rating\n1,2,3.5\n')).report?.format).toBe('movielens-csv');
  });

  it('a file path that does not exist is a missing file, whatever its extension', async () => {
    for (const path of ['ratings', 'ratings.csv', 'data/u.dat', 'no-such-file.parquet']) {
      const e = await readInteractions(path).catch((x) => x);
      expect(e).toBeInstanceOf(ValidationError);
      expect(e.message).toBe(
        `readInteractions: no such file: ${path} (to parse a string as data, it must contain a line break)`,
      );
    }
  });
});
