// Quality bars that can fail. Every bar is on the mean over split seeds 1–3, set from the measured mean
// with a margin (the spread over seeds is noted beside it), never on one lucky seed.
// - Generated data (always runs): ImplicitALS's defaults on counts, ratings 1–5 and 0/1 data with planted
//   communities must beat popularity and lowrank 0.1's defaults by a margin; ALS on generated ratings
//   must beat the global mean.
// - The shared public data sets (skipped cleanly without ../shared/data): the same on MovieLens-100k and
//   Last.fm-2k.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { init } from '../../../src/runtime/backend.js';
import { ALS, ImplicitALS } from '../../../src/models/als/index.js';
import { synthetic } from '../../../src/data/synthetic.js';
import { SparseMatrix } from '../../../src/data/csr.js';
import { rankingMetrics, ratingMetrics, trainTestSplit } from '../../../src/eval/index.js';
import { communityMatrix } from './helpers.js';
import { LASTFM, ML, parse } from './datasets.js';
import { globalMean, popularity } from '../../eval/baselines.js';

const SEEDS = [1, 2, 3];
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
/** lowrank 0.1's ImplicitALS defaults. */
const V01 = {
  regularization: 0.01,
  alpha: 40,
  confidence: 'linear',
  scaleConfidence: false,
  frequencyScaling: 0,
} as const;

/**
 * precision@10 over the seeds' 80/20 splits of `make(seed)`: the defaults, lowrank 0.1's (unless `v01` is
 * false: the larger sets skip a fit nothing asserts on) and popularity.
 */
async function implicitRun(make: (seed: number) => SparseMatrix, v01 = true) {
  const out = { defaults: [] as number[], v01: [] as number[], popularity: [] as number[] };
  for (const seed of SEEDS) {
    const { train, test } = trainTestSplit(make(seed), { testFraction: 0.2, seed });
    const p = (m: Parameters<typeof rankingMetrics>[0]) => rankingMetrics(m, train, test, { k: 10 }).precision;
    const a = await new ImplicitALS({ seed }).fit(train);
    out.defaults.push(p(a));
    a.dispose();
    if (v01) {
      const b = await new ImplicitALS({ seed, ...V01 }).fit(train);
      out.v01.push(p(b));
      b.dispose();
    }
    out.popularity.push(p(popularity(train)));
  }
  return { defaults: mean(out.defaults), v01: mean(out.v01), popularity: mean(out.popularity), all: out };
}

describe('ImplicitALS defaults on generated data (planted communities)', () => {
  // Measured means over seeds 1–3 with the data-derived defaults of issue 27 (64 factors here): counts
  // 0.423, ratings 0.402, 0/1 0.395 (issue 17's fixed defaults: 0.433, 0.419, 0.420 — these small planted
  // sets are where they were chosen); popularity 0.14–0.16; lowrank 0.1's defaults 0.25–0.27.
  for (const values of ['counts', 'ratings', 'binary'] as const) {
    it(`${values}: mean precision@10 ≥ 0.38, ≥ 2× popularity and ≥ 1.3× lowrank 0.1's defaults`, async () => {
      await init({ backend: 'wasm' });
      const r = await implicitRun((seed) => communityMatrix(seed, { values }));
      console.log(
        `generated ${values}: defaults ${r.defaults.toFixed(4)}, lowrank 0.1 ${r.v01.toFixed(4)}, popularity ${r.popularity.toFixed(4)}`,
      );
      expect(r.defaults).toBeGreaterThanOrEqual(0.38);
      expect(r.defaults).toBeGreaterThanOrEqual(2 * r.popularity);
      expect(r.defaults).toBeGreaterThanOrEqual(1.3 * r.v01);
    });
  }
});

describe('ALS defaults on generated ratings', () => {
  // Measured: test RMSE 0.963, 0.991, 0.984 (mean 0.980) against the global mean's 1.076, 1.064, 1.074.
  it('mean test RMSE ≤ 1.0 and ≥ 6% below the global-mean baseline', async () => {
    await init({ backend: 'wasm' });
    const ours: number[] = [];
    const base: number[] = [];
    for (const seed of SEEDS) {
      const d = synthetic({ users: 600, items: 400, density: 0.05, seed });
      const { train, test } = trainTestSplit(d.matrix, { testFraction: 0.2, seed });
      const model = await new ALS({ seed }).fit(train);
      ours.push(ratingMetrics(model, test, { train, clip: [1, 5] }).rmse);
      base.push(ratingMetrics(new Float32Array(test.nnz).fill(globalMean(train)), test).rmse);
      model.dispose();
    }
    console.log(
      `generated ratings: ALS RMSE ${ours.map((x) => x.toFixed(4)).join(', ')}; global mean ${base.map((x) => x.toFixed(4)).join(', ')}`,
    );
    expect(mean(ours)).toBeLessThanOrEqual(1.0);
    expect(mean(ours)).toBeLessThanOrEqual(0.94 * mean(base));
  });
});

/** The shared files as matrices, values as given (or 1 with `binary`). */
function shared(path: string, header: boolean, binary = false): SparseMatrix {
  const t = parse(path, header);
  return SparseMatrix.fromCOO({ rows: t.u, cols: t.i, values: binary ? undefined : t.v, shape: [t.nU, t.nI] });
}

describe.skipIf(!existsSync(ML))('MovieLens 100k (shared data)', () => {
  // Split variance is large on ML-100k: trainTestSplit seeds 1, 2, 3 give 0.918, 0.908, 0.916 (mean 0.914).
  it('ALS: mean test RMSE over seeds 1–3 ≤ 0.925', async () => {
    await init({ backend: 'wasm' });
    const R = shared(ML, false);
    const rmse: number[] = [];
    for (const seed of SEEDS) {
      const { train, test } = trainTestSplit(R, { testFraction: 0.2, seed });
      const model = await new ALS({ seed: 1 }).fit(train);
      rmse.push(ratingMetrics(model, test, { train }).rmse);
      model.dispose();
    }
    console.log(`ML-100k ALS test RMSE ${rmse.map((x) => x.toFixed(4)).join(', ')} (mean ${mean(rmse).toFixed(4)})`);
    expect(mean(rmse)).toBeLessThanOrEqual(0.925);
  });
  // implicit 0.7.3's defaults score 0.298–0.310 on its own splits (bench/quality); ours 0.448–0.452 there.
  // Measured here (seeds 1–3): defaults 0.455, lowrank 0.1 0.221.
  it('ImplicitALS defaults on the ratings: mean precision@10 ≥ 0.40 and ≥ 1.5× lowrank 0.1', async () => {
    await init({ backend: 'wasm' });
    const r = await implicitRun(() => shared(ML, false));
    console.log(
      `ML-100k ratings: defaults ${r.defaults.toFixed(4)}, lowrank 0.1 ${r.v01.toFixed(4)}, popularity ${r.popularity.toFixed(4)}`,
    );
    expect(r.defaults).toBeGreaterThanOrEqual(0.4);
    expect(r.defaults).toBeGreaterThanOrEqual(1.5 * r.v01);
  }, 120_000);
});

describe.skipIf(!existsSync(LASTFM))('Last.fm 2k (shared data)', () => {
  // implicit 0.7.3's defaults: 0.129–0.131 (counts) and 0.139–0.140 (binarized) on its splits; ours
  // 0.230–0.236 (bench/quality). Measured here (seeds 1–3): counts 0.231, popularity 0.077. The defaults fit
  // 128 factors on this shape: 300 s for a loaded machine.
  for (const binary of [false, true]) {
    it(`ImplicitALS defaults on ${binary ? '0/1 data' : 'play counts'}: mean precision@10 ≥ 0.20 and ≥ 2× popularity`, async () => {
      await init({ backend: 'wasm' });
      const r = await implicitRun(() => shared(LASTFM, true, binary), false);
      console.log(
        `Last.fm-2k ${binary ? 'binary' : 'counts'}: defaults ${r.defaults.toFixed(4)}, popularity ${r.popularity.toFixed(4)}`,
      );
      expect(r.defaults).toBeGreaterThanOrEqual(0.2);
      expect(r.defaults).toBeGreaterThanOrEqual(2 * r.popularity);
    }, 300_000);
  }
});
