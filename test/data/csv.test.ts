// RFC 4180 delimited reading (issue 26): quotes, doubled quotes, delimiters and line breaks inside quotes;
// \n, \r\n, \r and mixed line ends; a UTF-8 byte-order mark; bytes that are not UTF-8. Oracles: the
// csv-spectrum corpus (test/fixtures/csv-spectrum, BSD-2-Clause) and papaparse (a pinned dev dependency)
// on generated files full of quotes — record for record, and through readInteractions id for id.
import { readdirSync, readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { readInteractions, type Interactions } from '../../src/data/index.js';
import { FieldSplitter } from '../../src/data/parse/fields.js';
import { RecordReader } from '../../src/data/parse/records.js';

const enc = new TextEncoder();
const spectrum = new URL('../fixtures/csv-spectrum/', import.meta.url);

/** Every record of `bytes` as its fields' text, read by lowrank's record reader and field splitter, fed in chunks of `chunk` bytes. */
function records(bytes: Uint8Array, delimiter = ',', chunk = 1 << 20): string[][] {
  const split = new FieldSplitter();
  split.setDelimiter(delimiter);
  const out: string[][] = [];
  const reader = new RecordReader(
    {
      firstLine() {},
      endsInQuote: (b, s, e, q) => split.endsInQuote(b, s, e, q),
      record(buf, s, e, _line, quoted) {
        if (e === s) return; // empty lines: skipped by both parsers
        const nf = split.split(buf, s, e, 4096, quoted);
        out.push(Array.from({ length: nf }, (_, k) => split.text(buf, k)));
      },
    },
    'test',
    34,
    -1,
  );
  for (let a = 0; a < bytes.length; a += chunk) reader.push(bytes.subarray(a, Math.min(bytes.length, a + chunk)));
  reader.end();
  return out;
}

/** (user id, item id, value) of an Interactions, sorted. */
function triples(d: Interactions): [unknown, unknown, number][] {
  const out: [unknown, unknown, number][] = [];
  const m = d.matrix;
  for (let r = 0; r < m.rows; r++)
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) out.push([d.users.id(r), d.items.id(m.indices[p]), m.data[p]]);
  return out.sort((x, y) => (String(x[0]) + '\0' + String(x[1]) < String(y[0]) + '\0' + String(y[1]) ? -1 : 1));
}

describe('csv-spectrum: every case parsed as its expected JSON', () => {
  const names = readdirSync(spectrum).filter((f) => f.endsWith('.csv'));
  it('has the corpus', () => expect(names.length).toBe(12));
  for (const name of names) {
    it(name, () => {
      const bytes = new Uint8Array(readFileSync(new URL(name, spectrum)));
      let want = JSON.parse(readFileSync(new URL(name.replace(/\.csv$/, '.json'), spectrum), 'utf8')) as
        | Record<string, string>
        | Record<string, string>[];
      if (!Array.isArray(want)) want = [want];
      const [header, ...rows] = records(bytes);
      const got = rows.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] ?? ''])));
      // The corpus's location_coordinates.json has another phone number than its own CSV: the CSV is the truth.
      if (name === 'location_coordinates.csv') want[0]['Contact Phone Number'] = '2095257564';
      expect(got).toEqual(want);
      for (const chunk of [1, 2, 3, 5, 8])
        expect(records(bytes, ',', chunk), `chunks of ${chunk}`).toEqual([header, ...rows]);
    });
  }
});

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

const PIECES = ['a', 'B', '7', 'é', '€', ' ', ',', ';', '"', '""', '\n', '\r\n', "'", 'x y', '|', '\t', '#'];

/** A random id (never empty, no spaces at its ends, as ids are trimmed) and how it is written (quoted when it must be, else sometimes). */
function field(r: () => number, delimiter: string): { text: string; written: string } {
  let text = '';
  for (let k = 1 + Math.floor(r() * 6); k > 0; k--) text += PIECES[Math.floor(r() * PIECES.length)];
  text = `i${text}z`;
  const must = /["\r\n]/.test(text) || text.includes(delimiter);
  const written = must || r() < 0.3 ? `"${text.replaceAll('"', '""')}"` : text;
  return { text, written };
}

/** A generated file of (user, item, value) rows full of quotes, and its distinct rows. */
function generated(seed: number, delimiter: string, eol: string, rows = 400) {
  const r = rng(seed);
  const lines: string[] = [];
  const want = new Map<string, [string, string, number]>();
  for (let i = 0; i < rows; i++) {
    const u = field(r, delimiter);
    const it = field(r, delimiter);
    const v = 1 + Math.floor(r() * 5);
    lines.push([u.written, it.written, String(v)].join(delimiter));
    want.set(`${u.text}\0${it.text}`, [u.text, it.text, v]);
  }
  return { text: lines.join(eol) + eol, want };
}

describe('papaparse as the oracle: generated files full of quotes', () => {
  for (const [delimiter, eol, seed] of [
    [',', '\n', 1],
    [',', '\r\n', 2],
    [';', '\r', 3],
    ['\t', '\n', 4],
    ['|', '\r\n', 5],
  ] as const) {
    it(`delimiter ${JSON.stringify(delimiter)}, line end ${JSON.stringify(eol)}: the same records, and readInteractions reads the same ids`, async () => {
      const { text, want } = generated(seed, delimiter, eol);
      const bytes = enc.encode(text);
      const oracle = Papa.parse<string[]>(text, { delimiter, newline: eol, quoteChar: '"', skipEmptyLines: true });
      expect(oracle.errors).toEqual([]);
      expect(records(bytes, delimiter)).toEqual(oracle.data);
      for (const chunk of [1, 7, 64]) expect(records(bytes, delimiter, chunk)).toEqual(oracle.data);
      // Through readInteractions: the same ids (duplicates: the last value, as Map.set keeps).
      const d = await readInteractions(bytes, { delimiter, header: false, ids: 'string', duplicates: 'last' });
      const byOracle = new Map(oracle.data.map((f) => [`${f[0]}\0${f[1]}`, [f[0], f[1], Number(f[2])] as const]));
      const sorted = (m: Map<string, readonly [string, string, number]>) =>
        [...m.values()].map((x) => [...x]).sort((x, y) => (x[0] + '\0' + x[1] < y[0] + '\0' + y[1] ? -1 : 1));
      expect(triples(d)).toEqual(sorted(byOracle));
      expect(sorted(byOracle)).toEqual(sorted(want));
    });
  }
});

describe('quoting, line ends, byte-order mark and encodings through readInteractions', () => {
  it('quoted ids keep delimiters, doubled quotes and line breaks; quoted numbers are numbers', async () => {
    const text = 'user,item,rating\n3,"C,D",4\n3,"C ""x"" y",4\n"""034545104X""","a\nb",5\n"7","8","2.5"\n';
    const d = await readInteractions(text);
    // A user column with one id that is not an integer is read as strings (the others as their text).
    expect(triples(d)).toEqual([
      ['"034545104X"', 'a\nb', 5],
      ['3', 'C "x" y', 4],
      ['3', 'C,D', 4],
      ['7', '8', 2.5],
    ]);
    expect(d.report?.records).toBe(4);
  });

  it('\\n, \\r\\n, \\r and mixed line ends read the same, in any chunking', async () => {
    const rows = ['u,i,r', '1,10,4', '2,"x\r\ny",3', '3,12,5', '4,13,1'];
    const want = triples(await readInteractions(rows.join('\n') + '\n'));
    for (const eol of ['\r\n', '\r', '\n']) {
      const d = await readInteractions(rows.join(eol) + eol);
      expect(triples(d), JSON.stringify(eol)).toEqual(want);
      expect(d.report?.lines).toBe(6); // the quoted field's line break counts too
    }
    const mixed = `u,i,r\r1,10,4\n2,"x\r\ny",3\r\n3,12,5\r4,13,1`;
    const bytes = enc.encode(mixed);
    for (const chunk of [1, 2, 3, 4, 1000]) {
      const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, k) =>
        bytes.subarray(k * chunk, (k + 1) * chunk),
      );
      expect(triples(await readInteractions(chunks)), `chunks of ${chunk}`).toEqual(want);
    }
  });

  it('a CR-only file is read, however long (it was "a line longer than 1 MiB")', async () => {
    const lines = ['"User-ID";"ISBN";"Book-Rating"'];
    for (let i = 0; i < 60_000; i++)
      lines.push(`"${1 + (i % 977)}";"${String(100000 + i).padStart(10, '0')}";"${i % 11}"`);
    const d = await readInteractions(enc.encode(lines.join('\r') + '\r'), { duplicates: 'error' });
    expect(d.nnz).toBe(60_000);
    expect(d.report?.delimiter).toBe(';');
    expect(d.report?.columns).toEqual({ user: 0, item: 1, value: 2, timestamp: -1 });
  });

  it('a UTF-8 byte-order mark is dropped (the header is still recognised)', async () => {
    const d = await readInteractions(enc.encode('\ufeffuserId,movieId,rating\n1,2,3\n'));
    expect(d.report?.header).toEqual(['userId', 'movieId', 'rating']);
    expect(d.report?.format).toBe('movielens-csv');
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('1,2,3\n')]);
    expect(triples(await readInteractions([bom.subarray(0, 1), bom.subarray(1, 2), bom.subarray(2)]))).toEqual([
      [1, 2, 3],
    ]);
  });

  it('ids that are not UTF-8 (Latin-1) are read as windows-1252, byte for byte: distinct ids stay distinct', async () => {
    // "Mü", "Mö", "Mœ" (0x9C in windows-1252) and "Café" in Latin-1, and one UTF-8 "é" id.
    const latin1 = (s: string) => Uint8Array.from(s, (c) => (c === 'œ' ? 0x9c : c.charCodeAt(0)));
    const bytes = new Uint8Array([
      ...enc.encode('user;item;rating\n'),
      ...latin1('1;Mü;3\n2;Mö;4\n3;Mœ;5\n4;Café;1\n'),
      ...enc.encode('5;é;2\n'),
    ]);
    const d = await readInteractions(bytes);
    expect(d.items.ids().sort()).toEqual(['Café', 'Mö', 'Mü', 'Mœ', 'é'].sort());
    expect(d.report?.nonUtf8Ids).toBe(4);
    const strict = await readInteractions(bytes, { encoding: 'utf-8' });
    expect(strict.items.ids()).toContain('M\ufffd'); // what 'utf-8' asks for: invalid bytes become U+FFFD
    // Two byte spellings of one text — "Mü" in UTF-8 (4D C3 BC) and in Latin-1 (4D FC) — are one id.
    const twice = new Uint8Array([...enc.encode('u;i;r\n1;Mü;1\n'), ...[0x32, 0x3b, 0x4d, 0xfc, 0x3b, 0x32, 0x0a]]);
    const one = await readInteractions(twice);
    expect(one.items.ids()).toEqual(['Mü']);
    expect(one.shape).toEqual([2, 1]);
    // A byte-order mark inside a field is text: "\ufeff3" and "3" are two ids (found by the fuzzer).
    const bomInside = await readInteractions('196\t3\t3\n22\t\ufeff3\t1\n');
    expect(bomInside.items.ids().sort()).toEqual(['3', '\ufeff3']);
    const cp = await readInteractions(bytes, { encoding: 'windows-1252' });
    expect(cp.items.ids()).toContain('Ã©'); // the UTF-8 é read as two windows-1252 characters
  });

  it('quote: null reads quotes as data; a quote that never closes is an error naming quote: null', async () => {
    const d = await readInteractions('u\ti\tr\n1\t"Weird Al" Yankovic\t3\n2\t"a\t4\n', { quote: null });
    expect(d.items.ids().sort()).toEqual(['"Weird Al" Yankovic', '"a'].sort());
    // A field with text after its closing quote is read as it stands, quotes included.
    const lenient = await readInteractions('u\ti\tr\n1\t"Weird Al" Yankovic\t3\n');
    expect(lenient.items.ids()).toEqual(['"Weird Al" Yankovic']);
    await expect(readInteractions('u,i,r\n1,"open,3\n2,x,4\n')).rejects.toThrow(/not closed.*onError/);
    const big = `u,i,r\n1,"${'x\n'.repeat(600_000)}`;
    await expect(readInteractions(big)).rejects.toThrow(/still open after 1 MiB.*quote: null/);
  });
});
