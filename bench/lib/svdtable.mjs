// The SVD table of a run (issue 21): per data set, k and centering, lowrank's medians and scipy's (timed in
// the same run), ours ÷ scipy, matrix–vector products on both sides, and how close the singular values are.
import { fmtMs, fmtRatio } from './stats.mjs';

const med = (r, b) => r.backends[b]?.median;
const ratioCell = (a, b) => (a === undefined || b === undefined ? '—' : `${fmtRatio(a / b)}${a < b ? ' ✓' : ''}`);

/** Largest |σᵢ − σᵢ'| / σᵢ' over the k values (σ' scipy's). */
function sigmaDiff(ours, theirs) {
  if (!ours || !theirs) return undefined;
  let worst = 0;
  for (let i = 0; i < Math.min(ours.length, theirs.length); i++)
    worst = Math.max(worst, Math.abs(ours[i] - theirs[i]) / theirs[i]);
  return worst;
}

const exp = (x) => (x === undefined || !Number.isFinite(x) ? '—' : x.toExponential(1));

/** Markdown table of the run's SVD cases that have a same-run PROPACK anchor ('' when none). */
export function svdTable(results) {
  const rows = results.filter((r) => r.workload === 'svd' && r.sameRun?.propack);
  if (!rows.length) return '';
  const before = rows.some((r) => r.backends.before);
  const head = [
    'data',
    'k',
    'center',
    'lowrank wasm',
    'wasm-threads',
    'scipy PROPACK',
    'wasm ÷ PROPACK',
    'threads ÷ PROPACK',
    'scipy ARPACK → wasm ÷ ARPACK',
    'products lowrank / PROPACK',
    ...(before ? ['before (main) wasm', 'after ÷ before', 'products before', 'before: max rel. σ difference'] : []),
    'max rel. σ difference',
    'max residual lowrank / PROPACK',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i >= 3 ? '---:' : '---')).join('|')}|`];
  for (const r of rows) {
    const [, , kPart] = r.id.split('/');
    const center = r.id.split('/')[1].endsWith('-centered');
    const p = r.sameRun.propack;
    const a = r.sameRun.arpack;
    const ours = r.backends.wasm?.check;
    const wasm = med(r, 'wasm');
    const threads = med(r, 'wasm-threads');
    lines.push(
      `| ${[
        r.dataset,
        kPart.slice(1),
        center ? 'true' : '—',
        fmtMs(wasm),
        fmtMs(threads),
        fmtMs(p.median),
        ratioCell(wasm, p.median),
        ratioCell(threads, p.median),
        a ? `${fmtMs(a.median)} → ${ratioCell(wasm, a.median)}` : '—',
        `${ours?.matvecs ?? '—'} / ${p.facts?.matvecs ?? '—'}${p.facts?.kmax ? ` (kmax ${p.facts.kmax})` : ''}`,
        ...(before
          ? r.backends.before
            ? [
                fmtMs(med(r, 'before')),
                ratioCell(wasm, med(r, 'before')),
                `${r.backends.before.check?.matvecs ?? '—'}`,
                exp(sigmaDiff(r.backends.before.check?.s, p.facts?.s)),
              ]
            : ['n/a', '—', '—', '—']
          : []),
        exp(sigmaDiff(ours?.s, p.facts?.s)),
        `${exp(ours?.maxResidual)} / ${exp(p.facts?.maxResidual)}`,
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
