// Pure-JS twin of assembly/topk.ts: a size-k heap kept in the output arrays, root = worst kept entry under
// "higher score first, then lower index"; NaN scores are skipped; a final heapsort leaves the entries
// best first.

/** True when (sa, ia) ranks below (sb, ib). */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

function siftDown(
  I: Int32Array,
  F: Float32Array,
  oi: number,
  os: number,
  size: number,
  pos: number,
  s: number,
  id: number,
): void {
  for (;;) {
    let c = 2 * pos + 1;
    if (c >= size) break;
    let cs = F[os + c];
    let ci = I[oi + c];
    if (c + 1 < size && worse(F[os + c + 1], I[oi + c + 1], cs, ci)) {
      c++;
      cs = F[os + c];
      ci = I[oi + c];
    }
    if (!worse(cs, ci, s, id)) break;
    F[os + pos] = cs;
    I[oi + pos] = ci;
    pos = c;
  }
  F[os + pos] = s;
  I[oi + pos] = id;
}

/**
 * The k largest of F[so .. so + n), skipping NaN, into I[oi ..] (index) / F[os ..] (score), best first,
 * ties by lower index; returns how many were written. Offsets are element indices into the views. The
 * helper of scoreTopkF32 (as topkF32 is in assembly/scoring.ts), not a kernel of its own.
 */
export function topk(F: Float32Array, I: Int32Array, so: number, n: number, k: number, oi: number, os: number): number {
  if (k <= 0 || n <= 0) return 0;
  let size = 0;
  let th = 0;
  for (let i = 0; i < n; i++) {
    const s = F[so + i];
    if (s !== s) continue;
    // Once full, a later index can only win with a strictly greater score.
    if (size === k && !(s > th)) continue;
    if (size < k) {
      let pos = size++;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!worse(s, i, F[os + parent], I[oi + parent])) break;
        F[os + pos] = F[os + parent];
        I[oi + pos] = I[oi + parent];
        pos = parent;
      }
      F[os + pos] = s;
      I[oi + pos] = i;
    } else {
      siftDown(I, F, oi, os, size, 0, s, i);
    }
    th = F[os];
  }
  for (let end = size - 1; end > 0; end--) {
    const s = F[os + end];
    const id = I[oi + end];
    F[os + end] = F[os];
    I[oi + end] = I[oi];
    siftDown(I, F, oi, os, end, 0, s, id);
  }
  return size;
}
