/**
 * String ids looked up by their bytes: an open-addressing hash table from a field's bytes to the id's
 * code, so an id seen before costs a hash and a compare — no string is made for it. Laid out for one
 * cache miss per lookup, which is what a lookup costs on tables larger than the caches: a slot is four
 * words (16 bytes, four to a cache line). A key of up to 11 bytes (most ids: ISBNs, codes, numbers) is
 * held in its slot — its bytes and length are the slot — and compared there; a longer key's slot holds
 * its hash, length and place in the arena, where it is compared. The bytes of every key are kept in the
 * arena (the codes are sorted by them).
 * @internal
 * @module
 */

/** Int32 words per slot: code + 1 (0: empty), then the key (short) or its hash, arena start, length | LONG. */
const STRIDE = 4;
/** Keys up to this many bytes live in their slot (their length in the top byte of the third key word). */
const SHORT = 11;
/** The last word of a long key's slot: its length with this bit set (a short key's top byte is ≤ 11). */
const LONG = 0x80000000 | 0;

/** Bytes [i, min(i + 4, b)) as a little-endian word (0 past `b`). */
function word(buf: Uint8Array, i: number, b: number): number {
  if (i + 4 <= b) return buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
  let w = 0;
  for (let s = 0; i < b; i++, s += 8) w |= buf[i] << s;
  return w;
}

/** Murmur3-like rounds over three words, and the final mix (so the low bits, the slot, depend on every byte). */
function mix3(h: number, w0: number, w1: number, w2: number): number {
  h = Math.imul(h ^ w0, 0xcc9e2d51);
  h = (h << 13) | (h >>> 19);
  h = Math.imul(h ^ w1, 0xcc9e2d51);
  h = (h << 13) | (h >>> 19);
  return Math.imul(h ^ w2, 0xcc9e2d51);
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** The hash of a short key's slot words (what `rehash` recomputes). */
function shortHash(w0: number, w1: number, w2: number): number {
  return finish(mix3(0x9e3779b9, w0, w1, w2));
}

export class ByteInterner {
  private slots = new Int32Array(STRIDE * 1024);
  private mask = 1023;
  private count = 0;
  /** Every key's bytes, one after another (`add` returns where). */
  arena = new Uint8Array(1 << 16);
  /** Bytes of the arena in use. */
  used = 0;
  // The key of the last `key` call: its hash and slot words (short) or first three words (long).
  private h = 0;
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;

  /** Hash and words of bytes [a, b). */
  private key(buf: Uint8Array, a: number, b: number): void {
    const len = b - a;
    const w0 = word(buf, a, b);
    const w1 = word(buf, a + 4, b);
    let w2 = word(buf, a + 8, b);
    let h: number;
    if (len <= SHORT) {
      w2 |= len << 24;
      h = shortHash(w0, w1, w2);
    } else {
      // Then the bytes past the 12th one by one (FNV-1a).
      h = mix3(Math.imul(len ^ 0x9e3779b9, 0x85ebca6b), w0, w1, w2);
      for (let i = a + 12; i < b; i++) h = Math.imul(h ^ buf[i], 0x01000193);
      h = finish(h);
    }
    this.h = h;
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
  }

  /** The code stored for bytes [a, b), or -1. */
  find(buf: Uint8Array, a: number, b: number): number {
    this.key(buf, a, b);
    const slots = this.slots;
    const mask = this.mask;
    const len = b - a;
    if (len <= SHORT) {
      const { w0, w1, w2 } = this;
      for (let s = this.h & mask; ; s = (s + 1) & mask) {
        const o = s * STRIDE;
        const c = slots[o];
        if (c === 0) return -1;
        if (slots[o + 1] === w0 && slots[o + 2] === w1 && slots[o + 3] === w2) return c - 1;
      }
    }
    const h = this.h;
    const tag = LONG | len;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const o = s * STRIDE;
      const c = slots[o];
      if (c === 0) return -1;
      if (slots[o + 3] === tag && slots[o + 1] === h && this.same(slots[o + 2], buf, a, len)) return c - 1;
    }
  }

  /** The key at arena offset `p` equals bytes [a, a + len) (a long key: its first three words are w0–w2)? */
  private same(p: number, buf: Uint8Array, a: number, len: number): boolean {
    const arena = this.arena;
    if (word(arena, p, p + 4) !== this.w0 || word(arena, p + 4, p + 8) !== this.w1) return false;
    if (word(arena, p + 8, p + 12) !== this.w2) return false;
    for (let i = 12; i < len; i++) if (arena[p + i] !== buf[a + i]) return false;
    return true;
  }

  /** Store `code` for bytes [a, b) (not stored yet); returns where the bytes are in the arena. */
  add(buf: Uint8Array, a: number, b: number, code: number): number {
    const len = b - a;
    if (this.used + len > this.arena.length) {
      const grown = new Uint8Array(Math.max(2 * this.arena.length, this.used + len));
      grown.set(this.arena.subarray(0, this.used));
      this.arena = grown;
    }
    const start = this.used;
    const arena = this.arena;
    for (let i = 0; i < len; i++) arena[start + i] = buf[a + i];
    this.used += len;
    // Grown at 3/4 full: linear probing stays short, and the table small enough to stay mostly cached.
    if (4 * ++this.count > 3 * (this.mask + 1)) this.rehash();
    this.key(buf, a, b);
    const slots = this.slots;
    const mask = this.mask;
    let s = this.h & mask;
    while (slots[s * STRIDE] !== 0) s = (s + 1) & mask;
    const o = s * STRIDE;
    slots[o] = code + 1;
    if (len <= SHORT) {
      slots[o + 1] = this.w0;
      slots[o + 2] = this.w1;
      slots[o + 3] = this.w2;
    } else {
      slots[o + 1] = this.h;
      slots[o + 2] = start;
      slots[o + 3] = LONG | len;
    }
    return start;
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(2 * old.length);
    const mask = 2 * (this.mask + 1) - 1;
    for (let o = 0; o < old.length; o += STRIDE) {
      if (old[o] === 0) continue;
      const long = (old[o + 3] & LONG) !== 0;
      const h = long ? old[o + 1] : shortHash(old[o + 1], old[o + 2], old[o + 3]);
      let s = h & mask;
      while (slots[s * STRIDE] !== 0) s = (s + 1) & mask;
      const t = s * STRIDE;
      slots[t] = old[o];
      slots[t + 1] = old[o + 1];
      slots[t + 2] = old[o + 2];
      slots[t + 3] = old[o + 3];
    }
    this.slots = slots;
    this.mask = mask;
  }
}
