import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ParseError, ValidationError } from '../../src/errors.js';
import { readInteractions, type Interactions } from '../../src/data/index.js';
import { parseNumber } from '../../src/data/parse/numbers.js';

/** What an error that stops a read at a bad row ends with. */
const SKIP = " (to skip bad rows like this one and count them, pass onError: 'skip')";
const LISTS =
  "; rows with differing field counts are not columns: if each line is one user's list, read it with format: 'lists' (user item item …) or format: 'counted-lists' (count item item …)";

const fixture = (name: string) => new URL(`../fixtures/data/${name}`, import.meta.url);
const enc = new TextEncoder();

/** Triples (userId, itemId, value) of an Interactions, for comparisons. */
function triples(d: Interactions): [unknown, unknown, number][] {
  const out: [unknown, unknown, number][] = [];
  const m = d.matrix;
  for (let r = 0; r < m.rows; r++)
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) out.push([d.users.id(r), d.items.id(m.indices[p]), m.data[p]]);
  return out;
}

async function parseError(p: Promise<unknown>): Promise<ParseError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe('readInteractions: named formats (fixtures)', () => {
  it('movielens-100k u.data: tab, sorted numeric ids, timestamps aligned', async () => {
    const d = await readInteractions(fixture('ml100k-u.data'), { format: 'movielens-100k' });
    expect(d.shape).toEqual([3, 3]);
    expect(d.users.ids()).toEqual([1, 2, 3]);
    expect(d.items.ids()).toEqual([10, 20, 30]);
    expect(triples(d)).toEqual([
      [1, 10, 3],
      [1, 20, 5],
      [2, 10, 1],
      [3, 10, 4],
      [3, 30, 2],
    ]);
    expect(Array.from(d.timestamps!)).toEqual([881250003, 881250001, 881250002, 881250000, 881250004]);
    expect(d.report).toMatchObject({
      source: 'ml100k-u.data',
      format: 'movielens-100k',
      lines: 5,
      records: 5,
      skipped: 0,
      delimiter: '\t',
    });
  });
  it("movielens-1m ratings.dat ('::')", async () => {
    const d = await readInteractions(fixture('ml1m-ratings.dat'), { format: 'movielens-1m' });
    expect(d.users.ids()).toEqual([1, 2, 10]);
    expect(d.items.ids()).toEqual([660, 1190, 3400]);
    expect(triples(d)).toEqual([
      [1, 660, 3],
      [1, 1190, 5],
      [2, 1190, 4],
      [10, 3400, 2],
    ]);
  });
  it('movielens ratings.csv (header, half stars)', async () => {
    const d = await readInteractions(fixture('ml-ratings.csv'), { format: 'movielens-csv' });
    expect(d.report?.header).toEqual(['userId', 'movieId', 'rating', 'timestamp']);
    expect(triples(d)).toEqual([
      [1, 290, 5],
      [1, 300, 3.5],
      [2, 290, 4.5],
    ]);
    expect(d.timestamps).toBeInstanceOf(Float64Array);
  });
  it('lastfm-2k user_artists.dat (header, CRLF)', async () => {
    const d = await readInteractions(fixture('lastfm-user_artists.dat'), { format: 'lastfm-2k' });
    expect(triples(d)).toEqual([
      [2, 51, 1000],
      [2, 52, 900],
      [4, 51, 228],
    ]);
    expect(d.timestamps).toBeUndefined();
  });
  it('lastfm-360k tsv: string ids, artist name as item, UTF-8, empty MBID field', async () => {
    const d = await readInteractions(fixture('lastfm360k.tsv'), { format: 'lastfm-360k' });
    expect(d.users.ids()).toEqual(['aaaa0001', 'bbbb0002']);
    expect(d.items.ids()).toEqual(['die Ärzte', 'the first band']);
    expect(triples(d)).toEqual([
      ['aaaa0001', 'die Ärzte', 1099],
      ['aaaa0001', 'the first band', 2137],
      ['bbbb0002', 'the first band', 12],
    ]);
  });
  it('auto-detection reads every named fixture the same as its named format', async () => {
    for (const [file, format] of [
      ['ml100k-u.data', 'movielens-100k'],
      ['ml1m-ratings.dat', 'movielens-1m'],
      ['ml-ratings.csv', 'movielens-csv'],
      ['lastfm-user_artists.dat', 'lastfm-2k'],
    ] as const) {
      const a = await readInteractions(fixture(file));
      const b = await readInteractions(fixture(file), { format });
      expect(triples(a)).toEqual(triples(b));
    }
  });
});

describe('readInteractions: Matrix Market', () => {
  it('coordinate real general: 1-based, comments, duplicates summed, negative allowed', async () => {
    const d = await readInteractions(fixture('small.mtx'));
    expect(d.report?.format).toBe('matrix-market');
    expect(d.shape).toEqual([3, 4]);
    expect(Array.from(d.matrix.toDense())).toEqual([2, 0, 0, 0, 0, 0, 0, 30, 0, -2, 0, 0]);
    expect(d.users.ids()).toEqual([1, 2, 3]);
  });
  it('pattern symmetric: mirrored off-diagonal entries', async () => {
    const d = await readInteractions(fixture('sym-pattern.mtx'), { format: 'matrix-market' });
    expect(Array.from(d.matrix.toDense())).toEqual([1, 1, 0, 1, 0, 1, 0, 1, 0]);
  });
  it('index beyond the declared shape, wrong entry count, unsupported layout', async () => {
    const bad = '%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n3 1 1\n';
    const e = await parseError(readInteractions(bad, { name: 'bad.mtx' }));
    expect(e.message).toBe(
      `bad.mtx, line 4, column 1: row index 3 is outside the declared shape 2 × 2 (indices are 1-based): "3"${SKIP}`,
    );
    const few = await parseError(readInteractions('%%MatrixMarket matrix coordinate real general\n2 2 3\n1 1 1\n'));
    expect(few.message).toMatch(/declares 3 entries but the file has 1/);
    const many = await parseError(
      readInteractions('%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1\n2 2 1\n'),
    );
    expect(many.message).toMatch(/line 4.*more entries than the 1 declared/);
    await expect(readInteractions('%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n')).rejects.toThrow(
      /layout "array" is not supported/,
    );
    await expect(
      readInteractions('%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1.5\n'),
    ).rejects.toThrow(/not an integer/);
  });
  it('a declared shape with empty rows and columns keeps them', async () => {
    const d = await readInteractions('%%MatrixMarket matrix coordinate real general\n5 6 1\n2 3 7\n');
    expect(d.shape).toEqual([5, 6]);
    expect(d.matrix.row(1).indices).toEqual(new Int32Array([2]));
  });
});

describe('readInteractions: delimited text', () => {
  it('header auto-detect, comments, blank lines, whitespace delimiter, column mapping by name', async () => {
    const text = '# made-up data\n\nitem  user   score\n  7   a   2.5\n\n8 b 1\n# trailing comment\n';
    const d = await readInteractions(text, {
      delimiter: 'whitespace',
      columns: { user: 'user', item: 'item', value: 'score' },
    });
    expect(d.report?.header).toEqual(['item', 'user', 'score']);
    expect(triples(d)).toEqual([
      ['a', 7, 2.5],
      ['b', 8, 1],
    ]);
  });
  it('a first line without numbers is a header only if the next line has numbers', async () => {
    const h = await readInteractions('who,what\nx,1\n');
    expect(h.report?.header).toEqual(['who', 'what']);
    expect(triples(h)).toEqual([['x', 1, 1]]);
    const noHeader = await readInteractions('anna,lamp\nbob,desk\n');
    expect(noHeader.report?.header).toBeUndefined();
    expect(triples(noHeader)).toEqual([
      ['anna', 'lamp', 1],
      ['bob', 'desk', 1],
    ]);
  });
  it('ids: numeric while canonical integers, strings once any id is not (losslessly)', async () => {
    const d = await readInteractions('1,5\n2,5\n007,6\n');
    expect(d.users.ids()).toEqual(['007', '1', '2']);
    expect(d.items.ids()).toEqual([5, 6]);
    const s = await readInteractions('1,5\n2,6\n', { ids: 'string' });
    expect(s.users.ids()).toEqual(['1', '2']);
  });
  it("idOrder 'first-seen', duplicates 'last' and 'error', value: null", async () => {
    const text = '9,1,2\n3,1,4\n9,1,5\n';
    const f = await readInteractions(text, { idOrder: 'first-seen', duplicates: 'last' });
    expect(f.users.ids()).toEqual([9, 3]);
    expect(triples(f)).toEqual([
      [9, 1, 5],
      [3, 1, 4],
    ]);
    const sum = await readInteractions(text);
    expect(triples(sum)).toEqual([
      [3, 1, 4],
      [9, 1, 7],
    ]);
    await expect(readInteractions(text, { duplicates: 'error', name: 'd.csv' })).rejects.toThrow(
      'd.csv: duplicate entry for user 9, item 1',
    );
    const ones = await readInteractions(text, { columns: { value: null } });
    expect(Array.from(ones.matrix.data)).toEqual([1, 2]);
  });
  it('numbers: signs, decimals, exponents, surrounding spaces', async () => {
    const d = await readInteractions('1, 1, -2.5e-1\n1,2,+3.\n1,3,.5\n1, 4 ,1E3\n');
    expect(Array.from(d.matrix.data)).toEqual([-0.25, 3, 0.5, 1000]);
  });
  it('parseNumber agrees with Number() on decimal literals', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 20 }), (x, digits) => {
        for (const text of [String(x), x.toFixed(Math.min(digits, 20)), x.toExponential(Math.min(digits, 20))]) {
          const b = enc.encode(text);
          expect(parseNumber(b, 0, b.length)).toBe(Number(text));
        }
      }),
      { numRuns: 300, seed: 42 },
    );
    for (const bad of ['', '-', '.', '1e', '1x', '0x10', 'nan', 'inf', '1.2.3', 'e5']) {
      const b = enc.encode(bad);
      expect(parseNumber(b, 0, b.length)).toBeNaN();
    }
  });
});

describe('readInteractions: inputs, chunking, progress', () => {
  const lines = Array.from(
    { length: 300 },
    (_, i) => `${1 + (i % 17)}::${1 + ((i * 7) % 23)}::${1 + (i % 5)}::${1000 + i}`,
  );
  const text = lines.join('\r\n') + '\r\n';
  let tmp: string | undefined;
  afterAll(() => tmp && rmSync(tmp, { recursive: true, force: true }));

  it('gives the same result for every chunk size (lines and CRLF split across chunks)', async () => {
    const whole = await readInteractions(text);
    const bytes = enc.encode(text);
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: Uint8Array[] = [];
      for (let a = 0; a < bytes.length; a += size) chunks.push(bytes.slice(a, a + size));
      const d = await readInteractions(chunks);
      expect(triples(d)).toEqual(triples(whole));
      expect(d.timestamps).toEqual(whole.timestamps);
      expect(d.report?.lines).toBe(300);
    }
    // No trailing newline: the last line still counts.
    const d = await readInteractions(text.trimEnd());
    expect(d.nnz).toBe(whole.nnz);
  });
  it('reads Uint8Array, ArrayBuffer, Blob, web ReadableStream, Node stream, path and file URL alike', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'lowrank-parse-'));
    const path = join(tmp, 'r.dat');
    writeFileSync(path, text);
    const bytes = enc.encode(text);
    const want = triples(await readInteractions(text));
    const inputs = [
      bytes,
      bytes.buffer,
      new Blob([bytes]),
      new Blob([bytes]).stream(),
      createReadStream(path, { highWaterMark: 100 }),
      path,
      new URL(`file://${path}`),
    ];
    for (const input of inputs) expect(triples(await readInteractions(input as never))).toEqual(want);
    const named = await readInteractions(path);
    expect(named.report?.source).toBe('r.dat');
  });
  it('reports progress with bytes, lines and totalBytes', async () => {
    const seen: { bytes: number; lines: number; totalBytes?: number }[] = [];
    const bytes = enc.encode(text);
    await readInteractions(bytes, { onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toEqual({ bytes: bytes.length, lines: 300, totalBytes: bytes.length });
    const stream = [bytes.slice(0, 1000), bytes.slice(1000)];
    const seen2: { bytes: number; lines: number; totalBytes?: number }[] = [];
    await readInteractions(stream, { onProgress: (p) => seen2.push(p) });
    expect(seen2[0].bytes).toBe(1000);
    expect(seen2[0].totalBytes).toBeUndefined();
    expect(seen2.at(-1)?.lines).toBe(300);
  });
  it('rejects unknown inputs, formats and options, and a mistyped path', async () => {
    await expect(readInteractions(42 as never)).rejects.toThrow(ValidationError);
    await expect(readInteractions('a,b\n', { format: 'nope' as never })).rejects.toThrow(/unknown format "nope"/);
    await expect(readInteractions('a,b\n', { delimeter: ',' } as never)).rejects.toThrow(/unknown option "delimeter"/);
    await expect(readInteractions('data/ml-100k/u.dat')).rejects.toThrow(/no such file: data\/ml-100k\/u.dat/);
    const ac = new AbortController();
    ac.abort();
    await expect(readInteractions('1,2\n', { signal: ac.signal })).rejects.toThrow(/aborted/);
  });
});

describe('readInteractions: bad input', () => {
  it('names file, line, column and the offending text', async () => {
    const cases: [string, string][] = [
      ['1\t2\t4\n1\t3\tfour\n', 'r.tsv, line 2, column 5: value (field 3) is not a number: "four"'],
      [
        '1,2,4\n1,3,NaN\n',
        'r.tsv, line 2, column 5: value (field 3) is not finite (NaN and infinity are not allowed): "NaN"',
      ],
      [
        '1,2,4\n1,3,-Infinity\n',
        'r.tsv, line 2, column 5: value (field 3) is not finite (NaN and infinity are not allowed): "-Infinity"',
      ],
      [
        '1,2,4\n1,3,1e999\n',
        'r.tsv, line 2, column 5: value (field 3) is not finite (NaN and infinity are not allowed): "1e999"',
      ],
      [
        '1,2,4\n1,3\n',
        `r.tsv, line 2, column 4: missing field: 2 fields where the rows have 3 (as on line 1): no value in field 3${LISTS}: "1,3"`,
      ],
      ['1,2,4\n,3,1\n', 'r.tsv, line 2, column 1: user (field 1) is empty in a row that is not blank: ""'],
      ['1,2,3,100\n1,3,4,x\n', 'r.tsv, line 2, column 7: timestamp (field 4) is not a number or an ISO 8601 date: "x"'],
    ];
    for (const [text, message] of cases) {
      const e = await parseError(readInteractions(text, { name: 'r.tsv' }));
      expect(e.message).toBe(message + SKIP);
      expect(e.source).toBe('r.tsv');
      expect(e.line).toBe(2);
    }
  });
  it('names the header column and counts columns in characters', async () => {
    const e = await parseError(
      readInteractions(fixture('lastfm-user_artists.dat'), { format: 'lastfm-2k' }).then(() =>
        readInteractions('userID\tartistID\tweight\n2\t51\t-3\n', { format: 'lastfm-2k', name: 'user_artists.dat' }),
      ),
    );
    expect(e.message).toBe(
      `user_artists.dat, line 2, column 6: value "weight" (field 3) is negative, which the lastfm-2k format does not allow: "-3"${SKIP}`,
    );
    const u = await parseError(readInteractions('Ärger,5,x\n', { name: 'u.csv' }));
    expect(u.column).toBe(9); // characters, not bytes
  });
  it('empty input and header-only input', async () => {
    expect((await parseError(readInteractions(new Uint8Array(0), { name: 'e.csv' }))).message).toBe(
      'e.csv: empty input: no lines to read',
    );
    expect((await parseError(readInteractions('userId,movieId,rating\n', { name: 'h.csv' }))).message).toMatch(
      /^h.csv: no data lines \(read 1 line/,
    );
  });
  it("onError: 'skip' counts and reports skipped lines; a callback sees each error", async () => {
    const text = 'u,i,r\n1,2,4\n1,3,x\n2,2\n2,3,5\n';
    const d = await readInteractions(text, { onError: 'skip', name: 's.csv' });
    expect(d.nnz).toBe(2);
    expect(d.report?.skipped).toBe(2);
    expect(d.report?.errors.map((e) => e.line)).toEqual([3, 4]);
    const seen: number[] = [];
    const d2 = await readInteractions(text, { onError: (e) => seen.push(e.line!) });
    expect(seen).toEqual([3, 4]);
    // Skipped lines leave no trace in the id maps.
    expect(d2.items.ids()).toEqual([2, 3]);
    await expect(readInteractions('1,2,x\n', { onError: 'skip' })).rejects.toThrow(/no data lines.*1 skipped/);
  });
  it('a header name in columns without a header line is a ValidationError', async () => {
    await expect(readInteractions('1,2,3\n', { header: false, columns: { user: 'userId' } })).rejects.toThrow(
      /has no header line/,
    );
    await expect(readInteractions('a,b,c\n1,2,3\n', { columns: { user: 'userId' } })).rejects.toThrow(
      /header has no column "userId"/,
    );
  });
});
