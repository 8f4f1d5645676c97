// The per-area scripts (kernels.mjs, svd.mjs, als.mjs, serving.mjs, parse.mjs) predate run.mjs; they stay as
// thin wrappers that run its workloads, so commands quoted in earlier notes keep working.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const PASS = new Set(['--quick', '--json', '--data', '--runs', '--backends', '--threads', '--dump', '--readme']);
const FLAGS = new Set(['--quick', '--readme']);

/** Run bench/run.mjs --only `only` with the options run.mjs knows (`rename` maps old names, e.g. --repeat → --runs). */
export function runWorkloads(only, argv, rename = {}) {
  const args = ['--only', only];
  const dropped = [];
  for (let i = 0; i < argv.length; i++) {
    const a = rename[argv[i]] ?? argv[i];
    if (!PASS.has(a)) {
      dropped.push(argv[i]);
      continue;
    }
    args.push(a);
    if (!FLAGS.has(a) && i + 1 < argv.length) args.push(argv[++i]);
  }
  if (dropped.length)
    console.log(`(ignored: ${dropped.join(' ')} — these scripts now run bench/run.mjs; see node bench/run.mjs --help)`);
  // The old scripts read ../shared/data on their own; keep that.
  const shared = join(here, '..', '..', '..', 'shared', 'data');
  if (!args.includes('--data') && existsSync(shared)) args.push('--data', shared);
  const r = spawnSync(process.execPath, [join(here, '..', 'run.mjs'), ...args], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
