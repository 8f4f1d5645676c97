// python3 with numpy and scipy, when the machine has them (Debian's /usr/bin/python3 here; CI may not):
// tests that write files with numpy/scipy themselves skip cleanly without it.
import { spawnSync } from 'node:child_process';

function find(): string | undefined {
  for (const exe of [process.env.PYTHON, '/usr/bin/python3', 'python3']) {
    if (!exe) continue;
    const r = spawnSync(exe, ['-c', 'import numpy, scipy.sparse'], { encoding: 'utf8' });
    if (r.status === 0) return exe;
  }
  return undefined;
}

/** The python3 with numpy and scipy, or undefined. */
export const python = find();

/** Run a python program (throws with its stderr if it fails). */
export function runPython(code: string): string {
  if (!python) throw new Error('no python3 with numpy and scipy');
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return r.stdout;
}
