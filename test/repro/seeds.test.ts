// Reproducibility: the same seed gives bit-identical results on rerun — fresh model objects, a heap in a
// different state (other allocations in between), and a fresh Node process — on each backend; and the two
// backends agree to rounding (their kernels sum in different orders, so bits may differ). Thread counts and
// the browser are covered elsewhere (threads are in progress; browser tests by the browser suite).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { init, type BackendName } from '../../src/runtime/backend.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { synthetic } from '../../src/data/synthetic.js';
import { ImplicitALS, ALS } from '../../src/models/als/index.js';
import { truncatedSVD } from '../../src/svd/index.js';
import { PureSVD } from '../../src/models/puresvd/puresvd.js';
import { leaveKOut, trainTestSplit } from '../../src/eval/index.js';

const BACKENDS: BackendName[] = ['wasm', 'js'];
const data = () => synthetic({ users: 120, items: 80, rank: 4, density: 0.08, seed: 11 }).matrix as SparseMatrix;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const bits = (a: Float32Array | Float64Array) => sha(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

type Fit = () => Promise<{ X: Float32Array; Y: Float32Array; bytes: Uint8Array }>;
const models: [string, Fit][] = [
  [
    'ImplicitALS cg',
    async () => {
      const m = await new ImplicitALS({ factors: 8, iterations: 4, seed: 42 }).fit(data());
      return { X: m.userFactors, Y: m.itemFactors, bytes: m.save() };
    },
  ],
  [
    'ImplicitALS cholesky',
    async () => {
      const m = await new ImplicitALS({ factors: 8, iterations: 4, seed: 42, solver: 'cholesky' }).fit(data());
      return { X: m.userFactors, Y: m.itemFactors, bytes: m.save() };
    },
  ],
  [
    'ImplicitALS log confidence, loss',
    async () => {
      const m = await new ImplicitALS({
        factors: 5,
        iterations: 3,
        seed: 7,
        confidence: 'log',
        calculateTrainingLoss: true,
      }).fit(data());
      return { X: m.userFactors, Y: m.itemFactors, bytes: m.save() };
    },
  ],
  [
    'ALS biases',
    async () => {
      const m = await new ALS({ factors: 6, iterations: 4, seed: 42 }).fit(data());
      return { X: m.userFactors, Y: m.itemFactors, bytes: m.save() };
    },
  ],
  [
    'ALS no biases',
    async () => {
      const m = await new ALS({
        factors: 6,
        iterations: 4,
        seed: 42,
        biases: false,
        weightedRegularization: false,
      }).fit(data());
      return { X: m.userFactors, Y: m.itemFactors, bytes: m.save() };
    },
  ],
  [
    'PureSVD lanczos',
    async () => {
      const m = await new PureSVD({ factors: 6, seed: 3 }).fit(data());
      return { X: m.userFactors, Y: m.itemFactors, bytes: m.save() };
    },
  ],
  [
    'PureSVD randomized',
    async () => {
      const m = await new PureSVD({ factors: 6, seed: 3, method: 'randomized' }).fit(data());
      return { X: m.userFactors, Y: m.itemFactors, bytes: m.save() };
    },
  ],
];

describe.each(BACKENDS)('same seed, same bits on rerun (%s)', (name) => {
  it.each(models)(
    '%s: two fits give bit-identical factors and save() bytes, even with the heap in another state',
    async (_n, fit) => {
      const backend = await init({ backend: name });
      const a = await fit();
      // Disturb the heap: different free-list layout and memory size before the second fit.
      const junk = [backend.heap.allocArray('f64', 123_457), backend.heap.allocArray('f32', 999)];
      junk[0].free();
      const b = await fit();
      junk[1].free();
      expect(bits(b.X)).toBe(bits(a.X));
      expect(bits(b.Y)).toBe(bits(a.Y));
      expect(sha(b.bytes)).toBe(sha(a.bytes));
    },
  );

  it('truncatedSVD (lanczos and randomized): bit-identical values and vectors for a seed', async () => {
    await init({ backend: name });
    for (const method of ['lanczos', 'randomized'] as const) {
      const a = await truncatedSVD(data(), { k: 5, seed: 9, method });
      const b = await truncatedSVD(data(), { k: 5, seed: 9, method });
      expect(bits(b.s)).toBe(bits(a.s));
      expect(bits(b.U)).toBe(bits(a.U));
      expect(bits(b.V)).toBe(bits(a.V));
    }
  });
});

describe('across backends', () => {
  it('start factors (0 iterations) are bit-identical on wasm and js', async () => {
    const out: string[] = [];
    for (const b of BACKENDS) {
      await init({ backend: b });
      const i = await new ImplicitALS({ factors: 8, iterations: 0, seed: 42 }).fit(data());
      const e = await new ALS({ factors: 8, iterations: 0, seed: 42 }).fit(data());
      out.push(bits(i.userFactors) + bits(i.itemFactors) + bits(e.userFactors) + bits(e.itemFactors));
    }
    expect(out[1]).toBe(out[0]);
  });

  it.each(models)('%s: wasm and js agree to rounding', async (_n, fit) => {
    await init({ backend: 'wasm' });
    const w = await fit();
    await init({ backend: 'js' });
    const j = await fit();
    const scale = Math.max(...w.Y.map(Math.abs), ...w.X.map(Math.abs), 1e-30);
    let worst = 0;
    for (const [p, q] of [
      [w.X, j.X],
      [w.Y, j.Y],
    ] as const)
      for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i] - q[i]) / scale);
    // Singular vectors are defined up to sign; PureSVD's are sign-normalised by the same rule on both backends.
    expect(worst).toBeLessThan(2e-3);
  });

  it('splits and synthetic data are identical for a seed', () => {
    const m = data();
    const a = trainTestSplit(m, { testFraction: 0.3, seed: 5 });
    const b = trainTestSplit(m, { testFraction: 0.3, seed: 5 });
    expect(Array.from(b.test.indices)).toEqual(Array.from(a.test.indices));
    expect(Array.from(b.test.indptr)).toEqual(Array.from(a.test.indptr));
    const c = leaveKOut(m, { k: 2, seed: 5 });
    const d = leaveKOut(m, { k: 2, seed: 5 });
    expect(Array.from(d.test.indices)).toEqual(Array.from(c.test.indices));
    expect(bits(data().data)).toBe(bits(m.data));
  });
});

const bundle = join(resolve(fileURLToPath(new URL('../..', import.meta.url))), 'dist', 'index.mjs');
describe.skipIf(!existsSync(bundle))('fresh Node processes (dist/index.mjs)', () => {
  it.each(BACKENDS)(
    'two processes fit the same bytes for a seed (%s)',
    (name) => {
      const dir = mkdtempSync(join(tmpdir(), 'lowrank-repro-'));
      const script = join(dir, 'fit.mjs');
      writeFileSync(
        script,
        `import { init, ImplicitALS, ALS, PureSVD, datasets } from ${JSON.stringify(bundle)};
import { createHash } from 'node:crypto';
await init({ backend: ${JSON.stringify(name)} });
const m = datasets.synthetic({ users: 120, items: 80, rank: 4, density: 0.08, seed: 11 }).matrix;
const h = createHash('sha256');
h.update((await new ImplicitALS({ factors: 8, iterations: 4, seed: 42 }).fit(m)).save());
h.update((await new ALS({ factors: 6, iterations: 4, seed: 42 }).fit(m)).save());
h.update((await new PureSVD({ factors: 6, seed: 3 }).fit(m)).save());
process.stdout.write(h.digest('hex'));
`,
      );
      const run = () => spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
      const a = run();
      const b = run();
      expect(a.status, a.stderr).toBe(0);
      expect(a.stdout).toMatch(/^[0-9a-f]{64}$/);
      expect(b.stdout).toBe(a.stdout);
    },
    120_000,
  );
});
