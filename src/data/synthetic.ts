/**
 * Synthetic interactions with a known answer: planted low-rank user/item preferences, Zipf item
 * popularity and heavy-tailed user activity, explicit (1–5 stars) or implicit (counts). Deterministic
 * from the seed; labelled synthetic in `info`. For demos, tests and benchmarks where real data is not
 * available or not licensed.
 * @module
 */
import { ValidationError } from '../errors.js';
import { OptionReader } from '../options.js';
import { Rng } from '../random.js';
import { cooToCsr } from './csr.js';
import { IdMap } from './idmap.js';
import { Interactions } from './interactions.js';

/** Options of `datasets.synthetic`: sizes, planted rank, density, value kind and seed. */
export interface SyntheticOptions {
  /** Number of users (rows). Default 1000. */
  users?: number;
  /** Number of items (columns). Default 1000. */
  items?: number;
  /** Rank of the planted preferences. Default 10. */
  rank?: number;
  /** Target fraction of the users × items cells observed, in (0, 1]. Default 0.02. */
  density?: number;
  /** Counts (implicit feedback) instead of 1–5 ratings. Default false. */
  implicit?: boolean;
  /** Zipf exponent of item popularity (0 = uniform). Default 1. */
  zipf?: number;
  /** How strongly preferences decide what a user interacts with (0 = popularity only). Default 2. */
  preference?: number;
  /** Standard deviation of rating noise (explicit). Default 0.5. */
  noise?: number;
  /** Seed; the same options give the same data everywhere. Default 0. */
  seed?: number;
}

/** Synthetic interactions plus the planted factors that generated them. */
export interface SyntheticInteractions extends Interactions {
  /** The planted factors: row-major `users × rank` and `items × rank`; score = u·v / √rank. */
  readonly truth: { rank: number; userFactors: Float64Array; itemFactors: Float64Array; itemPopularity: Float64Array };
}

function positiveInt(name: string, v: unknown, max = 2 ** 31 - 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max)
    throw new ValidationError(`datasets.synthetic: ${name} must be an integer in [1, ${max}], got ${String(v)}`);
  return v;
}

function finiteIn(name: string, v: unknown, lo: number, hi: number, loOpen = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v > hi || v < lo || (loOpen && v === lo)) {
    throw new ValidationError(
      `datasets.synthetic: ${name} must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${String(v)}`,
    );
  }
  return v;
}

/**
 * Generate synthetic interactions. Each user draws items from a Zipf popularity distribution and keeps
 * a draw with probability σ(preference · score), where score = uᵀv/√rank from planted Gaussian factors,
 * so both popularity and personal taste shape who sees what. Explicit values are
 * round(3 + 1.2·score + user bias + item bias + noise) clipped to 1–5; implicit values are counts
 * 1 + ⌊Exp(mean e^(0.5 + score))⌋. Timestamps increase per user.
 */
export function synthetic(options: SyntheticOptions = {}): SyntheticInteractions {
  const o = resolveOptions(options);
  const rng = new Rng(o.seed);
  const planted = plant(rng, o);
  const { rows, cols, vals, times } = draw(rng, o, planted);
  const { matrix, times: ts } = cooToCsr(rows, cols, vals, [o.users, o.items], 'error', times);
  const data = new Interactions({
    matrix,
    users: IdMap.range(o.users),
    items: IdMap.range(o.items),
    timestamps: ts,
    info: {
      name: 'synthetic',
      synthetic: true,
      description: `SYNTHETIC data (not real users): planted rank-${o.rank} preferences, Zipf(${o.zipf}) item popularity, ${o.implicit ? 'implicit counts' : 'explicit 1–5 ratings'}, seed ${o.seed}`,
    },
  });
  const truth = { rank: o.rank, userFactors: planted.U, itemFactors: planted.V, itemPopularity: planted.popularity };
  return Object.assign(data, { truth });
}

type Resolved = Required<SyntheticOptions>;

function resolveOptions(options: SyntheticOptions): Resolved {
  // A misspelt option (e.g. factors for rank) would otherwise be ignored and give other data than asked.
  const known = ['users', 'items', 'rank', 'density', 'implicit', 'zipf', 'preference', 'noise', 'seed'];
  new OptionReader('datasets.synthetic', options, known, { nullIsDefaults: false });
  const users = positiveInt('users', options.users ?? 1000);
  const items = positiveInt('items', options.items ?? 1000);
  const rank = positiveInt('rank', options.rank ?? 10, 4096);
  const density = finiteIn('density', options.density ?? 0.02, 0, 1, true);
  const zipf = finiteIn('zipf', options.zipf ?? 1, 0, 10);
  const preference = finiteIn('preference', options.preference ?? 2, 0, 100);
  const noise = finiteIn('noise', options.noise ?? 0.5, 0, 100);
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new ValidationError(`datasets.synthetic: seed must be a finite number, got ${String(seed)}`);
  const implicit = options.implicit ?? false;
  if (typeof implicit !== 'boolean') throw new ValidationError('datasets.synthetic: implicit must be a boolean');
  if (users * items * density > 2 ** 31 - 1)
    throw new ValidationError(
      `datasets.synthetic: ${users} × ${items} × ${density} interactions exceed the 2^31-1 an Int32 index can address`,
    );
  return { users, items, rank, density, implicit, zipf, preference, noise, seed };
}

/** The planted truth: Gaussian factors, biases, and a Zipf popularity over a random order of the items. */
interface Planted {
  U: Float64Array;
  V: Float64Array;
  userBias: Float64Array;
  itemBias: Float64Array;
  popularity: Float64Array;
  /** Cumulative popularity, for drawing items. */
  cdf: Float64Array;
}

function plant(rng: Rng, { users, items, rank, zipf }: Resolved): Planted {
  const U = rng.fillNormal(new Float64Array(users * rank));
  const V = rng.fillNormal(new Float64Array(items * rank));
  const userBias = rng.fillNormal(new Float64Array(users), 0, 0.3);
  const itemBias = rng.fillNormal(new Float64Array(items), 0, 0.3);
  // Popularity rank of each item is a random permutation, so popular items are not simply the low ids.
  const popRank = rng.shuffle(Int32Array.from({ length: items }, (_, i) => i));
  const popularity = new Float64Array(items);
  for (let i = 0; i < items; i++) popularity[i] = 1 / (popRank[i] + 1) ** zipf;
  const cdf = new Float64Array(items);
  let acc = 0;
  for (let i = 0; i < items; i++) cdf[i] = acc += popularity[i];
  for (let i = 0; i < items; i++) {
    cdf[i] /= acc;
    popularity[i] /= acc;
  }
  return { U, V, userBias, itemBias, popularity, cdf };
}

/** Each user's interactions, drawn by popularity and kept by taste, with values and increasing times. */
function draw(
  rng: Rng,
  { users, items, rank, density, implicit, preference: beta, noise }: Resolved,
  { U, V, userBias, itemBias, cdf }: Planted,
): { rows: number[]; cols: number[]; vals: number[]; times: number[] } {
  const drawItem = (): number => {
    const x = rng.next();
    let lo = 0;
    let hi = items - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const scale = 1 / Math.sqrt(rank);
  const score = (u: number, i: number): number => {
    let s = 0;
    for (let k = 0; k < rank; k++) s += U[u * rank + k] * V[i * rank + k];
    return s * scale;
  };
  const mean = density * items;
  const out = { rows: [] as number[], cols: [] as number[], vals: [] as number[], times: [] as number[] };
  const chosen = new Set<number>();
  for (let u = 0; u < users; u++) {
    // Heavy-tailed activity: log-normal around the mean (σ = 0.8), at least one interaction.
    const want = Math.min(items, Math.max(1, Math.round(mean * Math.exp(0.8 * rng.normal() - 0.32))));
    chosen.clear();
    let t = 1_000_000_000 + Math.floor(rng.next() * 1e8);
    for (let attempts = 0; chosen.size < want && attempts < 50 * want + 100; attempts++) {
      const i = drawItem();
      if (chosen.has(i)) continue;
      const s = score(u, i);
      if (rng.next() >= 1 / (1 + Math.exp(-beta * s))) continue;
      chosen.add(i);
      let v: number;
      if (implicit) v = 1 + Math.floor(-Math.exp(0.5 + s) * Math.log(1 - rng.next()));
      else v = Math.min(5, Math.max(1, Math.round(3 + 1.2 * s + userBias[u] + itemBias[i] + noise * rng.normal())));
      out.rows.push(u);
      out.cols.push(i);
      out.vals.push(v);
      t += 1 + Math.floor(rng.next() * 86400);
      out.times.push(t);
    }
  }
  return out;
}
