/**
 * The code every pool worker runs, as a self-contained source string (no imports), so it ships inside the
 * one ESM bundle and starts the same way in Node (`new Worker(src, { eval: true })`) and in browsers (a
 * module Worker from a Blob URL).
 *
 * Protocol. The main thread posts once `{ module, memory, ctrl, tid, names }`: the compiled threads
 * module, the shared memory, the byte offset of the control block (CTRL_* below) and the worker's thread
 * id (1…T−1; the main thread is 0). The worker instantiates the module on that memory, reads the job
 * generation, answers 'ready' and then parks in `Atomics.wait` on the generation word — it never returns
 * to its event loop, so jobs cost no message round trip. For each job it claims chunk indices with
 * `Atomics.add` on NEXT until they run out, calls the kernel on chunk c with arguments
 * `base + r0·perR0 + r1·perR1 + tid·perTid` (r0, r1 = bounds[c], bounds[c+1]), stores the kernel's return
 * value in results[c] when asked, and adds 1 to DONE: the main thread waiting for DONE = T − 1 is the
 * barrier. The first exception (e.g. a kernel trap) is written to the error slot; a worker that exits
 * mid-job counts itself in DEAD so the main thread does not wait forever. Workers never allocate.
 *
 * Instantiating on the shared memory re-writes the module's static data (read-only math tables, the same
 * bytes each time) and runs no start function, so a worker joining later cannot disturb running ones.
 * @module
 */

/** Words (i32) of the control block. */
export const CTRL = {
  GEN: 0,
  STOP: 1,
  NEXT: 2,
  DONE: 3,
  NCHUNKS: 4,
  KERNEL: 5,
  NARGS: 6,
  ERR: 7,
  ERRLEN: 8,
  RESULTS: 9,
  DEAD: 10,
  FAULT: 11,
} as const;

/** Most kernel arguments a job may have. */
export const MAX_ARGS = 32;
/** Most chunks a job may have. */
export const MAX_CHUNKS = 1024;
/** How long a worker spins for the next job before it sleeps (ms): longer than the JS between the jobs of a fit. */
export const SPIN_MS = 2;
/** Bytes of the error message slot. */
export const ERR_BYTES = 2048;

/** Byte offsets inside the control block. */
export const LAYOUT = {
  /** f64 ×4·MAX_ARGS: base, perR0, perR1, perTid. */
  args: 128,
  /** i32 × (MAX_CHUNKS + 1). */
  bounds: 128 + 32 * MAX_ARGS,
  /** f64 × MAX_CHUNKS. */
  results: 128 + 32 * MAX_ARGS + 4 * (MAX_CHUNKS + 8),
  err: 128 + 32 * MAX_ARGS + 4 * (MAX_CHUNKS + 8) + 8 * MAX_CHUNKS,
  bytes: 128 + 32 * MAX_ARGS + 4 * (MAX_CHUNKS + 8) + 8 * MAX_CHUNKS + ERR_BYTES,
} as const;

/** FAULT values (test hooks): worker 1 throws, or exits, at the start of the next job. */
export const FAULT_THROW = 1;
export const FAULT_EXIT = 2;

export const WORKER_SOURCE = `
'use strict';
const C = ${JSON.stringify(CTRL)};
const L = ${JSON.stringify(LAYOUT)};
const MAX_ARGS = ${MAX_ARGS};
const ERR_BYTES = ${ERR_BYTES};
const SPIN_MS = ${SPIN_MS};
// Node runs this as CommonJS or as ESM (when the parent has --input-type=module): import() works in both.
const isNode = typeof process === 'object' && process !== null && !!(process.versions && process.versions.node);
let port = isNode ? null : self;
let stopping = false;
let I, F, B, R, U8, fns, tid;

function post(m) { port.postMessage(m); }

function report(e) {
  if (Atomics.compareExchange(I, C.ERR, 0, tid + 1) !== 0) return;
  let s;
  try { s = (e && e.name ? e.name + ': ' : '') + (e && e.message !== undefined ? e.message : String(e)); } catch (_) { s = 'unknown error'; }
  const bytes = new TextEncoder().encode(s).subarray(0, ERR_BYTES);
  U8.set(bytes, 0);
  Atomics.store(I, C.ERRLEN, bytes.length);
}

function work() {
  const fault = Atomics.load(I, C.FAULT);
  if (fault !== 0 && tid === 1) {
    Atomics.store(I, C.FAULT, 0);
    if (fault === ${FAULT_EXIT}) { if (isNode) process.exit(7); else self.close(); }
    throw new Error('injected worker fault');
  }
  const n = I[C.NCHUNKS];
  const fn = fns[I[C.KERNEL]];
  const na = I[C.NARGS];
  const keep = I[C.RESULTS] !== 0;
  const args = new Array(na);
  for (;;) {
    const c = Atomics.add(I, C.NEXT, 1);
    if (c >= n) break;
    const r0 = B[c];
    const r1 = B[c + 1];
    for (let j = 0; j < na; j++) args[j] = F[j] + r0 * F[MAX_ARGS + j] + r1 * F[2 * MAX_ARGS + j] + tid * F[3 * MAX_ARGS + j];
    const r = fn.apply(null, args);
    if (keep) R[c] = r;
  }
}

function loop(gen) {
  for (;;) {
    // The jobs of one fit or SVD come back to back, a little JS apart (tens of µs; the next Gram, a
    // yield between iterations): spin that long before sleeping. A futex wake costs 15–100 µs on a busy
    // machine, and a sleeping worker may lose its core to another process until the next time slice.
    const until = performance.now() + SPIN_MS;
    for (let spin = 1; Atomics.load(I, C.GEN) === gen; spin++) if ((spin & 255) === 0 && performance.now() > until) break;
    Atomics.wait(I, C.GEN, gen);
    if (Atomics.load(I, C.STOP) !== 0) break;
    const g = Atomics.load(I, C.GEN);
    if (g === gen) continue;
    gen = g;
    try { work(); } catch (e) { report(e); Atomics.store(I, C.NEXT, 0x3fffffff); }
    Atomics.add(I, C.DONE, 1);
    Atomics.notify(I, C.DONE);
  }
  stopping = true;
  // Deno's worker_threads port has no close() (and no self): there the worker just returns, and the
  // main thread's terminate() ends it.
  if (!isNode) self.close(); else if (typeof port.close === 'function') port.close();
}

function start(m) {
  tid = m.tid;
  const buf = m.memory.buffer;
  I = new Int32Array(buf, m.ctrl, 32);
  F = new Float64Array(buf, m.ctrl + L.args, 4 * MAX_ARGS);
  B = new Int32Array(buf, m.ctrl + L.bounds, (L.results - L.bounds) >> 2);
  R = new Float64Array(buf, m.ctrl + L.results, (L.err - L.results) >> 3);
  U8 = new Uint8Array(buf, m.ctrl + L.err, ERR_BYTES);
  if (isNode) process.on('exit', () => { if (!stopping) { Atomics.add(I, C.DEAD, 1); Atomics.notify(I, C.DONE); } });
  WebAssembly.instantiate(m.module, { env: { memory: m.memory, abort(_m, _f, line, col) { throw new Error('lowrank kernel aborted at ' + line + ':' + col); } } }).then(
    (inst) => {
      fns = m.names.map((name) => inst.exports[name]);
      const gen = Atomics.load(I, C.GEN);
      post({ type: 'ready', tid });
      loop(gen);
    },
    (e) => post({ type: 'error', tid, message: String(e && e.message || e) }),
  );
}

if (isNode) {
  import('node:worker_threads').then((wt) => {
    port = wt.parentPort;
    port.once('message', start);
  });
} else self.addEventListener('message', (ev) => start(ev.data), { once: true });
`;
