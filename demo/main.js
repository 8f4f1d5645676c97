// The demo page: UI only. All data work happens in worker.js (a module Web Worker), so the page stays
// responsive while a model trains; plots are plain SVG (plots.js).
import { drawLoss, drawSpectrum, fmt } from './plots.js';
import { isTitlesFile } from './titles.js';

const $ = (id) => document.getElementById(id);

// ---- worker RPC: request(type, args, onProgress) → Promise of the result
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
let nextId = 1;
const pending = new Map();
worker.onmessage = (e) => {
  const { id, progress, result, error } = e.data;
  const p = pending.get(id);
  if (!p) return;
  if (progress) return p.onProgress?.(progress);
  pending.delete(id);
  if (error !== undefined) p.reject(new Error(error));
  else p.resolve(result);
};
worker.onerror = (e) => setStatus(`worker failed: ${e.message}`, true);
function request(type, args = {}, onProgress) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    worker.postMessage({ id, type, ...args });
  });
}

// ---- page state, also exposed for the browser test
const state = {
  phase: 'starting',
  losses: [],
  singularValues: [],
  frames: 0,
  error: null,
  data: null,
  trained: false,
  userIds: [],
  liked: new Map() /* id → item */,
};
window.lowrankDemo = state;

function setStatus(html, bad = false) {
  $('status').innerHTML = bad ? `<span class="bad">${html}</span>` : html;
  if (bad) state.error = html;
}

// A heartbeat animated by requestAnimationFrame: it keeps moving only while the main thread is free.
(function beat(t) {
  state.frames++;
  $('beat').style.left = `${48 * (0.5 + 0.5 * Math.sin(t / 300))}px`;
  requestAnimationFrame(beat);
})(0);

// ---- tables
/** An item's cell: its title when an items file gave one (the id in the tooltip), else its id. */
function itemCell(x) {
  return { text: x.title ?? x.id, tip: x.title ? `item ${x.id}` : '' };
}

// Columns 0 (rank) and 2 (score) are numbers; ids and titles stay left-aligned like the text they are.
function fill(tableId, rows) {
  const body = $(tableId).querySelector('tbody');
  body.replaceChildren(
    ...rows.map((cells) => {
      const tr = document.createElement('tr');
      cells.forEach((c, j) => {
        const td = document.createElement('td');
        td.textContent = typeof c === 'object' ? c.text : c;
        if (typeof c === 'object' && c.tip) td.title = c.tip;
        if (j === 0 || j === 2) td.className = 'num';
        tr.appendChild(td);
      });
      return tr;
    }),
  );
}

// ---- data
/** Forget the data, the model and everything shown from them (a new load starts, or one failed). */
function clearAll() {
  state.data = null;
  state.trained = false;
  state.userIds = [];
  state.liked.clear();
  state.recs = state.similar = state.foldin = undefined;
  state.losses = [];
  state.singularValues = [];
  drawLoss($('loss-plot'), [], 0);
  drawSpectrum($('spectrum-plot'), []);
  for (const t of ['recs', 'similar', 'foldin']) fill(t, []);
  for (const id of ['user', 'item', 'like-search']) $(id).value = '';
  for (const id of ['user-list', 'item-list', 'like-list', 'liked-chips']) $(id).replaceChildren();
  for (const id of ['train-info', 'user-info', 'foldin-info', 'like-info']) $(id).textContent = '';
  $('progress').value = 0;
}

/** Show what the worker read: sizes, titles, users to search, items to tick. */
function showData(r, { keepUser = false } = {}) {
  state.data = r;
  state.userIds = r.userIds;
  const titles = r.titles ? ` · titles for ${r.titles} items from ${r.titlesFrom}` : '';
  const notes = r.notes?.length ? ` · ${r.notes.join(' · ')}` : '';
  $('data-info').textContent =
    `${r.description ? r.description + ' — ' : ''}${r.users} users × ${r.items} items, ${r.nnz} interactions${titles}${notes}`;
  if (!keepUser) {
    $('user').value = r.firstUser;
    $('user-info').textContent = `${r.users} users — type an id to search`;
    suggestUsers();
  }
  showPopular(r.popularItems);
}

function showPopular(items) {
  state.popularItems = items;
  $('item').value ||= items[0]?.id ?? '';
  $('item-list').replaceChildren(
    ...items.slice(0, 100).map((it) => new Option(it.title ?? `${it.count} interactions`, it.id)),
  );
  showLikeList(items, items.length);
}

async function load({ titlesFile, ...args }, label) {
  setBusy(true);
  clearAll();
  state.phase = 'loading';
  $('data-info').textContent = `reading ${label}…`;
  try {
    const r = await request('load', args, (p) => {
      if (p.phase === 'read')
        $('data-info').textContent =
          `reading ${label}: ${(p.bytes / 1048576).toFixed(1)} / ${(p.total / 1048576).toFixed(1)} MiB`;
    });
    if (titlesFile) Object.assign(r, await request('titles', { file: titlesFile }));
    showData(r);
    state.phase = 'loaded';
  } catch (e) {
    clearAll();
    // The library's advice in the page's terms: its options are the controls above.
    const message = e.message
      .replace("pass onError: 'skip'", 'tick "skip bad rows"')
      .replaceAll("format: 'counted-lists'", 'format counted-lists')
      .replaceAll("format: 'lists'", 'format lists');
    $('data-info').textContent = `could not read ${label}: ${message}`;
    state.phase = 'error';
    state.error = e.message;
  } finally {
    setBusy(false);
  }
}

/** Titles for the data already loaded, from an items file dropped on its own. */
async function loadTitles(file) {
  try {
    const r = await request('titles', { file });
    if (!state.data) {
      $('data-info').textContent = `${file.name}: ${r.read} titles read; drop the ratings file too`;
      return;
    }
    Object.assign(state.data, r);
    showData(state.data, { keepUser: true });
    if (state.trained) await Promise.all([recommend(), similar(), foldIn()]);
  } catch (e) {
    $('data-info').textContent = `could not read ${file.name}: ${e.message}`;
  }
}

/** Files dropped or chosen: a ratings file and/or an items file (u.item, movies.dat, …). */
function takeFiles(list) {
  const files = [...list];
  const titlesFile = files.find((f) => isTitlesFile(f.name));
  const ratings = files.filter((f) => f !== titlesFile);
  if (ratings.length > 1) {
    $('data-info').textContent = `drop one ratings file at a time (got ${ratings.map((f) => f.name).join(', ')})`;
    return;
  }
  if (ratings.length === 1) {
    const label = titlesFile ? `${ratings[0].name} + ${titlesFile.name}` : ratings[0].name;
    load(
      {
        source: 'file',
        file: ratings[0],
        format: $('format').value,
        skipBadRows: $('skip-bad-rows').checked,
        titlesFile,
      },
      label,
    );
  } else if (titlesFile) loadTitles(titlesFile);
}

function setBusy(busy) {
  $('train').disabled = busy || !state.data;
  $('use-synthetic').disabled = busy;
  $('similar-go').disabled = busy || !state.trained;
}

// ---- training
async function train() {
  const p = (id) => Number($(id).value);
  const args = {
    factors: p('factors'),
    iterations: p('iterations'),
    regularization: p('regularization'),
    alpha: p('alpha'),
    confidence: $('confidence').value,
    svdK: 30,
  };
  state.trained = false;
  state.phase = 'training';
  state.losses = [];
  state.singularValues = [];
  drawLoss($('loss-plot'), [], 0);
  drawSpectrum($('spectrum-plot'), []);
  setBusy(true);
  $('progress').value = 0;
  $('train-info').textContent = 'training…';
  try {
    const r = await request('train', args, (m) => {
      if (m.phase === 'train') {
        state.losses.push(m.loss);
        $('progress').value = m.iteration / m.iterations;
        $('train-info').textContent =
          `iteration ${m.iteration}/${m.iterations} · loss ${fmt(m.loss)} · ${(m.seconds * 1000).toFixed(0)} ms`;
        drawLoss($('loss-plot'), state.losses, args.iterations);
      } else if (m.phase === 'svd') {
        $('train-info').textContent = `truncated SVD: ${m.converged}/${m.k} singular triplets converged`;
      }
    });
    state.singularValues = r.singularValues;
    drawSpectrum($('spectrum-plot'), r.singularValues);
    $('train-info').textContent =
      `trained in ${r.trainSeconds.toFixed(2)} s (final loss ${fmt(state.losses.at(-1))}); SVD of the top ${r.singularValues.length} in ${r.svdSeconds.toFixed(2)} s`;
    state.trained = true;
    for (const c of $('like-list').querySelectorAll('input')) c.disabled = false;
    await Promise.all([recommend(), similar(), foldIn()]);
    state.phase = 'trained';
  } catch (e) {
    $('train-info').textContent = `training failed: ${e.message}`;
    state.phase = 'error';
    state.error = e.message;
  } finally {
    setBusy(false);
  }
}

// ---- serving
/** Up to 50 user ids starting with what is typed, as suggestions of the user box. */
function suggestUsers() {
  const q = $('user').value.trim();
  const hits = [];
  for (const id of state.userIds) {
    if (id.startsWith(q)) hits.push(id);
    if (hits.length === 50) break;
  }
  $('user-list').replaceChildren(...hits.map((id) => new Option(id)));
}

async function recommend() {
  if (!state.trained) return;
  const user = $('user').value.trim();
  try {
    const r = await request('recommend', { user, n: 10 });
    fill(
      'recs',
      r.items.map((x, i) => [i + 1, itemCell(x), x.score.toFixed(3), x.because ?? '']),
    );
    $('user-info').textContent =
      `user ${r.user}: ${r.history} items in the data · ${state.userIds.length} users — type an id to search`;
    state.recs = r.items.map((x) => x.id);
  } catch (e) {
    fill('recs', []);
    $('user-info').textContent =
      `${e.message} — ${state.userIds.length} users, e.g. ${state.userIds.slice(0, 3).join(', ')}`;
    state.recs = [];
  }
}

async function similar() {
  if (!state.trained) return;
  try {
    const r = await request('similar', { item: $('item').value, n: 10 });
    fill(
      'similar',
      r.items.map((x, i) => [i + 1, itemCell(x), x.score.toFixed(3)]),
    );
    $('similar-info').textContent = `items like ${r.item.title ?? `item ${r.item.id}`}`;
    state.similar = r.items.map((x) => x.id);
  } catch (e) {
    fill('similar', []);
    $('similar-info').textContent = e.message;
  }
}

// ---- fold-in: the ticked items become a new user's history; recalculateUser gives their factors directly.
/** The tickable items: popular ones, or the matches of the search box; ticks live in state.liked. */
function showLikeList(items, total) {
  $('like-list').replaceChildren(
    ...items.map((it) => {
      const l = document.createElement('label');
      const c = document.createElement('input');
      c.type = 'checkbox';
      c.value = it.id;
      c.checked = state.liked.has(it.id);
      c.disabled = !state.trained;
      c.addEventListener('change', () => {
        if (c.checked) state.liked.set(it.id, it);
        else state.liked.delete(it.id);
        foldIn();
      });
      const name = document.createElement('span');
      name.textContent = it.title ?? `item ${it.id}`;
      const count = document.createElement('small');
      count.textContent = String(it.count);
      l.append(c, name, count);
      l.title = `item ${it.id}: ${it.count} interactions`;
      return l;
    }),
  );
  $('like-list').scrollTop = 0;
  $('like-info').textContent =
    `${items.length < total ? `${items.length} of ${total}` : total} items${$('like-search').value.trim() ? ' matching' : ', most popular first'} — scroll for more`;
}

let searchSeq = 0;
async function searchLikes() {
  const query = $('like-search').value;
  const seq = ++searchSeq;
  const r = await request('searchItems', { query, n: 300 });
  if (seq === searchSeq) showLikeList(r.items, r.total);
}

function showChips() {
  $('liked-chips').replaceChildren(
    ...[...state.liked.values()].map((it) => {
      const b = document.createElement('button');
      b.className = 'chip';
      b.textContent = `${it.title ?? it.id} ×`;
      b.title = 'remove';
      b.addEventListener('click', () => {
        state.liked.delete(it.id);
        for (const c of $('like-list').querySelectorAll('input')) if (c.value === it.id) c.checked = false;
        foldIn();
      });
      return b;
    }),
  );
}

let foldSeq = 0;
async function foldIn() {
  showChips();
  if (!state.trained) return;
  const liked = [...state.liked.keys()];
  const seq = ++foldSeq;
  const r = await request('foldin', { liked, n: 10 });
  if (seq !== foldSeq) return; // a newer tick already answered
  fill(
    'foldin',
    r.items.map((x, i) => [i + 1, itemCell(x), x.score.toFixed(3)]),
  );
  $('foldin-info').textContent = liked.length ? `${liked.length} liked → recomputed in ${r.ms.toFixed(1)} ms` : '';
  state.foldin = { liked, items: r.items.map((x) => x.id), ms: r.ms };
}

// ---- wiring
$('use-synthetic').addEventListener('click', () => load({ source: 'synthetic' }, 'synthetic data'));
$('train').addEventListener('click', train);
$('user').addEventListener('input', suggestUsers);
$('user').addEventListener('change', recommend);
$('user').addEventListener('keydown', (e) => e.key === 'Enter' && recommend());
$('similar-go').addEventListener('click', similar);
$('item').addEventListener('keydown', (e) => e.key === 'Enter' && similar());
$('like-search').addEventListener('input', searchLikes);
$('file').addEventListener('change', (e) => takeFiles(e.target.files));
const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  takeFiles(e.dataTransfer.files);
});

request('hello').then(
  (r) => {
    state.backend = r.backend;
    state.crossOriginIsolated = window.crossOriginIsolated === true;
    const iso = state.crossOriginIsolated
      ? '<span class="ok">crossOriginIsolated: yes</span>'
      : '<span class="bad">crossOriginIsolated: no</span>';
    setStatus(`backend: <b>${r.backend}</b> · ${iso} · training runs in a Web Worker`);
    state.phase = 'ready';
  },
  (e) => setStatus(`could not start: ${e.message}`, true),
);
