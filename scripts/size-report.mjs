// Size report, printed by `npm run build`: what a browser app downloads, bundled from dist/ with esbuild
// (minified, code splitting) as a user's bundler would. The packaging test (test/packaging/) measures the
// same with vite, webpack and esbuild on the packed package and enforces the budget.
//   node scripts/size-report.mjs [--json]
//   node scripts/size-report.mjs --readme [README.md]   also writes the figures into README (between
//                                                        <!-- sizes:start --> and <!-- sizes:end -->)
// test/readme/sizes.test.ts fails when the README's block differs from what this prints for dist/.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Gzipped KB budget of an app importing only { init, ImplicitALS, SparseMatrix } (issue 18). */
export const ALS_APP_BUDGET_KB = 120;

const kb = (n) => n / 1024;
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** Bundle `code` (an app importing ../dist) for the browser; returns { initial, lazy } raw and gzipped bytes. */
async function app(code) {
  const r = await build({
    stdin: { contents: code, resolveDir: root, sourcefile: 'app.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outdir: 'out',
    write: false,
    metafile: true,
    tsconfigRaw: '{}',
    logLevel: 'silent',
  });
  // Initial = the entry and what it imports statically; lazy = chunks only reached by import().
  const outs = r.metafile.outputs;
  const files = new Map(r.outputFiles.map((f) => [f.path.slice(root.length).replace(/\\/g, '/'), f.contents]));
  // The app itself (import() targets are entry points of their own chunks too).
  const entry = Object.keys(outs).find((k) => outs[k].entryPoint === 'app.mjs');
  const initial = new Set();
  const visit = (k) => {
    if (initial.has(k)) return;
    initial.add(k);
    for (const i of outs[k].imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(entry);
  const sum = (keys) =>
    keys.reduce((a, k) => ({ raw: a.raw + files.get(k).length, gz: a.gz + gz(files.get(k)) }), { raw: 0, gz: 0 });
  const js = Object.keys(outs).filter((k) => k.endsWith('.js'));
  return { initial: sum(js.filter((k) => initial.has(k))), lazy: sum(js.filter((k) => !initial.has(k))) };
}

export async function sizeReport() {
  const als = await app(
    `import { init, ImplicitALS, SparseMatrix } from './dist/index.mjs'; console.log(init, ImplicitALS, SparseMatrix);`,
  );
  const all = await app(`import * as lowrank from './dist/index.mjs'; console.log(lowrank);`);
  const everything = await app(
    ['index', 'formats', 'advanced']
      .map((e, i) => `import * as m${i} from './dist/${e}.mjs'; console.log(m${i});`)
      .join('\n'),
  );
  const min = readFileSync(`${root}/dist/lowrank.min.mjs`);
  return {
    alsApp: als,
    wholeLibrary: all,
    withSubpaths: everything,
    cdn: { raw: min.length, gz: gz(min) },
    budgetKB: ALS_APP_BUDGET_KB,
  };
}

export const START = '<!-- sizes:start -->';
export const END = '<!-- sizes:end -->';

/** The README's size table (whole KB: the block changes when a size does, not with every byte). */
export function sizesBlock(r) {
  const k = (s) => `${Math.round(kb(s.raw))} KB (${Math.round(kb(s.gz))} KB gz)`;
  return [
    START,
    '| what a browser app downloads (esbuild, minified) | first load | lazy chunks: the kernel builds (`init()` fetches one), threads, Parquet readers |',
    '| --- | --- | --- |',
    `| \`import { init, ImplicitALS, SparseMatrix } from 'lowrank'\` | ${k(r.alsApp.initial)} | ${k(r.alsApp.lazy)} |`,
    `| \`import * as lowrank from 'lowrank'\` (the whole root) | ${k(r.wholeLibrary.initial)} | ${k(r.wholeLibrary.lazy)} |`,
    `| the root, \`lowrank/formats\` and \`lowrank/advanced\` | ${k(r.withSubpaths.initial)} | ${k(r.withSubpaths.lazy)} |`,
    `| \`dist/lowrank.min.mjs\` (self-contained, no bundler) | ${k(r.cdn)} | — |`,
    '',
    `Printed by \`npm run build\` (scripts/size-report.mjs) and written here by \`node scripts/size-report.mjs --readme\`.`,
    END,
  ].join('\n');
}

/** `text` with its sizes block replaced by `block`; throws if the markers are missing. */
export function withSizesBlock(text, block) {
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README: no ${START} … ${END} block`);
  return text.slice(0, a) + block + text.slice(b + END.length);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await sizeReport();
  if (process.argv.includes('--json')) console.log(JSON.stringify(r, null, 2));
  else {
    const f = (s) => `${kb(s.raw).toFixed(1).padStart(7)} KB  ${kb(s.gz).toFixed(1).padStart(6)} KB gz`;
    console.log('size (esbuild, minified, browser):');
    console.log(
      `  app importing { init, ImplicitALS, SparseMatrix }  ${f(r.alsApp.initial)}   (budget ${ALS_APP_BUDGET_KB} KB gz)`,
    );
    // Lazy: the kernel builds (init() fetches one: relaxed or plain SIMD), the threads backend (and its builds)
    // and the Parquet readers.
    console.log(`    + lazy: kernel builds (one fetched by init), threads, Parquet readers ${f(r.alsApp.lazy)}`);
    console.log(
      `  app importing the whole library                   ${f(r.wholeLibrary.initial)}   (+ ${f(r.wholeLibrary.lazy)} lazy)`,
    );
    console.log(
      `  app importing the root and both subpaths          ${f(r.withSubpaths.initial)}   (+ ${f(r.withSubpaths.lazy)} lazy)`,
    );
    console.log(`  dist/lowrank.min.mjs (self-contained, CDN)         ${f(r.cdn)}`);
    const at = process.argv.indexOf('--readme');
    if (at >= 0) {
      const readme = process.argv[at + 1] ?? join(root, 'README.md');
      writeFileSync(readme, withSizesBlock(readFileSync(readme, 'utf8'), sizesBlock(r)));
      console.log(`size: wrote the figures into ${readme}`);
    }
    if (kb(r.alsApp.initial.gz) > ALS_APP_BUDGET_KB) {
      console.error(`size: the ImplicitALS app is over its ${ALS_APP_BUDGET_KB} KB gz budget`);
      process.exitCode = 1;
    }
  }
}
