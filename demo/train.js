// Section 2: choose a model, train it with the library's defaults (only the settings typed in are passed),
// and compare the trained models side by side (held-out precision@10, fit time, top-N for one user).
import { drawLoss, drawSpectrum, fmt, spectrumCaption } from './plots.js';
import { $, request, state } from './rpc.js';
import { plural } from './models.js';
import { fillCompare, fillModels, settingsText } from './tables.js';

/** The selected model's entry. */
export const selected = () => state.models.find((m) => m.key === state.model);
const labelsOf = (key) =>
  Object.fromEntries((state.models.find((m) => m.key === key)?.fields ?? []).map((f) => [f.key, f.label]));

/** The selector, from the worker's list of the models the package exports. */
export function showModels(models) {
  state.models = models;
  $('model').replaceChildren(...models.map((m) => new Option(`${m.label} — ${m.about}`, m.key)));
  state.model = models[0]?.key ?? '';
  showFields();
}

/** The selected model's settings: empty fields, the library's default as placeholder. */
function showFields() {
  const m = selected();
  if (!m) return;
  $('params').replaceChildren(
    ...m.fields.map((f) => {
      const label = document.createElement('label');
      const d = m.defaults[f.key] ?? 'auto'; // null: derived from the data at fit
      let input;
      if (f.kind === 'select') {
        input = document.createElement('select');
        input.append(new Option(`${d} (default)`, ''), ...f.choices.map((c) => new Option(c)));
      } else {
        input = document.createElement('input');
        Object.assign(input, { type: 'number', placeholder: String(d), step: f.kind === 'int' ? '1' : 'any' });
        if (f.min !== undefined) input.min = String(f.min);
        if (f.max !== undefined) input.max = String(f.max);
      }
      input.id = f.key;
      input.title = `empty: the library's default (${d})`;
      label.append(`${f.label} `, input);
      return label;
    }),
  );
  showModelNote();
}

/** Whether the selected model fits the loaded data (why not, if not), and Train enabled accordingly. */
export function showModelNote() {
  const unfit = state.data?.unfit?.[state.model];
  $('model-note').textContent =
    unfit || 'Empty fields train with the library’s defaults (shown greyed); only what you type is passed.';
  setTrainable();
}

/** Train is possible with data loaded, nothing running, and a model that fits the data. */
export function setTrainable(busy = state.busy) {
  state.busy = busy;
  const unfit = state.data?.unfit?.[state.model];
  $('train').disabled = busy || !state.data || Boolean(unfit);
  $('train-all').disabled = busy || !state.data;
  $('model').disabled = busy;
}

/** The settings typed in, as options (numbers as numbers); nothing else is passed. */
function typedOptions() {
  const options = {};
  for (const f of selected().fields) {
    const v = $(f.key).value.trim();
    if (v !== '') options[f.key] = f.kind === 'select' ? v : Number(v);
  }
  return options;
}

/** The loss plot of the selected model's last training (or why there is none). */
function showLoss() {
  const run = state.runs[state.model];
  const m = selected();
  const why = !run
    ? ''
    : run.losses.length
      ? ''
      : m.iterative
        ? `${m.label} reports no training loss (ImplicitALS does)`
        : `${m.label} fits in one step (no iterations)`;
  drawLoss($('loss-plot'), run?.losses ?? [], run?.planned ?? 0, why);
}

/** The one-line summary of a trained model: time, the settings used (typed ones marked *), precision. */
function trainedText(row, svdSeconds) {
  const typed = Object.keys(row.passed);
  return (
    `${row.label} trained in ${row.fitSeconds.toFixed(2)} s on ${100 - Math.round(100 * state.data.testFraction)} % ` +
    `of the interactions with ${settingsText(row.used, row.passed, labelsOf(row.key))} ` +
    `(${typed.length ? `* typed in; the rest are the library's defaults` : `the library's defaults`})` +
    ` · held-out precision@10 ${row.precision.toFixed(3)}` +
    (state.losses.length ? ` · final loss ${fmt(state.losses.at(-1))}` : '') +
    (svdSeconds ? ` · SVD of the top ${state.singularValues.length} in ${svdSeconds.toFixed(2)} s` : '')
  );
}

/** Train the selected model; `serve()` refreshes the serving sections. */
export async function train(serve, options = typedOptions()) {
  const key = state.model;
  // A failed fit leaves the worker serving what it served before: the page too.
  const before = { trained: state.trained, run: state.runs[key], losses: state.losses };
  state.trained = false;
  state.phase = 'training';
  state.losses = [];
  state.passed = options;
  state.runs[key] = { losses: state.losses, planned: 0 };
  showLoss();
  setTrainable(true);
  $('progress').value = 0;
  $('train-info').textContent = `training ${selected().label}…`;
  try {
    const r = await request('train', { model: key, options, svdK: 30 }, (m) => {
      if (m.phase === 'train') {
        if (m.loss !== undefined) state.losses.push(m.loss);
        state.runs[key].planned = m.iterations;
        $('progress').value = m.iteration / m.iterations;
        $('train-info').textContent =
          `${selected().label}: iteration ${m.iteration}/${m.iterations}` +
          `${m.loss !== undefined ? ` · loss ${fmt(m.loss)}` : ''} · ${(m.seconds * 1000).toFixed(0)} ms`;
        showLoss();
      } else if (m.phase === 'svd') {
        $('train-info').textContent = `truncated SVD: ${m.converged}/${m.k} singular triplets converged`;
      }
    });
    $('progress').value = 1;
    state.runs[key].row = r;
    state.used = r.used;
    showLoss();
    showSpectrum(r.singularValues);
    showTrainedModels(r.models);
    $('train-info').textContent = trainedText(r, r.svdSeconds);
    state.trained = true;
    await serve();
    state.phase = 'trained';
  } catch (e) {
    $('train-info').textContent = `training ${selected().label} failed: ${e.message}`;
    state.trained = before.trained;
    state.runs[key] = before.run;
    state.losses = before.losses;
    showLoss();
    state.phase = 'error';
    state.error = e.message;
  } finally {
    setTrainable(false);
  }
}

/**
 * Train every model that fits the data, one after the other, each with the library's defaults; a model
 * whose defaults do not fit the data (e.g. more factors than items) is reported and skipped.
 */
export async function trainAll(serve) {
  const failed = [];
  state.trainingAll = true;
  for (const m of state.models) {
    if (state.data?.unfit?.[m.key]) continue;
    await choose(m.key, serve, { serveTrained: false });
    await train(serve, {});
    if (state.phase === 'error') failed.push(`${m.label}: ${state.error}`);
  }
  if (failed.length) {
    $('train-info').textContent =
      `trained ${plural(state.models.length - failed.length, 'model')}; not trained: ${failed.join(' · ')}`;
    state.phase = state.trained ? 'trained' : 'error';
  }
  state.trainingAll = false;
}

export function showSpectrum(s) {
  state.singularValues = s;
  drawSpectrum($('spectrum-plot'), s);
  $('spectrum-caption').textContent = spectrumCaption(s);
}

function showTrainedModels(rows) {
  state.trainedModels = rows;
  fillModels(rows, state.model, labelsOf);
  $('compare-section').hidden = rows.length === 0;
}

/** Switch the selector to `key`: its fields; when it was trained, the page serves it again. */
export async function choose(key, serve, { serveTrained = true } = {}) {
  state.model = key;
  $('model').value = key;
  showFields();
  showLoss();
  const run = state.runs[key];
  if (!run?.row || !serveTrained) return;
  const r = await request('use', { model: key });
  if (!r.trained) return;
  state.losses = run.losses;
  $('train-info').textContent = trainedText(run.row);
  fillModels(state.trainedModels, key, labelsOf);
  await serve();
}

/** The trained models' top-N for the user in the user box, side by side. */
export async function compare() {
  if (!state.trained) return;
  try {
    const r = await request('compare', { user: $('user').value.trim(), n: 10 });
    fillCompare(r);
    $('compare-info').textContent =
      `top 10 for user ${r.user} by each trained model; ✓ = an item the user has in the held-out part (a hit)`;
    state.compare = Object.fromEntries(r.models.map((m) => [m.key, m.items.map((x) => x.id)]));
  } catch (e) {
    $('compare-info').textContent = e.message;
  }
}

/** Forget every trained model (a new load). */
export function clearModels() {
  state.runs = {};
  state.trainedModels = [];
  state.compare = undefined;
  fillModels([], '', labelsOf);
  fillCompare({ models: [] });
  $('compare-section').hidden = true;
  $('spectrum-caption').textContent = '';
  showFields();
}
