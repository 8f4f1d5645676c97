// Truncated SVD benchmark: time and matrix–vector products of truncatedSVD (restarted Lanczos; optionally
// randomized) for k = 10, 20, 50 on the WASM and JS backends, against scipy.sparse.linalg.svds anchors.
//
//   npm run build && node bench/svd.mjs [--k 10,20,50] [--only ml100k,synthetic] [--backends wasm,js]
//                                       [--methods lanczos,randomized] [--repeat 5] [--tol 1e-10] [--json out.json]
//                                       [--dump /tmp/svd-data]   (then: python3 bench/svd_scipy.py /tmp/svd-data)
//
// Datasets: MovieLens-100k (../shared/data/ml-100k/u.data, users × items, raw ratings; skipped if absent)
// and a generated 6040 × 3706 matrix with exactly 1,000,000 nonzeros (the shape of MovieLens-1M; item
// popularity ∝ rank^-0.8, ratings 1–5, seeded). Each configuration runs once to warm up, then `--repeat`
// times; the median wall time is reported (CPU time of the process beside it, since the machine may be
// shared). Accuracy: every run must converge to tol (default 1e-10, relative residual), so times compare
// at equal accuracy with PROPACK's.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng, SparseMatrix, init, truncatedSVD } from '../dist/index.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
function opt(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const KS = opt('--k', '10,20,50').split(',').map(Number);
const ONLY = opt('--only', 'ml100k,synthetic').split(',');
const BACKENDS = opt('--backends', 'wasm,js').split(',');
const METHODS = opt('--methods', 'lanczos').split(',');
const REPEAT = Math.max(1, Number(opt('--repeat', 5)));
const TOL = Number(opt('--tol', 1e-10));
const JSON_OUT = opt('--json', undefined);
// Write each dataset as raw COO (<dir>/<name>.{rows,cols}.i32, .vals.f32, .shape.json) for bench/svd_scipy.py.
const DUMP = opt('--dump', undefined);
const DATA = join(here, '..', '..', 'shared', 'data');

// scipy svds on this machine class (seconds), from the issue.
const ANCHORS = {
  ml100k: { propack: { 10: 0.012, 20: 0.035, 50: 0.066 } },
  synthetic: { propack: { 20: 0.2, 50: 0.4 }, arpack: { 20: 0.31, 50: 0.68 } },
};

function ml100k() {
  const path = join(DATA, 'ml-100k', 'u.data');
  if (!existsSync(path)) return undefined;
  const rows = [];
  const cols = [];
  const vals = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    const [u, i, r] = line.split('\t');
    rows.push(+u - 1);
    cols.push(+i - 1);
    vals.push(+r);
  }
  return SparseMatrix.fromCOO({ rows, cols, values: vals });
}

function synthetic(nRows = 6040, nCols = 3706, nnz = 1_000_000) {
  const rng = new Rng(20240601);
  // Item popularity ∝ (rank + 1)^-0.8: sample by inverting the cumulative weights.
  const cum = new Float64Array(nCols);
  let t = 0;
  for (let j = 0; j < nCols; j++) cum[j] = t += (j + 1) ** -0.8;
  const pick = () => {
    const x = rng.next() * t;
    let lo = 0;
    let hi = nCols - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const seen = new Set();
  const rows = new Int32Array(nnz);
  const cols = new Int32Array(nnz);
  const vals = new Float32Array(nnz);
  let n = 0;
  while (n < nnz) {
    const r = rng.nextInt(nRows);
    const c = pick();
    const key = r * nCols + c;
    if (seen.has(key)) continue;
    seen.add(key);
    rows[n] = r;
    cols[n] = c;
    vals[n] = 1 + rng.nextInt(5);
    n++;
  }
  return SparseMatrix.fromCOO({ rows, cols, values: vals, shape: [nRows, nCols] });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const datasets = [];
if (ONLY.includes('ml100k')) {
  const m = ml100k();
  if (m) datasets.push(['ml100k', m]);
  else console.log('ml-100k: ../shared/data/ml-100k/u.data not found, skipped');
}
if (ONLY.includes('synthetic')) datasets.push(['synthetic', synthetic()]);

if (DUMP) {
  mkdirSync(DUMP, { recursive: true });
  for (const [name, A] of datasets) {
    const rows = new Int32Array(A.nnz);
    for (let r = 0; r < A.rows; r++) rows.fill(r, A.indptr[r], A.indptr[r + 1]);
    writeFileSync(join(DUMP, `${name}.rows.i32`), rows);
    writeFileSync(join(DUMP, `${name}.cols.i32`), A.indices);
    writeFileSync(join(DUMP, `${name}.vals.f32`), A.data);
    writeFileSync(join(DUMP, `${name}.shape.json`), JSON.stringify(A.shape));
  }
  console.log(`wrote ${datasets.map(([n]) => n).join(', ')} to ${DUMP}`);
}

const results = [];
console.log(`truncatedSVD, tol ${TOL}, median of ${REPEAT} (after one warm-up run)`);
console.log('dataset    shape        nnz      backend method     k   time ms   cpu ms  matvecs restarts  max resid   scipy anchor');
for (const [name, A] of datasets) {
  for (const backend of BACKENDS) {
    await init({ backend });
    for (const method of METHODS) {
      for (const k of KS) {
        // Randomized does not iterate to a tolerance: it reports its residuals instead.
        const opts = method === 'lanczos' ? { k, tol: TOL, method } : { k, method };
        await truncatedSVD(A, opts);
        const wall = [];
        const cpu = [];
        let last;
        for (let r = 0; r < REPEAT; r++) {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          last = await truncatedSVD(A, opts);
          wall.push(performance.now() - t0);
          const c = process.cpuUsage(c0);
          cpu.push((c.user + c.system) / 1000);
        }
        const a = ANCHORS[name] ?? {};
        const anchor = [a.propack?.[k] !== undefined ? `PROPACK ${(a.propack[k] * 1000).toFixed(0)} ms` : '', a.arpack?.[k] !== undefined ? `ARPACK ${(a.arpack[k] * 1000).toFixed(0)} ms` : '']
          .filter(Boolean)
          .join(', ');
        const maxRes = Math.max(...last.residuals);
        const row = {
          dataset: name,
          shape: A.shape,
          nnz: A.nnz,
          backend,
          method,
          k,
          ms: median(wall),
          cpuMs: median(cpu),
          matvecs: last.matvecs,
          restarts: last.restarts,
          maxResidual: maxRes,
          converged: last.converged,
          sigma: [last.s[0], last.s[k - 1]],
        };
        results.push(row);
        console.log(
          `${name.padEnd(10)} ${`${A.rows}×${A.cols}`.padEnd(12)} ${String(A.nnz).padStart(7)}  ${backend.padEnd(7)} ${method.padEnd(10)} ${String(k).padStart(2)} ${row.ms.toFixed(1).padStart(9)} ${row.cpuMs
            .toFixed(1)
            .padStart(8)} ${String(row.matvecs).padStart(8)} ${String(row.restarts).padStart(8)}  ${maxRes.toExponential(1).padStart(9)}${last.converged ? ' ' : '!'}  ${anchor}`,
        );
      }
    }
  }
}
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
