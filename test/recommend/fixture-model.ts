// A test-only FactorModel with given factors, a ridge-regression recalculateUser, and extra saved state.
import { FactorModel, type ExtraState } from '../../src/models/common/factor-model.js';
import { registerModel } from '../../src/recommend/registry.js';
import type { UserItems } from '../../src/recommend/types.js';
import type { Backend } from '../../src/runtime/backend.js';
import type { SparseMatrix } from '../../src/data/csr.js';
import type { IdMap } from '../../src/data/idmap.js';

export interface FixtureOptions {
  regularization?: number;
}

export class FixtureModel extends FactorModel {
  readonly modelType = 'TestFixture';
  private readonly opts: Required<FixtureOptions>;
  /** Saved through saveExtra/loadExtra to exercise the hooks. */
  note: string | undefined;
  bias: Float32Array | undefined;

  constructor(options: FixtureOptions = {}) {
    super();
    if (options.regularization !== undefined && !(options.regularization >= 0))
      throw new Error('regularization must be >= 0');
    this.opts = { regularization: options.regularization ?? 0.1 };
  }

  get options(): FixtureOptions {
    return { ...this.opts };
  }

  static fromFactors(
    backend: Backend,
    X: Float32Array,
    Y: Float32Array,
    dim: number,
    extra: { train?: SparseMatrix; userIds?: IdMap; itemIds?: IdMap } = {},
  ): FixtureModel {
    const m = new FixtureModel();
    m.setFactors(backend, backend.heap.copyIn(X), backend.heap.copyIn(Y), dim);
    m.trainMatrix = extra.train;
    m.userIds = extra.userIds;
    m.itemIds = extra.itemIds;
    return m;
  }

  /** Ridge least squares: argmin Σ (v_i − x·Y_i)² + λ‖x‖², solved densely in f64. */
  recalculateUser(userItems: UserItems): Float32Array {
    const { Y } = this.requireFitted('recalculateUser');
    const d = this.dim;
    const y = Y.view;
    const A = new Float64Array(d * d);
    const b = new Float64Array(d);
    for (let j = 0; j < userItems.indices.length; j++) {
      const i = userItems.indices[j];
      const v = userItems.values ? userItems.values[j] : 1;
      for (let p = 0; p < d; p++) {
        b[p] += v * y[i * d + p];
        for (let q = 0; q < d; q++) A[p * d + q] += y[i * d + p] * y[i * d + q];
      }
    }
    for (let p = 0; p < d; p++) A[p * d + p] += this.opts.regularization;
    return Float32Array.from(solve(A, b, d));
  }

  protected override saveExtra(): ExtraState | undefined {
    if (this.note === undefined && this.bias === undefined) return undefined;
    return { json: { note: this.note }, arrays: this.bias ? { bias: this.bias } : {} };
  }

  protected override loadExtra(extra: ExtraState): void {
    this.note = (extra.json as { note?: string } | undefined)?.note;
    this.bias = extra.arrays?.bias;
  }
}
registerModel('TestFixture', FixtureModel);

/** Gaussian elimination with partial pivoting (test oracle, small d). */
export function solve(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const M = A.slice();
  const x = b.slice();
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r * d + c]) > Math.abs(M[piv * d + c])) piv = r;
    if (piv !== c) {
      for (let q = 0; q < d; q++) [M[c * d + q], M[piv * d + q]] = [M[piv * d + q], M[c * d + q]];
      [x[c], x[piv]] = [x[piv], x[c]];
    }
    for (let r = c + 1; r < d; r++) {
      const f = M[r * d + c] / M[c * d + c];
      for (let q = c; q < d; q++) M[r * d + q] -= f * M[c * d + q];
      x[r] -= f * x[c];
    }
  }
  for (let r = d - 1; r >= 0; r--) {
    let s = x[r];
    for (let q = r + 1; q < d; q++) s -= M[r * d + q] * x[q];
    x[r] = s / M[r * d + r];
  }
  return x;
}

/** Seeded PRNG for tests (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Brute-force ranking: f64 scores of the given rows, filters, sort by (score desc, index asc). */
export function oracleTopN(
  scores: (i: number) => number,
  count: number,
  n: number,
  opts: { exclude?: Iterable<number>; candidates?: Iterable<number> } = {},
): { items: number[]; scores: number[] } {
  const ex = new Set(opts.exclude ?? []);
  const cand = opts.candidates ? [...new Set(opts.candidates)] : Array.from({ length: count }, (_, i) => i);
  const rows = cand.filter((i) => !ex.has(i)).map((i) => ({ i, s: scores(i) }));
  rows.sort((a, b) => b.s - a.s || a.i - b.i);
  const top = rows.slice(0, n);
  return { items: top.map((r) => r.i), scores: top.map((r) => r.s) };
}
