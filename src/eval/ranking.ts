/**
 * Top-k ranking metrics over held-out interactions, with the definitions of benfred/implicit's
 * `ranking_metrics_at_k` (implicit/evaluation.pyx) for precision, MAP, NDCG and AUC, plus recall, hit rate
 * and catalogue coverage. The model ranks items for users in batches (one `recommendBatch` call per batch:
 * scores and top-k selection run in the model's backend, WASM by default); the metrics are then tallied in
 * a single pass over the users.
 * @module
 */
import { ValidationError } from '../errors.js';
import { OptionReader } from '../options.js';
import { SparseMatrix } from '../data/csr.js';

/** Options passed to {@link RankingModel.recommendBatch}. */
export interface RecommendBatchOptions {
  /** Items per user. */
  n: number;
  /** Interactions per user, rows indexed by user index; with `filterAlreadyLiked` these items are excluded. */
  interactions: SparseMatrix;
  filterAlreadyLiked: boolean;
}

/** The top-n lists of a batch of users, row-major (users × width). */
export interface RecommendBatchResult {
  /** Item indices, best first; rows with fewer candidates than the width are padded with -1. */
  items: Int32Array;
  /** Scores matching `items`. */
  scores: Float32Array;
  /**
   * Row width, ≤ the requested n (lowrank's models cap it at the number of candidates). Default: the
   * requested n. Slots between the width and n count as empty.
   */
  n?: number;
}

/** What ranking evaluation needs from a model (lowrank's factor models satisfy it). */
export interface RankingModel {
  /** Top-`n` items for each of `users` (row r of the result for users[r]), liked items filtered. */
  recommendBatch(users: Int32Array, options: RecommendBatchOptions): RecommendBatchResult;
  /** If present, must equal the test matrix's column count. */
  readonly itemCount?: number;
}

/** Options of {@link rankingMetrics}. */
export interface RankingOptions {
  /** List length: metrics are "@k". Integer ≥ 1. Default 10. */
  k?: number;
  /**
   * Users (row indices) to evaluate; default all. Users without test items are skipped either way.
   * Must be distinct.
   */
  users?: ArrayLike<number>;
  /** Users ranked per `recommendBatch` call (bounds the users × items score buffer). Default 256. */
  batchSize?: number;
}

/**
 * Ranking metrics at k, averaged over the evaluated users U (users with at least one test item). For a
 * user u: T_u = test items, R_u = the model's top-k with the user's train items filtered out, as k slots
 * r_1..r_k (slots past the returned list are empty and count as misses, as in implicit), hit_i = [r_i ∈ T_u],
 * H_u = Σ_i hit_i, m_u = min(k, |T_u|), I = the matrix's item count.
 */
export interface RankingMetrics {
  /**
   * Σ_u H_u / Σ_u m_u — implicit's precision: hits over the number of hits that were possible, so a user
   * with fewer than k test items is not penalised for the empty slots.
   */
  precision: number;
  /** mean_u H_u / |T_u| (the share of each user's test items retrieved in the top k). */
  recall: number;
  /**
   * MAP@k: mean_u AP_u, AP_u = (1 / m_u) Σ_{i: hit_i} P_u(i), P_u(i) = (Σ_{j ≤ i} hit_j) / i
   * (implicit divides by min(k, |T_u|), not by the number of hits).
   */
  map: number;
  /**
   * NDCG@k with binary gains: mean_u DCG_u / IDCG_u, DCG_u = Σ_{i: hit_i} 1 / log2(i + 1),
   * IDCG_u = Σ_{i=1..m_u} 1 / log2(i + 1) (the ideal list is truncated at min(k, |T_u|)).
   */
  ndcg: number;
  /**
   * implicit's AUC@k, a ranking AUC computed from the top k only: with P = |T_u|, N = I − P negatives, and
   * `miss` the number of non-hit slots among the k,
   * AUC_u = [ Σ_{i: not hit_i} (Σ_{j < i} hit_j) + ((H_u + P) / 2) · (N − miss) ] / (P · N).
   * Each missed slot credits the positives ranked above it; the negatives not shown are credited as if the
   * hits ranked above them and the positives not retrieved sat halfway. A user with N = 0 has AUC_u = 1.
   */
  auc: number;
  /** Fraction of users with H_u ≥ 1. */
  hitRate: number;
  /** Distinct items appearing in any evaluated user's top k, divided by I. */
  coverage: number;
  /** |U|, the number of users evaluated. */
  users: number;
}

function checkPositiveInt(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new ValidationError(`${fn}: ${name} must be an integer ≥ 1, got ${String(v)}`);
  return v;
}

/** Validates train/test as same-shape SparseMatrices. */
export function checkTrainTest(fn: string, train: unknown, test: unknown): asserts train is SparseMatrix {
  if (!(train instanceof SparseMatrix))
    throw new ValidationError(`${fn}: train must be a SparseMatrix (the interactions the model was fitted on)`);
  if (!(test instanceof SparseMatrix))
    throw new ValidationError(`${fn}: test must be a SparseMatrix (the held-out interactions)`);
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new ValidationError(
      `${fn}: train is ${train.rows}×${train.cols} but test is ${test.rows}×${test.cols}; they must have the same shape (use the splits in lowrank's eval module)`,
    );
  }
}

/** The rows of `test` to evaluate: the requested users (or all) that have test items, checked. */
function eligibleUsers(fn: string, test: SparseMatrix, users: ArrayLike<number> | undefined): Int32Array {
  const tp = test.indptr;
  let eligible: Int32Array;
  if (users !== undefined) {
    if (users === null || typeof users.length !== 'number')
      throw new ValidationError(`${fn}: users must be an array of user indices`);
    const seen = new Uint8Array(test.rows);
    const out: number[] = [];
    for (let j = 0; j < users.length; j++) {
      const u = users[j];
      if (!Number.isInteger(u) || u < 0 || u >= test.rows)
        throw new ValidationError(`${fn}: users[${j}] = ${u} is not a user index in [0, ${test.rows})`);
      if (seen[u]) throw new ValidationError(`${fn}: user ${u} is listed twice in users`);
      seen[u] = 1;
      if (tp[u + 1] > tp[u]) out.push(u);
    }
    eligible = Int32Array.from(out);
  } else {
    let c = 0;
    for (let u = 0; u < test.rows; u++) if (tp[u + 1] > tp[u]) c++;
    eligible = new Int32Array(c);
    c = 0;
    for (let u = 0; u < test.rows; u++) if (tp[u + 1] > tp[u]) eligible[c++] = u;
  }
  if (eligible.length === 0) {
    throw new ValidationError(
      `${fn}: no ${users !== undefined ? 'requested ' : ''}user has items in the test matrix, so there is nothing to rank`,
    );
  }
  return eligible;
}

/** The width of a recommendBatch result for `rows` users at cutoff k, after checking its shape. */
function batchWidth(fn: string, rec: RecommendBatchResult | undefined, rows: number, k: number): number {
  const width = rec?.n ?? k;
  if (
    !rec ||
    !(rec.items instanceof Int32Array) ||
    !Number.isInteger(width) ||
    width < 0 ||
    width > k ||
    rec.items.length !== rows * width
  ) {
    throw new ValidationError(
      `${fn}: model.recommendBatch must return { items: Int32Array } of users × n = ${rows} × ${k} (or × a smaller width n)`,
    );
  }
  return width;
}

/** The sums behind RankingMetrics, one ranked list of one user at a time. */
class RankingTally {
  /** Discount 1/log2(i + 2) for 0-based slot i, and its prefix sums (the IDCG for m relevant items). */
  private readonly disc: Float64Array;
  private readonly idcg: Float64Array;
  private readonly inTest: Uint8Array; // marks T_u while u is scored
  private readonly seenBy: Int32Array; // the list that last showed the item (repeats)
  private readonly shown: Uint8Array; // for coverage
  private relevant = 0;
  private prDiv = 0;
  private sumRecall = 0;
  private sumAp = 0;
  private sumNdcg = 0;
  private sumAuc = 0;
  private usersHit = 0;

  constructor(
    private readonly fn: string,
    private readonly k: number,
    private readonly nItems: number,
  ) {
    this.disc = new Float64Array(k);
    this.idcg = new Float64Array(k + 1);
    for (let i = 0; i < k; i++) {
      this.disc[i] = 1 / Math.log2(i + 2);
      this.idcg[i + 1] = this.idcg[i] + this.disc[i];
    }
    this.inTest = new Uint8Array(nItems);
    this.seenBy = new Int32Array(nItems).fill(-1);
    this.shown = new Uint8Array(nItems);
  }

  /**
   * Score user u's list: `items[base, base + width)`, list number `list` (distinct per user), against the
   * user's test items `testItems[a, e)`.
   */
  add(
    u: number,
    items: Int32Array,
    base: number,
    width: number,
    list: number,
    testItems: Int32Array,
    a: number,
    e: number,
  ): void {
    const { fn, k, nItems, inTest, seenBy, shown, disc } = this;
    const nPos = e - a;
    for (let p = a; p < e; p++) inTest[testItems[p]] = 1;
    const m = Math.min(k, nPos);
    const nNeg = nItems - nPos;
    let hit = 0;
    let miss = 0;
    let ap = 0;
    let dcg = 0;
    let auc = 0;
    for (let i = 0; i < k; i++) {
      const it = i < width ? items[base + i] : -1;
      // Padding (-1, or slots past a capped width) is not shown: it is neither a hit nor a miss, else a
      // short list would count more misses than there are negatives and AUC would leave [0, 1].
      if (it === -1) continue;
      if (it >= 0 && it < nItems) {
        if (seenBy[it] === list)
          throw new ValidationError(`${fn}: model.recommendBatch returned item ${it} twice for user ${u}`);
        seenBy[it] = list;
        shown[it] = 1;
        if (inTest[it] === 1) {
          hit++;
          ap += hit / (i + 1);
          dcg += disc[i];
          continue;
        }
      } else {
        throw new ValidationError(
          `${fn}: model.recommendBatch returned item ${it} for user ${u}; expected an index in [0, ${nItems}) or -1 padding`,
        );
      }
      miss++;
      auc += hit;
    }
    for (let p = a; p < e; p++) inTest[testItems[p]] = 0;
    this.relevant += hit;
    this.prDiv += m;
    this.sumRecall += hit / nPos;
    this.sumAp += ap / m;
    this.sumNdcg += dcg / this.idcg[m];
    this.sumAuc += nNeg > 0 ? (auc + ((hit + nPos) / 2) * (nNeg - miss)) / (nPos * nNeg) : 1;
    if (hit > 0) this.usersHit++;
  }

  /** The metrics over the `n` users added. */
  result(n: number): RankingMetrics {
    let distinct = 0;
    for (let i = 0; i < this.nItems; i++) distinct += this.shown[i];
    return {
      precision: this.relevant / this.prDiv,
      recall: this.sumRecall / n,
      map: this.sumAp / n,
      ndcg: this.sumNdcg / n,
      auc: this.sumAuc / n,
      hitRate: this.usersHit / n,
      coverage: distinct / this.nItems,
      users: n,
    };
  }
}

/**
 * Ranking metrics at k of `model` on `test`, ranking all items except each user's `train` items.
 * See {@link RankingMetrics} for the exact formulas.
 *
 * @example
 * const { train, test } = trainTestSplit(m, { seed: 1 });
 * await model.fit(train);
 * const r = rankingMetrics(model, train, test, { k: 10 });
 * console.log(r.precision, r.map, r.ndcg, r.auc);
 */
export function rankingMetrics(
  model: RankingModel,
  train: SparseMatrix,
  test: SparseMatrix,
  options: RankingOptions = {},
): RankingMetrics {
  const fn = 'rankingMetrics';
  if (model === null || typeof model !== 'object' || typeof (model as RankingModel).recommendBatch !== 'function') {
    throw new ValidationError(
      `${fn}: model must have a recommendBatch(users, { n, interactions, filterAlreadyLiked }) method`,
    );
  }
  checkTrainTest(fn, train, test);
  new OptionReader(fn, options, ['k', 'users', 'batchSize'], { nullIsDefaults: false });
  const k = checkPositiveInt(fn, 'k', options.k ?? 10);
  const batchSize = checkPositiveInt(fn, 'batchSize', options.batchSize ?? 256);
  const nItems = test.cols;
  if (model.itemCount !== undefined && model.itemCount !== nItems) {
    throw new ValidationError(`${fn}: the model has ${model.itemCount} items but the matrices have ${nItems} columns`);
  }
  if (nItems === 0) throw new ValidationError(`${fn}: the matrices have no items`);
  const eligible = eligibleUsers(fn, test, options.users);
  const tp = test.indptr;
  const ti = test.indices;
  const tally = new RankingTally(fn, k, nItems);
  for (let b0 = 0; b0 < eligible.length; b0 += batchSize) {
    const batch = eligible.subarray(b0, Math.min(eligible.length, b0 + batchSize));
    const rec = model.recommendBatch(batch, { n: k, interactions: train, filterAlreadyLiked: true });
    const width = batchWidth(fn, rec, batch.length, k);
    for (let j = 0; j < batch.length; j++) {
      const u = batch[j];
      tally.add(u, rec.items, j * width, width, b0 + j, ti, tp[u], tp[u + 1]);
    }
  }
  return tally.result(eligible.length);
}
