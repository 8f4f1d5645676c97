// The scipy side of the SVD benchmark: bench/svd_scipy.py as a child process, driven line by line (one JSON
// request, one JSON reply), so that scipy's svds runs in the same run as lowrank, interleaved with it.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'svd_scipy.py');

/** The python to use (PYTHON, else python3), or undefined with the reason when it has no scipy ≥ 1.8 (PROPACK). */
export function findScipy() {
  const python = process.env.PYTHON ?? 'python3';
  const r = spawnSync(python, ['-c', 'import scipy, numpy; print(scipy.__version__)'], { encoding: 'utf8' });
  if (r.status !== 0) return { reason: `${python} with scipy not found${r.error ? ` (${r.error.code})` : ''}` };
  const [major, minor] = r.stdout.trim().split('.').map(Number);
  if (major < 1 || (major === 1 && minor < 8))
    return { reason: `scipy ${r.stdout.trim()} has no PROPACK (needs ≥ 1.8)` };
  return { python, version: r.stdout.trim() };
}

export class ScipyProcess {
  constructor(python) {
    // Single-threaded BLAS, like lowrank's 'wasm' backend (multi-threaded OpenBLAS is also slower here).
    const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    this.child = spawn(python, [script], { stdio: ['pipe', 'pipe', 'inherit'], env });
    this.waiting = [];
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(JSON.parse(line)));
    this.child.on('exit', () => {
      for (const w of this.waiting.splice(0)) w({ error: 'svd_scipy.py exited' });
    });
  }

  /** Send one request; resolves with the reply (throws on an error reply). */
  async request(req) {
    const reply = await new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(`${JSON.stringify(req)}\n`);
    });
    if (reply.error) throw new Error(`svd_scipy.py: ${reply.error} (request ${JSON.stringify(req)})`);
    return reply;
  }

  async close() {
    this.child.stdin.end();
    await this.exited;
  }
}
