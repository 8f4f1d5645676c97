// Replicas of public files people read (issue 26), generated here with the quirks of the real ones — a
// Book-Crossing ratings dump (`;`, every field quoted, Latin-1 ISBNs, CR or CRLF line ends, 0 meaning
// "read, not rated", malformed rows), citeulike's users.dat, LightGCN's train.txt — through readInteractions
// and the CLI: the right shape and count, or a clear error naming the option that reads the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readInteractions } from '../../src/data/index.js';
import { resetZeroWarning } from '../../src/data/zeros.js';
import { ImplicitALS } from '../../src/index.js';
import { cli, json } from '../cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-public-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

/**
 * A Book-Crossing-like BX-Book-Ratings.csv as Latin-1 bytes: `"User-ID";"ISBN";"Book-Rating"`, 77 % zeros,
 * some ISBNs with Latin-1 letters or an escaped quote, `bad` rows with a stray `;` (4 fields). Returns the
 * bytes and what a correct read of the good rows gives.
 */
function bookCrossing(eol: string, rows = 6000, bad = 7) {
  const r = rng(eol.length + 3);
  const lines = ['"User-ID";"ISBN";"Book-Rating"'];
  const pairs = new Map<string, number>();
  const badAt = new Set(Array.from({ length: bad }, (_, k) => 200 + k * 700));
  for (let i = 0; i < rows; i++) {
    if (badAt.has(i)) {
      lines.push(`"${1 + i}";"0451";"524934";"0"`); // a stray delimiter: 4 fields
      continue;
    }
    const user = 1 + Math.floor(900 * r() ** 2);
    let isbn = String(Math.floor(1e9 * r())).padStart(9, '0') + (r() < 0.1 ? 'X' : String(i % 10));
    if (i % 97 === 0) isbn = `3442${'éüö'[i % 3]}53${i % 10}`; // Latin-1 in the dump
    if (i % 211 === 0) isbn = `0\\"${i % 10}`; // a backslash-escaped quote, as in the dump
    const rating = r() < 0.77 ? 0 : 1 + Math.floor(10 * r());
    const key = `${user}\0${isbn}`;
    if (pairs.has(key)) continue;
    pairs.set(key, rating);
    lines.push(`"${user}";"${isbn}";"${rating}"`);
  }
  const text = lines.join(eol) + eol;
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0)); // Latin-1: one byte per character
  const users = new Set([...pairs.keys()].map((k) => k.split('\0')[0]));
  const items = new Set([...pairs.keys()].map((k) => k.split('\0')[1]));
  const zeros = [...pairs.values()].filter((v) => v === 0).length;
  const latin1 = [...items].filter((id) => /[\u0080-\uffff]/.test(id)).length;
  return { bytes, shape: [users.size, items.size], nnz: pairs.size, zeros, bad, latin1 };
}

describe('a Book-Crossing ratings dump', () => {
  for (const eol of ['\r\n', '\r']) {
    it(`line ends ${JSON.stringify(eol)}: refused at the first malformed row naming onError; read whole with it`, async () => {
      const bx = bookCrossing(eol);
      await expect(readInteractions(bx.bytes, { name: 'BX-Book-Ratings.csv' })).rejects.toThrow(
        /BX-Book-Ratings\.csv, line 202, .*extra field: 4 fields where the rows have 3.*pass onError: 'skip'/,
      );
      const d = await readInteractions(bx.bytes, { name: 'BX-Book-Ratings.csv', onError: 'skip' });
      expect(d.report?.columns).toEqual({ user: 0, item: 1, value: 2, timestamp: -1 });
      expect(d.shape).toEqual(bx.shape);
      expect(d.nnz).toBe(bx.nnz);
      expect(d.report?.dropped['extra field']?.count).toBe(bx.bad);
      expect(d.report?.zeros).toBe(bx.zeros);
      expect(d.report?.nonUtf8Ids).toBe(bx.latin1);
      expect(bx.latin1).toBeGreaterThan(10);
      expect(d.items.ids()).toContain('3442é530');
      expect(d.items.ids()).toContain('"0\\"0"'); // kept as it stands (text after its closing quote)
    });
  }

  it('77 % zeros: ImplicitALS warns with the share and zeros: 1; read with zeros: 1 they are interactions', async () => {
    const bx = bookCrossing('\r\n');
    resetZeroWarning();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const d = await readInteractions(bx.bytes, { onError: 'skip' });
    await new ImplicitALS({ factors: 2, iterations: 1 }).fit(d);
    const share = ((100 * bx.zeros) / bx.nnz).toFixed(1);
    expect(warn.mock.calls.map((c) => String(c[0]))).toContainEqual(
      expect.stringContaining(`${share}% of the stored entries (${bx.zeros} of ${bx.nnz}) are 0`),
    );
    const counted = await readInteractions(bx.bytes, { onError: 'skip', zeros: 1 });
    expect(counted.nnz).toBe(bx.nnz);
    expect(Array.from(counted.matrix.data).filter((v) => v === 0)).toHaveLength(0);
    vi.restoreAllMocks();
  });

  it('the CLI: the error names --skip-bad-rows; with it (and --zeros 1) fit reads the right shape', async () => {
    const bx = bookCrossing('\r');
    const file = join(dir, 'BX-Book-Ratings.csv');
    writeFileSync(file, bx.bytes);
    const fit = (...flags: string[]) =>
      cli('fit', file, '--factors', '2', '--iterations', '1', '--out', join(dir, 'bx.lrk'), '--json', ...flags);
    const refused = await fit();
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/line 202.*extra field.*pass --skip-bad-rows/);
    const r = await fit('--skip-bad-rows', '--zeros', '1');
    expect(r.code).toBe(0);
    const j = json(r);
    expect([j.users, j.items, j.interactions]).toEqual([...bx.shape, bx.nnz]);
    const notes = await cli(
      'fit',
      file,
      '--factors',
      '2',
      '--iterations',
      '1',
      '--out',
      join(dir, 'bx.lrk'),
      '--skip-bad-rows',
    );
    expect(notes.err).toMatch(/rows not read: 7 extra field \(first: line 202\)/);
  });
});

describe("citeulike's users.dat and LightGCN's train.txt through the CLI", () => {
  const r = rng(5);
  const lists = Array.from({ length: 400 }, () => {
    const set = new Set<number>();
    const n = Math.floor(40 * r() ** 2);
    while (set.size < n) set.add(Math.floor(1500 * r()));
    return [...set];
  });
  const nnz = lists.reduce((n, l) => n + l.length, 0);
  const items = new Set(lists.flat()).size;

  it('users.dat (count item item …): fit and evaluate read 400 users, the user being the line number', async () => {
    const file = join(dir, 'users.dat');
    writeFileSync(file, lists.map((l) => [l.length, ...l].join(' ')).join('\n') + '\n');
    const f = await cli('fit', file, '--factors', '2', '--iterations', '1', '--out', join(dir, 'c.lrk'), '--json');
    expect(f.code).toBe(0);
    expect([json(f).users, json(f).items, json(f).interactions]).toEqual([400, items, nnz]);
    const e = await cli('evaluate', file, '--model', 'puresvd', '--factors', '4');
    expect(e.code).toBe(0);
    expect(e.err).toMatch(
      /users\.dat: counted-lists \(one user per line: count item item …; the user is the line number, from 0\), spaces-delimited/,
    );
  });

  it('train.txt (user item item …): fit reads it as lists; as columns (--format delimited) the error names --format lists', async () => {
    const file = join(dir, 'train.txt');
    writeFileSync(file, lists.map((l, u) => [u, ...l].join(' ')).join('\n') + '\n');
    const f = await cli('fit', file, '--factors', '2', '--iterations', '1', '--out', join(dir, 't.lrk'), '--json');
    expect(f.code).toBe(0);
    expect([json(f).users, json(f).items, json(f).interactions]).toEqual([400, items, nnz]);
    const asColumns = await cli('fit', file, '--format', 'delimited', '--out', join(dir, 't.lrk'));
    expect(asColumns.code).toBe(1);
    expect(asColumns.err).toMatch(
      /rows with differing field counts are not columns.*--format lists.*--format counted-lists/,
    );
  });
});
