// Must-show figures on the licensed files in ../shared (checks only; skipped when they are absent).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readInteractions } from '../../src/data/index.js';

const ML = new URL('../../../shared/data/ml-100k/u.data', import.meta.url);
const LFM = new URL('../../../shared/data/lastfm-2k/user_artists.dat', import.meta.url);

describe.skipIf(!existsSync(ML) || !existsSync(LFM))('shared data files (checks only)', () => {
  it('MovieLens 100K u.data', async () => {
    const t0 = performance.now();
    const d = await readInteractions(ML, { format: 'movielens-100k' });
    const ms = performance.now() - t0;
    const hist = [0, 0, 0, 0, 0];
    for (const v of d.matrix.data) hist[v - 1]++;
    console.log(
      `ml-100k: nnz ${d.nnz}, shape ${d.shape.join(' × ')}, histogram ${hist.join('/')}, user 1 → row ${d.users.index(1)}, timestamps ${d.timestamps?.length}, ${ms.toFixed(0)} ms`,
    );
    expect(d.nnz).toBe(100000);
    expect(d.shape).toEqual([943, 1682]);
    expect(hist).toEqual([6110, 11370, 27145, 34174, 21201]);
    const auto = await readInteractions(ML);
    expect(auto.matrix.data).toEqual(d.matrix.data);
  });
  it('Last.fm 2K user_artists.dat (header, CRLF)', async () => {
    const t0 = performance.now();
    const d = await readInteractions(LFM, { format: 'lastfm-2k' });
    const ms = performance.now() - t0;
    console.log(
      `lastfm-2k: nnz ${d.nnz}, shape ${d.shape.join(' × ')}, header ${JSON.stringify(d.report?.header)}, ${ms.toFixed(0)} ms`,
    );
    expect(d.nnz).toBe(92834);
    expect(d.shape).toEqual([1892, 17632]);
    const auto = await readInteractions(LFM);
    expect(auto.shape).toEqual([1892, 17632]);
  });
});
