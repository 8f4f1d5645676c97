// The packaging test: lowrank as a new user gets it. `npm pack` the built package, install the tarball into
// a fresh app (the sources in app/), then run that app every way a user would — Node ESM and CommonJS,
// TypeScript (.mts and .cts), Deno, Bun, vite / webpack 5 / esbuild builds for Node and for the browser,
// and the self-contained dist/lowrank.min.mjs from a plain <script type="module"> — with the browser ones
// in Chromium, Firefox and WebKit. Each way is one cell of the consumer matrix: did it work (the same
// singular values and recommendations as Node, threads included), what did the tools warn, what size.
//
//   node test/packaging/consumers.mjs [--json file] [--keep]      (needs dist/: npm run build first)
//
// Also imported by packaging.e2e.ts, which makes one test per cell.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BROWSERS, launch } from '../browser/browsers.mjs';
import { bundle, viteDevServer } from './bundlers.mjs';
import { serveDir } from './serve.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const appSrc = fileURLToPath(new URL('./app', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Gzipped KB an app importing only { init, ImplicitALS, SparseMatrix } may download before it recommends. */
export const BUDGET_KB = 120;
/** Strings that identify code that must not be in that first download (minifiers keep string contents). */
const PROBES = {
  threads: 'Atomics.wait(I, C.GEN, gen)',
  parquet: 'parquet file invalid (footer != PAR1)',
  npz: "an .npz starts with 'PK'",
};

/** Every cell the matrix has (id and a fixed name), in order: what packaging.e2e.ts makes tests of. */
export const CELLS = [
  ['node-esm', "Node: import 'lowrank'"],
  ['node-cjs', "Node: require('lowrank')"],
  ['ts-mts', 'TypeScript .mts (import) compiles and runs'],
  ['ts-cts', 'TypeScript .cts (require) compiles and runs'],
  ['deno', "Deno: import 'lowrank'"],
  ['bun', "Bun: import 'lowrank'"],
  ['bun-cjs', "Bun: require('lowrank')"],
  ...['vite', 'webpack', 'esbuild'].map((b) => [`${b}-node`, `${b} build for Node, run in Node`]),
  ...BROWSERS.flatMap((e) => [
    ...['vite', 'webpack', 'esbuild'].map((b) => [`${b}-${e}`, `${b} build for the browser, run in ${e}`]),
    [`cdn-${e}`, `lowrank.min.mjs from <script type="module">, run in ${e}`],
    [`vite-dev-${e}`, `vite dev server, page run in ${e}`],
  ]),
].map(([id, name]) => ({ id, name }));

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300_000, ...opts });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

/** Pack the package and install the tarball into a fresh app; resolves to the app's directory. */
function prepare(work, log) {
  if (!existsSync(join(root, 'dist/index.mjs')) || !existsSync(join(root, 'dist/lowrank.min.mjs')))
    throw new Error('dist/ is not built: run `npm run build` first');
  const p = sh('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
  if (p.status !== 0) throw new Error(`npm pack failed: ${p.stderr}`);
  const packed = JSON.parse(p.stdout)[0];
  const tarball = join(work, packed.filename);
  log(`packed ${packed.filename}: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KB`);
  const app = join(work, 'app');
  cpSync(appSrc, app, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'lowrank-consumer', private: true, type: 'module' }, null, 2),
  );
  const i = sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball], {
    cwd: app,
  });
  if (i.status !== 0) throw new Error(`npm install ${packed.filename} failed: ${i.stderr}`);
  log('installed into a fresh app');
  return { app, tarball: packed };
}

/** Last JSON line of a program's stdout. */
function parseResult(stdout) {
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  try {
    return line ? JSON.parse(line) : undefined;
  } catch {
    return undefined;
  }
}

/** Run a Node/Deno/Bun program; stderr output counts as warnings. */
function runProcess(cmd, args, cwd, env = {}) {
  const r = sh(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
  const result = parseResult(r.stdout) ?? {
    ok: false,
    error: `${cmd} ${args.join(' ')} exited ${r.status}${r.error ? ` (${r.error.message})` : ''}: ${(r.stderr || r.stdout).slice(-2000)}`,
  };
  const warnings = r.stderr.trim()
    ? r.stderr
        .trim()
        .split('\n')
        .map((l) => `stderr: ${l}`)
    : [];
  return { result, warnings };
}

const sameAs = (ref, r) => {
  if (!r?.ok) return r?.error ?? 'no result';
  if (r.backend !== 'wasm') return `backend ${r.backend}, expected wasm`;
  if (r.defaultBackend !== 'wasm-threads')
    return `init() gave backend ${r.defaultBackend}, expected wasm-threads (threads by default)`;
  if (JSON.stringify(r.recs) !== JSON.stringify(ref.recs))
    return `recommendations differ from Node's: ${JSON.stringify(r.recs)} vs ${JSON.stringify(ref.recs)}`;
  if (r.s.length !== ref.s.length || r.s.some((v, i) => Math.abs(v - ref.s[i]) > 1e-9 * ref.s[0]))
    return `singular values differ from Node's: ${r.s} vs ${ref.s}`;
  if (r.threadsBackend !== 'wasm-threads' || !(r.parallelJobs > 0))
    return `threads did not run (backend ${r.threadsBackend}, ${r.parallelJobs} parallel jobs)`;
  if (!r.threadsSame) return 'recommendations on 2 threads differ from 1 thread';
  if (r.subpaths !== true) return 'lowrank/formats or lowrank/advanced did not work with the root';
  return undefined;
};

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/**
 * Build and run every consumer. Resolves to { cells, tarball, reference }; each cell is
 * { id, consumer, runsOn, works, why, warnings, size, sizeText, result }.
 */
export async function runMatrix({ log = () => {}, keep = false, engines = BROWSERS } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'lowrank-packaging-'));
  const cells = [];
  let dev;
  const add = (cell) => {
    cells.push(cell);
    log(
      `${cell.works ? 'ok  ' : 'FAIL'} ${cell.consumer} → ${cell.runsOn}: ${cell.warnings.length} warnings${cell.sizeText ? `, ${cell.sizeText}` : ''}${cell.why ? ` — ${cell.why}` : ''}`,
    );
  };
  try {
    const { app, tarball } = prepare(work, log);

    // Node, straight from node_modules. Node ESM is the reference every other cell must reproduce.
    const esm = runProcess(process.execPath, ['main.mjs'], app);
    const reference = esm.result;
    const check = (r) => (reference?.ok ? sameAs(reference, r) : `the Node ESM reference failed: ${reference?.error}`);
    const runtimeCell = (id, consumer, runsOn, { result, warnings }, extra = {}) =>
      add({
        id,
        consumer,
        runsOn,
        works: check(result) === undefined && warnings.length === 0,
        why: check(result) ?? (warnings.length ? 'warnings' : undefined),
        warnings,
        result,
        ...extra,
      });
    runtimeCell('node-esm', "import 'lowrank'", `Node ${process.version}`, esm);
    runtimeCell(
      'node-cjs',
      "require('lowrank')",
      `Node ${process.version}`,
      runProcess(process.execPath, ['main.cjs'], app),
    );

    // TypeScript: both files type-check against the shipped declarations (.d.ts for import, .d.cts for
    // require), then the emitted .mjs/.cjs run.
    {
      const tsc = sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'ts/tsconfig.json'], {
        cwd: app,
      });
      const warnings = tsc.status === 0 ? [] : [`tsc: ${(tsc.stdout + tsc.stderr).trim()}`];
      for (const [id, file] of [
        ['ts-mts', 'main.mjs'],
        ['ts-cts', 'main.cjs'],
      ]) {
        const r =
          tsc.status === 0
            ? runProcess(process.execPath, [`ts/out/${file}`], app)
            : { result: { ok: false, error: 'tsc failed' }, warnings: [] };
        const w = [...warnings, ...r.warnings];
        const why = !r.result.ok ? (r.result.error ?? 'did not work') : w.length ? 'warnings' : undefined;
        add({
          id,
          consumer: `TypeScript ${id === 'ts-mts' ? '.mts (import)' : '.cts (require)'}`,
          runsOn: `tsc ${tscVersion()} → Node`,
          works: !why,
          why,
          warnings: w,
          result: r.result,
        });
      }
    }

    // Deno and Bun run the same ESM entry from node_modules.
    const denoEnv = { DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(work, 'deno-cache') };
    runtimeCell(
      'deno',
      "import 'lowrank'",
      `Deno ${version(bin('deno'), ['--version'], denoEnv)}`,
      runProcess(bin('deno'), ['run', '--allow-all', '--quiet', 'main.mjs'], app, denoEnv),
    );
    runtimeCell(
      'bun',
      "import 'lowrank'",
      `Bun ${version(bin('bun'), ['--version'])}`,
      runProcess(bin('bun'), ['main.mjs'], app),
    );
    runtimeCell(
      'bun-cjs',
      "require('lowrank')",
      `Bun ${version(bin('bun'), ['--version'])}`,
      runProcess(bin('bun'), ['main.cjs'], app),
    );

    // Bundlers, Node targets: build, then run the output with Node.
    const browserBuilds = [];
    for (const bundler of ['vite', 'webpack', 'esbuild']) {
      for (const target of ['node', 'browser']) {
        const out = join(app, 'out', `${bundler}-${target}`);
        const t0 = Date.now();
        const b = await bundle(bundler, app, out, target);
        log(`built ${bundler} → ${target} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        if (target === 'browser') {
          browserBuilds.push({ id: bundler, consumer: `${bundler} (browser build)`, dir: out, path: b.run, build: b });
          continue;
        }
        const js = b.files.filter((f) => /\.[cm]?js$/.test(f.path));
        const size = { files: js.length, bytes: js.reduce((a, f) => a + f.bytes, 0) };
        const r = b.failed
          ? { result: { ok: false, error: b.warnings.join('; ') }, warnings: [] }
          : runProcess(process.execPath, [join(out, b.run)], app);
        const warnings = [...b.warnings, ...r.warnings];
        const why = check(r.result) ?? (warnings.length ? 'warnings' : undefined);
        add({
          id: `${bundler}-node`,
          consumer: `${bundler} (Node build)`,
          runsOn: `Node ${process.version}`,
          works: !why,
          why,
          warnings,
          size,
          sizeText: `${kb(size.bytes)} in ${size.files} files`,
          result: r.result,
        });
      }
    }

    // The self-contained build, as a CDN would serve it: copied out of the installed package, no bundler.
    const cdn = join(app, 'out', 'cdn');
    mkdirSync(cdn, { recursive: true });
    const minFile = join(app, 'node_modules/lowrank/dist/lowrank.min.mjs');
    copyFileSync(minFile, join(cdn, 'lowrank.min.mjs'));
    for (const f of ['program.mjs', 'report.mjs']) copyFileSync(join(app, f), join(cdn, f));
    copyFileSync(join(app, 'cdn.html'), join(cdn, 'index.html'));
    browserBuilds.push({
      id: 'cdn',
      consumer: 'lowrank.min.mjs in <script type="module">',
      dir: cdn,
      path: '/index.html',
      build: { files: [], warnings: [] },
    });

    // vite's dev server: the package as pre-bundled during development.
    dev = await viteDevServer(app);
    browserBuilds.push({ id: 'vite-dev', consumer: 'vite dev server', dev, build: { files: [], warnings: [] } });

    // Browsers: every browser build in every engine, one launch per engine.
    for (const engine of engines) {
      let browser;
      try {
        browser = await launch(engine);
      } catch (e) {
        for (const b of browserBuilds)
          add({
            id: `${b.id}-${engine}`,
            consumer: b.consumer,
            runsOn: engine,
            works: false,
            why: `could not launch ${engine}: ${e.message}`,
            warnings: [...b.build.warnings],
          });
        continue;
      }
      const runsOn = `${{ chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKitGTK' }[engine]} ${browser.version.replace(/^\D+/, '')}`;
      try {
        for (const b of browserBuilds) {
          let result;
          let js = [];
          let devWarnings = [];
          if (b.build.failed) result = { ok: false, error: b.build.warnings.join('; ') };
          else if (b.dev) {
            ({ result, js } = await b.dev
              .page((url) => browser.open(url))
              .catch((e) => ({ result: { ok: false, error: e.message }, js: [] })));
            devWarnings = b.dev.warnings.splice(0);
          } else {
            const server = await serveDir(b.dir, PROBES);
            try {
              ({ result, js } = await server.page((url) => browser.open(url), b.path));
            } catch (e) {
              result = { ok: false, error: e.message };
            } finally {
              await server.close();
            }
          }
          const warnings = [...b.build.warnings, ...devWarnings, ...(result.problems ?? []).map((p) => `page: ${p}`)];
          const initial = js.filter((f) => f.beforeMark);
          const size = {
            initialGz: initial.reduce((a, f) => a + f.gz, 0),
            laterGz: js.filter((f) => !f.beforeMark).reduce((a, f) => a + f.gz, 0),
            initialRaw: initial.reduce((a, f) => a + f.bytes, 0),
            initialHas: Object.keys(PROBES).filter((p) => initial.some((f) => f.probes.includes(p))),
          };
          let why = check(result) ?? (warnings.length ? 'warnings' : undefined);
          if (!why && result.crossOriginIsolated !== true) why = 'page was not cross-origin isolated';
          if (b.dev) {
            add({ id: `${b.id}-${engine}`, consumer: b.consumer, runsOn, works: !why, why, warnings, result });
            continue;
          }
          if (!why && b.id !== 'cdn' && size.initialGz > BUDGET_KB * 1024)
            why = `first download ${kb(size.initialGz)} gz is over the ${BUDGET_KB} KB budget`;
          if (!why && b.id !== 'cdn' && size.initialHas.length)
            why = `first download contains ${size.initialHas.join(', ')} code`;
          const sizeText =
            b.id === 'cdn'
              ? `${kb(size.initialGz)} gz (whole library, one file)`
              : `${kb(size.initialGz)} gz first load (+${kb(size.laterGz)} gz on demand)`;
          add({
            id: `${b.id}-${engine}`,
            consumer: b.consumer,
            runsOn,
            works: !why,
            why,
            warnings,
            size,
            sizeText,
            result,
          });
        }
      } finally {
        await browser.close();
      }
    }
    return { cells, tarball, reference };
  } finally {
    await dev?.close();
    if (keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

let tscV;
function tscVersion() {
  tscV ??= JSON.parse(readFileSync(join(root, 'node_modules/typescript/package.json'), 'utf8')).version;
  return tscV;
}

function version(cmd, args, env = {}) {
  const r = sh(cmd, args, { env: { ...process.env, ...env } });
  return (r.stdout.match(/\d+\.\d+\.\d+/) ?? ['?'])[0];
}

/** The matrix as a Markdown table. */
export function matrixTable(cells) {
  const rows = cells.map(
    (c) =>
      `| ${c.consumer} | ${c.runsOn} | ${c.works ? 'yes' : `**no**: ${c.why}`} | ${c.warnings.length} | ${c.sizeText ?? '—'} |`,
  );
  return ['| consumer | runs on | works | warnings | size |', '|---|---|---|---|---|', ...rows].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const t0 = Date.now();
  const { cells } = await runMatrix({ log: (l) => console.log(l), keep: process.argv.includes('--keep') });
  console.log(`\n${matrixTable(cells)}\n`);
  for (const c of cells.filter((c) => c.warnings.length))
    console.log(`${c.consumer} → ${c.runsOn}:\n  ${c.warnings.join('\n  ')}`);
  const failed = cells.filter((c) => !c.works).length;
  console.log(
    `packaging: ${cells.length - failed} passed, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
  );
  const out = arg('--json');
  if (out) writeFileSync(out, JSON.stringify(cells, null, 2));
  process.exitCode = failed ? 1 : 0;
}
