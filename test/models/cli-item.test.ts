// `--model item-knn,ease` in the CLI's fit, evaluate, recommend (with --explain), similar and tune: the
// same numbers as the library.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, json, writeUData } from '../cli/run.js';
import { init } from '../../src/runtime/backend.js';
import { readInteractions } from '../../src/data/parse/read.js';
import { EASE, ItemKNN, loadModelFile } from '../../src/models/index.js';
import { rankingMetrics, trainTestSplit } from '../../src/eval/index.js';

let dir: string;
let data: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lowrank-item-cli-'));
  data = writeUData(dir, true);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI: --model item-knn, ease', () => {
  it('evaluate reports what the library computes on the same split, with the model flags', async () => {
    const r = await cli(
      'evaluate',
      data,
      '--model',
      'item-knn,ease',
      '--neighbors',
      '7',
      '--weighting',
      'bm25',
      '--regularization',
      '30',
      '--seed',
      '2',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = json(r);
    expect(j.results.map((x: { model: string }) => x.model)).toEqual(['ItemKNN', 'EASE']);
    await init();
    const d = await readInteractions(data, { format: 'movielens-100k' });
    const s = trainTestSplit(d.matrix, { testFraction: 0.2, seed: 2 });
    const models = [new ItemKNN({ neighbors: 7, weighting: 'bm25' }), new EASE({ regularization: 30 })];
    for (let q = 0; q < 2; q++) {
      const m = await models[q].fit(s.train);
      expect(j.results[q].ranking.precision).toBeCloseTo(rankingMetrics(m, s.train, s.test, { k: 10 }).precision, 10);
    }
  });

  it('fit writes a model loadModelFile restores; recommend --explain, similar and tune run', async () => {
    for (const name of ['item-knn', 'ease']) {
      const out = join(dir, `${name}.lrk`);
      const f = await cli('fit', data, '--model', name, '--out', out, '--quiet');
      expect(f.code).toBe(0);
      const model = await loadModelFile(out);
      expect(model.modelType).toBe(name === 'item-knn' ? 'ItemKNN' : 'EASE');
      const rec = await cli('recommend', out, '--user', '1', '-n', '3', '--explain', '--json');
      expect(rec.code).toBe(0);
      const recs = json(rec).recommendations as { item: string; because: { item: string }[] }[];
      expect(recs.length).toBe(3);
      expect(recs[0].because.length).toBeGreaterThan(0);
      const sim = await cli('similar', out, '--item', String(recs[0].item), '-n', '2');
      expect(sim.err).toBe('');
      expect(sim.code).toBe(0);
      const t = await cli('tune', data, '--model', name, '--trials', '2', '--json', '--quiet');
      expect(t.code).toBe(0);
      expect(json(t).best).toBeDefined();
    }
  });

  it('--neighbors and --weighting apply to item-knn only; --factors not to them', async () => {
    const a = await cli('evaluate', data, '--model', 'ease', '--neighbors', '5');
    expect(a.code).not.toBe(0);
    expect(a.err).toMatch(/--neighbors applies to item-knn only/);
    const b = await cli('evaluate', data, '--model', 'item-knn', '--factors', '5');
    expect(b.code).not.toBe(0);
    expect(b.err).toMatch(/--factors applies to/);
  });
});
