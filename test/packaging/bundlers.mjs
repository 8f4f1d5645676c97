// Build the consumer app (app/main.mjs, with `lowrank` installed from the packed tarball) with vite, webpack
// 5 and esbuild, for the browser and for Node, the way a user of each tool would (production, minified
// for the browser), and collect every warning each tool reports. Each build resolves to
// { files: [{ path, bytes }], warnings: string[], run } where `run` is the page path (browser) or the file
// to execute (node).
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { collector, ISOLATION } from './serve.mjs';

function listFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir, { recursive: true })) {
    const p = join(dir, name);
    if (statSync(p).isFile()) out.push({ path: relative(dir, p).replace(/\\/g, '/'), bytes: statSync(p).size });
  }
  return out;
}

const pageFor = (script, module) =>
  `<!doctype html>\n<html><head><meta charset="utf-8"><title>lowrank consumer</title></head><body><script ${module ? 'type="module" ' : ''}src="./${script}"></script></body></html>\n`;

async function vite(app, out, target) {
  const { build, createLogger } = await import('vite');
  const warnings = [];
  // At the 'info' level: vite's 500 kB chunk warning is only reported there (progress lines are dropped).
  const logger = createLogger('info', { allowClearScreen: false });
  logger.info = () => {};
  for (const level of ['warn', 'warnOnce', 'error']) {
    logger[level] = (msg) => warnings.push(`vite ${level}: ${String(msg).trim()}`);
  }
  const common = {
    root: app,
    configFile: false,
    envDir: false,
    logLevel: 'info',
    customLogger: logger,
    publicDir: false,
  };
  if (target === 'browser') {
    await build({
      ...common,
      build: { outDir: out, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
    });
    return { files: listFiles(out), warnings, run: '/index.html' };
  }
  // Node: bundle lowrank too (noExternal), as webpack and esbuild do, so the Node build of the package is
  // what gets bundled and run.
  await build({
    ...common,
    ssr: { noExternal: true, target: 'node' },
    build: { ssr: 'main.mjs', outDir: out, emptyOutDir: true, target: 'node20', reportCompressedSize: false },
  });
  return { files: listFiles(out), warnings, run: 'main.js' };
}

async function webpack(app, out, target) {
  const { default: webpackFn } = await import('webpack');
  const node = target === 'node';
  const config = {
    mode: 'production',
    context: app,
    entry: './main.mjs',
    target: node ? 'node' : 'web',
    // The app's package.json says "type": "module": CommonJS output for Node must be .cjs.
    output: {
      path: out,
      filename: node ? 'main.cjs' : 'main.js',
      chunkFilename: node ? '[name].cjs' : '[name].[contenthash].js',
      clean: true,
    },
    devtool: false,
    infrastructureLogging: { level: 'warn' },
  };
  const stats = await new Promise((resolve, reject) => webpackFn(config, (err, s) => (err ? reject(err) : resolve(s))));
  const json = stats.toJson({ all: false, warnings: true, errors: true });
  const warnings = [
    ...json.errors.map((e) => `webpack error: ${e.message}`),
    ...json.warnings.map((w) => `webpack warning: ${w.message}`),
  ];
  if (stats.hasErrors()) return { files: [], warnings, run: undefined, failed: true };
  if (!node) writeFileSync(join(out, 'index.html'), pageFor('main.js', false));
  return { files: listFiles(out), warnings, run: node ? 'main.cjs' : '/index.html' };
}

async function esbuild(app, out, target) {
  const { build } = await import('esbuild');
  const node = target === 'node';
  const r = await build({
    absWorkingDir: app,
    entryPoints: ['main.mjs'],
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: node ? 'node' : 'browser',
    target: node ? 'node20' : 'es2022',
    minify: !node,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  }).catch((e) => ({ errors: e.errors ?? [{ text: e.message }], warnings: e.warnings ?? [] }));
  const fmt = (m) => `${m.text}${m.location ? ` (${m.location.file}:${m.location.line})` : ''}`;
  const warnings = [
    ...r.errors.map((e) => `esbuild error: ${fmt(e)}`),
    ...r.warnings.map((w) => `esbuild warning: ${fmt(w)}`),
  ];
  if (r.errors.length) return { files: [], warnings, run: undefined, failed: true };
  mkdirSync(out, { recursive: true });
  if (!node) writeFileSync(join(out, 'index.html'), pageFor('main.mjs', true));
  return { files: listFiles(out), warnings, run: node ? 'main.mjs' : '/index.html' };
}

export const BUNDLERS = { vite, webpack, esbuild };

/**
 * The app under vite's dev server (dependencies pre-bundled on the fly, as during development), with the
 * result collector mounted. Resolves to { page(open) → { result, js }, warnings, close }.
 */
export async function viteDevServer(app) {
  const { createServer, createLogger } = await import('vite');
  const warnings = [];
  const logger = createLogger('warn', { allowClearScreen: false });
  for (const level of ['warn', 'warnOnce', 'error']) {
    logger[level] = (msg) => warnings.push(`vite dev ${level}: ${String(msg).trim()}`);
  }
  const c = collector();
  const server = await createServer({
    root: app,
    configFile: false,
    envDir: false,
    publicDir: false,
    logLevel: 'warn',
    customLogger: logger,
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, headers: ISOLATION, hmr: false, watch: null },
    plugins: [
      {
        name: 'lowrank-results',
        configureServer(s) {
          s.middlewares.use((req, res, next) => (c.handle(req, res) ? undefined : next()));
        },
      },
    ],
  });
  await server.listen();
  const url = server.resolvedUrls.local[0];
  return { page: (open) => c.page(open, url), warnings, close: () => server.close() };
}

/** Build `app` into `out` with `bundler` for `target` ('browser' | 'node'); a thrown build error is reported as a warning. */
export async function bundle(bundler, app, out, target) {
  try {
    return await BUNDLERS[bundler](app, out, target);
  } catch (e) {
    return { files: [], warnings: [`${bundler} failed: ${e.message}`], run: undefined, failed: true };
  }
}
