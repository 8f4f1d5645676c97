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
      return {
        key: a.key,
        backend: a.backend,
        label: ref.label,
        seconds: ref.seconds,
        oursSeconds: ours === undefined ? undefined : ours / 1000,
        ratio: ours === undefined ? undefined : ours / 1000 / ref.seconds,
      };
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
    return {
      label: a.label,
      backend: a.backend,
      ms: a.median,
      ratio: ours === undefined ? undefined : ours / a.median,
    };
  });
}

/**
 * "anchor value → backend ours÷anchor" per anchor of the row (✓ when lowrank is faster): those timed in
 * this run first, then (unless `sameRunOnly`) those measured separately, each labelled so.
 */
function anchorCell(r, anchors, sep, sameRunOnly = false) {
  const short = { wasm: 'wasm', 'wasm-threads': 'threads' };
  const ratio = (a) =>
    a.ratio === undefined
      ? `no ${short[a.backend]} run`
      : `${short[a.backend]} ${fmtRatio(a.ratio)}${a.ratio < 1 ? ' ✓' : ''}`;
  const same = sameRunRows(r).map((a) => `${a.label} ${fmtMs(a.ms)} (same run) → ${ratio(a)}`);
  const apart = sameRunOnly
    ? []
    : anchorRows(r, anchors).map((a) => `${a.label} ${fmtMs(a.seconds * 1000)} (measured separately) → ${ratio(a)}`);
  return [...same, ...apart].join(sep);
}

/**
 * Markdown table of results; `withRange` adds (min–max) to each median; `sameRunOnly` leaves out anchors
 * that were not timed in this run.
 */
export function resultTable(results, anchors, { withRange = true, columns = COLUMNS, sameRunOnly = false } = {}) {
  const threads = columns.includes('wasm-threads');
  const ratioHeads = ['js/wasm', ...(threads ? ['wasm/threads'] : [])];
  const head = [
    'workload',
    'case',
    'data',
    ...columns.map((c) => `${c}${withRange ? ' median (min–max)' : ''}`),
    ...ratioHeads,
    'anchor → ours ÷ anchor (✓ faster)',
  ];
  const lines = [
    `| ${head.join(' | ')} |`,
    `|${head.map((h, i) => (i >= 3 && i < 3 + columns.length + ratioHeads.length ? '---:' : '---')).join('|')}|`,
  ];
  // Rows that ran none of these columns (ALS with both libraries' defaults) are in the same-run table only.
  for (const r of results.filter((x) => columns.some((c) => x.backends[c]))) {
    const q = ratios(r);
    const unit = r.unit === 's/iteration' ? ' (per iteration)' : r.per > 1 ? ' (per call)' : '';
    const rs = [fmtRatio(q.jsOverWasm), ...(threads ? [fmtRatio(q.wasmOverThreads)] : [])];
    lines.push(
      `| ${[r.workload, r.label + unit, r.dataset, ...columns.map((c) => cell(r, c, withRange)), ...rs, anchorCell(r, anchors, '<br>', sameRunOnly)].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** One console line per result, as it finishes. */
export function consoleLine(r, anchors) {
  const q = ratios(r);
  const a = anchorCell(r, anchors, '; ');
  const bs = Object.keys(r.backends)
    .map((c) => `${c} ${cell(r, c, true)}`)
    .join(' · ');
  const diff = r.checkDiff ? `  CHECK DIFFERS: ${r.checkDiff}` : '';
  const s = sameRun(r);
  const same = Object.entries(s)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${fmtRatio(v)}`)
    .join(' · ');
  const losses = Object.entries(r.backends)
    .filter(([, b]) => typeof b.check?.loss === 'number')
    .map(([n, b]) => `${n} ${b.check.loss.toPrecision(4)}`)
    .join(', ');
  return `  ${r.label} [${r.dataset}]\n    ${bs}${q.jsOverWasm ? ` · js/wasm ${fmtRatio(q.jsOverWasm)}` : ''}${q.wasmOverThreads ? ` · wasm/threads ${fmtRatio(q.wasmOverThreads)}` : ''}${a ? `\n    anchors: ${a}` : ''}${same ? `\n    same run: ${same}` : ''}${losses ? `\n    training loss after the fit (implicit's normalisation): ${losses}` : ''}${diff}`;
}

/**
 * Same-run ratios of a row that has the extra columns: lowrank ÷ implicit at 1 and N threads and with both
 * defaults (< 1: lowrank faster), each library's N-thread speedup, and this build ÷ the baseline build.
 */
export function sameRun(r) {
  const div = (a, b) => (med(r, a) && med(r, b) ? med(r, a) / med(r, b) : undefined);
  return {
    'lowrank÷implicit 1 thread': div('wasm', 'implicit'),
    'lowrank÷implicit threads': div('wasm-threads', 'implicit-threads'),
    'lowrank÷implicit defaults': div('default', 'implicit-default'),
    'lowrank speedup': div('wasm', 'wasm-threads'),
    'implicit speedup': div('implicit', 'implicit-threads'),
    'after÷before 1 thread': div('wasm', 'before'),
    'after÷before threads': div('wasm-threads', 'before-threads'),
  };
}

/** The ALS rows (not SVD: bench/lib/svdtable.mjs) that ran against implicit or a baseline build: times and same-run ratios (Markdown). */
export function sameRunTable(results) {
  const rows = results.filter(
    (r) => r.workload !== 'svd' && Object.keys(r.backends).some((n) => /^(implicit|before|default)/.test(n)),
  );
  if (!rows.length) return '';
  const t = (r, b) => (r.backends[b] ? fmtMs(r.backends[b].median) : '—');
  const q = (v, goodBelow) =>
    v === undefined ? '—' : `${fmtRatio(v)}${goodBelow !== undefined && v <= goodBelow ? ' ✓' : ''}`;
  const head = [
    'case',
    'data',
    'lowrank 1 thread',
    'implicit 1 thread',
    'lowrank ÷ implicit',
    'lowrank threads',
    'implicit threads',
    'lowrank ÷ implicit',
    'speedup lowrank',
    'speedup implicit',
    'before 1 thread',
    'before threads',
    'after ÷ before (1 / threads)',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const s = sameRun(r);
    if (r.backends.default) {
      lines.push(
        `| ${r.label} | ${r.dataset} | ${t(r, 'default')} (defaults) | ${t(r, 'implicit-default')} (defaults) | ${q(s['lowrank÷implicit defaults'], 1)} | | | | | | | | |`,
      );
      continue;
    }
    lines.push(
      `| ${[
        r.label,
        r.dataset,
        t(r, 'wasm'),
        t(r, 'implicit'),
        q(s['lowrank÷implicit 1 thread'], 1),
        t(r, 'wasm-threads'),
        t(r, 'implicit-threads'),
        q(s['lowrank÷implicit threads'], 1),
        s['lowrank speedup'] ? `${s['lowrank speedup'].toFixed(2)}×` : '—',
        s['implicit speedup'] ? `${s['implicit speedup'].toFixed(2)}×` : '—',
        t(r, 'before'),
        t(r, 'before-threads'),
        s['after÷before 1 thread'] ? `${q(s['after÷before 1 thread'])} / ${q(s['after÷before threads'])}` : '—',
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

export function memoryTable(workloads) {
  const names = [...new Set(workloads.flatMap((w) => Object.keys(w.memory?.heaps ?? {})))];
  const head = [
    'workload',
    'peak RSS',
    'RSS at start',
    ...names.map((n) => `${n} memory (grew)`),
    ...names.map((n) => `${n} peak in use`),
  ];
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
