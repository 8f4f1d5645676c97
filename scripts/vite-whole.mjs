// vite's view of an app importing the whole library (the root and both subpaths, every export used): the
// chunks of a production browser build and every warning vite prints, its 500 kB chunk warning included.
// The build is test/packaging's (bundlers.mjs). Needs dist/ (npm run build).
//   node scripts/vite-whole.mjs [--root-only]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLERS } from '../test/packaging/bundlers.mjs';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const entries = process.argv.includes('--root-only') ? ['index'] : ['index', 'formats', 'advanced'];
const app = mkdtempSync(join(tmpdir(), 'lowrank-vite-whole-'));
writeFileSync(
  join(app, 'main.mjs'),
  [
    ...entries.map((e, i) => `import * as m${i} from ${JSON.stringify(join(dist, `${e}.mjs`))};`),
    `console.log(${entries.map((_, i) => `m${i}`).join(', ')});`,
  ].join('\n'),
);
writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="./main.mjs"></script>\n');
try {
  const { files, warnings } = await BUNDLERS.vite(app, join(app, 'out'), 'browser');
  for (const f of files.filter((x) => x.path.endsWith('.js')))
    console.log(`${(f.bytes / 1000).toFixed(1).padStart(8)} kB  ${f.path}`);
  console.log(warnings.length ? `vite warned:\n${warnings.join('\n')}` : 'vite printed no warning');
  if (warnings.length) process.exitCode = 1;
} finally {
  rmSync(app, { recursive: true, force: true });
}
