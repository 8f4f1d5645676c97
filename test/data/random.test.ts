import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random.js';

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
    expect(new Rng(1).next()).not.toBe(new Rng(1.5).next());
  });
  it('next() is uniform on [0,1): mean, variance and range', () => {
    const r = new Rng(123);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      s += x;
      s2 += x * x;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(s / n - 0.5)).toBeLessThan(0.005); // sd of mean ≈ 0.00065
    expect(Math.abs(s2 / n - (s * s) / n / n - 1 / 12)).toBeLessThan(0.002);
  });
  it('nextInt is unbiased over a non-power-of-two range', () => {
    const r = new Rng(5);
    const k = 7;
    const counts = new Array(k).fill(0);
    const n = 70_000;
    for (let i = 0; i < n; i++) counts[r.nextInt(k)]++;
    // chi-square with 6 dof; 99.9% quantile ≈ 22.5
    const chi = counts.reduce((acc, c) => acc + (c - n / k) ** 2 / (n / k), 0);
    expect(chi).toBeLessThan(22.5);
    expect(() => r.nextInt(0)).toThrow(/nextInt/);
  });
  it('normal() has mean 0 and variance 1', () => {
    const r = new Rng(99);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.015);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });
  it('shuffle permutes, fork gives an independent stream', () => {
    const r = new Rng(3);
    const a = r.shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const f = r.fork();
    expect(f.next()).not.toBe(r.next());
    expect(() => new Rng(NaN)).toThrow(/seed/);
  });
});
