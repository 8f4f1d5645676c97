// The demo's Web Worker: owns the data and the model, so parsing, training and the SVD never block the page.
// Requests are { id, type, ...args }; every reply carries the request's id (progress messages carry it too).
import { init, datasets, readInteractions, ImplicitALS, truncatedSVD } from '../dist/index.mjs';

let data; // Interactions
let model; // ImplicitALS
let itemCounts; // Int32Array: interactions per item

/** The format of the public data sets' file names; anything else is detected from the content. */
function guessFormat(name) {
  const n = name.toLowerCase();
  if (n.endsWith('u.data')) return 'movielens-100k';
  if (n === 'ratings.dat') return 'movielens-1m';
  if (n === 'ratings.csv') return 'movielens-csv';
  if (n === 'user_artists.dat') return 'lastfm-2k';
  if (n.endsWith('.mtx')) return 'matrix-market';
  return 'delimited';
}

const idText = (id) => String(id);

/** Map an id typed in the page (text) to an index: ids read from files are numbers when numeric. */
function indexOf(map, raw, what) {
  const text = String(raw).trim();
  if (map.has(text)) return map.index(text);
  const n = Number(text);
  if (text !== '' && Number.isFinite(n) && map.has(n)) return map.index(n);
  throw new Error(`unknown ${what} id "${text}"`);
}

function summary() {
  const [users, items] = data.shape;
  itemCounts = new Int32Array(items);
  for (const c of data.matrix.indices) itemCounts[c]++;
  const popular = Array.from(itemCounts.keys()).sort((a, b) => itemCounts[b] - itemCounts[a] || a - b).slice(0, 40);
  const rowNnz = Array.from({ length: users }, (_, u) => data.matrix.rowNnz(u));
  const active = Array.from(rowNnz.keys()).sort((a, b) => rowNnz[b] - rowNnz[a] || a - b).slice(0, 200).sort((a, b) => a - b);
  return {
    users,
    items,
    nnz: data.nnz,
    description: data.info?.description ?? '',
    sampleUsers: active.map((u) => ({ id: idText(data.users.id(u)), count: rowNnz[u] })),
    popularItems: popular.map((i) => ({ id: idText(data.items.id(i)), count: itemCounts[i] })),
  };
}

function ranked(r, extra) {
  return Array.from(r.items, (i, j) => ({ id: idText(data.items.id(i)), score: r.scores[j], count: itemCounts[i], ...(extra ? extra(i) : {}) }));
}

const handlers = {
  async hello() {
    const backend = await init();
    return { backend: backend.name, crossOriginIsolated: self.crossOriginIsolated === true };
  },

  async load({ source, file, format }, progress) {
    model?.dispose();
    model = undefined;
    if (source === 'synthetic') {
      data = datasets.synthetic({ users: 3000, items: 2000, density: 0.02, rank: 10, seed: 0 });
    } else {
      const fmt = format && format !== 'auto' ? format : guessFormat(file.name);
      data = await readInteractions(file, {
        format: fmt,
        name: file.name,
        onProgress: (p) => progress({ phase: 'read', bytes: p.bytes, total: p.totalBytes ?? file.size }),
      });
      return { ...summary(), description: `${file.name} (${fmt})` };
    }
    return summary();
  },

  async train({ factors, iterations, regularization, alpha, confidence, svdK }, progress) {
    if (!data) throw new Error('load data first');
    model?.dispose();
    model = undefined;
    const m = new ImplicitALS({ factors, iterations, regularization, alpha, confidence, seed: 0, calculateTrainingLoss: true });
    const t0 = performance.now();
    await m.fit(data, { onIteration: (it) => progress({ phase: 'train', iteration: it.iteration + 1, iterations, loss: it.loss, seconds: it.seconds }) });
    const trainSeconds = (performance.now() - t0) / 1000;
    model = m;
    const k = Math.min(svdK, Math.min(...data.shape));
    const t1 = performance.now();
    const svd = await truncatedSVD(data.matrix, { k, tol: 1e-8, onProgress: (p) => progress({ phase: 'svd', converged: p.converged, k }) });
    return { trainSeconds, svdSeconds: (performance.now() - t1) / 1000, singularValues: Array.from(svd.s), converged: svd.converged };
  },

  recommend({ user, n }) {
    if (!model) throw new Error('train a model first');
    const u = indexOf(data.users, user, 'user');
    const r = model.recommend(u, { n });
    const liked = data.matrix.row(u);
    // Explanation of each item: the liked item contributing most to its score (HKV 2008 §5).
    const because = (i) => {
      const e = model.explain(u, i, undefined, 1);
      return e.contributions.items.length ? { because: idText(data.items.id(e.contributions.items[0])) } : {};
    };
    return { user: idText(data.users.id(u)), history: liked.indices.length, items: ranked(r, because) };
  },

  similar({ item, n }) {
    if (!model) throw new Error('train a model first');
    const i = indexOf(data.items, item, 'item');
    const r = model.similarItems(i, { n, filterItems: [i] });
    return { item: idText(data.items.id(i)), items: ranked(r) };
  },

  foldin({ liked, n }) {
    if (!model) throw new Error('train a model first');
    const t = performance.now();
    if (liked.length === 0) return { items: [], ms: 0 };
    const indices = liked.map((id) => indexOf(data.items, id, 'item'));
    const r = model.recommend(0, { n, userItems: { indices }, recalculateUser: true });
    return { items: ranked(r), ms: performance.now() - t };
  },
};

self.onmessage = async (e) => {
  const { id, type, ...args } = e.data;
  const progress = (p) => self.postMessage({ id, progress: p });
  try {
    const fn = handlers[type];
    if (!fn) throw new Error(`unknown request ${type}`);
    self.postMessage({ id, result: await fn(args, progress) });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
