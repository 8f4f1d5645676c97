// The demo's Web Worker: owns the data and the model, so parsing, training and the SVD never block the page.
// Requests are { id, type, ...args }; every reply carries the request's id (progress messages carry it too).
import { init, datasets, readInteractions, ImplicitALS, truncatedSVD } from '../dist/index.mjs';
import { parseTitles } from './titles.js';

let data; // Interactions
let model; // ImplicitALS
let itemCounts; // Int32Array: interactions per item
let titles = new Map(); // item id text → title, from an items file
let titlesFrom = '';

const idText = (id) => String(id);
const titleOf = (i) => titles.get(idText(data.items.id(i)));

/** Map an id typed in the page (text) to an index: IdMap finds numeric ids by their text too. */
function indexOf(map, raw, what) {
  const text = String(raw).trim();
  const i = map.indexOf(text);
  if (i < 0) throw new Error(`unknown ${what} id "${text}"`);
  return i;
}

/** An item for the page: id, title (when an items file gave one), interaction count. */
function itemInfo(i, extra) {
  return { id: idText(data.items.id(i)), title: titleOf(i), count: itemCounts[i], ...extra };
}

function titlesInfo() {
  if (!data || titles.size === 0) return { titles: 0, titlesFrom: '' };
  let named = 0;
  for (let i = 0; i < data.shape[1]; i++) if (titleOf(i) !== undefined) named++;
  return { titles: named, titlesFrom };
}

function summary() {
  const [users, items] = data.shape;
  itemCounts = new Int32Array(items);
  for (const c of data.matrix.indices) itemCounts[c]++;
  const popular = Array.from(itemCounts.keys())
    .sort((a, b) => itemCounts[b] - itemCounts[a] || a - b)
    .slice(0, 300);
  let top = 0;
  for (let u = 1; u < users; u++) if (data.matrix.rowNnz(u) > data.matrix.rowNnz(top)) top = u;
  return {
    users,
    items,
    nnz: data.nnz,
    description: data.info?.description ?? '',
    // Every user id, for the page's search (ids as text, in the data's order).
    userIds: data.users.ids().map(idText),
    firstUser: idText(data.users.id(top)),
    popularItems: popular.map((i) => itemInfo(i)),
    ...titlesInfo(),
  };
}

function ranked(r, extra) {
  return Array.from(r.items, (i, j) => itemInfo(i, { score: r.scores[j], ...(extra ? extra(i) : {}) }));
}

const handlers = {
  async hello() {
    const backend = await init();
    return { backend: backend.name, crossOriginIsolated: self.crossOriginIsolated === true };
  },

  // A failed read leaves nothing behind: no data, no model (the page clears its view too).
  async load({ source, file, format, skipBadRows }, progress) {
    model?.dispose();
    model = undefined;
    data = undefined;
    titles = new Map();
    titlesFrom = '';
    if (source === 'synthetic') {
      data = datasets.synthetic({ users: 3000, items: 2000, density: 0.02, rank: 10, seed: 0 });
      return summary();
    }
    const d = await readInteractions(file, {
      format: format || 'auto',
      name: file.name,
      // Rows that cannot be read stop the read unless the page's "skip bad rows" is ticked; either way the
      // report counts what was not read, and the page says it.
      onError: skipBadRows ? 'skip' : 'throw',
      warnings: false,
      onProgress: (p) => progress({ phase: 'read', bytes: p.bytes, total: p.totalBytes ?? file.size }),
    });
    data = d;
    const r = d.report;
    const dropped = Object.entries(r?.dropped ?? {}).map(([kind, x]) => `${x.count} ${kind}`);
    const notes = [dropped.length ? `rows not read: ${dropped.join(', ')}` : '', ...(r?.notes ?? [])].filter(Boolean);
    return { ...summary(), description: `${file.name} (${r?.format ?? format})`, notes };
  },

  /** An items file (u.item, movies.dat, …): titles for the loaded items from now on. */
  async titles({ file }) {
    const parsed = parseTitles(file.name, new Uint8Array(await file.arrayBuffer()));
    titles = parsed;
    titlesFrom = file.name;
    if (!data) return { titles: 0, titlesFrom, read: parsed.size };
    return { ...titlesInfo(), read: parsed.size, popularItems: summary().popularItems };
  },

  async train({ factors, iterations, regularization, alpha, confidence, svdK }, progress) {
    if (!data) throw new Error('load data first');
    model?.dispose();
    model = undefined;
    const m = new ImplicitALS({
      factors,
      iterations,
      regularization,
      alpha,
      confidence,
      seed: 0,
      calculateTrainingLoss: true,
    });
    const t0 = performance.now();
    await m.fit(data, {
      onIteration: (it) =>
        progress({ phase: 'train', iteration: it.iteration + 1, iterations, loss: it.loss, seconds: it.seconds }),
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    model = m;
    const k = Math.min(svdK, Math.min(...data.shape));
    const t1 = performance.now();
    const svd = await truncatedSVD(data.matrix, {
      k,
      tol: 1e-8,
      onProgress: (p) => progress({ phase: 'svd', converged: p.converged, k }),
    });
    return {
      trainSeconds,
      svdSeconds: (performance.now() - t1) / 1000,
      singularValues: Array.from(svd.s),
      converged: svd.converged,
    };
  },

  recommend({ user, n }) {
    if (!model) throw new Error('train a model first');
    const u = indexOf(data.users, user, 'user');
    const r = model.recommend(u, { n });
    // Explanation of each item: the liked item contributing most to its score (HKV 2008 §5).
    const because = (i) => {
      const e = model.explain(u, i, { n: 1 });
      if (!e.contributions.items.length) return {};
      const j = e.contributions.items[0];
      return { because: titleOf(j) ?? idText(data.items.id(j)) };
    };
    return { user: idText(data.users.id(u)), history: data.matrix.rowNnz(u), items: ranked(r, because) };
  },

  similar({ item, n }) {
    if (!model) throw new Error('train a model first');
    const i = indexOf(data.items, item, 'item');
    const r = model.similarItems(i, { n, filterItems: [i] });
    return { item: itemInfo(i), items: ranked(r) };
  },

  /** Items whose id starts with, or whose title contains, `query` (most popular first). */
  searchItems({ query, n }) {
    if (!data) return { items: [] };
    const q = String(query).trim().toLowerCase();
    const hits = [];
    for (let i = 0; i < data.shape[1]; i++) {
      const id = idText(data.items.id(i));
      const t = titleOf(i);
      if (q === '' || id.toLowerCase().startsWith(q) || (t !== undefined && t.toLowerCase().includes(q))) hits.push(i);
    }
    hits.sort((a, b) => itemCounts[b] - itemCounts[a] || a - b);
    return { items: hits.slice(0, n).map((i) => itemInfo(i)), total: hits.length };
  },

  foldin({ liked, n }) {
    if (!model) throw new Error('train a model first');
    const t = performance.now();
    if (liked.length === 0) return { items: [], ms: 0 };
    // Fold-in by the items' own ids (no refit): the user's factors are solved from the ticked items.
    const r = model.recommendForItemsById(
      liked.map((id) => data.items.id(indexOf(data.items, id, 'item'))),
      { n },
    );
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
