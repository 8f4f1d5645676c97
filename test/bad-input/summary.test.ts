// The size of the whole bad-input catalogue (every table, every case), printed once. Each table file runs
// its own cases; this only counts them and checks that every case is complete.
import { afterAll, expect, it } from 'vitest';
import { cases as data } from './tables/data.js';
import { cases as models } from './tables/models.js';
import { cases as svdEval } from './tables/svd-eval.js';
import { cases as files } from './tables/files.js';
import { cases as cli } from './tables/cli.js';

const tables = { data, models, 'svd+eval': svdEval, files, cli };
const all = Object.values(tables).flat();

it('every catalogue case names its input, error class and message', () => {
  for (const c of all) {
    expect(typeof c.call, c.name).toBe('function');
    expect(typeof c.error, c.name).toBe('function');
    expect(c.message === '' || c.message === undefined, c.name).toBe(false);
  }
  expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
  expect(all.length).toBeGreaterThan(500);
});

afterAll(() => {
  const parts = Object.entries(tables)
    .map(([k, v]) => `${k} ${v.length}`)
    .join(', ');
  const known = all.filter((c) => c.bug).length;
  console.log(`bad-input catalogue: ${all.length} cases (${parts}); ${known} known bugs run as it.fails`);
});
