// `--model bpr,lmf` in the CLI's fit, evaluate, recommend and tune: the same numbers as the library.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, json, writeUData } from '../cli/run.js';
import { init } from '../../src/runtime/backend.js';
import { readInteractions } from '../../src/data/parse/read.js';
import { BPR } from '../../src/models/bpr/index.js';
import { LogisticMF } from '../../src/models/lmf/index.js';
import { loadModelFile } from '../../src/models/index.js';
import { rankingMetrics, trainTestSplit } from '../../src/eval/index.js';

let dir: string;
let data: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lowrank-sgd-cli-'));
  data = writeUData(dir, true);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI: --model bpr, lmf', () => {
  it('evaluate reports what the library computes on the same split', async () => {
    const r = await cli(
      'evaluate',
      data,
      '--model',
      'bpr,lmf',
      '--factors',
      '6',
      '--iterations',
      '8',
      '--seed',
      '2',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = json(r);
    expect(j.results.map((x: { model: string }) => x.model)).toEqual(['BPR', 'LogisticMF']);
    await init();
    const d = await readInteractions(data, { format: 'movielens-100k' });
    const s = trainTestSplit(d.matrix, { testFraction: 0.2, seed: 2 });
    for (const [q, Model] of [
      [0, BPR],
      [1, LogisticMF],
    ] as const) {
      const m = await new Model({ factors: 6, iterations: 8, seed: 2 }).fit(s.train);
      expect(j.results[q].ranking.precision).toBeCloseTo(rankingMetrics(m, s.train, s.test, { k: 10 }).precision, 10);
    }
  });

  it('fit writes a model loadModelFile restores; recommend and tune run', async () => {
    for (const name of ['bpr', 'lmf']) {
      const out = join(dir, `${name}.lrk`);
      const f = await cli('fit', data, '--model', name, '--factors', '5', '--iterations', '4', '--out', out, '--quiet');
      expect(f.code).toBe(0);
      const model = await loadModelFile(out);
      expect(model.modelType).toBe(name === 'bpr' ? 'BPR' : 'LogisticMF');
      const rec = await cli('recommend', out, '--user', '1', '--json');
      expect(rec.code).toBe(0);
      const t = await cli('tune', data, '--model', name, '--trials', '2', '--max-iterations', '4', '--json', '--quiet');
      expect(t.code).toBe(0);
      expect(json(t).best).toBeDefined();
    }
  });

  it('--alpha applies to lmf (and implicit-als) only', async () => {
    const r = await cli('evaluate', data, '--model', 'bpr', '--alpha', '2');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--alpha applies to implicit-als, lmf only/);
  });
});
