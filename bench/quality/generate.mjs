// Generated benchmark sets for the defaults (issue 27), of the shapes real sets have: MovieLens-like
// ratings, Last.fm-like play counts, citation and check-in lists, Yelp/Amazon-like sparse lists, and the
// extremes of density (1e-4 … 5e-2) and size (1k … 100k users and items), with and without popularity skew.
//
// The model is a topic model, the structure such data has (genres, research fields, cities): items belong
// to topics, topics to groups; a user has an activity drawn from a heavy-tailed (log-normal) law with a
// floor, and a few topics, mostly from one group. Each interaction picks, with probability `pop`, an item
// by global popularity, else a topic from the user's mix and an item of it by its popularity within the
// topic (Zipf with exponent `zipf`; 0 = uniform). Values: 0/1, play counts (heavy-tailed, larger for the
// user's main topics) or ratings 1–5 (user mean + item quality + affinity + noise).
//
//   node bench/quality/generate.mjs --out build/quality --sets citation-like,ml1m-like,…   (see SHAPES)
import { mkdirSync } from 'node:fs';
import { writeCsr } from './lib.mjs';

/**
 * The generated sets. users, items; activity: median and log-normal σ and floor; topics and groups;
 * topics per user (1 + Poisson(extra)); share drawn from the user's main group; pop: share drawn by global
 * popularity; zipf: item popularity exponent; values.
 */
export const SHAPES = {
  // citeulike-a: 5,551 × 16,980, 205k saves (≥ 10 per user), binary, long-tailed.
  'citation-like': {
    users: 5551,
    items: 16980,
    median: 25,
    sigma: 0.9,
    floor: 10,
    topics: 600,
    groups: 30,
    extra: 2,
    inGroup: 0.8,
    pop: 0.1,
    zipf: 0.8,
    values: 'binary',
    seed: 11,
  },
  // MovieLens-1M: 6,040 × 3,706, 1.0M ratings (≥ 20 per user), median 96.
  'ml1m-like': {
    users: 6040,
    items: 3706,
    median: 96,
    sigma: 1.0,
    floor: 20,
    topics: 40,
    groups: 8,
    extra: 4,
    inGroup: 0.6,
    pop: 0.35,
    zipf: 1.0,
    values: 'ratings',
    seed: 12,
  },
  // Yelp2018 (LightGCN): 31,668 × 38,048, 1.56M, ≥ 10 per user; here at ~60 % of its size.
  'yelp-like': {
    users: 20000,
    items: 25000,
    median: 28,
    sigma: 0.8,
    floor: 10,
    topics: 1000,
    groups: 40,
    extra: 3,
    inGroup: 0.9,
    pop: 0.15,
    zipf: 0.9,
    values: 'binary',
    seed: 13,
  },
  // Amazon-book (LightGCN): 52,643 × 91,599, 2.98M; here 40k × 80k, ~1.2M.
  'amazon-like': {
    users: 40000,
    items: 80000,
    median: 20,
    sigma: 0.9,
    floor: 10,
    topics: 3000,
    groups: 60,
    extra: 3,
    inGroup: 0.7,
    pop: 0.1,
    zipf: 0.7,
    values: 'binary',
    seed: 14,
  },
  // Last.fm-like play counts: few users, many items.
  'counts-like': {
    users: 2000,
    items: 18000,
    median: 45,
    sigma: 0.5,
    floor: 5,
    topics: 300,
    groups: 15,
    extra: 3,
    inGroup: 0.7,
    pop: 0.25,
    zipf: 1.1,
    values: 'counts',
    seed: 15,
  },
  // Extremes. Dense and small, no popularity skew: 1k × 1k at 5e-2.
  'dense-flat': {
    users: 1000,
    items: 1000,
    median: 45,
    sigma: 0.4,
    floor: 10,
    topics: 20,
    groups: 4,
    extra: 1,
    inGroup: 0.8,
    pop: 0,
    zipf: 0,
    values: 'binary',
    seed: 16,
  },
  // Very sparse, many items: 20k × 100k at ~1e-4 (9 per user).
  'sparse-wide': {
    users: 20000,
    items: 100000,
    median: 7,
    sigma: 0.7,
    floor: 3,
    topics: 2000,
    groups: 50,
    extra: 2,
    inGroup: 0.8,
    pop: 0.05,
    zipf: 0.6,
    values: 'binary',
    seed: 17,
  },
  // Many users, few items, strong skew: 100k × 2k at 5e-3.
  'tall-skewed': {
    users: 100000,
    items: 2000,
    median: 7,
    sigma: 0.9,
    floor: 2,
    topics: 60,
    groups: 10,
    extra: 2,
    inGroup: 0.7,
    pop: 0.4,
    zipf: 1.2,
    values: 'binary',
    seed: 18,
  },
  // Check-in-like: very sparse rows (≈ 7), 30k × 40k, many local topics.
  'checkin-like': {
    users: 30000,
    items: 40000,
    median: 5,
    sigma: 0.8,
    floor: 1,
    topics: 1500,
    groups: 30,
    extra: 1,
    inGroup: 0.95,
    pop: 0.05,
    zipf: 0.7,
    values: 'binary',
    seed: 19,
  },
  // Ratings, mid-size and sparser than MovieLens: 20k × 10k at 3e-3.
  'ratings-sparse': {
    users: 20000,
    items: 10000,
    median: 20,
    sigma: 1.0,
    floor: 5,
    topics: 150,
    groups: 15,
    extra: 3,
    inGroup: 0.7,
    pop: 0.3,
    zipf: 1.0,
    values: 'ratings',
    seed: 20,
  },
};

/** Seeded uniform [0, 1) (sfc32, as src/random.ts) so the sets are the same everywhere. */
function rng(seed) {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed * 0x85ebca6b;
  const next = () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 20; i++) next();
  return next;
}

function normal(u) {
  return Math.sqrt(-2 * Math.log(u() + 1e-300)) * Math.cos(2 * Math.PI * u());
}

function poisson(u, mean) {
  let k = 0;
  let p = Math.exp(-mean);
  let s = p;
  const x = u();
  while (x > s && k < 1000) {
    k++;
    p *= mean / k;
    s += p;
  }
  return k;
}

/** A sampler of indices by weight (cumulative sums, binary search). */
function sampler(weights) {
  const cdf = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) cdf[i] = acc += weights[i];
  return (x) => {
    const t = x * acc;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** Generate one set: { rows, cols, vals, users, items }. */
export function generate(s) {
  const u = rng(s.seed);
  const { users, items, topics, groups } = s;
  // Topics: sizes log-normal; each topic in a group; items to topics by size.
  const topicSize = Float64Array.from({ length: topics }, () => Math.exp(0.8 * normal(u)));
  const topicGroup = Int32Array.from({ length: topics }, () => Math.floor(u() * groups));
  const pickTopicBySize = sampler(topicSize);
  const itemTopic = Int32Array.from({ length: items }, () => pickTopicBySize(u()));
  // Item popularity: Zipf over a random order, the same ranks within topics and overall.
  const order = Int32Array.from({ length: items }, (_, i) => i);
  for (let i = items - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const pop = new Float64Array(items);
  for (let r = 0; r < items; r++) pop[order[r]] = 1 / (r + 1) ** s.zipf;
  const quality = Float64Array.from({ length: items }, () => 0.5 * normal(u));
  const members = Array.from({ length: topics }, () => []);
  for (let i = 0; i < items; i++) members[itemTopic[i]].push(i);
  const topicSamplers = members.map((m) => (m.length ? sampler(m.map((i) => pop[i])) : null));
  const globalItem = sampler(pop);
  // Topic popularity (how many users pick it): its total item popularity.
  const topicPop = new Float64Array(topics);
  for (let i = 0; i < items; i++) topicPop[itemTopic[i]] += pop[i];
  const groupTopics = Array.from({ length: groups }, () => []);
  for (let t = 0; t < topics; t++) if (members[t].length) groupTopics[topicGroup[t]].push(t);
  const pickTopic = sampler(topicPop);
  const groupSamplers = groupTopics.map((g) => (g.length ? sampler(g.map((t) => topicPop[t])) : null));

  const rows = [];
  const cols = [];
  const vals = [];
  const chosen = new Map();
  for (let user = 0; user < users; user++) {
    const want = Math.min(
      Math.floor(items / 2),
      Math.max(s.floor, Math.round(s.median * Math.exp(s.sigma * normal(u)))),
    );
    // The user's topics: the first by popularity, the rest mostly from its group.
    const first = pickTopic(u());
    const mine = [first];
    const n = 1 + poisson(u, s.extra);
    for (let k = 1; k < n; k++) {
      const g = groupSamplers[topicGroup[first]];
      mine.push(u() < s.inGroup && g ? groupTopics[topicGroup[first]][g(u())] : pickTopic(u()));
    }
    const w = mine.map(() => -Math.log(u() + 1e-300)); // Dirichlet(1) weights
    const wsum = w.reduce((a, b) => a + b, 0);
    const pickMine = sampler(w);
    chosen.clear();
    const scale = Math.exp(0.8 * normal(u)); // play-count scale of this user
    const mean = 3.6 + 0.45 * normal(u);
    for (let tries = 0; chosen.size < want && tries < 20 * want + 100; tries++) {
      let i;
      let affinity = 0;
      if (u() < s.pop) i = globalItem(u());
      else {
        const k = pickMine(u());
        const t = mine[k];
        i = members[t][topicSamplers[t](u())];
        affinity = (w[k] / wsum) * mine.length; // > 1 for the user's main topics
      }
      if (chosen.has(i)) continue;
      let v = 1;
      if (s.values === 'counts') v = 1 + Math.floor(-scale * Math.exp(1 + 0.7 * affinity) * Math.log(1 - u()) * 5);
      else if (s.values === 'ratings')
        v = Math.min(
          5,
          Math.max(1, Math.round(mean + quality[i] + 0.5 * Math.min(2, affinity) - 0.5 + 0.7 * normal(u))),
        );
      chosen.set(i, v);
    }
    for (const [i, v] of chosen) {
      rows.push(user);
      cols.push(i);
      vals.push(v);
    }
  }
  // As a file read by ids has them: items nobody touched do not exist.
  const id = new Int32Array(items).fill(-1);
  let used = 0;
  for (let p = 0; p < cols.length; p++) {
    if (id[cols[p]] < 0) id[cols[p]] = used++;
    cols[p] = id[cols[p]];
  }
  return { rows, cols, vals, users, items: used };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = Object.fromEntries(
    process.argv
      .slice(2)
      .reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
  );
  const out = args.out ?? 'build/quality';
  const lib = await import(process.env.LOWRANK_DIST ?? new URL('../../dist/internal.mjs', import.meta.url).href);
  mkdirSync(out, { recursive: true });
  for (const name of (args.sets ?? Object.keys(SHAPES).join(',')).split(',')) {
    const s = SHAPES[name];
    if (!s) throw new Error(`unknown set ${name}; known: ${Object.keys(SHAPES).join(', ')}`);
    const t0 = performance.now();
    const g = generate(s);
    const m = lib.SparseMatrix.fromCOO({
      rows: g.rows,
      cols: g.cols,
      values: Float32Array.from(g.vals),
      shape: [g.users, g.items],
    });
    writeCsr(`${out}/${name}.csr`, m);
    console.log(
      `${name}: ${g.users} × ${g.items}, ${m.nnz} entries, density ${(m.nnz / g.users / g.items).toExponential(1)}, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
}
