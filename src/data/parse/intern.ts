/**
 * String ids looked up by their bytes: an open-addressing hash table from a field's bytes to the id's
 * code, so an id seen before costs a hash and a compare — no string is made for it. Laid out for one
 * cache miss per lookup, which is what a lookup costs on tables larger than the caches: each slot holds
 * the hash, the code, the length and the first 16 bytes of its key as four words, so keys of up to 16
 * bytes (most ids) are compared without leaving the slot; the bytes of every key are also kept in an
 * arena (longer keys are compared there past their 16th byte, and the codes are sorted by them).
 * @internal
 * @module
 */

/** Int32 words per slot: hash, code + 1 (0: empty), length, arena start, then the key's bytes 0–15. */
const STRIDE = 8;

/** Bytes [i, min(i + 4, b)) as a little-endian word (0 past `b`). */
function word(buf: Uint8Array, i: number, b: number): number {
  if (i + 4 <= b) return buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
  let w = 0;
  for (let s = 0; i < b; i++, s += 8) w |= buf[i] << s;
  return w;
}

export class ByteInterner {
  private slots = new Int32Array(STRIDE * 1024);
  private mask = 1023;
  private count = 0;
  /** Every key's bytes, one after another (`add` returns where). */
  arena = new Uint8Array(1 << 16);
  /** Bytes of the arena in use. */
  used = 0;
  // The key of the last `key` call: its hash and first 16 bytes as little-endian words.
  private h = 0;
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;
  private w3 = 0;

  /** Hash and words of bytes [a, b). */
  private key(buf: Uint8Array, a: number, b: number): void {
    const w0 = word(buf, a, b);
    const w1 = word(buf, a + 4, b);
    const w2 = word(buf, a + 8, b);
    const w3 = word(buf, a + 12, b);
    let i = a + 16;
    // A word at a time (murmur3-like rounds), then the bytes past the 16th one by one (FNV-1a), then a
    // final mix so the low bits (the slot) depend on every byte.
    let h = Math.imul((b - a) ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ w0, 0xcc9e2d51);
    h = (h << 13) | (h >>> 19);
    h = Math.imul(h ^ w1, 0xcc9e2d51);
    h = (h << 13) | (h >>> 19);
    h = Math.imul(h ^ w2, 0xcc9e2d51);
    h = (h << 13) | (h >>> 19);
    h = Math.imul(h ^ w3, 0xcc9e2d51);
    for (; i < b; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    this.h = h;
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
  }

  /** The code stored for bytes [a, b), or -1. */
  find(buf: Uint8Array, a: number, b: number): number {
    this.key(buf, a, b);
    const { h, w0, w1, w2, w3 } = this;
    const slots = this.slots;
    const mask = this.mask;
    const len = b - a;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const o = s * STRIDE;
      const c = slots[o + 1];
      if (c === 0) return -1;
      if (
        slots[o] !== h ||
        slots[o + 2] !== len ||
        slots[o + 4] !== w0 ||
        slots[o + 5] !== w1 ||
        slots[o + 6] !== w2 ||
        slots[o + 7] !== w3
      )
        continue;
      if (len > 16 && !this.sameTail(slots[o + 3], buf, a, len)) continue;
      return c - 1;
    }
  }

  /** Bytes 16.. of the key at arena offset `p` equal those of [a, a + len)? */
  private sameTail(p: number, buf: Uint8Array, a: number, len: number): boolean {
    const arena = this.arena;
    for (let i = 16; i < len; i++) if (arena[p + i] !== buf[a + i]) return false;
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
    while (slots[s * STRIDE + 1] !== 0) s = (s + 1) & mask;
    const o = s * STRIDE;
    slots[o] = this.h;
    slots[o + 1] = code + 1;
    slots[o + 2] = len;
    slots[o + 3] = start;
    slots[o + 4] = this.w0;
    slots[o + 5] = this.w1;
    slots[o + 6] = this.w2;
    slots[o + 7] = this.w3;
    return start;
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(2 * old.length);
    const mask = 2 * (this.mask + 1) - 1;
    for (let o = 0; o < old.length; o += STRIDE) {
      if (old[o + 1] === 0) continue;
      let s = old[o] & mask;
      while (slots[s * STRIDE + 1] !== 0) s = (s + 1) & mask;
      // Word by word: no view made per slot.
      for (let w = 0, t = s * STRIDE; w < STRIDE; w++) slots[t + w] = old[o + w];
    }
    this.slots = slots;
    this.mask = mask;
  }
}
