// The demo page: UI only. All data work happens in worker.js (a module Web Worker), so the page stays
// responsive while a model trains; plots are plain SVG (plots.js).
import { plural } from './models.js';
import { drawLoss } from './plots.js';
import { $, request, setStatus, state } from './rpc.js';
import { fill, fillRanked, itemCell } from './tables.js';
import { isTitlesFile } from './titles.js';
import {
  choose,
  clearModels,
  compare,
  selected,
  setTrainable,
  showModelNote,
  showModels,
  showSpectrum,
  train,
  trainAll,
} from './train.js';

// A heartbeat animated by requestAnimationFrame: it keeps moving only while the main thread is free.
(function beat(t) {
  state.frames++;
  $('beat').style.left = `${48 * (0.5 + 0.5 * Math.sin(t / 300))}px`;
  requestAnimationFrame(beat);
})(0);

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
  showSpectrum([]);
  clearModels();
  for (const t of ['recs', 'similar', 'foldin']) fill(t, []);
  for (const id of ['user', 'item', 'like-search']) $(id).value = '';
  for (const id of ['user-list', 'item-list', 'like-list', 'liked-chips']) $(id).replaceChildren();
  for (const id of ['train-info', 'user-info', 'foldin-info', 'like-info', 'recs-scale', 'foldin-scale'])
    $(id).textContent = '';
  $('progress').value = 0;
  $('titles-hint').hidden = true;
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
    $('user-info').textContent = `${plural(r.users, 'user')} — type an id to search`;
    suggestUsers();
  }
  // Items known by id only: invite the items file that names them.
  $('titles-hint').hidden = !r.fromFile || r.titles > 0;
  showPopular(r.popularItems);
  showModelNote();
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
    showData({ ...r, fromFile: args.source === 'file' });
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
    if (state.trained) await serve();
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
  setTrainable(busy);
  $('use-synthetic').disabled = busy;
  $('similar-go').disabled = busy || !state.trained;
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

/** What the scores of the served model mean, and why a folded-in user's are smaller. */
function scaleNotes() {
  const m = selected();
  $('recs-scale').textContent =
    `score: ${m.label}'s ${m.scale}. "vs #1" puts every list on one scale: the score as a share of the list's first.`;
  $('foldin-scale').textContent =
    `Same model, same units as section 3, but the model knows you from a few ticks only, so raw scores come out ` +
    `smaller than for a user with a long history; compare lists by rank and "vs #1".`;
}

/** Refresh everything the served model shows: recommendations, comparison, similar items, fold-in. */
async function serve() {
  for (const c of $('like-list').querySelectorAll('input')) c.disabled = false;
  $('similar-go').disabled = false;
  scaleNotes();
  await Promise.all([recommend(), similar(), foldIn()]);
}

async function recommend() {
  if (!state.trained) return;
  const user = $('user').value.trim();
  compare();
  try {
    const r = await request('recommend', { user, n: 10 });
    fillRanked('recs', r.items);
    $('user-info').textContent =
      `user ${r.user}: ${plural(r.history, 'item')} in the data (${r.heldOut} held out; ✓ marks a held-out item ` +
      `recommended) · ${plural(state.userIds.length, 'user')} — type an id to search`;
    state.recs = r.items.map((x) => x.id);
  } catch (e) {
    fill('recs', []);
    $('user-info').textContent =
      `${e.message} — ${plural(state.userIds.length, 'user')}, e.g. ${state.userIds.slice(0, 3).join(', ')}`;
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
      [0, 2],
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
  const searching = $('like-search').value.trim() !== '';
  const count = items.length < total ? `${items.length} of ${plural(total, 'item')}` : plural(total, 'item');
  $('like-info').textContent =
    `${count}${searching ? ' matching' : ', most popular first'}${items.length > 10 ? ' — scroll for more' : ''}`;
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
  fillRanked('foldin', r.items);
  $('foldin-info').textContent = liked.length ? `${liked.length} liked → recomputed in ${r.ms.toFixed(1)} ms` : '';
  state.foldin = { liked, items: r.items.map((x) => x.id), ms: r.ms };
}

// ---- wiring
$('use-synthetic').addEventListener('click', () => load({ source: 'synthetic' }, 'synthetic data'));
$('train').addEventListener('click', () => train(serve));
$('train-all').addEventListener('click', () => trainAll(serve));
$('model').addEventListener('change', (e) => choose(e.target.value, serve));
$('user').addEventListener('input', suggestUsers);
$('user').addEventListener('change', recommend);
$('user').addEventListener('keydown', (e) => e.key === 'Enter' && recommend());
$('similar-go').addEventListener('click', similar);
$('item').addEventListener('keydown', (e) => e.key === 'Enter' && similar());
$('like-search').addEventListener('input', searchLikes);
$('file').addEventListener('change', (e) => takeFiles(e.target.files));
$('titles-file').addEventListener('change', (e) => takeFiles(e.target.files));
// Two drop zones: the data's, and the items-file hint shown while items have no titles (either takes both).
for (const drop of [$('drop'), $('titles-hint')]) {
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
}

request('hello').then(
  (r) => {
    state.backend = r.backend;
    showModels(r.models);
    state.crossOriginIsolated = window.crossOriginIsolated === true;
    const iso = state.crossOriginIsolated
      ? '<span class="ok">crossOriginIsolated: yes</span>'
      : '<span class="bad">crossOriginIsolated: no</span>';
    setStatus(`backend: <b>${r.backend}</b> · ${iso} · training runs in a Web Worker`);
    state.phase = 'ready';
  },
  (e) => setStatus(`could not start: ${e.message}`, true),
);
