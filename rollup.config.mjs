// The package's dist/ (see package.json "exports"/"imports"; scripts/build-cdn.mjs adds dist/lowrank.min.mjs):
// - dist/**/*.mjs: one file per source module (preserveModules), so stack traces and bundle reports name
//   the real file (dist/models/als/implicit.mjs, not chunks/<name>-<hash>.mjs) and bundlers tree-shake per module.
//   The kernel WASM is inlined as base64 (dist/build/*.wasm.mjs); the threads module is its own file,
//   imported only when the 'wasm-threads' backend is asked for.
// - dist/platform/{node,web}.mjs: the `#platform` module, chosen by the consumer's export conditions.
// - dist/formats.mjs, dist/advanced.mjs: the `lowrank/formats` and `lowrank/advanced` subpaths (the root is
//   dist/index.mjs; src/index.ts says what goes where).
// - dist/{index,formats,advanced}.d.ts (import) and .d.cts (require): one declaration file per entry, the
//   declarations they share in one chunk (dist/types.d.ts), so a class is the same type from every
//   entry.
// - dist/cli.mjs: the `lowrank` executable.
// package.json "sideEffects" lists the modules that register a model class with loadModel when they load
// (models/als/explicit, models/als/implicit, models/puresvd/puresvd, models/bpr/model, models/lmf/model):
// bundlers keep them, and drop any other module whose exports an app does not use.
import typescript from '@rollup/plugin-typescript';
import { wasm } from '@rollup/plugin-wasm';
import { dts } from 'rollup-plugin-dts';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Runtime dependencies stay imports (installed with the package), as do Node built-ins and `#platform`
// (resolved by the consumer through package.json "imports").
const deps = Object.keys(
  JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).dependencies ?? {},
);
const external = (id) =>
  id === '#platform' || id.startsWith('node:') || deps.some((d) => id === d || id.startsWith(`${d}/`));

// The public entries: the root and its two subpaths (package.json "exports").
const ENTRIES = ['index', 'formats', 'advanced'];
// The CLI imports the library only through the public entries (src/index.ts, src/advanced.ts, …), which stay
// imports of ./index.mjs, ./advanced.mjs, …, so the CLI shares the library's module instances (error
// classes, backends) instead of bundling a copy.
const libEntries = new Map(
  ENTRIES.map((e) => [fileURLToPath(new URL(`./src/${e}.js`, import.meta.url)), `./${e}.mjs`]),
);
const isLibEntry = (id, importer) =>
  importer !== undefined && !id.startsWith('node:') && libEntries.has(resolve(dirname(importer), id));
const executable = { name: 'executable', writeBundle: (opts) => chmodSync(resolve(opts.dir, 'cli.mjs'), 0o755) };
// The same declarations serve require(): a .d.cts copy makes TypeScript type a `.cts` consumer as CommonJS.
// Every declaration file is copied (imports of ./x.js become ./x.cjs, which TypeScript resolves to x.d.cts).
const ctsTypes = {
  name: 'cts-types',
  writeBundle: (_opts, bundle) => {
    for (const file of Object.keys(bundle).filter((f) => f.endsWith('.d.ts'))) {
      const text = readFileSync(`dist/${file}`, 'utf8').replace(/(from '\.\/[^']+)\.js'/g, "$1.cjs'");
      writeFileSync(`dist/${file.replace(/\.d\.ts$/, '.d.cts')}`, text);
    }
  },
};

export default [
  {
    // internal.mjs exposes backends and kernels to bench/ only; it is not in the exports map.
    input: [...ENTRIES.map((e) => `src/${e}.ts`), 'src/internal.ts', 'src/platform/node.ts', 'src/platform/web.ts'],
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      preserveModules: true,
      preserveModulesRoot: 'src',
      // @rollup/plugin-wasm's shared loader would be _virtual/_wasmHelpers.mjs: name it for what it holds.
      entryFileNames: (chunk) => `${chunk.name === '_virtual/_wasmHelpers' ? 'build/wasm-loader' : chunk.name}.mjs`,
    },
    external,
    // Dependencies are imported for their exports only: no bare `import 'fflate'` left behind for ordering.
    treeshake: { moduleSideEffects: (id, external) => !external },
    plugins: [
      wasm({ targetEnv: 'auto-inline', maxFileSize: 0x7fffffff }),
      typescript({
        tsconfig: './tsconfig.json',
        include: ['src/**/*.ts'],
        declaration: false,
        outDir: 'dist',
        sourceMap: true,
      }),
    ],
  },
  {
    input: Object.fromEntries(ENTRIES.map((e) => [e, `src/${e}.ts`])),
    // Models and matrices implement [Symbol.dispose] (for `using`): the typings pull in the lib declaring it,
    // so consumers on ES2022-or-older libs need no setting of their own (TypeScript ≥ 5.2). rollup-plugin-dts
    // drops reference directives from sources, hence the banner.
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].d.ts',
      chunkFileNames: 'types.d.ts',
      // One shared chunk for everything the entries have in common, not one per combination of entries.
      manualChunks: (id) => (ENTRIES.some((e) => id.endsWith(`/src/${e}.ts`)) ? undefined : 'types'),
      banner: '/// <reference lib="esnext.disposable" />',
    },
    external,
    plugins: [dts({ tsconfig: './tsconfig.json' }), ctsTypes],
  },
  {
    // dist/cli.mjs: the `lowrank` executable (package.json "bin").
    input: { cli: 'src/cli/bin.ts' },
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].mjs',
      banner: '#!/usr/bin/env node',
      paths: (id) => libEntries.get(id) ?? id,
    },
    external: (id, importer) => external(id) || isLibEntry(id, importer),
    // noCheck: the first build above already type-checks all of src/ (src/cli included); this saves ~10 s.
    plugins: [
      typescript({
        tsconfig: './tsconfig.json',
        include: ['src/**/*.ts'],
        declaration: false,
        outDir: 'dist',
        sourceMap: false,
        noCheck: true,
      }),
      executable,
    ],
  },
];
