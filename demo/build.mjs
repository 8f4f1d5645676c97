// Build the demo site into demo/dist (needs dist/index.mjs: run `npm run build` first; `npm run demo` does).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Bundle the demo; resolves when demo/dist is written. */
export async function buildDemo() {
  if (!existsSync(new URL('../dist/index.mjs', import.meta.url))) {
    throw new Error('dist/index.mjs is missing: run `npm run build` first');
  }
  await build({ configFile: `${here}vite.config.mjs` });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t = performance.now();
  await buildDemo();
  console.log(`demo built into demo/dist in ${((performance.now() - t) / 1000).toFixed(1)}s`);
}
