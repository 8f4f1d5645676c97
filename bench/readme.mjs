// Writes the README's performance section (between <!-- bench:start --> and <!-- bench:end --> under
// "## Performance") and bench/RESULTS.md (the full table) from a run's JSON — numbers are never typed in.
//
//   node bench/readme.mjs bench/results/latest.json [README.md]
// (or `npm run bench -- --json bench/results/latest.json --readme`, which calls this after the run)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultTable, memoryTable, sameRunTable, COLUMNS } from './lib/table.mjs';
import { machineLine } from './lib/machine.mjs';
import { readAnchors } from './lib/anchors.mjs';
import { svdTable } from './lib/svdtable.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

const runArgs = (m) => {
  const a = [m.quick && '--quick', m.data && `--data ${relative(join(here, '..'), m.data)}`].filter(Boolean);
  return a.length ? ` -- ${a.join(' ')}` : '';
};

function header(report, full) {
  const m = report.meta;
  const cols = COLUMNS.filter((c) => report.results.some((r) => r.backends[c]));
  return [
    `Measured by \`npm run bench${runArgs(m)}\` on ${m.date.slice(0, 10)}: ${machineLine(m)}.`,
    `Load average ${m.loadAverageStart[0]} at the start and ${m.loadAverageEnd?.[0] ?? '?'} at the end of the run${(m.loadAverageStart[0] ?? 0) > m.cores / 2 ? ' — the machine was shared, so absolute times are noisy (ratios between backends, measured interleaved, less so)' : ''}.`,
    `${full ? 'Median (min–max)' : 'Medians'} of ${m.runs} runs per backend after one warm-up, the backends (${cols.join(', ')}) interleaved in one process${report.unavailable?.['wasm-threads'] ? '; no wasm-threads backend in this build' : ''}. ${m.data ? 'Generated data plus the real ML-100k / Last.fm-2k files.' : 'Generated data only.'}`,
    m.implicit?.version
      ? `benfred/implicit ${m.implicit.version} (built \`-O3 -march=native\` with OpenMP by ../shared/anchors/build-implicit.sh) was timed **in this run**, interleaved with lowrank, on the same matrices: the ALS table below.`
      : `benfred/implicit was not timed in this run (${m.implicit?.skipped ?? 'no anchor'}).`,
    full
      ? 'Anchors marked *same run* (scipy `svds`) were timed in this run, interleaved with lowrank; the others were **measured separately** on this machine class (see [bench/REFERENCE.md](bench/REFERENCE.md)). "ours ÷ anchor" < 1 (✓) means lowrank was faster.'
      : 'Only anchors timed in this run, interleaved with lowrank, are shown (figures measured separately are in [bench/RESULTS.md](bench/RESULTS.md)). "ours ÷ anchor" < 1 (✓) means lowrank was faster.',
  ];
}

export function section(report, { full = false } = {}) {
  const m = report.meta;
  const cols = COLUMNS.filter((c) => report.results.some((r) => r.backends[c]));
  const lines = header(report, full);
  // The README keeps the end-to-end rows; the kernel micro-benchmarks are in RESULTS.md. SVD rows with a
  // same-run scipy anchor have their own table (products and accuracy too).
  const svd = svdTable(report.results);
  const rows = full
    ? report.results
    : report.results.filter((r) => r.workload !== 'kernels' && !(svd && r.workload === 'svd' && r.sameRun));
  lines.push('', resultTable(rows, report.anchors, { withRange: full, columns: cols, sameRunOnly: !full }));
  if (svd) {
    lines.push(
      '',
      `**Truncated SVD against scipy \`svds\`, same run** (lowrank \`truncatedSVD\` with its defaults — Lanczos, tol 1e-10 on the relative residual; scipy 1.x \`svds(A, k, solver=…)\` float64, default tol, one BLAS thread; centered rows give scipy a LinearOperator for the same centered matrix; products counted on both sides, scipy's through a counting LinearOperator in an untimed run; σ difference and residuals relative to σ₁${m.baseline ? `; "before" is the build in ${relative(join(here, '..'), m.baseline)}` : ''}):`,
      '',
      svd,
    );
  }
  const same = sameRunTable(report.results);
  if (same) {
    lines.push(
      '',
      `**ALS against benfred/implicit${m.implicit?.version ? ` ${m.implicit.version}` : ''}, same run** (factors 64, λ 0.01, medians of 3 fits of 5 iterations, seconds per iteration; the same work on both sides: solver, CG steps, confidences 1 + α·r, iterations; "both defaults" runs each library as a user would, every core${m.baseline ? `; "before" is the build in ${relative(join(here, '..'), m.baseline)}` : ''}):`,
      '',
      same,
    );
  }
  if (full)
    lines.push(
      '',
      '**Peak memory per workload** (RSS of the process; WASM/JS heap size and its peak bytes in use):',
      '',
      memoryTable(report.workloads),
    );
  return lines.join('\n');
}

export function writeReadme(report, { readme = join(here, '..', 'README.md'), jsonPath } = {}) {
  // Anchors added to REFERENCE.md after the run (e.g. scipy re-measured on the run's matrices) count too.
  report = { ...report, anchors: { ...report.anchors, ...readAnchors(join(here, 'REFERENCE.md')) } };
  const path = resolve(readme);
  const src = readFileSync(path, 'utf8');
  const body = `${START}\n${section(report)}\n\nFull table (kernels, min–max, peak memory): [bench/RESULTS.md](bench/RESULTS.md); profiles of the rows that miss their anchor: [bench/ANALYSIS.md](bench/ANALYSIS.md)${jsonPath ? `; every sample: \`${relative(dirname(path), resolve(jsonPath))}\`` : ''}. Reproduce with \`npm run bench\` (\`-- --quick\` for a 1–2 minute check, \`-- --data ../shared/data\` for the real datasets).\n${END}`;
  let out;
  const a = src.indexOf(START);
  const b = src.indexOf(END);
  if (a >= 0 && b > a) out = src.slice(0, a) + body + src.slice(b + END.length);
  else if (/^## Performance\s*$/m.test(src)) out = src.replace(/^## Performance\s*$/m, `## Performance\n\n${body}`);
  else {
    // A new section goes right before "## Development" (or at the end); nothing else is touched.
    const at = src.search(/^## Development\s*$/m);
    const block = `## Performance\n\n${body}\n\n`;
    out = at >= 0 ? src.slice(0, at) + block + src.slice(at) : `${src.trimEnd()}\n\n${block}`;
  }
  writeFileSync(path, out);
  const results = join(here, 'RESULTS.md');
  writeFileSync(
    results,
    `# Benchmark results\n\nGenerated by bench/readme.mjs from a run's JSON; do not edit by hand.\n\n${section(report, { full: true }).replaceAll('(bench/REFERENCE.md)', '(REFERENCE.md)')}\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [json, readme] = process.argv.slice(2);
  if (!json) {
    console.error('usage: node bench/readme.mjs <results.json> [README.md]');
    process.exit(2);
  }
  writeReadme(JSON.parse(readFileSync(json, 'utf8')), { readme, jsonPath: json });
  console.log(`wrote the performance section of ${readme ?? 'README.md'} and bench/RESULTS.md from ${json}`);
}
