/**
 * String ids looked up by their bytes: an open-addressing hash table from a field's bytes to the id's
 * code, so an id seen before costs a hash and a byte compare — no string is made for it. Only a new byte
 * sequence is decoded (and then found or added by its text, so two spellings of one text share a code).
 * @internal
 * @module
 */
import { GrowI32 } from './grow.js';

/** FNV-1a over bytes [a, b). */
function hashOf(buf: Uint8Array, a: number, b: number): number {
  let h = 0x811c9dc5;
  for (let i = a; i < b; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h >>> 0;
}

export class ByteInterner {
  /** Entry index + 1 per slot (0: empty); the table is kept at most half full. */
  private slots = new Int32Array(1024);
  private readonly hashes = new GrowI32();
  private readonly starts = new GrowI32();
  private readonly lengths = new GrowI32();
  private readonly codes = new GrowI32();
  private arena = new Uint8Array(1 << 16);
  private used = 0;

  private lastHash = 0;

  /** The code stored for bytes [a, b), or -1 (then `add` them with their code). */
  find(buf: Uint8Array, a: number, b: number): number {
    const h = hashOf(buf, a, b);
    this.lastHash = h;
    const mask = this.slots.length - 1;
    const len = b - a;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const at = this.slots[s];
      if (at === 0) break;
      const k = at - 1;
      if (this.hashes.a[k] !== (h | 0) || this.lengths.a[k] !== len) continue;
      const p = this.starts.a[k];
      let same = true;
      for (let i = 0; i < len; i++)
        if (this.arena[p + i] !== buf[a + i]) {
          same = false;
          break;
        }
      if (same) return this.codes.a[k];
    }
    return -1;
  }

  /** Store `code` for bytes [a, b), the ones `find` just missed. */
  add(buf: Uint8Array, a: number, b: number, code: number): void {
    const h = this.lastHash;
    const len = b - a;
    if (this.used + len > this.arena.length) {
      const grown = new Uint8Array(Math.max(2 * this.arena.length, this.used + len));
      grown.set(this.arena.subarray(0, this.used));
      this.arena = grown;
    }
    this.arena.set(buf.subarray(a, b), this.used);
    this.hashes.push(h | 0);
    this.starts.push(this.used);
    this.lengths.push(len);
    this.codes.push(code);
    this.used += len;
    if (2 * this.codes.length > this.slots.length) this.rehash();
    else this.place(this.codes.length - 1);
  }

  private place(k: number): void {
    const mask = this.slots.length - 1;
    let s = (this.hashes.a[k] >>> 0) & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = k + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let k = 0; k < this.codes.length; k++) this.place(k);
  }
}
