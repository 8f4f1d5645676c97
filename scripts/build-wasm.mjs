// Compiles assembly/index.ts with asc (targets in asconfig.json) into build/.
// `node scripts/build-wasm.mjs [target ...]` — default targets: release (build/lowrank.wasm), threads
// (build/lowrank-threads.wasm: shared imported memory for the 'wasm-threads' backend) and their relaxed-SIMD
// twins release-relaxed and threads-relaxed (fused multiply–add through assembly/simd.ts), which the runtime
// loads where the engine validates relaxed SIMD (src/runtime/wasm.ts). Each build is inlined into a module
// of its own that is only imported when picked, so an app downloads one of them.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const targets = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['release', 'threads', 'release-relaxed', 'threads-relaxed'];
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
