// LogisticMF through the model contract (test/models/contract.ts), and what sets it apart from
// implicit's: bias columns in place, α meaning the same across data, the saved fold-in state.
import { describe, expect, it } from 'vitest';
import { init } from '../../../src/runtime/backend.js';
import { LogisticMF } from '../../../src/models/lmf/index.js';
import { loadModel } from '../../../src/models/index.js';
import { contractSuite } from '../contract.js';
import { groupedMatrix } from '../helpers.js';
import { sameBits } from '../../threads/helpers.js';

contractSuite('LogisticMF', LogisticMF, { factors: 6, iterations: 4 }, 8);

describe('LogisticMF: layout and state', () => {
  it('rows are [x, 1, b_u] and [y, b_i, 1]; popular items get larger biases', async () => {
    await init({ backend: 'wasm' });
    const m = groupedMatrix(4, 200, 60, 3, 8);
    const model = await new LogisticMF({ factors: 4, seed: 1 }).fit(m);
    const X = model.userFactors;
    const Y = model.itemFactors;
    for (let u = 0; u < 200; u++) expect(X[u * 6 + 4]).toBe(1);
    for (let i = 0; i < 60; i++) expect(Y[i * 6 + 5]).toBe(1);
    const count = new Float64Array(60);
    for (const i of m.indices) count[i]++;
    const order = Array.from(count.keys()).sort((a, b) => count[b] - count[a]);
    const bias = (i: number) => Y[i * 6 + 4];
    const top = order.slice(0, 10).reduce((s, i) => s + bias(i), 0);
    const bottom = order.slice(-10).reduce((s, i) => s + bias(i), 0);
    expect(top).toBeGreaterThan(bottom);
  });

  it('a loaded model folds users in exactly as the fitted one (confidence scale and w0 are saved)', async () => {
    await init({ backend: 'wasm' });
    const m = groupedMatrix(5, 100, 50, 2, 8);
    const model = await new LogisticMF({ factors: 4, iterations: 5, seed: 1, confidence: 'linear' }).fit(m);
    const loaded = loadModel(model.save({ includeInteractions: false })) as LogisticMF;
    const row = { indices: [2, 3, 10], values: [1, 4, 2] };
    expect(sameBits(loaded.recalculateUser(row), model.recalculateUser(row))).toBe(true);
  });
});
