// The demo's two plots, as plain SVG: the training loss per iteration and the singular-value spectrum,
// each with both axes ticked and titled.
const SVG = 'http://www.w3.org/2000/svg';

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  parent?.appendChild(e);
  return e;
}

/** A number for an axis or a status line. */
export const fmt = (v) =>
  v === 0 ? '0' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(2) : v.toPrecision(4);

/** A tick label: short (at most 3 significant digits). */
const tickText = (v) =>
  v === 0
    ? '0'
    : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2
      ? v.toExponential(1).replace('.0e', 'e')
      : String(+v.toPrecision(3));

/** About `count` round tick values (1, 2, 5 × 10^k apart) covering [lo, hi]. */
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
  return ticks;
}

const BOX = { x0: 62, x1: 410, y0: 184, y1: 12 };

/**
 * Axes in `svg`: y from `ylo` to `yhi` and x from `xlo` to `xhi`, ticked at round values (x at integers),
 * titled `xtitle` and `ytitle`. Returns the plot box and the two scales.
 */
function axes(svg, { xlo, xhi, ylo, yhi, xtitle, ytitle }) {
  svg.replaceChildren();
  const b = BOX;
  const x = (v) => (xhi === xlo ? (b.x0 + b.x1) / 2 : b.x0 + ((v - xlo) / (xhi - xlo)) * (b.x1 - b.x0));
  const y = (v) => (yhi === ylo ? (b.y0 + b.y1) / 2 : b.y0 - ((v - ylo) / (yhi - ylo)) * (b.y0 - b.y1));
  el('line', { class: 'axis', x1: b.x0, y1: b.y0, x2: b.x1, y2: b.y0 }, svg);
  el('line', { class: 'axis', x1: b.x0, y1: b.y0, x2: b.x0, y2: b.y1 }, svg);
  for (const v of niceTicks(ylo, yhi, 4)) {
    el('line', { class: 'grid', x1: b.x0, y1: y(v), x2: b.x1, y2: y(v) }, svg);
    el('line', { class: 'axis', x1: b.x0 - 4, y1: y(v), x2: b.x0, y2: y(v) }, svg);
    el('text', { class: 'tick y', x: b.x0 - 6, y: y(v) + 3, 'text-anchor': 'end' }, svg).textContent = tickText(v);
  }
  const xticks = niceTicks(xlo, xhi, Math.min(8, xhi - xlo)).filter((v) => Number.isInteger(v));
  for (const v of xticks) {
    el('line', { class: 'axis', x1: x(v), y1: b.y0, x2: x(v), y2: b.y0 + 4 }, svg);
    el('text', { class: 'tick x', x: x(v), y: b.y0 + 14, 'text-anchor': 'middle' }, svg).textContent = String(v);
  }
  el('text', { class: 'title x', x: (b.x0 + b.x1) / 2, y: b.y0 + 30, 'text-anchor': 'middle' }, svg).textContent =
    xtitle;
  const yt = el('text', { class: 'title y', x: 0, y: 0, 'text-anchor': 'middle' }, svg);
  yt.setAttribute('transform', `translate(14 ${(b.y0 + b.y1) / 2}) rotate(-90)`);
  yt.textContent = ytitle;
  return { b, x, y };
}

/** A plot that has nothing to draw says why. */
function note(svg, text) {
  svg.replaceChildren();
  if (text) el('text', { class: 'note', x: 210, y: 110, 'text-anchor': 'middle' }, svg).textContent = text;
}

/**
 * The loss curve: one point per finished iteration (1-based), out of `planned`; `empty` is shown when the
 * model reports no loss.
 */
export function drawLoss(svg, ys, planned, empty = '') {
  if (ys.length === 0) return note(svg, empty);
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const n = Math.max(ys.length, planned || ys.length);
  const pad = (hi - lo) * 0.05;
  const { x, y } = axes(svg, {
    xlo: 1,
    xhi: Math.max(n, 2),
    ylo: lo - pad,
    yhi: hi + pad,
    xtitle: `iteration (${ys.length} of ${n})`,
    ytitle: 'training loss',
  });
  el('polyline', { class: 'line', points: ys.map((v, i) => `${x(i + 1)},${y(v)}`).join(' ') }, svg);
  ys.forEach((v, i) => {
    const dot = el('circle', { class: 'dot', cx: x(i + 1), cy: y(v), r: 2.5 }, svg);
    dot.appendChild(el('title', {})).textContent = `iteration ${i + 1}: loss ${fmt(v)}`;
  });
}

/** The singular values σ1 ≥ σ2 ≥ … as bars from 0. */
export function drawSpectrum(svg, s) {
  if (s.length === 0) return note(svg, '');
  const { b, x, y } = axes(svg, {
    xlo: 0.5,
    xhi: s.length + 0.5,
    ylo: 0,
    yhi: s[0],
    xtitle: 'index i (largest first)',
    ytitle: 'singular value σᵢ',
  });
  const w = x(1.5) - x(0.5);
  s.forEach((v, i) => {
    el(
      'rect',
      { class: 'bar', x: x(i + 1) - w / 2 + 1, y: y(v), width: Math.max(1, w - 2), height: b.y0 - y(v) },
      svg,
    ).appendChild(el('title', {})).textContent = `σ${i + 1} = ${v.toFixed(3)}`;
  });
}

/**
 * What the spectrum says, in words: the share of the top-k's energy (Σσ²) the first few directions hold.
 */
export function spectrumCaption(s) {
  if (s.length === 0) return '';
  const energy = s.reduce((a, v) => a + v * v, 0);
  const few = Math.min(10, s.length);
  const head = s.slice(0, few).reduce((a, v) => a + v * v, 0);
  return (
    `Each singular value σᵢ measures how much of the interaction matrix one latent direction (a "taste" ` +
    `shared by users and items) explains; σᵢ² is its share of the matrix's energy. Here the first ${few} of ` +
    `the top ${s.length} hold ${Math.round((100 * head) / energy)} % of their energy (σ1 = ${fmt(s[0])}, ` +
    `σ${s.length} = ${fmt(s.at(-1))}). A steep drop then a flat tail means a few factors capture the ` +
    `structure and the tail is mostly noise; a slow decay means the data needs more factors.`
  );
}
