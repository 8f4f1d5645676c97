// The page's link to the worker (request(type, args, onProgress) → Promise of the result) and the page
// state, also exposed as window.lowrankDemo for the browser test.
export const $ = (id) => document.getElementById(id);

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

export function request(type, args = {}, onProgress) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    worker.postMessage({ id, type, ...args });
  });
}

export const state = {
  phase: 'starting',
  losses: [],
  singularValues: [],
  frames: 0,
  error: null,
  data: null,
  trained: false,
  userIds: [],
  liked: new Map() /* id → item */,
  models: [] /* the selector's entries: { key, label, fields, defaults, … } */,
  model: '' /* the selected model's key */,
  runs: {} /* key → { losses, planned, passed, row }: what each trained model showed */,
};
window.lowrankDemo = state;

export function setStatus(html, bad = false) {
  $('status').innerHTML = bad ? `<span class="bad">${html}</span>` : html;
  if (bad) state.error = html;
}
