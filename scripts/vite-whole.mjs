// vite's view of an app importing the whole library (the root and both subpaths, every export used): the
// chunks of a production browser build and every warning vite prints, its 500 kB chunk warning included
// (logged at the 'info' level, so it is captured here at that level). Needs dist/ (npm run build).
//   node scripts/vite-whole.mjs [--root-only]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createLogger } from 'vite';

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
const warnings = [];
const logger = createLogger('info', { allowClearScreen: false });
logger.info = () => {};
for (const level of ['warn', 'warnOnce', 'error']) logger[level] = (msg) => warnings.push(String(msg).trim());
try {
  const out = await build({
    root: app,
    configFile: false,
    envDir: false,
    logLevel: 'info',
    customLogger: logger,
    publicDir: false,
    build: { outDir: join(app, 'out'), target: 'es2022', reportCompressedSize: false },
  });
  for (const o of (Array.isArray(out) ? out : [out]).flatMap((r) => r.output))
    if (o.type === 'chunk') console.log(`${(o.code.length / 1000).toFixed(1).padStart(8)} kB  ${o.fileName}`);
  console.log(warnings.length ? `vite warned:\n${warnings.join('\n')}` : 'vite printed no warning');
  if (warnings.length) process.exitCode = 1;
} finally {
  rmSync(app, { recursive: true, force: true });
}
