import { describe, expect, it } from 'vitest';
import { rankingMetrics } from '../../src/eval/ranking.js';
import { ValidationError } from '../../src/errors.js';
import { TableModel, randomMatrix, rowsMatrix } from './fakes.js';
import { trainTestSplit } from '../../src/eval/splits.js';

const L3 = 1 / Math.log2(3); // discount of slot 2
// Fixture: 6 items, k = 3. Hand-derived rankings (train items filtered, ties → lower index):
//  u0 train {0} test {1,3}: scores put 2 first, 1 and 3 tie at 5 → [2, 1, 3]: miss, hit, hit
//  u1 train {} test {4}: all scores tie → [0, 1, 2]: no hit
//  u2 train {0,1,2,3} test {4,5}: only two candidates → [5, 4, -1]: hit, hit, empty slot
//  u3 train {1} test {}: not evaluated
//  u4 train {} test {0,2,3,5} (|T| > k): → [1, 0, 2]: miss, hit, hit
const scores = [
  [9, 5, 8, 5, 1, 0],
  [0, 0, 0, 0, 0, 0],
  [9, 9, 9, 9, 1, 2],
  [1, 2, 3, 4, 5, 6],
  [3, 4, 2, 1, 0.5, 0],
];
const train = rowsMatrix([[0], [], [0, 1, 2, 3], [1], []], 6);
const test = rowsMatrix([[1, 3], [4], [4, 5], [], [0, 2, 3, 5]], 6);

describe('rankingMetrics: hand-computed fixture (k = 3)', () => {
  // Per user (m = min(k,|T|), P = |T|, N = 6 − P):
  //  u0: H=2 m=2 AP=(1/2+2/3)/2=7/12 DCG=L3+1/2 IDCG=1+L3 AUC=(0+2·3)/(2·4)=0.75 recall 1
  //  u1: H=0 m=1 AP=0 NDCG=0 AUC=(0+0.5·2)/(1·5)=0.2 recall 0
  //  u2: H=2 m=2 AP=(1+1)/2=1 NDCG=1 AUC=(2+2·3)/(2·4)=1 recall 1 (empty slot counts as a miss)
  //  u4: H=2 m=3 AP=(1/2+2/3)/3=7/18 DCG=L3+1/2 IDCG=1+L3+1/2 AUC=(0+3·1)/(4·2)=0.375 recall 1/2
  const expected = {
    precision: 6 / 8,
    recall: (1 + 0 + 1 + 0.5) / 4,
    map: (7 / 12 + 0 + 1 + 7 / 18) / 4,
    ndcg: ((L3 + 0.5) / (1 + L3) + 0 + 1 + (L3 + 0.5) / (1.5 + L3)) / 4,
    auc: (0.75 + 0.2 + 1 + 0.375) / 4,
    hitRate: 3 / 4,
    coverage: 6 / 6,
    users: 4,
  };
  for (const batchSize of [1, 2, 256]) {
    it(`matches with batchSize ${batchSize}`, () => {
      const model = new TableModel(scores);
      const r = rankingMetrics(model, train, test, { k: 3, batchSize });
      for (const [key, v] of Object.entries(expected)) expect(r[key as keyof typeof r], key).toBeCloseTo(v, 12);
      expect(model.calls).toBe(Math.ceil(4 / batchSize));
    });
  }
  it('evaluates only the requested users, skipping those without test items', () => {
    const r = rankingMetrics(new TableModel(scores), train, test, { k: 3, users: [0, 1, 3] });
    expect(r.users).toBe(2);
    expect(r.precision).toBeCloseTo(2 / 3, 12);
    expect(r.recall).toBeCloseTo(0.5, 12);
    expect(r.map).toBeCloseTo(7 / 24, 12);
    expect(r.ndcg).toBeCloseTo((L3 + 0.5) / (1 + L3) / 2, 12);
    expect(r.auc).toBeCloseTo(0.475, 12);
    expect(r.hitRate).toBe(0.5);
    expect(r.coverage).toBeCloseTo(4 / 6, 12); // items 0..3 shown
  });
  it('k = 1: precision counts one possible hit per user', () => {
    // tops: u0 → 2 (miss), u1 → 0 (miss), u2 → 5 (hit), u4 → 1 (miss)
    const r = rankingMetrics(new TableModel(scores), train, test, { k: 1 });
    expect(r.precision).toBe(1 / 4);
    expect(r.map).toBe(1 / 4);
    expect(r.ndcg).toBe(1 / 4);
    expect(r.recall).toBeCloseTo(0.5 / 4, 12);
    // AUC per user: u0: P=2,N=4,miss=1,H=0 → ((0+2)/2)·3/8 = 3/8
    //   u1: P=1,N=5,miss=1 → (0.5·4)/5 = 0.4; u2: H=1,P=2,N=4,miss=0 → (1.5·4)/8 = 0.75; u4: P=4,N=2,miss=1 → 2·1/8 = 0.25
    expect(r.auc).toBeCloseTo((3 / 8 + 0.4 + 0.75 + 0.25) / 4, 12);
  });
  it('k beyond the item count: a narrower returned width counts the missing slots as empty', () => {
    const full = new TableModel(scores);
    // lowrank's models cap the row width at the number of candidates and report it as `n`.
    const capped = {
      recommendBatch(users: Int32Array, o: Parameters<TableModel['recommendBatch']>[1]) {
        const w = 6;
        const r = full.recommendBatch(users, { ...o, n: w });
        return { ...r, n: w };
      },
    };
    const a = rankingMetrics(full, train, test, { k: 8 });
    const b = rankingMetrics(capped, train, test, { k: 8 });
    expect(b).toEqual(a);
    // every test item is retrieved at k = 8 but the divisor of precision is min(8, |T|)
    expect(a.recall).toBe(1);
    expect(a.precision).toBe(1);
  });
  it('a perfect ranking scores 1 on precision, map, ndcg, recall when |T| ≤ k', () => {
    const t = rowsMatrix([[1, 3], [4], [4, 5], [], [0, 2]], 6);
    const perfect = [0, 1, 2, 3, 4].map((u) => [0, 1, 2, 3, 4, 5].map((i) => (t.row(u).indices.includes(i) ? 10 : 0)));
    const r = rankingMetrics(new TableModel(perfect), rowsMatrix([[], [], [], [], []], 6), t, { k: 3 });
    expect([r.precision, r.map, r.ndcg, r.recall, r.hitRate, r.auc]).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

/** Independent transcription of implicit's ranking_metrics_at_k loop (plus our recall/hitRate/coverage). */
function oracle(
  model: TableModel,
  trainM: ReturnType<typeof rowsMatrix>,
  testM: ReturnType<typeof rowsMatrix>,
  k: number,
) {
  const items = testM.cols;
  let relevant = 0,
    prDiv = 0,
    meanAp = 0,
    ndcg = 0,
    meanAuc = 0,
    total = 0,
    rec = 0,
    hits = 0;
  const shown = new Set<number>();
  for (let u = 0; u < testM.rows; u++) {
    const likes = new Set(testM.row(u).indices);
    if (likes.size === 0) continue;
    const ids = Array.from(
      model.recommendBatch(Int32Array.of(u), { n: k, interactions: trainM, filterAlreadyLiked: true }).items,
    );
    ids.forEach((i) => i >= 0 && shown.add(i));
    const m = Math.min(k, likes.size);
    let idcg = 0;
    for (let i = 0; i < m; i++) idcg += 1 / Math.log2(i + 2);
    prDiv += m;
    let ap = 0,
      hit = 0,
      miss = 0,
      auc = 0;
    const nPos = likes.size,
      nNeg = items - nPos;
    for (let i = 0; i < k; i++) {
      if (likes.has(ids[i])) {
        relevant++;
        hit++;
        ap += hit / (i + 1);
        ndcg += 1 / Math.log2(i + 2) / idcg;
      } else {
        miss++;
        auc += hit;
      }
    }
    auc += ((hit + nPos) / 2) * (nNeg - miss);
    meanAp += ap / m;
    meanAuc += auc / (nPos * nNeg);
    rec += hit / nPos;
    hits += hit > 0 ? 1 : 0;
    total++;
  }
  return {
    precision: relevant / prDiv,
    map: meanAp / total,
    ndcg: ndcg / total,
    auc: meanAuc / total,
    recall: rec / total,
    hitRate: hits / total,
    coverage: shown.size / items,
    users: total,
  };
}

describe('rankingMetrics vs a transcription of implicit (random data)', () => {
  for (const [seed, k] of [
    [1, 5],
    [2, 10],
    [3, 40],
  ] as const) {
    it(`seed ${seed}, k ${k}`, () => {
      const m = randomMatrix(60, 50, 0.15, seed);
      const { train: tr, test: te } = trainTestSplit(m, { testFraction: 0.3, seed });
      let s = seed * 7919;
      // Quantised scores so ties occur.
      const sc = Array.from({ length: 60 }, () => Array.from({ length: 50 }, () => (s = (s * 16807) % 2147483647) % 7));
      const model = new TableModel(sc);
      const r = rankingMetrics(model, tr, te, { k, batchSize: 7 });
      const o = oracle(model, tr, te, k);
      for (const key of Object.keys(o) as (keyof typeof o)[]) expect(r[key], key).toBeCloseTo(o[key], 12);
    });
  }
});

describe('rankingMetrics: validation', () => {
  const model = new TableModel(scores);
  it('rejects bad arguments with ValidationError', () => {
    expect(() => rankingMetrics(model, train, test, { k: 0 })).toThrow(ValidationError);
    expect(() => rankingMetrics(model, train, test, { k: 2.5 })).toThrow(/k must be an integer/);
    expect(() => rankingMetrics(model, train, test, { batchSize: 0 })).toThrow(/batchSize/);
    expect(() => rankingMetrics(model, train, rowsMatrix([[1]], 6))).toThrow(/same shape/);
    expect(() => rankingMetrics({} as never, train, test)).toThrow(/recommendBatch/);
    expect(() => rankingMetrics(model, train, test, { users: [0, 0] })).toThrow(/twice/);
    expect(() => rankingMetrics(model, train, test, { users: [9] })).toThrow(/not a user index/);
    expect(() => rankingMetrics(model, train, test, { users: [3] })).toThrow(/nothing to rank/);
    expect(() => rankingMetrics(new TableModel(scores, { itemCount: 5 }), train, test)).toThrow(/5 items/);
  });
  it('rejects malformed model output', () => {
    const bad = { recommendBatch: () => ({ items: new Int32Array(1), scores: new Float32Array(1) }) };
    expect(() => rankingMetrics(bad, train, test, { k: 3 })).toThrow(/users × n/);
    const outOfRange = {
      recommendBatch: (u: Int32Array) => ({
        items: new Int32Array(u.length * 3).fill(99),
        scores: new Float32Array(u.length * 3),
      }),
    };
    expect(() => rankingMetrics(outOfRange, train, test, { k: 3 })).toThrow(/item 99/);
  });
});
