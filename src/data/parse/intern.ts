/**
 * String ids looked up by their bytes: an open-addressing hash table from a field's bytes to the id's
 * code, so an id seen before costs a hash and a byte compare — no string is made for it. Only a new byte
 * sequence is decoded (and then found or added by its text, so two spellings of one text share a code).
 * The table is laid out for few cache misses: each slot holds the hash beside the entry, and each entry
 * its start, length and code together.
 * @internal
 * @module
 */
import { GrowI32 } from './grow.js';

/** FNV-1a over bytes [a, b), with a final mix so the low bits (the slot) depend on every byte. */
function hashOf(buf: Uint8Array, a: number, b: number): number {
  let h = 0x811c9dc5;
  for (let i = a; i < b; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}

export class ByteInterner {
  /** Per slot: the hash and entry index + 1 (0: empty); at most half the slots are used. */
  private slots = new Int32Array(2 * 1024);
  /** Per entry: start in the arena, length, code. */
  private readonly entries = new GrowI32();
  private count = 0;
  private arena = new Uint8Array(1 << 16);
  private used = 0;
  private lastHash = 0;

  /** The code stored for bytes [a, b), or -1 (then `add` them with their code). */
  find(buf: Uint8Array, a: number, b: number): number {
    const h = hashOf(buf, a, b);
    this.lastHash = h;
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    const len = b - a;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const at = slots[2 * s + 1];
      if (at === 0) return -1;
      if (slots[2 * s] !== h) continue;
      const e = 3 * (at - 1);
      const entries = this.entries.a;
      if (entries[e + 1] !== len) continue;
      const p = entries[e];
      const arena = this.arena;
      let i = 0;
      while (i < len && arena[p + i] === buf[a + i]) i++;
      if (i === len) return entries[e + 2];
    }
  }

  /** Store `code` for bytes [a, b), the ones `find` just missed. */
  add(buf: Uint8Array, a: number, b: number, code: number): void {
    const len = b - a;
    if (this.used + len > this.arena.length) {
      const grown = new Uint8Array(Math.max(2 * this.arena.length, this.used + len));
      grown.set(this.arena.subarray(0, this.used));
      this.arena = grown;
    }
    this.arena.set(buf.subarray(a, b), this.used);
    this.entries.push(this.used);
    this.entries.push(len);
    this.entries.push(code);
    this.used += len;
    this.count++;
    if (4 * this.count > this.slots.length) this.rehash();
    this.place(this.count - 1, this.lastHash);
  }

  private place(k: number, h: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let s = h & mask;
    while (slots[2 * s + 1] !== 0) s = (s + 1) & mask;
    slots[2 * s] = h;
    slots[2 * s + 1] = k + 1;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    for (let s = 0; s < old.length; s += 2) if (old[s + 1] !== 0) this.place(old[s + 1] - 1, old[s]);
  }
}
