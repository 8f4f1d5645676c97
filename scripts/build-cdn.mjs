// dist/lowrank.min.mjs: the whole library as one minified ES module for a plain <script type="module"> or a
// CDN — dependencies inlined, no bare imports, the browser `#platform`, the plain-SIMD WASM builds inlined (the
// threads one still only compiled when threads are asked for). The relaxed-SIMD builds are left out: one file
// cannot fetch a build lazily, and two more inlined builds would add ~50 KB gzipped for a 0–15 % gain; the
// imports of the relaxed modules resolve to the plain ones. Built from dist/ after rollup: the root and both
// subpaths (lowrank/formats, lowrank/advanced) in one module, since a CDN user has no exports map.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const out = 'dist/lowrank.min.mjs';
/** The relaxed-SIMD kernel modules resolve to their plain twins (see above). */
const plainBuildsOnly = {
  name: 'plain-builds-only',
  setup(b) {
    b.onResolve({ filter: /\/module-(threads-)?relaxed\.mjs$/ }, (a) => ({
      path: new URL(a.path.replace('relaxed', 'simd').replace('threads-simd', 'threads'), `file://${a.resolveDir}/`)
        .pathname,
    }));
  },
};
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const result = await build({
  stdin: {
    contents: ['index', 'formats', 'advanced'].map((e) => `export * from './dist/${e}.mjs';`).join('\n'),
    resolveDir: '.',
    sourcefile: 'lowrank.mjs',
  },
  outfile: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'eof',
  banner: { js: `/*! lowrank ${version} | MIT | self-contained browser build */` },
  metafile: true,
  logLevel: 'silent',
  // Resolve `#platform` as a consumer would (package.json "imports"), not through our tsconfig's "paths".
  tsconfigRaw: '{}',
  plugins: [plainBuildsOnly],
});
const problems = [...result.errors, ...result.warnings];
if (problems.length) {
  for (const p of problems)
    console.error(`${out}: ${p.text}${p.location ? ` (${p.location.file}:${p.location.line})` : ''}`);
  process.exit(1);
}
// "No bare imports": nothing left for the browser to resolve (esbuild lists what stayed external).
const left = Object.values(result.metafile.outputs)
  .flatMap((o) => o.imports ?? [])
  .filter((i) => i.external);
if (left.length) {
  console.error(`${out}: imports ${left.map((i) => i.path).join(', ')}; it must be self-contained`);
  process.exit(1);
}
