// Test helpers for ALS: seeded random sparse matrices and dense f64 oracles.
export { randomMatrix } from '../../util/random-matrix.js';
import { SparseMatrix } from '../../../src/data/csr.js';
import { Rng } from '../../../src/random.js';

/** Solve the dense SPD system A x = b (n × n, f64) by Gaussian elimination with partial pivoting. */
export function denseSolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const M = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[piv * n + c])) piv = r;
    if (piv !== c) {
      for (let j = 0; j < n; j++) [M[c * n + j], M[piv * n + j]] = [M[piv * n + j], M[c * n + j]];
      [x[c], x[piv]] = [x[piv], x[c]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c] / M[c * n + c];
      if (f === 0) continue;
      for (let j = c; j < n; j++) M[r * n + j] -= f * M[c * n + j];
      x[r] -= f * x[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let j = r + 1; j < n; j++) s -= M[r * n + j] * x[j];
    x[r] = s / M[r * n + r];
  }
  return x;
}

export interface ImplicitParams {
  lambda: number;
  alpha: number;
  log?: boolean;
  eps?: number;
  /** s of c = 1 + α·g(r)/s (default 1). */
  scale?: number;
  /** ν: row u's penalty is λ·(Σ_{i∈I_u} c_ui)^ν (default 0: plain λ). */
  nu?: number;
}

export function conf(r: number, p: ImplicitParams): number {
  const a = Math.abs(r);
  const g = p.log ? Math.log(1 + a / (p.eps ?? 1)) : a;
  return 1 + (p.alpha / (p.scale ?? 1)) * g;
}

/** The penalty of a row with values `vals`: λ, or λ·(Σ c)^ν with frequency scaling. */
export function rowLambda(vals: ArrayLike<number>, p: ImplicitParams): number {
  if (!p.nu) return p.lambda;
  let mass = 0;
  for (let q = 0; q < vals.length; q++) mass += conf(vals[q], p);
  return p.lambda * mass ** p.nu;
}

/** s of `scaleConfidence`: the mean of g(|r|) over the stored values of m. */
export function confidenceScaleOf(m: SparseMatrix, p: { log?: boolean; eps?: number }): number {
  let sum = 0;
  for (const v of m.data) sum += p.log ? Math.log(1 + Math.abs(v) / (p.eps ?? 1)) : Math.abs(v);
  return sum / m.nnz;
}

/**
 * The HKV normal-equations solution for one row, dense: (YᵀC_uY + λI)⁻¹ YᵀC_u p_u, built from the full
 * confidence matrix over all items (no Gram trick), f64.
 */
export function implicitRowOracle(
  Y: Float32Array,
  nItems: number,
  k: number,
  idx: ArrayLike<number>,
  vals: ArrayLike<number>,
  p: ImplicitParams,
): Float64Array {
  const c = new Float64Array(nItems).fill(1);
  const pref = new Float64Array(nItems);
  for (let q = 0; q < idx.length; q++) {
    c[idx[q]] = conf(vals[q], p);
    pref[idx[q]] = vals[q] > 0 ? 1 : 0;
  }
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < nItems; i++) {
    for (let a = 0; a < k; a++) {
      b[a] += c[i] * pref[i] * Y[i * k + a];
      for (let d = 0; d < k; d++) A[a * k + d] += c[i] * Y[i * k + a] * Y[i * k + d];
    }
  }
  const lambda = rowLambda(vals, p);
  for (let a = 0; a < k; a++) A[a * k + a] += lambda;
  return denseSolve(A, b, k);
}

/** The full implicit objective, densely (every user–item pair). */
export function implicitLossDense(
  X: Float32Array,
  Y: Float32Array,
  m: SparseMatrix,
  k: number,
  p: ImplicitParams,
): number {
  const [nU, nI] = m.shape;
  let loss = 0;
  for (let u = 0; u < nU; u++) {
    const c = new Float64Array(nI).fill(1);
    const pref = new Float64Array(nI);
    for (let q = m.indptr[u]; q < m.indptr[u + 1]; q++) {
      c[m.indices[q]] = conf(m.data[q], p);
      pref[m.indices[q]] = m.data[q] > 0 ? 1 : 0;
    }
    for (let i = 0; i < nI; i++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += X[u * k + a] * Y[i * k + a];
      loss += c[i] * (pref[i] - s) ** 2;
    }
  }
  const T = m.transpose();
  for (const [F, M] of [
    [X, m],
    [Y, T],
  ] as const) {
    for (let r = 0; r < M.rows; r++) {
      const lambda = rowLambda(M.data.subarray(M.indptr[r], M.indptr[r + 1]), p);
      for (let a = 0; a < k; a++) loss += lambda * F[r * k + a] ** 2;
    }
  }
  return loss;
}

/** max |a − b| / max(max |b|, tiny). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 1e-30;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

/**
 * Interactions with planted communities, for quality tests that need personalisation to pay: each user
 * belongs to one of `communities` groups and takes ~80% of their items from the group's share of the
 * catalogue (Zipf-like within it), the rest from global popularity. Values: play counts (1 + geometric,
 * larger inside the community), ratings 1–5 (higher inside) or 1.
 */
export function communityMatrix(
  seed: number,
  o: {
    users?: number;
    items?: number;
    communities?: number;
    perUser?: number;
    values?: 'counts' | 'ratings' | 'binary';
  } = {},
): SparseMatrix {
  const { users = 500, items = 300, communities = 8, perUser = 20, values = 'counts' } = o;
  const rng = new Rng(seed);
  const group = Int32Array.from({ length: items }, () => rng.nextInt(communities));
  const pop = Float64Array.from({ length: items }, (_, i) => 1 / (1 + ((i * 7919) % items)) ** 0.7);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let u = 0; u < users; u++) {
    const g = rng.nextInt(communities);
    const n = Math.max(3, Math.round(perUser * Math.exp(0.6 * rng.normal() - 0.18)));
    const chosen = new Set<number>();
    for (let tries = 0; chosen.size < n && tries < 400 * n; tries++) {
      const i = rng.nextInt(items);
      const inside = group[i] === g;
      // accept ∝ popularity, and strongly favour the user's community
      if (rng.next() > pop[i] * (inside ? 1 : 0.03)) continue;
      if (chosen.has(i)) continue;
      chosen.add(i);
      rows.push(u);
      cols.push(i);
      if (values === 'binary') vals.push(1);
      else if (values === 'ratings') vals.push(Math.min(5, Math.max(1, Math.round((inside ? 4 : 2.5) + rng.normal()))));
      else vals.push(1 + Math.floor(-Math.log(1 - rng.next()) * (inside ? 20 : 3)));
    }
  }
  return SparseMatrix.fromCOO({ rows, cols, values: vals, shape: [users, items] });
}

/**
 * Sparse 0/1 lists with many small niches (a citation- or check-in-like shape): items belong to one of
 * `topics` topics, each user draws from one to three topics (Zipf popularity within a topic) and 10 % of
 * their entries from global popularity; activity log-normal with a floor of 5. Many topics need many
 * factors: the case where a fixed 64 falls far short.
 */
export function nicheMatrix(
  seed: number,
  o: { users?: number; items?: number; topics?: number; perUser?: number } = {},
): SparseMatrix {
  const { users = 3000, items = 6000, topics = 300, perUser = 20 } = o;
  const rng = new Rng(seed);
  const topic = Int32Array.from({ length: items }, () => rng.nextInt(topics));
  const members: number[][] = Array.from({ length: topics }, () => []);
  for (let i = 0; i < items; i++) members[topic[i]].push(i);
  // Zipf-like popularity by position within a topic and overall.
  const draw = (list: number[]) => list[Math.min(list.length - 1, Math.floor(list.length * rng.next() ** 2.5))];
  const all = Array.from({ length: items }, (_, i) => i);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < users; u++) {
    const mine = Array.from({ length: 1 + rng.nextInt(3) }, () => rng.nextInt(topics)).filter(
      (t) => members[t].length > 0,
    );
    const n = Math.max(5, Math.round(perUser * Math.exp(0.7 * rng.normal() - 0.25)));
    const chosen = new Set<number>();
    for (let tries = 0; chosen.size < n && tries < 50 * n; tries++)
      chosen.add(rng.next() < 0.1 || mine.length === 0 ? draw(all) : draw(members[mine[rng.nextInt(mine.length)]]));
    for (const i of chosen) {
      rows.push(u);
      cols.push(i);
    }
  }
  return SparseMatrix.fromCOO({ rows, cols, shape: [users, items] });
}
