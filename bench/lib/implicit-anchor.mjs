// benfred/implicit 0.7.3, timed in the same run as lowrank: built from ../shared/anchors into the ignored
// folder .anchors/implicit of the project (or taken from LOWRANK_IMPLICIT_SRC, a built `src` folder), then
// driven through bench/anchors/implicit_worker.py, a Python process that stays up for the whole run and
// fits only when asked — so its fits interleave with lowrank's and nothing of it runs while lowrank is
// timed. Unavailable (with the reason) when there is no python3, no anchor source, or the build fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const PY = '/usr/bin/python3'; // Debian's: build-implicit.sh builds for it (numpy/scipy from Debian)

/** Where a built implicit lives: LOWRANK_IMPLICIT_SRC, else <root>/.anchors/implicit/src (built on demand). */
export function ensureBuilt(log) {
  const given = process.env.LOWRANK_IMPLICIT_SRC;
  if (given)
    return existsSync(join(given, 'implicit', 'cpu', 'als.py'))
      ? { src: resolve(given) }
      : { why: `LOWRANK_IMPLICIT_SRC=${given} holds no built implicit` };
  if (!existsSync(PY)) return { why: `no ${PY} (Debian's python3) to build implicit for` };
  const out = join(root, '.anchors', 'implicit');
  const src = join(out, 'src');
  const probe = () =>
    spawnSync(PY, ['-c', 'import implicit.cpu._als'], {
      env: { ...process.env, PYTHONPATH: src, OPENBLAS_NUM_THREADS: '1' },
      stdio: 'ignore',
    }).status === 0;
  if (existsSync(join(src, 'implicit')) && probe()) return { src };
  const script = join(root, '..', 'shared', 'anchors', 'build-implicit.sh');
  if (!existsSync(script)) return { why: `no ${script}` };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    const deps = spawnSync('dpkg', ['-s', 'cython3', 'python3-dev', 'python3-numpy', 'python3-scipy', 'g++'], {
      stdio: 'ignore',
    });
    if (deps.status !== 0)
      return {
        why: 'building implicit needs Debian packages (cython3, python3-dev, numpy, scipy, g++) and root to install them',
      };
  }
  log(`building implicit 0.7.3 into ${out} (about 2 minutes, once)…`);
  mkdirSync(out, { recursive: true });
  const r = spawnSync('bash', [script, out], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !probe()) return { why: `build-implicit.sh failed (exit ${r.status})` };
  return { src };
}

/**
 * Start the anchor. Returns { available: true, version, load(name, csr, alpha), fit(opts), fitq(opts), close() }
 * or { available: false, why }. `csr` is lowrank's SparseMatrix of interaction strengths; the anchor gets the
 * confidences 1 + α·r (lowrank's confidence; implicit uses the stored value as the confidence itself), or,
 * with alpha null, the values as they are (what a user hands implicit).
 */
export async function startImplicit({ log = console.log } = {}) {
  const built = ensureBuilt(log);
  if (!built.src) return { available: false, why: built.why };
  const child = spawn(PY, [join(root, 'bench', 'anchors', 'implicit_worker.py')], {
    // OMP_WAIT_POLICY=passive: with libgomp's default (spin after every parallel region) implicit's idle
    // OpenMP threads kept spinning into the next fit — lowrank's or its own — on this 2-core machine: same
    // run, ML-100k CG, implicit 2 threads 36–44 ms/iteration by default vs 6 ms passive, and lowrank 2 threads
    // 13–17 vs 4.1–4.5 ms. Passive is the faster setting for implicit itself, so its ratios are the fair ones.
    env: { ...process.env, PYTHONPATH: built.src, OPENBLAS_NUM_THREADS: '1', OMP_WAIT_POLICY: 'passive' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const pending = [];
  lines.on('line', (l) => pending.shift()?.resolve(l));
  child.on('exit', (code) => {
    for (const p of pending.splice(0)) p.reject(new Error(`implicit anchor exited (code ${code})`));
  });
  const next = () => new Promise((res, rej) => pending.push({ resolve: res, reject: rej }));
  const ask = async (cmd) => {
    const p = next();
    child.stdin.write(`${JSON.stringify(cmd)}\n`);
    const r = JSON.parse(await p);
    if (r.error) throw new Error(`implicit anchor: ${r.error}`);
    return r;
  };
  let hello;
  try {
    hello = JSON.parse(await next());
  } catch (e) {
    child.kill();
    return { available: false, why: `the implicit worker did not start: ${e.message}` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-anchor-'));
  let n = 0;
  return {
    available: true,
    version: hello.version,
    async load(name, m, alpha) {
      const d = join(dir, String(n++));
      mkdirSync(d);
      const conf =
        alpha === null ? Float32Array.from(m.data) : Float32Array.from(m.data, (r) => 1 + alpha * Math.abs(r));
      writeFileSync(join(d, 'indptr.i32'), Buffer.from(Int32Array.from(m.indptr).buffer));
      writeFileSync(join(d, 'indices.i32'), Buffer.from(Int32Array.from(m.indices).buffer));
      writeFileSync(join(d, 'data.f32'), Buffer.from(conf.buffer));
      await ask({ cmd: 'load', name, dir: d, rows: m.rows, cols: m.cols });
    },
    /** { name, factors?, regularization?, iterations?, use_cg?, cg_steps?, threads, seed } → { seconds[], loss }. */
    fit: (o) => ask({ cmd: 'fit', ...o }),
    /** As fit, plus { test: loaded name, k, alpha } → { seconds[], precision[] } (precision@k after each iteration). */
    fitq: (o) => ask({ cmd: 'fitq', ...o }),
    async close() {
      child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
      await new Promise((res) => (child.exitCode !== null ? res() : child.once('exit', res)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
