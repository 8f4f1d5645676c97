// Compiles assembly/index.ts with asc (targets in asconfig.json) into build/.
// `node scripts/build-wasm.mjs [target ...]` — default targets: release (build/lowrank.wasm) and threads
// (build/lowrank-threads.wasm: shared imported memory for the 'wasm-threads' backend). Targets
// release-relaxed and threads-relaxed build the same kernels with relaxed SIMD (fused multiply–add through
// assembly/simd.ts) for measuring; they are not shipped: on V8 15 (Deno 2.9) they gained 0–13 % on the
// ALS kernels (CPU time, 8000 rows, factors 64), not worth two more inlined modules in the bundle.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['release', 'threads'];
mkdirSync(join(root, 'build'), { recursive: true });
for (const target of targets) {
  const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
  const r = spawnSync(process.execPath, [asc, 'assembly/index.ts', '--target', target], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error(`asc failed for target ${target}`);
    process.exit(r.status ?? 1);
  }
}
