// dist/index.mjs: the library with the kernel WASM inlined as base64 (works in Node and browsers);
// dist/index.d.ts: one declaration file.
import typescript from '@rollup/plugin-typescript';
import { wasm } from '@rollup/plugin-wasm';
import { dts } from 'rollup-plugin-dts';
import { chmodSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Runtime dependencies stay imports (installed with the package), as do Node built-ins.
const deps = Object.keys(JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).dependencies ?? {});
const external = (id) => id.startsWith('node:') || deps.some((d) => id === d || id.startsWith(`${d}/`));

// The CLI imports the library only through src/index.ts, which stays an import of ./index.mjs, so the
// CLI shares the library's module instances (error classes, backends) instead of bundling a copy.
const libEntry = fileURLToPath(new URL('./src/index.js', import.meta.url));
const isLibEntry = (id, importer) => importer !== undefined && !id.startsWith('node:') && resolve(dirname(importer), id) === libEntry;
const executable = { name: 'executable', writeBundle: (opts) => chmodSync(resolve(opts.dir, 'cli.mjs'), 0o755) };

export default [
  {
    // internal.mjs exposes backends and kernels to bench/ only; it is not in the exports map.
    input: { index: 'src/index.ts', internal: 'src/internal.ts' },
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
    external,
    plugins: [
      wasm({ targetEnv: 'auto-inline', maxFileSize: 0x7fffffff }),
      typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], declaration: false, outDir: 'dist', sourceMap: true }),
    ],
  },
  {
    input: 'src/index.ts',
    // Models and matrices implement [Symbol.dispose] (for `using`): the typings pull in the lib declaring it,
    // so consumers on ES2022-or-older libs need no setting of their own (TypeScript ≥ 5.2). rollup-plugin-dts
    // drops reference directives from sources, hence the banner.
    output: { file: 'dist/index.d.ts', format: 'es', banner: '/// <reference lib="esnext.disposable" />' },
    external,
    plugins: [dts({ tsconfig: './tsconfig.json' })],
  },
  {
    // dist/cli.mjs: the `lowrank` executable (package.json "bin").
    input: { cli: 'src/cli/bin.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', banner: '#!/usr/bin/env node', paths: (id) => (id === libEntry ? './index.mjs' : id) },
    external: (id, importer) => external(id) || isLibEntry(id, importer),
    // noCheck: the first build above already type-checks all of src/ (src/cli included); this saves ~10 s.
    plugins: [typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], declaration: false, outDir: 'dist', sourceMap: false, noCheck: true }), executable],
  },
];
