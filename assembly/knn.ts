// Item–item nearest neighbours: the similarity S = top-K of each row of WᵀW (W the weighted users × items
// matrix, f64 values), and scoring r_u·S with a top-k. Both are sparse: a dense f64 accumulator per
// thread, a "touched" list in first-touch order and a stamp per item (whose row last touched it), so a
// row costs what its products cost, never the item count.
//
// The neighbour selection reproduces implicit 0.7.3's all_pairs_knn exactly, ties included: its
// SparseMatrixMultiplier visits candidates in reverse order of first touch, and its TopK keeps a min-heap
// of (score, index) pairs, replacing the least pair only by a strictly greater score. Sums run over the
// item's users in ascending order, as implicit's, so S is implicit's to the last bit for the same weights.
// The JS twins are in src/kernels/knn.ts.

/** True when (sa, ia) < (sb, ib) as pairs: implicit's heap order (root = least pair). */
@inline function lessPair(sa: f64, ia: i32, sb: f64, ib: i32): bool {
  return sa < sb || (sa == sb && ia < ib);
}

/** Min-heap of (value, index) pairs in (hv, hi), `size` entries: push (s, id). */
@inline function pairPush(hi: usize, hv: usize, size: i32, s: f64, id: i32): void {
  let pos = size;
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    const ps = load<f64>(hv + ((<usize>parent) << 3));
    const pi = load<i32>(hi + ((<usize>parent) << 2));
    if (!lessPair(s, id, ps, pi)) break;
    store<f64>(hv + ((<usize>pos) << 3), ps);
    store<i32>(hi + ((<usize>pos) << 2), pi);
    pos = parent;
  }
  store<f64>(hv + ((<usize>pos) << 3), s);
  store<i32>(hi + ((<usize>pos) << 2), id);
}

/** Replace the root of the min-heap by (s, id) and restore the order. */
@inline function pairReplaceRoot(hi: usize, hv: usize, size: i32, s: f64, id: i32): void {
  let pos = 0;
  while (true) {
    let c = 2 * pos + 1;
    if (c >= size) break;
    let cs = load<f64>(hv + ((<usize>c) << 3));
    let ci = load<i32>(hi + ((<usize>c) << 2));
    if (c + 1 < size) {
      const rs = load<f64>(hv + ((<usize>(c + 1)) << 3));
      const ri = load<i32>(hi + ((<usize>(c + 1)) << 2));
      if (lessPair(rs, ri, cs, ci)) {
        c++;
        cs = rs;
        ci = ri;
      }
    }
    if (!lessPair(cs, ci, s, id)) break;
    store<f64>(hv + ((<usize>pos) << 3), cs);
    store<i32>(hi + ((<usize>pos) << 2), ci);
    pos = c;
  }
  store<f64>(hv + ((<usize>pos) << 3), s);
  store<i32>(hi + ((<usize>pos) << 2), id);
}

/** Sort `size` (index, value) entries by index ascending: insertion sort when short, else heapsort. */
function sortByIndex(hi: usize, hv: usize, size: i32): void {
  if (size <= 32) {
    for (let t = 1; t < size; t++) {
      const id = load<i32>(hi + ((<usize>t) << 2));
      const v = load<f64>(hv + ((<usize>t) << 3));
      let q = t;
      while (q > 0 && load<i32>(hi + ((<usize>(q - 1)) << 2)) > id) {
        store<i32>(hi + ((<usize>q) << 2), load<i32>(hi + ((<usize>(q - 1)) << 2)));
        store<f64>(hv + ((<usize>q) << 3), load<f64>(hv + ((<usize>(q - 1)) << 3)));
        q--;
      }
      store<i32>(hi + ((<usize>q) << 2), id);
      store<f64>(hv + ((<usize>q) << 3), v);
    }
    return;
  }
  // Build a max-heap on the index, then move the maximum to the end repeatedly.
  for (let start = (size >> 1) - 1; start >= 0; start--) siftIdx(hi, hv, start, size);
  for (let end = size - 1; end > 0; end--) {
    const ti = load<i32>(hi);
    const tv = load<f64>(hv);
    store<i32>(hi, load<i32>(hi + ((<usize>end) << 2)));
    store<f64>(hv, load<f64>(hv + ((<usize>end) << 3)));
    store<i32>(hi + ((<usize>end) << 2), ti);
    store<f64>(hv + ((<usize>end) << 3), tv);
    siftIdx(hi, hv, 0, end);
  }
}

function siftIdx(hi: usize, hv: usize, pos: i32, size: i32): void {
  const id = load<i32>(hi + ((<usize>pos) << 2));
  const v = load<f64>(hv + ((<usize>pos) << 3));
  while (true) {
    let c = 2 * pos + 1;
    if (c >= size) break;
    let ci = load<i32>(hi + ((<usize>c) << 2));
    if (c + 1 < size && load<i32>(hi + ((<usize>(c + 1)) << 2)) > ci) {
      c++;
      ci = load<i32>(hi + ((<usize>c) << 2));
    }
    if (ci <= id) break;
    store<i32>(hi + ((<usize>pos) << 2), ci);
    store<f64>(hv + ((<usize>pos) << 3), load<f64>(hv + ((<usize>c) << 3)));
    pos = c;
  }
  store<i32>(hi + ((<usize>pos) << 2), id);
  store<f64>(hv + ((<usize>pos) << 3), v);
}

/**
 * Neighbours of items [r0, r1): for item i, s_j = Σ_{u ∈ users(i), ascending} W[u,j]·W[u,i] over every
 * item j reached (i itself included), then the K best as implicit's TopK keeps them, written to the
 * item's K slots outIdx/outVal + i·K (i32 / f64), sorted by item index; outCount[i] = how many (≤ K).
 * W is given both ways: users × items (uIndptr, uIndices, uData) and items × users (iIndptr, iIndices,
 * iData), data f64. positive ≠ 0 promises every weight is ≥ 1e-100 (so every product is > 0 and a sum
 * is 0 only before its first term: first touches are found without stamps). scratch: 16·nItems + 4 bytes
 * (accumulator f64, stamp i32, touched list i32 with a spare slot).
 */
export function knnNeighbors(
  uIndptr: usize,
  uIndices: usize,
  uData: usize,
  iIndptr: usize,
  iIndices: usize,
  iData: usize,
  nItems: i32,
  K: i32,
  r0: i32,
  r1: i32,
  outIdx: usize,
  outVal: usize,
  outCount: usize,
  positive: i32,
  scratch: usize,
): void {
  if (r0 >= r1) return;
  const n = <usize>nItems;
  const acc = scratch;
  const stamp = scratch + (n << 3);
  const list = stamp + (n << 2);
  for (let j: usize = 0; j < n; j++) {
    store<f64>(acc + (j << 3), 0.0);
    store<i32>(stamp + (j << 2), -1);
  }
  for (let i = r0; i < r1; i++) {
    let touched = 0;
    const pEnd = load<i32>(iIndptr + ((<usize>i) << 2), 4);
    for (let p = load<i32>(iIndptr + ((<usize>i) << 2)); p < pEnd; p++) {
      const u = load<i32>(iIndices + ((<usize>p) << 2));
      const w1 = load<f64>(iData + ((<usize>p) << 3));
      const q0 = load<i32>(uIndptr + ((<usize>u) << 2));
      const qEnd = load<i32>(uIndptr + ((<usize>u) << 2), 4);
      if (positive) {
        // Every product is > 0, so a sum is 0 exactly until its first term: no stamps to read. The
        // touched list takes every j, and keeps the slot only for a first touch (branch-free).
        let pi = uIndices + ((<usize>q0) << 2);
        let pd = uData + ((<usize>q0) << 3);
        const stop = uIndices + ((<usize>qEnd) << 2);
        for (; pi + 8 <= stop; pi += 8, pd += 16) {
          const j0 = <usize>load<i32>(pi);
          const j1 = <usize>load<i32>(pi, 4);
          const a0 = acc + (j0 << 3);
          const a1 = acc + (j1 << 3);
          const s0 = load<f64>(a0);
          const s1 = load<f64>(a1);
          store<f64>(a0, s0 + load<f64>(pd) * w1);
          store<f64>(a1, s1 + load<f64>(pd, 8) * w1);
          store<i32>(list + ((<usize>touched) << 2), <i32>j0);
          touched += i32(s0 == 0);
          store<i32>(list + ((<usize>touched) << 2), <i32>j1);
          touched += i32(s1 == 0);
        }
        if (pi < stop) {
          const j0 = <usize>load<i32>(pi);
          const a0 = acc + (j0 << 3);
          const s0 = load<f64>(a0);
          store<f64>(a0, s0 + load<f64>(pd) * w1);
          store<i32>(list + ((<usize>touched) << 2), <i32>j0);
          touched += i32(s0 == 0);
        }
        continue;
      }
      for (let q = q0; q < qEnd; q++) {
        const j = <usize>load<i32>(uIndices + ((<usize>q) << 2));
        const a = acc + (j << 3);
        store<f64>(a, load<f64>(a) + load<f64>(uData + ((<usize>q) << 3)) * w1);
        const sp = stamp + (j << 2);
        if (load<i32>(sp) != i) {
          store<i32>(sp, i);
          store<i32>(list + ((<usize>touched) << 2), <i32>j);
          touched++;
        }
      }
    }
    const hi = outIdx + (<usize>i) * (<usize>K) * 4;
    const hv = outVal + (<usize>i) * (<usize>K) * 8;
    let size = 0;
    // implicit's foreach visits the most recently first-touched candidate first.
    for (let t = touched - 1; t >= 0; t--) {
      const j = load<i32>(list + ((<usize>t) << 2));
      const a = acc + ((<usize>j) << 3);
      const s = load<f64>(a);
      store<f64>(a, 0.0);
      if (size < K) {
        pairPush(hi, hv, size, s, j);
        size++;
      } else if (K > 0 && s > load<f64>(hv)) {
        pairReplaceRoot(hi, hv, size, s, j);
      }
    }
    sortByIndex(hi, hv, size);
    store<i32>(outCount + ((<usize>i) << 2), size);
  }
}

/** True when (sa, ia) ranks below (sb, ib) in a recommendation: lower score, or equal and higher index. */
@inline function worse(sa: f64, ia: i32, sb: f64, ib: i32): bool {
  return sa < sb || (sa == sb && ia > ib);
}

/** Heap with the worst kept entry at the root (f64 keys in hv, indices in hi): push (s, id). */
function rankPush(hi: usize, hv: usize, size: i32, s: f64, id: i32): void {
  let pos = size;
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    const ps = load<f64>(hv + ((<usize>parent) << 3));
    const pi = load<i32>(hi + ((<usize>parent) << 2));
    if (!worse(s, id, ps, pi)) break;
    store<f64>(hv + ((<usize>pos) << 3), ps);
    store<i32>(hi + ((<usize>pos) << 2), pi);
    pos = parent;
  }
  store<f64>(hv + ((<usize>pos) << 3), s);
  store<i32>(hi + ((<usize>pos) << 2), id);
}

/** Put (s, id) into the hole at `pos` of the worst-at-root heap and sift it down. */
function rankSiftDown(hi: usize, hv: usize, size: i32, pos: i32, s: f64, id: i32): void {
  while (true) {
    let c = 2 * pos + 1;
    if (c >= size) break;
    let cs = load<f64>(hv + ((<usize>c) << 3));
    let ci = load<i32>(hi + ((<usize>c) << 2));
    if (c + 1 < size) {
      const rs = load<f64>(hv + ((<usize>(c + 1)) << 3));
      const ri = load<i32>(hi + ((<usize>(c + 1)) << 2));
      if (worse(rs, ri, cs, ci)) {
        c++;
        cs = rs;
        ci = ri;
      }
    }
    if (!worse(cs, ci, s, id)) break;
    store<f64>(hv + ((<usize>pos) << 3), cs);
    store<i32>(hi + ((<usize>pos) << 2), ci);
    pos = c;
  }
  store<f64>(hv + ((<usize>pos) << 3), s);
  store<i32>(hi + ((<usize>pos) << 2), id);
}

/** Offer (s, id) to the k-best heap of `size` entries; returns the new size. NaN never enters. */
@inline function offer(hi: usize, hv: usize, size: i32, k: i32, s: f64, id: i32): i32 {
  if (s != s) return size;
  if (size < k) {
    rankPush(hi, hv, size, s, id);
    return size + 1;
  }
  if (worse(load<f64>(hv), load<i32>(hi), s, id)) rankSiftDown(hi, hv, size, 0, s, id);
  return size;
}

/**
 * Recommendations from an item–item matrix S (CSR, f64 values): for each r in [0, nRows), user
 * u = uRows[r] (uRows = 0: u = r) of the users × items CSR (uIndptr, uIndices, uData f32) gets
 * score_j = Σ_{i ∈ items(u), in row order} r_ui·S[i,j] (f64) for the items j it reaches. Result column of
 * item j: colOf[j] (colOf = 0: j; −1: j is no candidate), increasing in j. Items excIdx[excIndptr[r] ..
 * excIndptr[r+1]) (excIndptr = 0: none) and globalExc[0..nGlobal) are dropped. Candidates are the items
 * reached, or with allItems ≠ 0 every item, the unreached ones scoring 0 (visited in index order only
 * while one can still enter, so a row costs what it reaches plus about k). The k best, score descending
 * and column ascending on ties (ranked in f64), go to outIdx (i32 columns) / outScores (f32) at r·k,
 * padded with -1 / -Infinity; outCounts[r] (if non-zero) receives the count. scratch: 16·nItems + 8·k bytes.
 */
export function knnScoreTopk(
  uIndptr: usize,
  uIndices: usize,
  uData: usize,
  uRows: usize,
  nRows: i32,
  sIndptr: usize,
  sIndices: usize,
  sData: usize,
  nItems: i32,
  colOf: usize,
  k: i32,
  excIndptr: usize,
  excIdx: usize,
  globalExc: usize,
  nGlobal: i32,
  allItems: i32,
  scratch: usize,
  outIdx: usize,
  outScores: usize,
  outCounts: usize,
): void {
  if (nRows <= 0 || k <= 0) return;
  const n = <usize>nItems;
  const acc = scratch;
  const stamp = scratch + (n << 3);
  const list = stamp + (n << 2);
  const hv = list + (n << 2);
  for (let j: usize = 0; j < n; j++) {
    store<f64>(acc + (j << 3), 0.0);
    store<i32>(stamp + (j << 2), -1);
  }
  for (let r = 0; r < nRows; r++) {
    const u = uRows == 0 ? r : load<i32>(uRows + ((<usize>r) << 2));
    const touched = knnAccumulate(uIndptr, uIndices, uData, u, r, sIndptr, sIndices, sData, acc, stamp, list);
    let e0 = 0;
    let e1 = 0;
    if (excIndptr != 0) {
      e0 = load<i32>(excIndptr + ((<usize>r) << 2));
      e1 = load<i32>(excIndptr + ((<usize>r) << 2), 4);
    }
    // Exclusions become NaN in the accumulator (reset with everything else below).
    markItems(acc, excIdx, e0, e1, f64(NaN));
    markItems(acc, globalExc, 0, nGlobal, f64(NaN));
    const oi = outIdx + (<usize>r) * (<usize>k) * 4;
    const os = outScores + (<usize>r) * (<usize>k) * 4;
    let size = 0;
    for (let t = 0; t < touched; t++) {
      const j = load<i32>(list + ((<usize>t) << 2));
      const a = acc + ((<usize>j) << 3);
      const c = colOf == 0 ? j : load<i32>(colOf + ((<usize>j) << 2));
      if (c >= 0) size = offer(oi, hv, size, k, load<f64>(a), c);
      store<f64>(a, 0.0);
    }
    // Unreached items score 0; in index order, the first that cannot enter ends the scan.
    if (allItems != 0) {
      for (let j = 0; j < nItems; j++) {
        if (load<i32>(stamp + ((<usize>j) << 2)) == r) continue;
        const c = colOf == 0 ? j : load<i32>(colOf + ((<usize>j) << 2));
        if (c < 0) continue;
        if (size == k && !worse(load<f64>(hv), load<i32>(oi), 0.0, c)) break;
        size = offer(oi, hv, size, k, load<f64>(acc + ((<usize>j) << 3)), c);
      }
    }
    // Excluded items nobody reached still hold NaN: clear them.
    markItems(acc, excIdx, e0, e1, 0.0);
    markItems(acc, globalExc, 0, nGlobal, 0.0);
    heapSortBest(oi, os, hv, size, k);
    if (outCounts != 0) store<i32>(outCounts + ((<usize>r) << 2), size);
  }
}

/**
 * acc[j] += r_ui·S[i,j] over user u's items i and their neighbours j; the items first reached (stamp ≠ r)
 * are stamped and listed in `list`. Returns how many were listed.
 */
@inline function knnAccumulate(
  uIndptr: usize,
  uIndices: usize,
  uData: usize,
  u: i32,
  r: i32,
  sIndptr: usize,
  sIndices: usize,
  sData: usize,
  acc: usize,
  stamp: usize,
  list: usize,
): i32 {
  let touched = 0;
  const pEnd = load<i32>(uIndptr + ((<usize>u) << 2), 4);
  for (let p = load<i32>(uIndptr + ((<usize>u) << 2)); p < pEnd; p++) {
    const i = load<i32>(uIndices + ((<usize>p) << 2));
    const w = <f64>load<f32>(uData + ((<usize>p) << 2));
    const qEnd = load<i32>(sIndptr + ((<usize>i) << 2), 4);
    for (let q = load<i32>(sIndptr + ((<usize>i) << 2)); q < qEnd; q++) {
      const j = <usize>load<i32>(sIndices + ((<usize>q) << 2));
      const a = acc + (j << 3);
      store<f64>(a, load<f64>(a) + load<f64>(sData + ((<usize>q) << 3)) * w);
      const sp = stamp + (j << 2);
      if (load<i32>(sp) != r) {
        store<i32>(sp, r);
        store<i32>(list + ((<usize>touched) << 2), <i32>j);
        touched++;
      }
    }
  }
  return touched;
}

/** acc[items[e]] = v for e in [e0, e1). */
@inline function markItems(acc: usize, items: usize, e0: i32, e1: i32, v: f64): void {
  for (let e = e0; e < e1; e++) store<f64>(acc + ((<usize>load<i32>(items + ((<usize>e) << 2))) << 3), v);
}

/** Heapsort the worst-at-root heap best first, scores to f32, and pad the row's k slots with -1 / -Infinity. */
function heapSortBest(oi: usize, os: usize, hv: usize, size: i32, k: i32): void {
  // The worst goes to the end, so position 0 ends best.
  for (let end = size - 1; end > 0; end--) {
    const s = load<f64>(hv + ((<usize>end) << 3));
    const id = load<i32>(oi + ((<usize>end) << 2));
    store<f64>(hv + ((<usize>end) << 3), load<f64>(hv));
    store<i32>(oi + ((<usize>end) << 2), load<i32>(oi));
    rankSiftDown(oi, hv, end, 0, s, id);
  }
  for (let j = 0; j < size; j++) store<f32>(os + ((<usize>j) << 2), <f32>load<f64>(hv + ((<usize>j) << 3)));
  for (let j = size; j < k; j++) {
    store<i32>(oi + ((<usize>j) << 2), -1);
    store<f32>(os + ((<usize>j) << 2), -Infinity);
  }
}
