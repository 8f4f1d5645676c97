// ItemKNN and EASE, seconds per fit, against their anchors timed in the same run, interleaved: lowrank's
// ItemKNN (cosine, tfidf, bm25; neighbors 20, k1 1.2, b 0.75 — implicit's settings and lowrank's
// defaults) on 1 thread ('wasm') and N ('wasm-threads') vs implicit 0.7.3's CosineRecommender /
// TFIDFRecommender / BM25Recommender (K=20) with num_threads 1 ('implicit') and N ('implicit-threads');
// lowrank's EASE at its defaults (λ from the data, the cheaper of the two paths) vs numpy's closed form
// (G = XᵀX + λI, inv, B = −P/diag P) with one BLAS thread and the same λ, in the 'implicit' column. Both
// through bench/models/item_worker.py (a Python process that fits only when asked; its own timer, so
// the pipe is not counted). bench/models/item-models.mjs measures more sets and checks equality; this
// is the suite's row of them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { binary, ml100k, lastfm } from '../lib/data.mjs';
import { ensureBuilt } from '../lib/implicit-anchor.mjs';

export const name = 'items';
export const title = 'ItemKNN and EASE, per fit, with benfred/implicit and numpy in the same run';

const here = dirname(fileURLToPath(import.meta.url));
const WEIGHTINGS = ['cosine', 'tfidf', 'bm25'];
const CLASS = { cosine: 'CosineRecommender', tfidf: 'TFIDFRecommender', bm25: 'BM25Recommender' };
/** EASE only where numpy's dense inverse is seconds, not minutes. */
const EASE_MAX_ITEMS = 4000;
let worker;
let dir;

/** bench/models/item_worker.py, or { available: false, why }. */
async function startWorker() {
  const built = ensureBuilt(console.log);
  if (!built.src) return { available: false, why: built.why };
  const child = spawn('/usr/bin/python3', [join(here, '..', 'models', 'item_worker.py')], {
    env: { ...process.env, PYTHONPATH: built.src, OPENBLAS_NUM_THREADS: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const pending = [];
  lines.on('line', (l) => pending.shift()?.(l));
  const next = () => new Promise((res) => pending.push(res));
  await next();
  const ask = async (cmd) => {
    const p = next();
    child.stdin.write(`${JSON.stringify(cmd)}\n`);
    const r = JSON.parse(await p);
    if (r.error) throw new Error(`item worker: ${r.error}`);
    return r;
  };
  const close = async () => {
    child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
    await new Promise((res) => (child.exitCode !== null ? res() : child.once('exit', res)));
  };
  return { available: true, ask, close };
}

const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Hand a matrix to the worker under `short`. */
async function load(short, m) {
  const d = join(dir, short);
  mkdirSync(d);
  writeFileSync(join(d, 'indptr.i32'), bytes(Int32Array.from(m.indptr)));
  writeFileSync(join(d, 'indices.i32'), bytes(Int32Array.from(m.indices)));
  writeFileSync(join(d, 'data.f32'), bytes(Float32Array.from(m.data)));
  await worker.ask({ cmd: 'load', name: short, dir: d, rows: m.rows, cols: m.cols });
}

/** One case: lowrank's fit of `make()` on the wasm backends, the worker's `cmd` on the anchor columns. */
function fitCase(d, id, label, make, anchorCmd, backends, quick) {
  return {
    id,
    label,
    dataset: d.name,
    unit: 's/fit',
    runs: quick ? 2 : 3,
    backends,
    setup(b) {
      if (b.anchor) {
        return {
          run: async () => {
            const r = await worker.ask({ ...anchorCmd(), threads: b.threads ?? 0 });
            return { ms: 1000 * r.seconds, cpuMs: 1000 * r.cpu };
          },
        };
      }
      let facts;
      return {
        run: async () => {
          const m = make();
          await m.fit(d.matrix);
          const r = m.recommend(0, { n: 10 });
          facts = { firstScore: r.scores[0] };
          m.dispose();
        },
        check: () => facts,
      };
    },
  };
}

export async function cases({ lib, quick, data, anchor }) {
  const sets = [];
  if (quick) sets.push(binary(lib, 2000, 1500, 60_000, 7));
  else {
    const ml = await ml100k(lib, data);
    if (ml) sets.push(ml);
    const lf = await lastfm(lib, data);
    if (lf) sets.push(lf);
    sets.push(binary(lib));
  }
  // The anchor columns exist when bench/run.mjs started its implicit anchor; the item worker runs here.
  if (anchor?.available) {
    worker = await startWorker();
    if (!worker.available) console.log(`  implicit's kNN / numpy's EASE not timed: ${worker.why}`);
    else {
      dir = mkdtempSync(join(tmpdir(), 'lowrank-items-'));
      for (const d of sets) await load(d.short, d.matrix);
    }
  }
  const theirsToo = worker?.available === true;
  const keep = (names) => names.filter((n) => theirsToo || !n.startsWith('implicit'));
  const out = [];
  for (const d of sets) {
    for (const w of WEIGHTINGS) {
      out.push(
        fitCase(
          d,
          `items/${d.short}/knn-${w}`,
          `ItemKNN ${w} (K 20) vs implicit's ${CLASS[w]}`,
          () => new lib.ItemKNN({ neighbors: 20, weighting: w, k1: 1.2, b: 0.75 }),
          () => ({ cmd: 'knn', name: d.short, weighting: w, K: 20 }),
          keep(['wasm', 'wasm-threads', 'implicit', 'implicit-threads', ...(quick ? ['js'] : [])]),
          quick,
        ),
      );
    }
    if (d.matrix.cols > EASE_MAX_ITEMS) continue;
    // numpy gets the λ lowrank's default rule picks on this matrix.
    const probe = await new lib.EASE().fit(d.matrix);
    const lambda = probe.fittedRegularization;
    probe.dispose();
    out.push(
      fitCase(
        d,
        `items/${d.short}/ease`,
        `EASE, defaults (λ ${lambda.toPrecision(3)}) vs numpy's closed form, 1 BLAS thread (implicit columns: numpy)`,
        () => new lib.EASE(),
        () => ({ cmd: 'ease', name: d.short, lambda, items: null }),
        keep(['wasm', 'wasm-threads', 'implicit', ...(quick ? ['js'] : [])]),
        quick,
      ),
    );
  }
  return out;
}

export async function close() {
  await worker?.close?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
  worker = undefined;
  dir = undefined;
}
