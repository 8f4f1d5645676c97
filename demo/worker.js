// The demo's Web Worker: owns the data and the models, so parsing, training and the SVD never block the page.
// Requests are { id, type, ...args }; every reply carries the request's id (progress messages carry it too).
import * as lowrank from '../dist/index.mjs';
import { availableModels } from './models.js';
import { parseTitles } from './titles.js';

const { init, datasets, readInteractions, truncatedSVD, trainTestSplit, rankingMetrics } = lowrank;
const MODELS = availableModels(lowrank);
/** The class of a model entry (by name: the table also names classes not exported yet). */
// biome-ignore lint/performance/noDynamicNamespaceImportAccess: the demo bundles the whole package anyway
const classOf = (entry) => lowrank[entry.cls];
/** The held-out part of each load: the models train on the rest, precision@10 is measured on it. */
const TEST_FRACTION = 0.2;

let data; // Interactions
let split; // { train, test }: one seeded split per load, the same for every model
let trained = new Map(); // model key → { model, entry, fitSeconds, precision, used, passed }
let current; // the key of the model the page serves
let spectrum; // singular values of the loaded data (computed once per load)
let itemCounts; // Int32Array: interactions per item
let titles = new Map(); // item id text → title, from an items file
let titlesFrom = '';

const idText = (id) => String(id);
const titleOf = (i) => titles.get(idText(data.items.id(i)));
const entryOf = (key) => {
  const e = MODELS.find((m) => m.key === key);
  if (!e) throw new Error(`unknown model ${key}`);
  return e;
};
const served = (what) => {
  const t = trained.get(current);
  if (!t) throw new Error(`train a model first (${what})`);
  return t.model;
};

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
    heldOut: split.test.nnz,
    testFraction: TEST_FRACTION,
    unfit: Object.fromEntries(MODELS.map((m) => [m.key, m.fits?.(dataTraits()) ?? ''])),
    ...titlesInfo(),
  };
}

/** What a model entry's `fits` looks at: whether every value is the same (0/1 data). */
function dataTraits() {
  const v = data.matrix.data;
  let binary = true;
  for (let p = 1; p < v.length && binary; p++) binary = v[p] === v[0];
  return { binary };
}

function ranked(r, extra) {
  return Array.from(r.items, (i, j) => itemInfo(i, { score: r.scores[j], ...(extra ? extra(i) : {}) }));
}

/** Forget the models (a new load). */
function dropModels() {
  for (const t of trained.values()) t.model.dispose();
  trained = new Map();
  current = undefined;
  spectrum = undefined;
}

/**
 * The liked items that explain a score, as `lowrank recommend --explain` prints them: the top 3
 * contributions with their share of the score (the contributions of all liked items sum to the score).
 * Only models with `explain` (ImplicitALS) give them.
 */
function explained(model, user, item, userItems) {
  if (typeof model.explain !== 'function') return {};
  const e = model.explain(user, item, { n: 3, ...(userItems ? { userItems } : {}) });
  const because = Array.from(e.contributions.items, (j, q) => {
    const c = e.contributions.scores[q];
    return { ...itemInfo(j), contribution: c, share: e.score !== 0 ? c / e.score : 0 };
  });
  return { because, explainedScore: e.score };
}

/** The options a model used, for the page: its fields' values after the fit. */
function usedOptions(model, entry) {
  const o = model.options;
  const value = (k) => (entry.fitted?.[k] ? model[entry.fitted[k]] : o[k]);
  return Object.fromEntries(entry.fields.map((f) => [f.key, value(f.key)]).filter(([, v]) => v != null));
}

function modelRow(key) {
  const t = trained.get(key);
  return {
    key,
    label: t.entry.label,
    fitSeconds: t.fitSeconds,
    precision: t.precision,
    used: t.used,
    passed: t.passed,
    lossIncluded: t.entry.extra?.calculateTrainingLoss === true,
  };
}

const handlers = {
  async hello() {
    const backend = await init();
    // The selector: each available model's settings and their defaults as the library states them before
    // a fit (a value derived from the data at fit shows as the library writes it, e.g. 'auto').
    const models = MODELS.map((m) => {
      const blank = new (classOf(m))();
      const defaults = blank.options;
      blank.dispose?.();
      const { fits, extra, ...shown } = m;
      return { ...shown, defaults: Object.fromEntries(m.fields.map((f) => [f.key, defaults[f.key]])) };
    });
    return { backend: backend.name, crossOriginIsolated: self.crossOriginIsolated === true, models };
  },

  // A failed read leaves nothing behind: no data, no models (the page clears its view too).
  async load({ source, file, format, skipBadRows }, progress) {
    dropModels();
    data = undefined;
    titles = new Map();
    titlesFrom = '';
    if (source === 'synthetic') {
      data = datasets.synthetic({ users: 3000, items: 2000, density: 0.02, rank: 10, seed: 0 });
      split = trainTestSplit(data.matrix, { testFraction: TEST_FRACTION, seed: 0 });
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
    split = trainTestSplit(data.matrix, { testFraction: TEST_FRACTION, seed: 0 });
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

  /**
   * Train model `key` on the training part with the library's defaults for every setting the page left
   * empty (`options` holds only what was typed), then measure precision@10 on the held-out part.
   */
  async train({ model: key, options, svdK }, progress) {
    if (!data) throw new Error('load data first');
    const entry = entryOf(key);
    const unfit = entry.fits?.(dataTraits());
    if (unfit) throw new Error(unfit);
    const m = new (classOf(entry))({ ...options, ...entry.extra });
    const iterations = m.options.iterations;
    const train = { matrix: split.train, users: data.users, items: data.items };
    const t0 = performance.now();
    try {
      await m.fit(
        train,
        entry.iterative
          ? {
              onIteration: (it) =>
                progress({
                  phase: 'train',
                  iteration: it.iteration + 1,
                  iterations,
                  loss: it.loss,
                  seconds: it.seconds,
                }),
            }
          : undefined,
      );
    } catch (e) {
      m.dispose();
      throw e;
    }
    const fitSeconds = (performance.now() - t0) / 1000;
    const metrics = rankingMetrics(m, split.train, split.test, { k: 10 });
    trained.get(key)?.model.dispose();
    trained.set(key, {
      model: m,
      entry,
      fitSeconds,
      precision: metrics.precision,
      used: usedOptions(m, entry),
      passed: options,
    });
    current = key;
    let svdSeconds = 0;
    if (!spectrum) {
      const k = Math.min(svdK, Math.min(...data.shape));
      const t1 = performance.now();
      const svd = await truncatedSVD(data.matrix, {
        k,
        tol: 1e-8,
        onProgress: (p) => progress({ phase: 'svd', converged: p.converged, k }),
      });
      spectrum = Array.from(svd.s);
      svdSeconds = (performance.now() - t1) / 1000;
    }
    return { ...modelRow(key), svdSeconds, singularValues: spectrum, models: [...trained.keys()].map(modelRow) };
  },

  /** Serve a model trained before (the selector switched to it). */
  use({ model: key }) {
    if (!trained.has(key)) return { trained: false };
    current = key;
    return { trained: true, ...modelRow(key) };
  },

  recommend({ user, n }) {
    const model = served('recommend');
    const u = indexOf(data.users, user, 'user');
    const r = model.recommend(u, { n });
    const heldOut = new Set(rowOf(split.test, u));
    return {
      user: idText(data.users.id(u)),
      history: data.matrix.rowNnz(u),
      heldOut: heldOut.size,
      items: ranked(r, (i) => ({ ...explained(model, u, i), heldOut: heldOut.has(i) })),
    };
  },

  /** Each trained model's top `n` for `user`, side by side; items the user has in the held-out part marked. */
  compare({ user, n }) {
    const u = indexOf(data.users, user, 'user');
    const heldOut = new Set(rowOf(split.test, u));
    return {
      user: idText(data.users.id(u)),
      models: [...trained.entries()].map(([key, t]) => ({
        key,
        label: t.entry.label,
        items: ranked(t.model.recommend(u, { n }), (i) => ({ heldOut: heldOut.has(i) })),
      })),
    };
  },

  similar({ item, n }) {
    const model = served('similar items');
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
    const model = served('fold-in');
    const t = performance.now();
    if (liked.length === 0) return { items: [], ms: 0 };
    // Fold-in by the items' own ids (no refit): the user's factors are solved from the ticked items.
    const indices = liked.map((id) => indexOf(data.items, id, 'item'));
    const r = model.recommendForItemsById(
      indices.map((i) => data.items.id(i)),
      { n },
    );
    const ms = performance.now() - t;
    return { items: ranked(r, (i) => explained(model, 0, i, { indices })), ms };
  },
};

/** Row `u`'s item indices. */
function rowOf(m, u) {
  return Array.from(m.indices.subarray(m.indptr[u], m.indptr[u + 1]));
}

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
