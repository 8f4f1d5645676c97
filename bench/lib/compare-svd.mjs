// Issue 29's SVD table: truncatedSVD (defaults: Lanczos, tol 1e-10) at k = 10 / 20 / 50 on 1 and N threads
// against scipy's svds with PROPACK (float64, default tol, random_state 0, one BLAS thread), interleaved in
// one run on the same matrices; σ agreement and both sides' product counts beside the times.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findScipy, ScipyProcess } from './scipy.mjs';
import { initFor, interleave } from './compare-als.mjs';

function writeCoo(A, prefix) {
  const rows = new Int32Array(A.nnz);
  for (let r = 0; r < A.rows; r++) rows.fill(r, A.indptr[r], A.indptr[r + 1]);
  writeFileSync(`${prefix}.rows.i32`, rows);
  writeFileSync(`${prefix}.cols.i32`, A.indices);
  writeFileSync(`${prefix}.vals.f32`, A.data);
  writeFileSync(`${prefix}.shape.json`, JSON.stringify(A.shape));
}

export async function svdSection({ lib, sets, ks = [10, 20, 50], runs, threads, log }) {
  const py = findScipy();
  if (!py.python) {
    log?.(`SVD section skipped: ${py.reason}`);
    return [];
  }
  const proc = new ScipyProcess(py.python);
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-svd-'));
  const rows = [];
  try {
    for (const d of sets) {
      writeCoo(d.matrix, join(dir, d.short));
      await proc.request({ op: 'load', key: d.short, prefix: join(dir, d.short), center: false });
      for (const k of ks) {
        const facts = {};
        const ours = (t) => async () => {
          await initFor(lib, t);
          const t0 = performance.now();
          const r = await lib.truncatedSVD(d.matrix, { k });
          const ms = performance.now() - t0;
          facts[t] = { matvecs: r.matvecs, s: Array.from(r.s) };
          return ms;
        };
        const slots = [
          { key: 'lowrank/1', run: ours(1) },
          { key: `lowrank/${threads}`, run: ours(threads) },
          {
            key: 'propack',
            run: async () => (await proc.request({ op: 'time', key: d.short, solver: 'propack', k })).ms,
          },
        ];
        log?.(`${d.short} k=${k}`);
        const times = await interleave(slots, runs);
        const count = await proc.request({ op: 'count', key: d.short, solver: 'propack', k });
        let diff = 0;
        for (let i = 0; i < k; i++) diff = Math.max(diff, Math.abs(facts[1].s[i] - count.s[i]) / count.s[i]);
        rows.push({ set: d.name, short: d.short, k, threads, times, ours: facts[1], propack: count, sigmaDiff: diff });
      }
    }
  } finally {
    await proc.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const ms = (x) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));

export function svdTable(rows) {
  if (!rows.length) return '';
  const T = rows[0].threads;
  const head = [
    'data',
    'k',
    'lowrank 1t ms',
    `lowrank ${T}t ms`,
    'PROPACK ms',
    'lowrank 1t ÷ PROPACK',
    `lowrank ${T}t ÷ PROPACK`,
    'products lowrank / PROPACK',
    'max rel. σ difference',
  ];
  const out = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const a = r.times['lowrank/1'].median;
    const b = r.times[`lowrank/${T}`].median;
    const p = r.times.propack.median;
    const mark = (x) => `${x.toFixed(2)}${x <= 0.8 ? ' ✓' : ''}`;
    out.push(
      `| ${[r.set, r.k, ms(a), ms(b), ms(p), mark(a / p), mark(b / p), `${r.ours.matvecs} / ${r.propack.matvecs}`, r.sigmaDiff.toExponential(1)].join(' | ')} |`,
    );
  }
  return out.join('\n');
}
