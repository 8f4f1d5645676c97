// Issue 29's ALS table: seconds per iteration of lowrank (its default confidence: log, scaled, frequency-scaled
// λ) against benfred/implicit 0.7.3 (linear confidence, plain λ), factors 64, CG (3 steps) and Cholesky, on 1
// and N threads, interleaved in one run; plus lowrank with the fastest option set (linear, unscaled, ν = 0) on
// one thread, so that "the defaults cost what the fastest options cost" is read off the same run.
import { summarize } from './stats.mjs';

const ALPHA = 40;

/** The options of a lowrank row: its defaults, or the fastest set. */
export function lowrankOptions(solver, factors, iterations, fastest) {
  const o = { factors, solver, iterations, seed: 1 };
  return fastest ? { ...o, confidence: 'linear', scaleConfidence: false, frequencyScaling: 0 } : o;
}

export const initFor = (lib, threads) =>
  lib.init(threads === 1 ? { backend: 'wasm' } : { backend: 'wasm-threads', threads });

/** Mean ms per iteration of one lowrank fit. */
export async function lowrankFit(lib, matrix, options, threads) {
  await initFor(lib, threads);
  const model = new lib.ImplicitALS(options);
  const secs = [];
  await model.fit(matrix, { onIteration: (it) => secs.push(it.seconds) });
  model.dispose();
  return (1000 * secs.reduce((a, b) => a + b, 0)) / secs.length;
}

/**
 * Time `slots` ({ key, run() → ms }) interleaved: one warm-up each, then `runs` rounds, the order rotating
 * between rounds. Returns { key: summary }.
 */
export async function interleave(slots, runs, log) {
  for (const s of slots) await s.run();
  const samples = Object.fromEntries(slots.map((s) => [s.key, []]));
  for (let r = 0; r < runs; r++) {
    for (let j = 0; j < slots.length; j++) {
      const s = slots[(j + r) % slots.length];
      samples[s.key].push(await s.run());
    }
    log?.(`  round ${r + 1}/${runs}`);
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { ...summarize(v), samples: v }]));
}

/** The ALS section: one row per (set, solver). */
export async function alsSection({ lib, sets, anchor, runs, iterations, threads, factors = 64, log }) {
  const rows = [];
  for (const d of sets) {
    if (anchor.available) await anchor.load(d.short, d.matrix, ALPHA);
    for (const solver of ['cg', 'cholesky']) {
      const slots = [];
      for (const t of [1, threads]) {
        slots.push({
          key: `lowrank/${t}`,
          run: () => lowrankFit(lib, d.matrix, lowrankOptions(solver, factors, iterations, false), t),
        });
        if (anchor.available)
          slots.push({
            key: `implicit/${t}`,
            run: async () => {
              const r = await anchor.fit({
                name: d.short,
                factors,
                regularization: 0.01,
                iterations,
                use_cg: solver === 'cg',
                cg_steps: solver === 'cg' ? 3 : null,
                threads: t,
                seed: 1,
              });
              return (1000 * r.seconds.reduce((a, b) => a + b, 0)) / r.seconds.length;
            },
          });
      }
      slots.push({
        key: 'fastest/1',
        run: () => lowrankFit(lib, d.matrix, lowrankOptions(solver, factors, iterations, true), 1),
      });
      log?.(`${d.short} ${solver}`);
      const t = await interleave(slots, runs, log);
      rows.push({ set: d.name, short: d.short, real: d.real, solver, threads, times: t });
    }
  }
  return rows;
}

const ms = (x) => (x === undefined ? '—' : x < 100 ? x.toFixed(1) : x.toFixed(0));
const ratio = (a, b, goal) =>
  a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}${goal !== undefined && a / b <= goal ? ' ✓' : ''}`;

/** Markdown table of the ALS rows (ms per iteration, medians). */
export function alsTable(rows) {
  if (!rows.length) return '';
  const T = rows[0].threads;
  const head = [
    'data',
    'solver',
    'lowrank 1t ms',
    'implicit 1t ms',
    'lowrank ÷ implicit 1t',
    `lowrank ${T}t ms`,
    `implicit ${T}t ms`,
    `lowrank ÷ implicit ${T}t`,
    `lowrank ${T}-thread speedup`,
    `implicit ${T}-thread speedup`,
    'defaults ÷ fastest options (1t)',
  ];
  const out = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const m = (k) => r.times[k]?.median;
    const goal = r.solver === 'cg' ? 0.85 : 0.45;
    out.push(
      `| ${[
        r.set,
        r.solver === 'cg' ? 'CG (3 steps)' : 'Cholesky',
        ms(m('lowrank/1')),
        ms(m('implicit/1')),
        ratio(m('lowrank/1'), m('implicit/1'), goal),
        ms(m(`lowrank/${T}`)),
        ms(m(`implicit/${T}`)),
        ratio(m(`lowrank/${T}`), m(`implicit/${T}`), goal),
        m(`lowrank/${T}`)
          ? `${(m('lowrank/1') / m(`lowrank/${T}`)).toFixed(2)}×${m('lowrank/1') / m(`lowrank/${T}`) >= 1.85 ? ' ✓' : ''}`
          : '—',
        m(`implicit/${T}`) ? `${(m('implicit/1') / m(`implicit/${T}`)).toFixed(2)}×` : '—',
        ratio(m('lowrank/1'), m('fastest/1')),
      ].join(' | ')} |`,
    );
  }
  return out.join('\n');
}
