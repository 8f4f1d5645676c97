// The demo's two plots, as plain SVG: the training loss per iteration and the singular-value spectrum.
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

/** The loss curve: one point per finished iteration, out of `planned`. */
export function drawLoss(svg, ys, planned) {
  if (ys.length === 0) return svg.replaceChildren();
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const n = Math.max(ys.length, planned || ys.length);
  const b = frame(svg, lo, hi, `iteration (${ys.length}/${n})`);
  const x = (i) => b.x0 + ((i + 1) / n) * (b.x1 - b.x0);
  const y = (v) => (hi === lo ? (b.y0 + b.y1) / 2 : b.y0 - ((v - lo) / (hi - lo)) * (b.y0 - b.y1));
  el('polyline', { class: 'line', points: ys.map((v, i) => `${x(i)},${y(v)}`).join(' ') }, svg);
  ys.forEach((v, i) => el('circle', { class: 'dot', cx: x(i), cy: y(v), r: 2.5 }, svg));
}

/** The singular values as bars, scaled to the first. */
export function drawSpectrum(svg, s) {
  if (s.length === 0) return svg.replaceChildren();
  const b = frame(svg, 0, s[0], `index i = 1…${s.length}`);
  const w = (b.x1 - b.x0) / s.length;
  s.forEach((v, i) => {
    const h = (v / s[0]) * (b.y0 - b.y1);
    el(
      'rect',
      { class: 'bar', x: b.x0 + i * w + 1, y: b.y0 - h, width: Math.max(1, w - 2), height: h },
      svg,
    ).appendChild(el('title', {})).textContent = `σ${i + 1} = ${v.toFixed(3)}`;
  });
}
