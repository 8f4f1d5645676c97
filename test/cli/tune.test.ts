// `lowrank tune`: the search through the CLI (its --space syntax, grid and random search, the table, the
// "best" line and --json) agrees with tune() called directly; bad specs fail with one line.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, writeUData } from './run.js';
import { parseSpace } from '../../src/cli/commands/tune.js';
import { init } from '../../src/runtime/backend.js';
import { readInteractions } from '../../src/data/parse/read.js';
import { ImplicitALS } from '../../src/models/als/index.js';
import { tune } from '../../src/eval/index.js';

let dir: string;
let data: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lowrank-tune-'));
  data = writeUData(dir, true);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lowrank tune', () => {
  it('parses --space lists and ranges', () => {
    expect(
      parseSpace([
        'factors=8,16',
        'regularization=0.1..10:log',
        'factors2=1..4:int',
        'confidence=log,linear',
        'scaleConfidence=true,false',
      ]),
    ).toEqual({
      factors: [8, 16],
      regularization: { min: 0.1, max: 10, log: true, integer: false },
      factors2: { min: 1, max: 4, log: false, integer: true },
      confidence: ['log', 'linear'],
      scaleConfidence: [true, false],
    });
    expect(() => parseSpace(['factors'])).toThrow(/expected name=v1,v2/);
    expect(() => parseSpace(['alpha=a..b'])).toThrow(/not a numeric range/);
    expect(() => parseSpace(['alpha=1..3:lg'])).toThrow(/unknown range flag "lg"/);
  });

  it('--grid --json equals tune() on the same data', async () => {
    const r = await cli(
      'tune',
      data,
      '--format',
      'movielens-100k',
      '--grid',
      '--space',
      'regularization=0.3,3',
      '--space',
      'factors=4,8',
      '--max-iterations',
      '4',
      '--metric',
      'precision@10',
      '--json',
    );
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out);
    await init({ backend: 'wasm' });
    const d = await readInteractions(data, { format: 'movielens-100k' });
    const want = await tune(ImplicitALS, d, {
      space: { regularization: [0.3, 3], factors: [4, 8] },
      grid: true,
      maxIterations: 4,
      metric: 'precision@10',
      seed: 0,
    });
    expect(got.results.map((t: { params: unknown }) => t.params)).toEqual(want.results.map((t) => t.params));
    expect(got.results.map((t: { value: number }) => t.value)).toEqual(want.results.map((t) => t.value));
    expect(got.best).toEqual(want.best);
    expect(got.metric).toBe('precision@10');
  });

  it('random search: a table best first and the refit command', async () => {
    const r = await cli('tune', data, '--trials', '4', '--max-iterations', '3', '--quiet');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/4 trials of ImplicitALS in [\d.]+s, ndcg@10 on held-out data/);
    expect(r.out).toMatch(/factors\s+regularization\s+alpha\s+iterations\s+ndcg@10\s+time/);
    expect(r.out).toMatch(
      /^best: factors \d+, regularization [\d.e+-]+, alpha [\d.e+-]+, iterations \d+ \(ndcg@10 0\.\d{4}\)$/m,
    );
    expect(r.out).toMatch(
      /^refit with: lowrank fit .* --model implicit-als --factors \d+ --regularization \S+ --alpha \S+ --iterations \d+$/m,
    );
    // a format given for reading is given for the refit too
    const f = await cli(
      'tune',
      data,
      '--format',
      'movielens-100k',
      '--trials',
      '2',
      '--max-iterations',
      '2',
      '--quiet',
    );
    expect(f.out).toMatch(/^refit with: lowrank fit \S+ --format movielens-100k --model implicit-als /m);
  });

  it('fails with one line on a bad space or option', async () => {
    const a = await cli('tune', data, '--space', 'rank=1,2', '--trials', '2');
    expect(a.code).toBe(1);
    expect(a.err.trim().split('\n').at(-1)).toMatch(
      /^lowrank: error: tune: ImplicitALS has no option "rank" to search/,
    );
    const b = await cli('tune', data, '--grid', '--space', 'alpha=1..3');
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/grid needs a list of values for every option; alpha is a range/);
  });

  it('--time-limit: each trial printed as it ends, the best so far reported at the limit', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    let r: Awaited<ReturnType<typeof cli>>;
    try {
      r = await cli('tune', data, '--time-limit', '0.000001', '--max-iterations', '4');
    } finally {
      spy.mockRestore();
    }
    expect(r.code).toBe(0);
    const err = written.join('');
    expect(err).toMatch(
      /trial 0: factors \d+, regularization [\d.e+-]+, alpha [\d.e+-]+ → 0\.\d{4} \(best\), stopped at the time limit \([\d.]+s, 1 it\.\)/,
    );
    expect(err).toMatch(/tune\s+\|.*\| \d+\/0\.000001 s/);
    expect(r.out).toMatch(/^1 trials of ImplicitALS in [\d.]+s \(time limit\), ndcg@10 on held-out data/m);
    expect(r.out).toMatch(/^best: factors \d+, regularization \S+, alpha \S+, iterations 1 \(ndcg@10 0\.\d{4}\)$/m);
  });
});
