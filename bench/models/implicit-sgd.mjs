// implicit 0.7.3's BPR and LMF in a Python process that stays up (bench/models/implicit_sgd_worker.py) and
// fits only when asked, so its fits interleave with lowrank's: used by bench/models/sgd.mjs and by the
// `sgd` workload of bench/run.mjs. Unavailable (with the reason) when implicit is not built.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../lib/implicit-anchor.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Start the worker: { available: true, version, ask(cmd) → answer, close() } or { available: false, why }.
 * Commands: see implicit_sgd_worker.py (`split`, `fit`).
 */
export async function startImplicitSgd({ log = console.error } = {}) {
  const built = ensureBuilt(log);
  if (!built.src) return { available: false, why: built.why };
  const child = spawn('/usr/bin/python3', [join(here, 'implicit_sgd_worker.py')], {
    env: { ...process.env, PYTHONPATH: built.src, OPENBLAS_NUM_THREADS: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const pending = [];
  lines.on('line', (l) => pending.shift()?.resolve(l));
  child.on('exit', (code) => {
    for (const p of pending.splice(0)) p.reject(new Error(`implicit SGD worker exited (code ${code})`));
  });
  const next = () => new Promise((resolve, reject) => pending.push({ resolve, reject }));
  let hello;
  try {
    hello = JSON.parse(await next());
  } catch (e) {
    child.kill();
    return { available: false, why: `the implicit SGD worker did not start: ${e.message}` };
  }
  return {
    available: true,
    version: hello.version,
    async ask(cmd) {
      const p = next();
      child.stdin.write(`${JSON.stringify(cmd)}\n`);
      const r = JSON.parse(await p);
      if (r.error) throw new Error(`implicit SGD worker: ${r.error}`);
      return r;
    },
    async close() {
      child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
      await new Promise((res) => (child.exitCode !== null ? res() : child.once('exit', res)));
    },
  };
}
