/**
 * When and how row kernels are split over the 'wasm-threads' pool (src/runtime/runner.ts does the
 * splitting): the work thresholds, and row boundaries for ALS half-iterations and YᵀY, the SVD operator
 * (A·x, Aᵀ·y) and recommendBatch. Every split is by output rows: each row (or each entry of YᵀY) is
 * computed by one thread with the same operations as the single call, so results are bit-identical to
 * the 'wasm' backend whatever the thread count.
 *
 * Small jobs stay on the calling thread. Measured with bench/threads.mjs on the 2-core machine (AMD EPYC
 * VM, Node 20), alternating single and parallel runs:
 * - one parallel dispatch (wake the parked worker, barrier) costs ≈ 3 µs on an idle machine and 15–60 µs
 *   when other processes compete for the cores;
 * - y = A·x (csrMvF64) breaks even near 10–30k stored entries (30k: 1.3–1.4×, 1M: 1.75–1.8×);
 * - YᵀY at k = 64 gains from n = 100 (0.2M multiply–adds: 1.6–1.75×; 0.6M and up: 1.9–2.3×);
 * - recommendBatch (3706 items, factors 64) breaks even at 2 users (0.5M multiply–adds: 1.0×; 4 users
 *   1.25×, 16 and more 1.7–1.8×).
 * The thresholds sit a little above the break-even so that a loaded machine does not lose much either.
 * @module
 */

/**
 * Work thresholds in the units each caller estimates:
 * - `flops`: multiply–adds of dense work (ALS rows, YᵀY), ≈ 1–4 per ns here: 2e5 ≈ 50–200 µs;
 * - `scoring`: users × candidates × factors of a recommendBatch (scores plus a top-k pass per user);
 * - `nnz`: stored entries of a sparse product (≈ 1 per ns in csrMvF64): 50k ≈ 50 µs;
 * - `nnzSeries`: the same, for products made back to back by the hundred (Lanczos): the dispatch (3 µs idle,
 *   15–60 µs on a busy machine) is paid per product, and at ML-100k's 100k entries (27 µs a product) it made
 *   'wasm-threads' 2× slower than 'wasm'; 400k measured as the break-even.
 */
export const THRESHOLDS = {
  flops: 2e5,
  scoring: 1e6,
  nnz: 50_000,
  nnzSeries: 400_000,
};

/**
 * Boundaries splitting rows [0, n) into about `chunks` ranges of equal total cost (`cost(r)` per row), each
 * at least `minRows` long (a short tail joins the previous range). Returns Int32Array [0, …, n].
 */
export function balancedBounds(n: number, cost: (r: number) => number, chunks: number, minRows = 1): Int32Array {
  let total = 0;
  for (let r = 0; r < n; r++) total += cost(r);
  const want = Math.max(1, Math.min(chunks, Math.floor(n / Math.max(1, minRows))));
  const cuts = [0];
  const target = total / want;
  let acc = 0;
  let start = 0;
  for (let r = 0; r < n; r++) {
    acc += cost(r);
    if (acc >= target * cuts.length && r + 1 - start >= minRows && cuts.length < want) {
      cuts.push(r + 1);
      start = r + 1;
    }
  }
  if (n - start < minRows && cuts.length > 1) cuts.pop();
  cuts.push(n);
  return Int32Array.from(cuts);
}

/**
 * Guided split of rows [0, n) for dynamic claiming: each range takes a 1/(2·threads) share of the cost still
 * left (at least 1/(grain·threads) of the total, at least `minRows` rows), so ranges shrink towards the end
 * and the last ones to finish are small whatever the cost estimate got wrong: the threads finish within
 * about half a smallest range of each other. A finer grain costs one more kernel call per range (cheap,
 * unless the kernel has a per-call set-up). Returns Int32Array [0, …, n].
 */
export function guidedBounds(
  n: number,
  cost: (r: number) => number,
  threads: number,
  minRows = 1,
  grain = 8,
): Int32Array {
  let total = 0;
  for (let r = 0; r < n; r++) total += cost(r);
  const floor = Math.max(total / (grain * threads), total / 1000); // ≤ 1000 ranges (MAX_CHUNKS is 1024)
  const cuts = [0];
  let left = total;
  let acc = 0;
  let start = 0;
  let target = Math.max(floor, left / (2 * threads));
  for (let r = 0; r < n; r++) {
    const c = cost(r);
    acc += c;
    if (acc >= target && r + 1 - start >= minRows && n - (r + 1) >= minRows) {
      cuts.push(r + 1);
      start = r + 1;
      left -= acc;
      acc = 0;
      target = Math.max(floor, left / (2 * threads));
    }
  }
  cuts.push(n);
  return Int32Array.from(cuts);
}

/** Boundaries of equal-size ranges of `size` rows over [0, n). */
export function uniformBounds(n: number, size: number): Int32Array {
  const c = Math.max(1, Math.ceil(n / size));
  const out = new Int32Array(c + 1);
  for (let i = 1; i <= c; i++) out[i] = Math.min(n, i * size);
  return out;
}
