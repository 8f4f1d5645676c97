import { describe, expect, it } from 'vitest';
import { ByteInterner } from '../../src/data/parse/intern.js';
import { Rng } from '../../src/random.js';

describe('ByteInterner (string ids by their bytes)', () => {
  it('finds every key stored and no other, across growth, lengths around the in-slot limit and NUL bytes', () => {
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(seed);
      const table = new ByteInterner();
      const oracle = new Map<string, number>(); // the key's bytes as latin1 text → code
      const buf = new Uint8Array(64);
      for (let n = 0; n < 20_000; n++) {
        // Lengths 0–40, most near 11/12 (the slot holds keys up to 11 bytes); a small alphabet with NUL,
        // so prefixes and keys differing only by trailing zeros are common.
        const len = rng.nextInt(4) === 0 ? rng.nextInt(41) : 9 + rng.nextInt(5);
        const at = rng.nextInt(8);
        for (let i = 0; i < len; i++) buf[at + i] = [0, 48, 49, 255][rng.nextInt(4)];
        const text = String.fromCharCode(...buf.subarray(at, at + len));
        const want = oracle.get(text) ?? -1;
        const got = table.find(buf, at, at + len);
        expect(got).toBe(want);
        if (got < 0) {
          const code = oracle.size;
          const start = table.add(buf, at, at + len, code);
          oracle.set(text, code);
          expect(String.fromCharCode(...table.arena.subarray(start, start + len))).toBe(text);
        }
      }
      expect(oracle.size).toBeGreaterThan(5000);
    }
  });
});
