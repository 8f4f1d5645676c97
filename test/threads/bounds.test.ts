// Row splits: every range non-empty and in order, covering [0, n), at least minRows long (the ALS
// Woodbury rule), and about balanced.
import { describe, expect, it } from 'vitest';
import { balancedBounds, guidedBounds, uniformBounds } from '../../src/runtime/parallel.js';

function check(b: Int32Array, n: number, minRows: number): void {
  expect(b[0]).toBe(0);
  expect(b[b.length - 1]).toBe(n);
  for (let c = 0; c + 1 < b.length; c++) {
    expect(b[c + 1]).toBeGreaterThan(b[c]);
    if (b.length > 2) expect(b[c + 1] - b[c]).toBeGreaterThanOrEqual(minRows);
  }
}

describe('row splits', () => {
  const costs = (n: number) => Float64Array.from({ length: n }, (_, r) => 1 + ((r * 7919) % 97) ** 2 / 50);
  for (const n of [1, 63, 64, 127, 128, 500, 17632]) {
    it(`n = ${n}`, () => {
      const c = costs(n);
      for (const t of [2, 3, 8]) {
        const g = guidedBounds(n, (r) => c[r], t, 64);
        check(g, n, 64);
        expect(g.length - 1).toBeLessThanOrEqual(Math.max(1, 8 * t + 2));
        check(
          balancedBounds(n, (r) => c[r], 4 * t, 64),
          n,
          64,
        );
      }
      check(uniformBounds(n, 10), n, 1);
    });
  }

  it('guided ranges shrink towards the end', () => {
    const g = guidedBounds(10000, () => 1, 2, 1);
    const sizes = Array.from(g.subarray(1), (v, i) => v - g[i]);
    expect(sizes[0]).toBe(2500);
    expect(sizes[sizes.length - 2]).toBeLessThan(1000);
    expect(sizes.length).toBeLessThanOrEqual(18);
  });
});
