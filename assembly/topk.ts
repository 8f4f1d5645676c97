// Top-k selection over an f32 score vector with a sorted exclusion list.
//
// A binary heap of at most k entries lives in the output arrays themselves (kernels never allocate). Its
// root is the *worst* kept entry under the total order "higher score first, then lower index", so the
// result is exact with ties. Indices are visited in increasing order, so once the heap is full a new
// score can only displace the root if it is strictly greater (on a tie its index is the larger one).
// That test runs on four-lane blocks: a block with no lane above the root's score is skipped at once
// (NaN compares false, so NaNs never enter). A final in-place heapsort leaves the entries best first.

/** True when (sa, ia) ranks below (sb, ib): lower score, or equal score and higher index. */
@inline function worse(sa: f32, ia: i32, sb: f32, ib: i32): bool {
  return sa < sb || (sa == sb && ia > ib);
}

/** Put (s, id) into the hole at `pos` and move it down until both children rank above it. */
function siftDown(oi: usize, os: usize, size: i32, pos: i32, s: f32, id: i32): void {
  while (true) {
    let c = 2 * pos + 1;
    if (c >= size) break;
    let cs = load<f32>(os + ((<usize>c) << 2));
    let ci = load<i32>(oi + ((<usize>c) << 2));
    if (c + 1 < size) {
      const rs = load<f32>(os + ((<usize>c) << 2), 4);
      const ri = load<i32>(oi + ((<usize>c) << 2), 4);
      if (worse(rs, ri, cs, ci)) {
        c++;
        cs = rs;
        ci = ri;
      }
    }
    if (!worse(cs, ci, s, id)) break;
    store<f32>(os + ((<usize>pos) << 2), cs);
    store<i32>(oi + ((<usize>pos) << 2), ci);
    pos = c;
  }
  store<f32>(os + ((<usize>pos) << 2), s);
  store<i32>(oi + ((<usize>pos) << 2), id);
}

/** Put (s, id) into the hole at `pos` (the end of the heap) and move it up past better parents. */
@inline function siftUp(oi: usize, os: usize, pos: i32, s: f32, id: i32): void {
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    const ps = load<f32>(os + ((<usize>parent) << 2));
    const pi = load<i32>(oi + ((<usize>parent) << 2));
    if (!worse(s, id, ps, pi)) break;
    store<f32>(os + ((<usize>pos) << 2), ps);
    store<i32>(oi + ((<usize>pos) << 2), pi);
    pos = parent;
  }
  store<f32>(os + ((<usize>pos) << 2), s);
  store<i32>(oi + ((<usize>pos) << 2), id);
}

/**
 * The k best of scores[0..n) excluding the sorted `exclude` indices and NaN scores, written best first to
 * outIdx/outScores; returns how many were written (min(k, candidates)).
 */
export function topkF32(scores: usize, n: i32, k: i32, exclude: usize, nExclude: i32, outIdx: usize, outScores: usize): i32 {
  if (k <= 0 || n <= 0) return 0;
  let size = 0;
  let e = 0;
  let i = 0;
  // Fill phase: the first k candidates go in unconditionally.
  for (; i < n && size < k; i++) {
    const s = load<f32>(scores + ((<usize>i) << 2));
    if (s != s) continue;
    while (e < nExclude && load<i32>(exclude + ((<usize>e) << 2)) < i) e++;
    if (e < nExclude && load<i32>(exclude + ((<usize>e) << 2)) == i) continue;
    siftUp(outIdx, outScores, size, s, i);
    size++;
  }
  if (size == k) {
    let th = load<f32>(outScores);
    let vth = f32x4.splat(th);
    while (i < n) {
      if (i + 16 <= n) {
        const p = scores + ((<usize>i) << 2);
        const m = v128.or(
          v128.or(f32x4.gt(v128.load(p), vth), f32x4.gt(v128.load(p, 16), vth)),
          v128.or(f32x4.gt(v128.load(p, 32), vth), f32x4.gt(v128.load(p, 48), vth)),
        );
        if (!v128.any_true(m)) {
          i += 16;
          continue;
        }
      }
      // Some lane in the next block may qualify (or we are in the tail): go one by one through it.
      const stop = min(n, i + 16);
      for (; i < stop; i++) {
        const s = load<f32>(scores + ((<usize>i) << 2));
        if (!(s > th)) continue;
        while (e < nExclude && load<i32>(exclude + ((<usize>e) << 2)) < i) e++;
        if (e < nExclude && load<i32>(exclude + ((<usize>e) << 2)) == i) continue;
        siftDown(outIdx, outScores, size, 0, s, i);
        th = load<f32>(outScores);
      }
      vth = f32x4.splat(th);
    }
  }
  // Heapsort: move the current worst (the root) to the end of the shrinking heap, so position 0 ends best.
  for (let end = size - 1; end > 0; end--) {
    const s = load<f32>(outScores + ((<usize>end) << 2));
    const id = load<i32>(outIdx + ((<usize>end) << 2));
    store<f32>(outScores + ((<usize>end) << 2), load<f32>(outScores));
    store<i32>(outIdx + ((<usize>end) << 2), load<i32>(outIdx));
    siftDown(outIdx, outScores, end, 0, s, id);
  }
  return size;
}
