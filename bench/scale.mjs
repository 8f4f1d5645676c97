// Scale benchmark (issue 15): ImplicitALS (CG, 64 factors) per-iteration time and peak memory at 5M, 20M
// and 60M generated nonzeros, truncatedSVD k = 20 at 20M, and the largest fit under 4 GiB. Each case runs
// in a fresh child process so its peak RSS is its own: the matrix is generated straight into CSR arrays
// (8 bytes per nonzero, nothing else), then the fit runs while a worker samples RSS; the WASM heap's size
// only grows, so its byteLength afterwards is its peak. Not part of `npm run bench` (these runs take
// minutes and gigabytes): `npm run bench:scale -- [options]`, `node bench/scale.mjs --help`.
//
// `--dist DIR` runs another build (e.g. one of main) with the same cases, for before/after figures.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import { MemoryMeter } from './lib/memory.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const MiB = 2 ** 20;

/** The cases: nonzeros, users, items (users and items grow with nnz, so every cost term is linear in it). */
const ALS_CASES = {
  '5M': { nnz: 5e6, users: 100_000, items: 20_000 },
  '20M': { nnz: 20e6, users: 400_000, items: 80_000 },
  '60M': { nnz: 60e6, users: 1_200_000, items: 240_000 },
  // The largest ImplicitALS fit (64 factors) that fits the 4 GiB heap with this design (see README "Memory").
  largest: { nnz: 200e6, users: 2_000_000, items: 400_000 },
};

const HELP = `node bench/scale.mjs [options]
  --cases 5M,20M,60M   ALS cases to run (also: largest); default 5M,20M,60M
  --svd                also truncatedSVD k = 20 on the 20M matrix
  --iterations N       ALS iterations per case (median per-iteration time reported); default 3
  --backend NAME       wasm (default), wasm-threads or js
  --threads N          threads for wasm-threads
  --dist DIR           the build to run (default: dist/ of this checkout)
  --input js|heap      the matrix from JS arrays (default: as users build one) or written straight into the heap
  --label TEXT         label of this build in the output (default: the dist path)
  --out FILE           also write the rows as JSON`;

function parse(argv) {
  const o = {
    input: 'js',
    cases: ['5M', '20M', '60M'],
    svd: false,
    iterations: 3,
    backend: 'wasm',
    threads: undefined,
    dist: join(here, '..', 'dist'),
    out: undefined,
    label: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--help') console.log(HELP), process.exit(0);
    else if (a === '--cases') o.cases = v().split(',');
    else if (a === '--svd') o.svd = true;
    else if (a === '--iterations') o.iterations = Number(v());
    else if (a === '--backend') o.backend = v();
    else if (a === '--threads') o.threads = Number(v());
    else if (a === '--dist') o.dist = resolve(v());
    else if (a === '--label') o.label = v();
    else if (a === '--input') o.input = v();
    else if (a === '--out') o.out = resolve(v());
    else if (a === '--child') o.child = JSON.parse(v());
    else throw new Error(`bench/scale: unknown option ${a}\n${HELP}`);
  }
  for (const c of o.cases)
    if (!ALS_CASES[c]) throw new Error(`bench/scale: unknown case ${c}; expected ${Object.keys(ALS_CASES).join(', ')}`);
  return o;
}

/** xorshift32: fast, seeded, good enough for synthetic structure. */
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/**
 * A users × items CSR matrix of about `nnz` counts in 1..5: row lengths uniform in [0.2, 1.8]·mean, columns
 * skewed towards popular items (index ∝ u²), sorted and unique per row. Written straight into the arrays
 * `make(cap)` returns (JS arrays, or heap views); returns the number of entries written (≤ cap).
 */
function generate({ nnz, users, items }, make, seed = 1) {
  const r = rng(seed);
  const mean = nnz / users;
  const lengths = new Int32Array(users + 1);
  for (let u = 0; u < users; u++)
    lengths[u + 1] = lengths[u] + Math.min(items, Math.max(1, Math.round(mean * (0.2 + 1.6 * r()))));
  const cap = lengths[users];
  const { indptr, indices, data } = make(cap);
  indptr.set(lengths);
  let w = 0;
  for (let u = 0; u < users; u++) {
    const a = indptr[u];
    const b = indptr[u + 1];
    const row = indices.subarray(w, w + (b - a));
    for (let p = 0; p < row.length; p++) {
      const x = r();
      row[p] = Math.floor(items * x * x);
    }
    row.sort();
    const start = w;
    for (let p = 0; p < row.length; p++) {
      if (w > start && indices[w - 1] === row[p]) continue;
      indices[w] = row[p];
      data[w++] = 1 + Math.floor(r() * 5);
    }
    indptr[u] = start;
  }
  indptr[users] = w;
  // Row starts were rewritten in place as rows shrank (duplicates dropped); only the used prefix is the matrix.
  return w;
}

/**
 * The case's matrix: from JS arrays as a user builds one (`input: 'js'`; a fit then moves it into the
 * heap and the engine frees the arrays when it collects), or written straight into heap blocks
 * (`'heap'`: what a reader parsing into the heap gives; needs SparseMatrix.fromHeap).
 */
function makeMatrix(lib, b, spec, input) {
  if (input === 'js') {
    let arrays;
    const w = generate(
      spec,
      (cap) =>
        (arrays = {
          indptr: new Int32Array(spec.users + 1),
          indices: new Int32Array(cap),
          data: new Float32Array(cap),
        }),
    );
    return new lib.SparseMatrix(arrays.indptr, arrays.indices.subarray(0, w), arrays.data.subarray(0, w), [
      spec.users,
      spec.items,
    ]);
  }
  if (typeof lib.SparseMatrix.fromHeap !== 'function')
    throw new Error('this build has no SparseMatrix.fromHeap (use --input js)');
  const heap = b.heap;
  let blocks;
  const w = generate(spec, (cap) => {
    blocks = [heap.allocArray('i32', spec.users + 1), heap.allocArray('i32', cap), heap.allocArray('f32', cap)];
    return { indptr: blocks[0].view, indices: blocks[1].view, data: blocks[2].view };
  });
  const csr = {
    indptr: blocks[0],
    indices: new lib.HeapArray(heap, 'i32', blocks[1].ptr, w),
    data: new lib.HeapArray(heap, 'f32', blocks[2].ptr, w),
  };
  return lib.SparseMatrix.fromHeap(b, csr, [spec.users, spec.items]);
}

/** One case in this process: generate, fit (or SVD), report. */
async function child({ dist, backend, threads, kind, name, iterations, input }) {
  const lib = await import(pathToFileURL(join(dist, 'internal.mjs')).href);
  const b = await lib.init({ backend, ...(threads ? { threads } : {}) });
  const spec = kind === 'svd' ? ALS_CASES['20M'] : ALS_CASES[name];
  const t0 = performance.now();
  let m = makeMatrix(lib, b, spec, input);
  const genSeconds = (performance.now() - t0) / 1000;
  const nnz = m.nnz;
  globalThis.gc?.();
  const meter = new MemoryMeter();
  meter.track(backend, b.heap);
  meter.reset();
  let jsPeak = process.memoryUsage().arrayBuffers;
  const sample = () => (jsPeak = Math.max(jsPeak, process.memoryUsage().arrayBuffers));
  const row = { kind, name, input, nnz, users: m.rows, items: m.cols, backend, genSeconds };
  if (kind === 'als') {
    const seconds = [];
    const model = new lib.ImplicitALS({ factors: 64, solver: 'cg', iterations, seed: 1, calculateTrainingLoss: false });
    const t = performance.now();
    await model.fit(m, { onIteration: (e) => (seconds.push(e.seconds), sample()) });
    row.fitSeconds = (performance.now() - t) / 1000;
    row.iterationSeconds = seconds;
    const sorted = [...seconds].sort((x, y) => x - y);
    row.medianIterationSeconds = sorted[Math.floor(sorted.length / 2)];
    row.recommend = Array.from(model.recommend(0, { n: 3 }).items);
  } else {
    const t = performance.now();
    const r = await lib.truncatedSVD(m, { k: 20, seed: 1 });
    row.fitSeconds = (performance.now() - t) / 1000;
    row.s1 = r.s[0];
    row.matvecs = r.matvecs;
    row.converged = r.converged;
  }
  sample();
  const mem = meter.read();
  const heap = mem.heaps[backend];
  row.rssBaseBytes = mem.rssStartBytes;
  row.rssPeakBytes = Math.max(mem.rssPeakBytes, process.resourceUsage().maxRSS * 1024);
  row.heapBytes = heap.memoryBytes;
  row.heapPeakInUseBytes = heap.peakInUseBytes;
  row.jsArrayBuffersPeakBytes = jsPeak;
  row.heapInUseAfterBytes = b.heap.bytesInUse;
  m = undefined;
  await meter.close();
  process.stdout.write(`@@${JSON.stringify(row)}\n`);
  process.exit(0);
}

const o = parse(process.argv.slice(2));
if (o.child) await child(o.child);

const label = o.label ?? o.dist;
const runs = [
  ...o.cases.map((name) => ({ kind: 'als', name })),
  ...(o.svd ? [{ kind: 'svd', name: 'svd k=20 @ 20M' }] : []),
];
const rows = [];
const gib = (x) => (x / 2 ** 30).toFixed(2);
console.log(
  `lowrank scale benchmark — ${new Date().toISOString()} · ${label} · backend ${o.backend}${o.threads ? ` (${o.threads} threads)` : ''} · matrix from ${o.input === 'js' ? 'JS arrays' : 'heap blocks'}`,
);
console.log(
  `machine: ${os.cpus()[0]?.model} × ${os.cpus().length}, ${gib(os.totalmem())} GiB, load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}, node ${process.version}\n`,
);
console.log(
  '| case | nnz | users | items | per-iteration s (median) | fit s | peak RSS GiB | heap GiB (peak in use) | JS ArrayBuffers peak GiB | bytes/nnz (RSS) |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const run of runs) {
  const arg = {
    dist: o.dist,
    backend: o.backend,
    threads: o.threads,
    iterations: o.iterations,
    input: o.input,
    ...run,
  };
  const p = spawnSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), '--child', JSON.stringify(arg)],
    { encoding: 'utf8', maxBuffer: 64 * MiB },
  );
  const line = p.stdout.split('\n').find((l) => l.startsWith('@@'));
  if (!line) {
    console.log(
      `| ${run.name} | failed (exit ${p.status}${p.signal ? `, ${p.signal}` : ''}): ${(p.stderr || p.stdout).trim().split('\n').slice(-3).join(' ')} |`,
    );
    rows.push({ ...run, failed: true, stderr: p.stderr });
    continue;
  }
  const r = JSON.parse(line.slice(2));
  rows.push(r);
  const it = r.medianIterationSeconds !== undefined ? r.medianIterationSeconds.toFixed(2) : '—';
  console.log(
    `| ${r.kind === 'svd' ? r.name : `ImplicitALS cg k=64 @ ${r.name}`} | ${r.nnz} | ${r.users} | ${r.items} | ${it} | ${r.fitSeconds.toFixed(1)} | ${gib(r.rssPeakBytes)} | ${gib(r.heapBytes)} (${gib(r.heapPeakInUseBytes)}) | ${gib(r.jsArrayBuffersPeakBytes)} | ${(r.rssPeakBytes / r.nnz).toFixed(1)} |`,
  );
}
if (o.out) {
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(
    o.out,
    JSON.stringify({ date: new Date().toISOString(), label, backend: o.backend, threads: o.threads, rows }, null, 2),
  );
}
