/**
 * Twin of assembly/sampling.ts: sfc32 streams (the generator of src/random.ts) whose 4-word states live
 * in the heap, and the per-row stream of the LMF kernel. Same draws as the WASM kernels from the same
 * states.
 * @module
 */
import { Sfc32 } from '../random.js';

/** One sfc32 stream while a kernel runs (the WASM module keeps it in globals). */
export class Stream extends Sfc32 {
  /** Take the state at i32 index `o` of `i32`. */
  load(i32: Int32Array, o: number): this {
    this.a = i32[o];
    this.b = i32[o + 1];
    this.c = i32[o + 2];
    this.d = i32[o + 3];
    return this;
  }

  store(i32: Int32Array, o: number): void {
    i32[o] = this.a;
    i32[o + 1] = this.b;
    i32[o + 2] = this.c;
    i32[o + 3] = this.d;
  }

  /** A draw in [0, n), 1 ≤ n < 2³² (modulo, as the kernels). */
  below(n: number): number {
    return this.nextUint32() % n;
  }

  /** Start the stream of row `r` of a pass keyed by (key0, key1) (streamForRow of the kernels). */
  forRow(key0: number, key1: number, r: number): this {
    let x = key0 ^ Math.imul(r, 0x9e3779b1) ^ Math.imul(key1, 0x85ebca6b);
    x = (x + 0x9e3779b9) | 0;
    this.a = mix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.b = mix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.c = mix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.d = mix32(x);
    for (let i = 0; i < 8; i++) this.nextUint32();
    return this;
  }
}

function mix32(x: number): number {
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return z ^ (z >>> 15);
}

/** x·y over `dim` f32 at element offsets xo, yo, summed as the kernels do (4 lanes, (0+1)+(2+3), tail). */
export function dotF32(f: Float32Array, xo: number, yo: number, dim: number): number {
  const fr = Math.fround;
  const nv = dim & ~3;
  let l0 = 0;
  let l1 = 0;
  let l2 = 0;
  let l3 = 0;
  let k = 0;
  for (; k < nv; k += 4) {
    l0 = fr(l0 + fr(f[xo + k] * f[yo + k]));
    l1 = fr(l1 + fr(f[xo + k + 1] * f[yo + k + 1]));
    l2 = fr(l2 + fr(f[xo + k + 2] * f[yo + k + 2]));
    l3 = fr(l3 + fr(f[xo + k + 3] * f[yo + k + 3]));
  }
  let s = fr(fr(l0 + l1) + fr(l2 + l3));
  for (; k < dim; k++) s = fr(s + fr(f[xo + k] * f[yo + k]));
  return s;
}
