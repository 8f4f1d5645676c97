// The demo page: UI only. All data work happens in worker.js (a module Web Worker), so the page stays
// responsive while a model trains; plots are plain SVG.
const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

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
const state = { phase: 'starting', losses: [], singularValues: [], frames: 0, error: null };
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

// ---- plots
function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  parent?.appendChild(e);
  return e;
}
const fmt = (v) => (v === 0 ? '0' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(2) : v.toPrecision(4));

function frame(svg, ymin, ymax, xlabel) {
  svg.replaceChildren();
  const box = { x0: 56, x1: 410, y0: 200, y1: 12 };
  el('line', { class: 'axis', x1: box.x0, y1: box.y0, x2: box.x1, y2: box.y0 }, svg);
  el('line', { class: 'axis', x1: box.x0, y1: box.y0, x2: box.x0, y2: box.y1 }, svg);
  el('text', { class: 'lbl', x: box.x0 - 4, y: box.y1 + 8, 'text-anchor': 'end' }, svg).textContent = fmt(ymax);
  el('text', { class: 'lbl', x: box.x0 - 4, y: box.y0, 'text-anchor': 'end' }, svg).textContent = fmt(ymin);
  el('text', { class: 'lbl', x: box.x1, y: box.y0 + 14, 'text-anchor': 'end' }, svg).textContent = xlabel;
  return box;
}

function drawLoss() {
  const svg = $('loss-plot');
  const ys = state.losses;
  if (ys.length === 0) return svg.replaceChildren();
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const n = Math.max(ys.length, Number($('iterations').value) || ys.length);
  const b = frame(svg, lo, hi, `iteration (${ys.length}/${n})`);
  const x = (i) => b.x0 + ((i + 1) / n) * (b.x1 - b.x0);
  const y = (v) => (hi === lo ? (b.y0 + b.y1) / 2 : b.y0 - ((v - lo) / (hi - lo)) * (b.y0 - b.y1));
  el('polyline', { class: 'line', points: ys.map((v, i) => `${x(i)},${y(v)}`).join(' ') }, svg);
  ys.forEach((v, i) => el('circle', { class: 'dot', cx: x(i), cy: y(v), r: 2.5 }, svg));
}

function drawSpectrum() {
  const svg = $('spectrum-plot');
  const s = state.singularValues;
  if (s.length === 0) return svg.replaceChildren();
  const b = frame(svg, 0, s[0], `index i = 1…${s.length}`);
  const w = (b.x1 - b.x0) / s.length;
  s.forEach((v, i) => {
    const h = (v / s[0]) * (b.y0 - b.y1);
    el('rect', { class: 'bar', x: b.x0 + i * w + 1, y: b.y0 - h, width: Math.max(1, w - 2), height: h }, svg).appendChild(
      el('title', {}),
    ).textContent = `σ${i + 1} = ${v.toFixed(3)}`;
  });
}

// ---- tables
// Columns 0 (rank) and 2 (score) are numbers; ids stay left-aligned like the text they are.
function fill(tableId, rows) {
  const body = $(tableId).querySelector('tbody');
  body.replaceChildren(
    ...rows.map((cells) => {
      const tr = document.createElement('tr');
      cells.forEach((c, j) => {
        const td = document.createElement('td');
        td.textContent = c;
        if (j === 0 || j === 2) td.className = 'num';
        tr.appendChild(td);
      });
      return tr;
    }),
  );
}

// ---- data
async function load(args, label) {
  setBusy(true);
  state.phase = 'loading';
  $('data-info').textContent = `reading ${label}…`;
  try {
    const r = await request('load', args, (p) => {
      if (p.phase === 'read') $('data-info').textContent = `reading ${label}: ${(p.bytes / 1048576).toFixed(1)} / ${(p.total / 1048576).toFixed(1)} MiB`;
    });
    state.data = r;
    $('data-info').textContent = `${r.description ? r.description + ' — ' : ''}${r.users} users × ${r.items} items, ${r.nnz} interactions`;
    $('user').replaceChildren(...r.sampleUsers.map((u) => new Option(`${u.id} (${u.count} items)`, u.id)));
    $('item').value = r.popularItems[0]?.id ?? '';
    $('like-list').replaceChildren(
      ...r.popularItems.map((it) => {
        const l = document.createElement('label');
        const c = document.createElement('input');
        c.type = 'checkbox';
        c.value = it.id;
        c.disabled = true;
        c.addEventListener('change', foldIn);
        l.append(c, ` ${it.id}`);
        l.title = `${it.count} interactions`;
        return l;
      }),
    );
    state.losses = [];
    state.singularValues = [];
    drawLoss();
    drawSpectrum();
    for (const t of ['recs', 'similar', 'foldin']) fill(t, []);
    state.phase = 'loaded';
  } catch (e) {
    $('data-info').textContent = `could not read ${label}: ${e.message}`;
    state.phase = 'error';
    state.error = e.message;
  } finally {
    setBusy(false);
  }
}

function setBusy(busy) {
  $('train').disabled = busy || !state.data;
  $('use-synthetic').disabled = busy;
  $('similar-go').disabled = busy || !state.trained;
}

// ---- training
async function train() {
  const p = (id) => Number($(id).value);
  const args = { factors: p('factors'), iterations: p('iterations'), regularization: p('regularization'), alpha: p('alpha'), confidence: $('confidence').value, svdK: 30 };
  state.trained = false;
  state.phase = 'training';
  state.losses = [];
  state.singularValues = [];
  drawLoss();
  drawSpectrum();
  setBusy(true);
  $('progress').value = 0;
  $('train-info').textContent = 'training…';
  try {
    const r = await request('train', args, (m) => {
      if (m.phase === 'train') {
        state.losses.push(m.loss);
        $('progress').value = m.iteration / m.iterations;
        $('train-info').textContent = `iteration ${m.iteration}/${m.iterations} · loss ${fmt(m.loss)} · ${(m.seconds * 1000).toFixed(0)} ms`;
        drawLoss();
      } else if (m.phase === 'svd') {
        $('train-info').textContent = `truncated SVD: ${m.converged}/${m.k} singular triplets converged`;
      }
    });
    state.singularValues = r.singularValues;
    drawSpectrum();
    $('train-info').textContent = `trained in ${r.trainSeconds.toFixed(2)} s (final loss ${fmt(state.losses.at(-1))}); SVD of the top ${r.singularValues.length} in ${r.svdSeconds.toFixed(2)} s`;
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

async function recommend() {
  if (!state.trained) return;
  try {
    const r = await request('recommend', { user: $('user').value, n: 10 });
    fill('recs', r.items.map((x, i) => [i + 1, x.id, x.score.toFixed(3), x.because ?? '']));
    state.recs = r.items.map((x) => x.id);
  } catch (e) {
    fill('recs', [['', e.message, '', '']]);
  }
}

async function similar() {
  if (!state.trained) return;
  try {
    const r = await request('similar', { item: $('item').value, n: 10 });
    fill('similar', r.items.map((x, i) => [i + 1, x.id, x.score.toFixed(3)]));
    state.similar = r.items.map((x) => x.id);
  } catch (e) {
    fill('similar', [['', e.message, '']]);
  }
}

// Fold-in: the ticked items become a new user's history; recalculateUser gives their factors directly.
let foldSeq = 0;
async function foldIn() {
  if (!state.trained) return;
  const liked = [...$('like-list').querySelectorAll('input:checked')].map((c) => c.value);
  const seq = ++foldSeq;
  const r = await request('foldin', { liked, n: 10 });
  if (seq !== foldSeq) return; // a newer tick already answered
  fill('foldin', r.items.map((x, i) => [i + 1, x.id, x.score.toFixed(3)]));
  $('foldin-info').textContent = liked.length ? `${liked.length} liked → recomputed in ${r.ms.toFixed(1)} ms` : '';
  state.foldin = { liked, items: r.items.map((x) => x.id), ms: r.ms };
}

// ---- wiring
$('use-synthetic').addEventListener('click', () => load({ source: 'synthetic' }, 'synthetic data'));
$('train').addEventListener('click', train);
$('user').addEventListener('change', recommend);
$('similar-go').addEventListener('click', similar);
$('item').addEventListener('keydown', (e) => e.key === 'Enter' && similar());
const loadFile = (file) => file && load({ source: 'file', file, format: $('format').value }, file.name);
$('file').addEventListener('change', (e) => loadFile(e.target.files[0]));
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); loadFile(e.dataTransfer.files[0]); });

request('hello').then(
  (r) => {
    state.backend = r.backend;
    state.crossOriginIsolated = window.crossOriginIsolated === true;
    const iso = state.crossOriginIsolated ? '<span class="ok">crossOriginIsolated: yes</span>' : '<span class="bad">crossOriginIsolated: no</span>';
    setStatus(`backend: <b>${r.backend}</b> · ${iso} · training runs in a Web Worker`);
    state.phase = 'ready';
  },
  (e) => setStatus(`could not start: ${e.message}`, true),
);
