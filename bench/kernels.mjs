// Kernel benchmark: the WASM SIMD kernels against their pure-JS twins, in one process.
//
//   npm run build && node bench/kernels.mjs [--runs N] [--only name,...] [--json out.json]
//
// Both backends get the same seeded inputs on their own heaps. Each case is timed with samples
// interleaved between the backends (alternating which goes first) after a warm-up, and reports the
// median, min and max over the samples. "speedup" is JS time / WASM time.
import { writeFileSync } from 'node:fs';
import { init, getBackend } from '../dist/internal.mjs';

const args = process.argv.slice(2);
function opt(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const RUNS = Math.max(5, Number(opt('--runs', 7)));
const WARMUP = 2;
const JSON_OUT = opt('--json', undefined);
const ONLY = opt('--only', undefined)?.split(',');

/** mulberry32: seeded floats in [0, 1). */
function rng32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randF32(rng, n, lo = -1, hi = 1) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng();
  return a;
}

/** rows×cols CSR, row lengths uniform in [per−20, per+20], sorted unique columns. */
function randomCsr(rng, rows, cols, per) {
  const indptr = new Int32Array(rows + 1);
  const idx = [];
  const seen = new Uint8Array(cols);
  for (let r = 0; r < rows; r++) {
    const m = per - 20 + Math.floor(rng() * 41);
    const row = [];
    while (row.length < m) {
      const c = Math.floor(rng() * cols);
      if (!seen[c]) {
        seen[c] = 1;
        row.push(c);
      }
    }
    row.sort((a, b) => a - b);
    for (const c of row) {
      seen[c] = 0;
      idx.push(c);
    }
    indptr[r + 1] = idx.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(idx), data: randF32(rng, idx.length, 0.1, 1) };
}

/** k×k SPD: BᵀB/m + I for B (2k×k) random. */
function randomSpd(rng, k) {
  const m = 2 * k;
  const B = randF32(rng, m * k);
  const A = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += B[i * k + a] * B[i * k + b];
      A[a * k + b] = A[b * k + a] = s / m + (a === b ? 1 : 0);
    }
  return A;
}

function sum(a) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

// ---- cases: setup(backend) returns { run, check } on that backend's heap ----

const rng = rng32(20240601);
const SPMV = randomCsr(rng, 20000, 5000, 50);
const SPMV_X32 = randF32(rng, SPMV.cols);
const SPMV_T32 = randF32(rng, SPMV.rows);
const CHOL_K = 64;
const CHOL_SYSTEMS = 10000;
const CHOL_POOL = 8;
const CHOL_A = Array.from({ length: CHOL_POOL }, () => randomSpd(rng, CHOL_K));
const CHOL_B = randF32(rng, CHOL_K * CHOL_POOL);
const GRAM_N = 20000;
const GRAM_K = 64;
const GRAM_X = randF32(rng, GRAM_N * GRAM_K);
const VEC_N = 65536;
const VEC_REPS = 1000;
const VEC_X = randF32(rng, VEC_N);
const VEC_Y = randF32(rng, VEC_N);
const TOPK_N = 17632;
const TOPK_K = 10;
const TOPK_REPS = 2000;
const TOPK_S = randF32(rng, TOPK_N);
const TOPK_EX = Int32Array.from(
  Array.from({ length: 60 }, () => Math.floor(rng() * TOPK_N))
    .sort((a, b) => a - b)
    .filter((v, i, a) => i === 0 || a[i - 1] !== v),
);

function uploadCsr(heap) {
  return { ip: heap.copyIn(SPMV.indptr), ix: heap.copyIn(SPMV.indices), d: heap.copyIn(SPMV.data) };
}

const CASES = [
  {
    name: 'spmv-f32',
    what: `csrMvF32 ${SPMV.rows}×${SPMV.cols}, ${SPMV.indices.length} nnz`,
    reps: 10,
    setup({ heap, k }) {
      const { ip, ix, d } = uploadCsr(heap);
      const x = heap.copyIn(SPMV_X32);
      const y = heap.allocArray('f32', SPMV.rows);
      return { run: () => k.csrMvF32(ip.ptr, ix.ptr, d.ptr, x.ptr, y.ptr, 0, SPMV.rows), check: () => sum(y.view) };
    },
  },
  {
    name: 'spmv-f64',
    what: `csrMvF64 ${SPMV.rows}×${SPMV.cols}, ${SPMV.indices.length} nnz`,
    reps: 10,
    setup({ heap, k }) {
      const { ip, ix, d } = uploadCsr(heap);
      const x = heap.copyIn(Float64Array.from(SPMV_X32));
      const y = heap.allocArray('f64', SPMV.rows);
      return { run: () => k.csrMvF64(ip.ptr, ix.ptr, d.ptr, x.ptr, y.ptr, 0, SPMV.rows), check: () => sum(y.view) };
    },
  },
  {
    name: 'csrmtv-f32',
    what: `csrMtvF32 (Aᵀx scatter), ${SPMV.indices.length} nnz`,
    reps: 10,
    setup({ heap, k }) {
      const { ip, ix, d } = uploadCsr(heap);
      const x = heap.copyIn(SPMV_T32);
      const y = heap.allocArray('f32', SPMV.cols);
      return {
        run: () => {
          y.view.fill(0);
          k.csrMtvF32(ip.ptr, ix.ptr, d.ptr, x.ptr, y.ptr, 0, SPMV.rows);
        },
        check: () => sum(y.view),
      };
    },
  },
  {
    name: 'csrmtv-f64',
    what: `csrMtvF64 (Aᵀx scatter), ${SPMV.indices.length} nnz`,
    reps: 10,
    setup({ heap, k }) {
      const { ip, ix, d } = uploadCsr(heap);
      const x = heap.copyIn(Float64Array.from(SPMV_T32));
      const y = heap.allocArray('f64', SPMV.cols);
      return {
        run: () => {
          y.view.fill(0);
          k.csrMtvF64(ip.ptr, ix.ptr, d.ptr, x.ptr, y.ptr, 0, SPMV.rows);
        },
        check: () => sum(y.view),
      };
    },
  },
  ...['f32', 'f64'].map((kind) => ({
    name: `cholesky-${kind}`,
    what: `cholesky${kind.toUpperCase()} + solve, k=${CHOL_K}, ${CHOL_SYSTEMS} systems (each: copy A and b in, factor, solve)`,
    reps: 1,
    setup({ heap, k }) {
      const T = kind === 'f32' ? Float32Array : Float64Array;
      const bytes = CHOL_K * CHOL_K * T.BYTES_PER_ELEMENT;
      const bBytes = CHOL_K * T.BYTES_PER_ELEMENT;
      const pool = heap.copyIn(T.from(CHOL_A.flatMap((a) => Array.from(a))));
      const rhs = heap.copyIn(T.from(CHOL_B));
      const work = heap.allocArray(kind, CHOL_K * CHOL_K);
      const b = heap.allocArray(kind, CHOL_K);
      const factor = kind === 'f32' ? k.choleskyF32 : k.choleskyF64;
      const solve = kind === 'f32' ? k.choleskySolveF32 : k.choleskySolveF64;
      let acc = 0;
      return {
        run: () => {
          const u8 = heap.views.u8; // no allocation in the loop, so this view stays valid
          acc = 0;
          for (let s = 0; s < CHOL_SYSTEMS; s++) {
            const p = s % CHOL_POOL;
            u8.copyWithin(work.ptr, pool.ptr + p * bytes, pool.ptr + (p + 1) * bytes);
            u8.copyWithin(b.ptr, rhs.ptr + p * bBytes, rhs.ptr + (p + 1) * bBytes);
            if (factor(work.ptr, CHOL_K) !== -1) throw new Error('benchmark matrix not SPD');
            solve(work.ptr, CHOL_K, b.ptr);
            acc += heap.views[kind][b.ptr / T.BYTES_PER_ELEMENT];
          }
        },
        check: () => acc + sum(b.view),
      };
    },
  })),
  {
    name: 'gram-f32',
    what: `gramF32 n=${GRAM_N} k=${GRAM_K}`,
    reps: 1,
    setup({ heap, k }) {
      const X = heap.copyIn(GRAM_X);
      const G = heap.allocArray('f32', GRAM_K * GRAM_K);
      return { run: () => k.gramF32(X.ptr, GRAM_N, GRAM_K, G.ptr), check: () => sum(G.view) };
    },
  },
  {
    name: 'dot-f32',
    what: `dotF32 n=${VEC_N} ×${VEC_REPS}`,
    reps: VEC_REPS,
    setup({ heap, k }) {
      const x = heap.copyIn(VEC_X);
      const y = heap.copyIn(VEC_Y);
      let s = 0;
      return { run: () => (s = k.dotF32(x.ptr, y.ptr, VEC_N)), check: () => s };
    },
  },
  {
    name: 'axpy-f32',
    what: `axpyF32 n=${VEC_N} ×${VEC_REPS} (alternating ±a)`,
    reps: VEC_REPS,
    setup({ heap, k }) {
      const x = heap.copyIn(VEC_X);
      const y = heap.copyIn(VEC_Y);
      let sign = 1;
      // Alternate the sign so y stays bounded however many times it runs.
      return { run: () => k.axpyF32((sign = -sign) * 0.5, x.ptr, y.ptr, VEC_N), check: () => sum(y.view) };
    },
  },
  {
    name: 'topk-f32',
    what: `topkF32 n=${TOPK_N} k=${TOPK_K}, ${TOPK_EX.length} excluded ×${TOPK_REPS}`,
    reps: TOPK_REPS,
    setup({ heap, k }) {
      const s = heap.copyIn(TOPK_S);
      const ex = heap.copyIn(TOPK_EX);
      const oi = heap.allocArray('i32', TOPK_K);
      const os = heap.allocArray('f32', TOPK_K);
      return {
        run: () => k.topkF32(s.ptr, TOPK_N, TOPK_K, ex.ptr, TOPK_EX.length, oi.ptr, os.ptr),
        check: () => sum(oi.view) + sum(os.view),
      };
    },
  },
];

function stats(ts) {
  const s = [...ts].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], runs: s.length };
}

const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));

const backends = {};
for (const name of ['wasm', 'js']) {
  await init({ backend: name });
  backends[name] = getBackend();
}

const results = [];
console.log(`lowrank kernel benchmark — node ${process.version}, ${RUNS} interleaved runs after ${WARMUP} warm-up; time per call in ms`);
console.log('');
const header = ['case', 'wasm median (min–max)', 'js median (min–max)', 'speedup', 'check'];
const lines = [];
for (const c of CASES) {
  if (ONLY && !ONLY.includes(c.name)) continue;
  const inst = { wasm: c.setup(backends.wasm), js: c.setup(backends.js) };
  const time = (name) => {
    const { run } = inst[name];
    const t0 = performance.now();
    for (let r = 0; r < c.reps; r++) run();
    return (performance.now() - t0) / c.reps;
  };
  for (let w = 0; w < WARMUP; w++) for (const name of ['wasm', 'js']) time(name);
  const ts = { wasm: [], js: [] };
  for (let r = 0; r < RUNS; r++) for (const name of r % 2 ? ['js', 'wasm'] : ['wasm', 'js']) ts[name].push(time(name));
  const w = stats(ts.wasm);
  const j = stats(ts.js);
  const cw = inst.wasm.check();
  const cj = inst.js.check();
  const relDiff = Math.abs(cw - cj) / Math.max(1e-30, Math.abs(cj));
  const res = { name: c.name, what: c.what, wasm: w, js: j, speedup: j.median / w.median, checkRelDiff: relDiff };
  results.push(res);
  const line = [
    c.name,
    `${fmt(w.median)} (${fmt(w.min)}–${fmt(w.max)})`,
    `${fmt(j.median)} (${fmt(j.min)}–${fmt(j.max)})`,
    `${res.speedup.toFixed(2)}×`,
    relDiff < 1e-3 ? 'ok' : `DIFF ${relDiff.toExponential(1)}`,
  ];
  lines.push(line);
  console.log(`${line[0].padEnd(12)} ${line[1].padStart(24)} ${line[2].padStart(24)} ${line[3].padStart(8)}  ${line[4]}   ${c.what}`);
}

console.log('');
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const l of lines) console.log(`| ${l.join(' | ')} |`);

if (JSON_OUT) {
  writeFileSync(JSON_OUT, JSON.stringify({ node: process.version, date: new Date().toISOString(), runs: RUNS, warmup: WARMUP, results }, null, 2));
  console.log(`\nwrote ${JSON_OUT}`);
}
