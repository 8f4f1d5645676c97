// The CLI as people first use it: plain CSV/TSV files with their own header names and order, layout
// options (--columns, --delimiter, --header/--no-header), per-model options in evaluate, --json ids in
// their own type, and a closed pipe on stdout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plural } from '../../src/cli/output.js';
import { cli, json } from './run.js';
import { synthetic } from '../../src/data/synthetic.js';

let dir: string;
const p = (name: string): string => join(dir, name);
/** (user, item, rating, time) rows of a small synthetic data set with 1-based ids. */
let rows: [number, number, number, number][] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lowrank-cli-input-'));
  const s = synthetic({ users: 60, items: 40, density: 0.15, seed: 9 });
  for (let u = 0; u < s.matrix.rows; u++) {
    const { indices, values } = s.matrix.row(u);
    for (let q = 0; q < indices.length; q++) rows.push([u + 1, indices[q] + 101, values[q], 1_000_000 + rows.length]);
  }
  const write = (name: string, head: string | null, f: (r: [number, number, number, number]) => string) =>
    writeFileSync(p(name), (head === null ? '' : head + '\n') + rows.map(f).join('\n') + '\n');
  write('u.data', null, (r) => r.join('\t'));
  write('ratings.csv', 'user,item,rating', (r) => `${r[0]},${r[1]},${r[2]}`);
  write('swapped.csv', 'item,user,rating', (r) => `${r[1]},${r[0]},${r[2]}`);
  write('plays.txt', 'uid;product;plays;timestamp', (r) => `${r[0]};${r[1]};${r[2]};${r[3]}`);
  write('bare.txt', null, (r) => `${r[1]}|x|${r[0]}|${r[2]}`);
  write('titles.csv', 'user,title,year,rating', (r) => `${r[0]},t${r[1]},1999,${r[2]}`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** users × items of what `fit` read, from its --json summary. */
async function shapeOf(...args: string[]): Promise<[number, number]> {
  const r = await cli('fit', ...args, '--factors', '2', '--iterations', '1', '--out', p('m.lrk'), '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const j = json(r);
  return [j.users, j.items];
}

describe('delimited files by their content', () => {
  const want: [number, number] = [60, 40];
  it("a plain user,item,rating CSV named ratings.csv (not MovieLens's layout)", async () => {
    expect(await shapeOf(p('ratings.csv'))).toEqual(want);
  });
  it('a header in another order is read the right way round', async () => {
    expect(await shapeOf(p('swapped.csv'))).toEqual(want);
  });
  it('other header names and delimiter; the notes say how the columns were read', async () => {
    expect(await shapeOf(p('plays.txt'))).toEqual(want);
    const r = await cli('fit', p('plays.txt'), '--factors', '2', '--iterations', '1', '--out', p('m.lrk'));
    expect(r.err).toContain(
      'plays.txt: ";"-delimited, with header; columns: user "uid" (field 1), item "product" (field 2), value "plays" (field 3), timestamp "timestamp" (field 4)',
    );
  });
  it('--columns, --delimiter and --no-header say what detection cannot', async () => {
    expect(
      await shapeOf(p('bare.txt'), '--columns', 'item,-,user,rating', '--delimiter', 'pipe', '--no-header'),
    ).toEqual(want);
    expect(await shapeOf(p('titles.csv'), '--columns', 'user=user,item=title,value=rating')).toEqual(want);
    // --header takes a numeric first line as names.
    writeFileSync(p('numhead.csv'), '1,2,3\n' + rows.map((r) => `${r[0]},${r[1]},${r[2]}`).join('\n') + '\n');
    expect(await shapeOf(p('numhead.csv'), '--header', '--columns', 'user=1,item=2,value=3')).toEqual(want);
  });
  it("a bad --columns is reported in the CLI's terms", async () => {
    const role = await cli('fit', p('ratings.csv'), '--columns', 'user,item,bogus', '--out', p('m.lrk'));
    expect(role.code).toBe(1);
    expect(role.err.trim()).toMatch(
      /^lowrank: error: --columns user,item,bogus: columns\[2\] is "bogus"; expected user, item, value/,
    );
    const named = await cli(
      'fit',
      p('bare.txt'),
      '--no-header',
      '--delimiter',
      'pipe',
      '--columns',
      'user=uid,item=sku',
      '--out',
      p('m.lrk'),
    );
    expect(named.err.trim()).toMatch(
      /^lowrank: error: --columns user=uid,item=sku: columns\.user is "uid", a header name, but .* has no header line \(pass --header, or list the roles in field order\)$/,
    );
  });
  it('when detection fails, one line names the columns it saw and the option that fixes it', async () => {
    const r = await cli('fit', p('titles.csv'), '--out', p('m.lrk'));
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err.trim()).toBe(
      'lowrank: error: titles.csv, line 1: cannot tell which column holds the items; the header has "user", "title", "year", "rating" ' +
        '(recognised: user "user", value "rating"); say which is which with --columns user=user,item=title,value=rating',
    );
    const named = await cli('fit', p('ratings.csv'), '--format', 'movielens-csv', '--out', p('m.lrk'));
    expect(named.err.trim()).toBe(
      'lowrank: error: ratings.csv, line 1: the header has no column "userId" for user (header: "user", "item", "rating"); if this is not a movielens-csv file, leave out --format (auto-detection), or name the columns with --columns',
    );
  });
});

describe('checks before any work', () => {
  it('--max-bytes caps what reading may allocate; the error says how to raise it', async () => {
    const r = await cli('fit', p('u.data'), '--max-bytes', '16K', '--out', p('m.lrk'));
    expect(r.code).toBe(1);
    expect(r.err.trim()).toMatch(
      /^lowrank: error: reading u\.data \(\d+ bytes, about \d+ lines of \d+ bytes\) needs .* over the cap of 16.0 KiB \(16384 bytes\) \(maxBytes\); raise it with --max-bytes/,
    );
    expect(await shapeOf(p('u.data'), '--max-bytes', '2M')).toEqual([60, 40]);
  });
  it('an unwritable --out is refused before the data is read', async () => {
    const r = await cli('fit', p('u.data'), '--out', p('no/dir/m.lrk'));
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(
      `lowrank: error: --out ${p('no/dir/m.lrk')}: the directory ${p('no/dir')} does not exist (create it first)`,
    ); // no read bar, no fit
    expect(existsSync(p('no'))).toBe(false);
  });
});

describe('per-model options in evaluate', () => {
  const base = ['evaluate', '', '--factors', '4', '--seed', '3', '--split', '0.25', '--json'];
  const ev = async (...extra: string[]) =>
    json(await cli(...base.map((a) => (a === '' ? p('u.data') : a)), ...extra)).results as {
      model: string;
      seconds: number;
      ranking: { ndcg: number };
    }[];
  it("a flag applies to the listed models that take it; --param sets one model's option", async () => {
    const [implicitAlone] = await ev('--model', 'implicit-als', '--alpha', '1', '--iterations', '3');
    const [pureAlone] = await ev('--model', 'puresvd');
    const both = await ev('--model', 'implicit-als,puresvd', '--alpha', '1', '--iterations', '3');
    expect(both[0].ranking).toEqual(implicitAlone.ranking);
    expect(both[1].ranking).toEqual(pureAlone.ranking);
    const viaParam = await ev(
      '--model',
      'implicit-als,puresvd',
      '--param',
      'implicit-als.alpha=1',
      '--param',
      'implicit-als.iterations=3',
    );
    expect(viaParam).toEqual(both.map((x, k) => ({ ...x, seconds: viaParam[k].seconds })));
    const [other] = await ev('--model', 'implicit-als', '--alpha', '20', '--iterations', '3');
    expect(other.ranking.ndcg).not.toBe(implicitAlone.ranking.ndcg);
  });
  it('--confidence and --param reach the model', async () => {
    const r = await cli(
      'fit',
      p('u.data'),
      '--confidence',
      'log',
      '--param',
      'epsilon=2',
      '--param',
      'cgSteps=4',
      '--factors',
      '2',
      '--iterations',
      '1',
      '--out',
      p('c.lrk'),
      '--json',
    );
    expect(json(r).options).toMatchObject({ confidence: 'log', epsilon: 2, cgSteps: 4 });
    const a = await cli(
      'fit',
      p('u.data'),
      '--model',
      'als',
      '--param',
      'als.biases=false',
      '--factors',
      '2',
      '--iterations',
      '1',
      '--out',
      p('a.lrk'),
      '--json',
    );
    expect(json(a).options).toMatchObject({ biases: false });
  });
  it('a table with explicit ALS says why it ranks poorly', async () => {
    const r = await cli('evaluate', p('u.data'), '--model', 'als,puresvd', '--factors', '3', '--iterations', '2', '-q');
    expect(r.out).toMatch(/Explicit ALS predicts the rating a user would give \(RMSE is its measure\)/);
  });
});

describe('--json keeps ids in the type they were read as', () => {
  it('numeric ids stay numbers whatever the command line spelled; string ids stay strings', async () => {
    await cli('fit', p('u.data'), '--factors', '2', '--iterations', '2', '--out', p('n.lrk'), '-q');
    const r = json(await cli('recommend', p('n.lrk'), '--user', '5', '-n', '2', '--json'));
    expect(r.user).toBe(5);
    expect(typeof r.recommendations[0].item).toBe('number');
    const f = json(await cli('recommend', p('n.lrk'), '--liked', '101,102', '-n', '2', '--json'));
    expect(f.liked).toEqual([101, 102]);
    writeFileSync(p('s.csv'), 'user,item\n' + rows.map((x) => `u${x[0]},${x[1]}`).join('\n') + '\n');
    await cli('fit', p('s.csv'), '--factors', '2', '--iterations', '2', '--out', p('s.lrk'), '-q');
    const s = json(await cli('recommend', p('s.lrk'), '--user', 'u5', '-n', '2', '--json'));
    expect(s.user).toBe('u5');
    const sim = json(await cli('similar', p('s.lrk'), '--item', '101', '-n', '2', '--json'));
    expect(sim.item).toBe(101);
  });
});

describe('output', () => {
  it('plural', () => {
    expect([plural(0, 'restart'), plural(1, 'restart'), plural(2, 'restart')]).toEqual([
      '0 restarts',
      '1 restart',
      '2 restarts',
    ]);
  });

  const bin = new URL('../../dist/cli.mjs', import.meta.url);
  /** Run the built CLI with stdout closed by its reader right away (`… | true`). */
  function closedPipe(args: string[]): Promise<{ code: number | null; err: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin.pathname, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ code, err }));
    });
  }
  it.skipIf(!existsSync(bin))(
    'a closed pipe on stdout ends the command quietly with exit 0',
    async () => {
      await cli('fit', p('u.data'), '--factors', '2', '--iterations', '1', '--out', p('e.lrk'), '-q');
      for (const args of [
        ['recommend', p('e.lrk'), '--user', '5', '-n', '40'],
        ['svd', p('u.data'), '-k', '5', '-q'],
        ['demo', p('u.data'), '-q', '--users', '1'],
      ]) {
        const r = await closedPipe(args);
        expect(r.err, args[0]).toBe('');
        expect(r.code, args[0]).toBe(0);
      }
    },
    60_000,
  );
});
