/**
 * Distinct byte strings put in order by their bytes (a shorter one first where one is a prefix of the
 * other): a most-significant-byte radix sort, no comparator calls. For UTF-8 without characters past
 * U+D7FF this is the order of the decoded strings by UTF-16 code units (JavaScript's `<`), which is how
 * the parser sorts string ids without sorting strings.
 * @internal
 * @module
 */

/** Ranges at most this long are sorted by insertion. */
const SMALL = 24;

/** Compare keys x and y (arena offsets and lengths) from byte `d` on. */
function compareFrom(arena: Uint8Array, start: Int32Array, len: Int32Array, x: number, y: number, d: number): number {
  const px = start[x];
  const py = start[y];
  const lx = len[x];
  const ly = len[y];
  const n = lx < ly ? lx : ly;
  for (let i = d; i < n; i++) {
    const c = arena[px + i] - arena[py + i];
    if (c !== 0) return c;
  }
  return lx - ly;
}

/**
 * The keys 0..n-1 (key k: bytes `arena[start[k], start[k] + len[k])`, all distinct) in ascending
 * byte order.
 */
export function sortByBytes(arena: Uint8Array, start: Int32Array, len: Int32Array, n: number): Int32Array {
  const perm = new Int32Array(n);
  for (let k = 0; k < n; k++) perm[k] = k;
  const tmp = new Int32Array(n);
  const digit = new Uint16Array(n);
  const count = new Int32Array(257);
  // Pending ranges [lo, hi) whose keys agree on their first `depth` bytes: an explicit stack, as a
  // common prefix may be long.
  const stack: number[] = [0, n, 0];
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (hi - lo <= SMALL) {
      for (let i = lo + 1; i < hi; i++) {
        const k = perm[i];
        let j = i - 1;
        while (j >= lo && compareFrom(arena, start, len, perm[j], k, depth) > 0) {
          perm[j + 1] = perm[j];
          j--;
        }
        perm[j + 1] = k;
      }
      continue;
    }
    count.fill(0);
    // Digit 0: the key ends here (sorts first); else its byte + 1.
    for (let i = lo; i < hi; i++) {
      const k = perm[i];
      const d = depth < len[k] ? arena[start[k] + depth] + 1 : 0;
      digit[i] = d;
      count[d]++;
    }
    let at = lo;
    for (let d = 0; d < 257; d++) {
      const c = count[d];
      count[d] = at;
      // Keys are distinct, so at most one ends here; the others go on at the next byte.
      if (d > 0 && c > 1) stack.push(at, at + c, depth + 1);
      at += c;
    }
    for (let i = lo; i < hi; i++) tmp[count[digit[i]]++] = perm[i];
    perm.set(tmp.subarray(lo, hi), lo);
  }
  return perm;
}
