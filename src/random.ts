/**
 * Seeded pseudo-random numbers used library-wide (initialisation, synthetic data, sampling), so that a
 * seed reproduces a run exactly in every JS engine. sfc32 (Chris Doty-Humphrey's Small Fast Counting
 * generator): 128-bit state, period ≥ 2^32, passes PractRand/BigCrush, and uses only 32-bit integer
 * operations, which JS engines run fast. Not for cryptography.
 * @module
 */
import { ValidationError } from './errors.js';

/** splitmix32 step: spreads a (possibly small or similar) seed over the 128-bit sfc32 state. */
function splitmix32(x: number): [number, number] {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  z ^= z >>> 15;
  return [x, z >>> 0];
}

/**
 * The sfc32 generator's state and step, shared by {@link Rng} and the kernels' twins (whose streams keep
 * their state in the heap, as the WASM kernels do).
 */
export class Sfc32 {
  protected a = 0;
  protected b = 0;
  protected c = 0;
  protected d = 0;

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
}

/**
 * A seeded PRNG. Same seed → same sequence, on every platform.
 *
 * @example
 * const rng = new Rng(42);
 * rng.next();       // uniform in [0, 1)
 * rng.nextInt(10);  // integer in [0, 10)
 * rng.normal();     // standard normal
 */
export class Rng extends Sfc32 {
  private spare = NaN;

  /**
   * @param seed any finite number; non-integers and values beyond 32 bits are folded in, so `1` and
   * `1.5` give different streams.
   */
  constructor(seed = 0) {
    super();
    if (typeof seed !== 'number' || !Number.isFinite(seed))
      throw new ValidationError(`Rng: seed must be a finite number, got ${String(seed)}`);
    // Fold the whole double (not only its low 32 bits) into two words.
    const lo = seed | 0;
    const hi = Math.floor(seed / 4294967296) | 0;
    const frac = Math.floor((seed - Math.floor(seed)) * 4294967296) | 0;
    let s = lo ^ Math.imul(hi, 0x85ebca6b) ^ Math.imul(frac, 0xc2b2ae35);
    let w: number;
    [s, w] = splitmix32(s);
    this.a = w;
    [s, w] = splitmix32(s);
    this.b = w;
    [s, w] = splitmix32(s);
    this.c = w;
    [s, w] = splitmix32(s);
    this.d = w;
    // Discard the first outputs: sfc32's state needs a few rounds to mix.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling), for 1 ≤ n ≤ 2^32. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296)
      throw new ValidationError(`Rng.nextInt: n must be an integer in [1, 2^32], got ${n}`);
    // Reject the top partial bucket so every residue is equally likely.
    const limit = 4294967296 - (4294967296 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  /** Standard normal (mean 0, variance 1), Marsaglia polar method; values come in cached pairs. */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** Fill `out` with N(mean, std²) samples and return it. */
  fillNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** Fill `out` with uniform samples in [lo, hi) and return it. */
  fillUniform<T extends Float32Array | Float64Array>(out: T, lo = 0, hi = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * this.next();
    return out;
  }

  /** Shuffle `a` in place (Fisher–Yates) and return it. */
  shuffle<T extends { length: number; [i: number]: any }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** An independent generator derived from this one (for parallel or per-component streams). */
  fork(): Rng {
    return new Rng(this.nextUint32() * 4294967296 + this.nextUint32());
  }
}
