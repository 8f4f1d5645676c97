// Tables of a run: the console/Markdown result table (median (min–max) per backend, ratios, anchors) and
// the per-workload memory table. Used by run.mjs while running and by readme.mjs from the JSON.
import { fmtMs, fmtRatio, fmtBytes } from './stats.mjs';

export const COLUMNS = ['js', 'wasm', 'wasm-threads'];

const med = (r, b) => r.backends[b]?.median;

/** js/wasm and wasm/threads speed ratios (> 1 means the second is faster). */
export function ratios(r) {
  const js = med(r, 'js');
  const w = med(r, 'wasm');
  const t = med(r, 'wasm-threads');
  return { jsOverWasm: js && w ? js / w : undefined, wasmOverThreads: w && t ? w / t : undefined };
}

/** Each anchor of a row with our matching median and ours ÷ anchor (< 1: we are faster). */
export function anchorRows(r, anchors) {
  return (r.anchors ?? [])
    .map((a) => {
      const ref = anchors[a.key];
      if (!ref) return undefined;
      const ours = med(r, a.backend);
      return { key: a.key, backend: a.backend, label: ref.label, seconds: ref.seconds, oursSeconds: ours === undefined ? undefined : ours / 1000, ratio: ours === undefined ? undefined : ours / 1000 / ref.seconds };
    })
    .filter(Boolean);
}

function cell(r, b, withRange) {
  const s = r.backends[b];
  if (!s) return '—';
  return withRange ? `${fmtMs(s.median)} (${fmtMs(s.min)}–${fmtMs(s.max)})` : fmtMs(s.median);
}

/** The row's anchors timed in this run (e.g. scipy's svds), with ours ÷ anchor from this run's medians. */
export function sameRunRows(r) {
  return Object.values(r.sameRun ?? {}).map((a) => {
    const ours = med(r, a.backend);
    return { label: a.label, backend: a.backend, ms: a.median, ratio: ours === undefined ? undefined : ours / a.median };
  });
}

/**
 * "anchor value → backend ours÷anchor" per anchor of the row (✓ when lowrank is faster): those timed in
 * this run first, then (unless `sameRunOnly`) those measured separately, each labelled so.
 */
function anchorCell(r, anchors, sep, sameRunOnly = false) {
  const short = { wasm: 'wasm', 'wasm-threads': 'threads' };
  const ratio = (a) => (a.ratio === undefined ? `no ${short[a.backend]} run` : `${short[a.backend]} ${fmtRatio(a.ratio)}${a.ratio < 1 ? ' ✓' : ''}`);
  const same = sameRunRows(r).map((a) => `${a.label} ${fmtMs(a.ms)} (same run) → ${ratio(a)}`);
  const apart = sameRunOnly ? [] : anchorRows(r, anchors).map((a) => `${a.label} ${fmtMs(a.seconds * 1000)} (measured separately) → ${ratio(a)}`);
  return [...same, ...apart].join(sep);
}

/**
 * Markdown table of results; `withRange` adds (min–max) to each median; `sameRunOnly` leaves out anchors
 * that were not timed in this run.
 */
export function resultTable(results, anchors, { withRange = true, columns = COLUMNS, sameRunOnly = false } = {}) {
  const threads = columns.includes('wasm-threads');
  const ratioHeads = ['js/wasm', ...(threads ? ['wasm/threads'] : [])];
  const head = ['workload', 'case', 'data', ...columns.map((c) => `${c}${withRange ? ' median (min–max)' : ''}`), ...ratioHeads, 'anchor → ours ÷ anchor (✓ faster)'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((h, i) => (i >= 3 && i < 3 + columns.length + ratioHeads.length ? '---:' : '---')).join('|')}|`];
  for (const r of results) {
    const q = ratios(r);
    const unit = r.unit === 's/iteration' ? ' (per iteration)' : r.per > 1 ? ' (per call)' : '';
    const rs = [fmtRatio(q.jsOverWasm), ...(threads ? [fmtRatio(q.wasmOverThreads)] : [])];
    lines.push(`| ${[r.workload, r.label + unit, r.dataset, ...columns.map((c) => cell(r, c, withRange)), ...rs, anchorCell(r, anchors, '<br>', sameRunOnly)].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** One console line per result, as it finishes. */
export function consoleLine(r, anchors) {
  const q = ratios(r);
  const a = anchorCell(r, anchors, '; ');
  const bs = COLUMNS.filter((c) => r.backends[c]).map((c) => `${c} ${cell(r, c, true)}`).join(' · ');
  const diff = r.checkDiff ? `  CHECK DIFFERS: ${r.checkDiff}` : '';
  return `  ${r.label} [${r.dataset}]\n    ${bs}${q.jsOverWasm ? ` · js/wasm ${fmtRatio(q.jsOverWasm)}` : ''}${q.wasmOverThreads ? ` · wasm/threads ${fmtRatio(q.wasmOverThreads)}` : ''}${a ? `\n    anchors: ${a}` : ''}${diff}`;
}

export function memoryTable(workloads) {
  const names = [...new Set(workloads.flatMap((w) => Object.keys(w.memory?.heaps ?? {})))];
  const head = ['workload', 'peak RSS', 'RSS at start', ...names.map((n) => `${n} memory (grew)`), ...names.map((n) => `${n} peak in use`)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`];
  for (const w of workloads) {
    const m = w.memory;
    if (!m) continue;
    lines.push(
      `| ${[w.name, fmtBytes(m.rssPeakBytes), fmtBytes(m.rssStartBytes), ...names.map((n) => (m.heaps[n] ? `${fmtBytes(m.heaps[n].memoryBytes)} (+${fmtBytes(m.heaps[n].grewBytes)})` : '—')), ...names.map((n) => fmtBytes(m.heaps[n]?.peakInUseBytes))].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
