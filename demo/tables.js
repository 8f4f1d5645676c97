// The demo's tables: recommendation lists (scores on a stated scale, explanations with shares), the
// trained models side by side, and their top-N for one user next to each other. DOM only, no innerHTML:
// titles come from files the user drops.
import { fmt } from './plots.js';

const $ = (id) => document.getElementById(id);

/** An item's cell: its title when an items file gave one (the id in the tooltip), else its id. */
export function itemCell(x) {
  return { text: x.title ?? x.id, tip: x.title ? `item ${x.id}` : '' };
}

/**
 * Fill table `tableId`'s body. A cell is text or { text, tip, num, cls }; `numeric` lists the columns
 * that hold numbers (right-aligned).
 */
export function fill(tableId, rows, numeric = [0]) {
  const body = $(tableId).querySelector('tbody');
  body.replaceChildren(
    ...rows.map((cells) => {
      const tr = document.createElement('tr');
      cells.forEach((c, j) => {
        const td = document.createElement('td');
        const o = typeof c === 'object' && c !== null ? c : { text: c };
        td.textContent = o.text;
        if (o.tip) td.title = o.tip;
        if (o.num || numeric.includes(j)) td.classList.add('num');
        if (o.cls) td.classList.add(o.cls);
        tr.appendChild(td);
      });
      return tr;
    }),
  );
}

/** A percentage: "42 %" (a no-break space: the sign never wraps alone). */
const pct = (v) => `${Math.round(100 * v)}\u00a0%`;

/**
 * The score cells of a ranked list: the model's raw score, and the score as a share of the list's first
 * (one scale for every list, whatever the model's units and however much the model knows of the user).
 */
export function scoreCells(items, j) {
  const top = items[0]?.score ?? 0;
  const raw = { text: items[j].score.toFixed(3), tip: 'the model’s own score (its scale is named under the table)' };
  const rel =
    top > 0 && items[j].score >= 0
      ? { text: pct(items[j].score / top), tip: 'score ÷ the first item’s score' }
      : { text: '—', tip: 'scores are not all positive: compare by rank' };
  return [raw, rel];
}

/** "because you liked": the top contributing items with their share of the score, as the CLI's --explain. */
export function becauseCell(x) {
  if (!x.because) return { text: '—', tip: 'this model gives no per-item explanation (ImplicitALS does)' };
  if (x.because.length === 0) return { text: '' };
  const name = (b) => b.title ?? b.id;
  return {
    text: x.because.map((b) => `${name(b)}\u00a0${pct(b.share)}`).join(' · '),
    tip:
      `score ${x.explainedScore.toFixed(3)} = the sum of one contribution per liked item; the largest: ` +
      x.because.map((b) => `${name(b)} ${b.contribution >= 0 ? '+' : ''}${b.contribution.toFixed(3)}`).join(', '),
    cls: 'because',
  };
}

/** A ranked list with rank, item, score, share of #1 and (when explained) the liked items behind it. */
export function fillRanked(tableId, items, { explain = true } = {}) {
  fill(
    tableId,
    items.map((x, i) => {
      const item = itemCell(x);
      // A hit (the ✓ is drawn by CSS, so the cell's text stays the item's name).
      if (x.heldOut) Object.assign(item, { cls: 'hit', tip: `${item.tip} — held out: a hit`.replace(/^ — /, '') });
      return [i + 1, item, ...scoreCells(items, i), ...(explain ? [becauseCell(x)] : [])];
    }),
    [0, 2, 3],
  );
}

/** A setting's value as typed: 64, 0.05, 1e-4 (no padding zeros). */
const short = (v) => ((Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6) || v === 0 ? String(+v.toPrecision(4)) : fmt(v));

/** The settings a model used: "factors 64 · λ 1 · α 2", the ones typed in marked with *. */
export function settingsText(used, passed = {}, labels = {}) {
  return Object.entries(used)
    .map(([k, v]) => `${labels[k] ?? k} ${typeof v === 'number' ? short(v) : v}${k in passed ? '*' : ''}`)
    .join(' · ');
}

/** The trained models side by side: settings used, fit time, held-out precision@10. */
export function fillModels(rows, current, labelsOf) {
  fill(
    'models',
    rows.map((r) => [
      { text: r.label, cls: r.key === current ? 'current' : '' },
      settingsText(r.used, r.passed, labelsOf(r.key)),
      { text: `${r.fitSeconds.toFixed(2)} s${r.lossIncluded ? ' †' : ''}`, num: true },
      { text: r.precision.toFixed(3), num: true },
    ]),
    [],
  );
  const best = Math.max(...rows.map((r) => r.precision));
  for (const [i, r] of rows.entries())
    if (r.precision === best && rows.length > 1) $('models').tBodies[0].rows[i].cells[3].classList.add('best');
}

/** Each trained model's top-N for one user, one column per model. */
export function fillCompare(r) {
  const head = $('compare').tHead.rows[0];
  head.replaceChildren(
    ...['#', ...r.models.map((m) => m.label)].map((t) => {
      const th = document.createElement('th');
      th.textContent = t;
      return th;
    }),
  );
  const n = Math.max(0, ...r.models.map((m) => m.items.length));
  const rows = [];
  for (let i = 0; i < n; i++) {
    rows.push([
      i + 1,
      ...r.models.map((m) => {
        const x = m.items[i];
        if (!x) return '';
        const c = itemCell(x);
        return x.heldOut ? { ...c, tip: `${c.tip} — held out: a hit`.replace(/^ — /, ''), cls: 'hit' } : c;
      }),
    ]);
  }
  fill('compare', rows);
}
