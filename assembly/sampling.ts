// Seeded sampling for the SGD kernels (bpr.ts, lmf.ts): sfc32, the generator of src/random.ts, with its
// state in module globals while a kernel runs. Each worker instantiates the module on its own, so the
// globals are per thread; a kernel loads a stream's state, draws, and stores it back. The JS twins
// (src/kernels/sampling.ts) make the same draws from the same states, so both backends sample alike.

let ra: u32 = 0;
let rb: u32 = 0;
let rc: u32 = 0;
let rd: u32 = 0;

/** Make the 4 words at `s` the current stream. */
@inline export function streamLoad(s: usize): void {
  ra = load<u32>(s);
  rb = load<u32>(s, 4);
  rc = load<u32>(s, 8);
  rd = load<u32>(s, 12);
}

/** Write the current stream back to `s`. */
@inline export function streamStore(s: usize): void {
  store<u32>(s, ra);
  store<u32>(s, rb, 4);
  store<u32>(s, rc, 8);
  store<u32>(s, rd, 12);
}

/** The next 32 random bits of the current stream (sfc32). */
@inline export function nextU32(): u32 {
  const t = ra + rb + rd;
  rd = rd + 1;
  ra = rb ^ (rb >>> 9);
  rb = rc + (rc << 3);
  rc = (rc << 21) | (rc >>> 11);
  rc = rc + t;
  return t;
}

/** A draw in [0, n), n ≥ 1 (modulo: the bias, below n / 2³², does not matter here). */
@inline export function below(n: u32): u32 {
  return nextU32() % n;
}

@inline function mix32(x: u32): u32 {
  let z = x;
  z = (z ^ (z >>> 16)) * <u32>0x21f0aaad;
  z = (z ^ (z >>> 15)) * <u32>0x735a2d97;
  return z ^ (z >>> 15);
}

/**
 * Start the current stream for row `r` of a pass keyed by (key0, key1): four splitmix32 words from the
 * keys and the row, then 8 discarded draws. Rows get unrelated streams whichever thread runs them.
 */
export function streamForRow(key0: u32, key1: u32, r: u32): void {
  let x: u32 = key0 ^ (r * <u32>0x9e3779b1) ^ (key1 * <u32>0x85ebca6b);
  x += <u32>0x9e3779b9;
  ra = mix32(x);
  x += <u32>0x9e3779b9;
  rb = mix32(x);
  x += <u32>0x9e3779b9;
  rc = mix32(x);
  x += <u32>0x9e3779b9;
  rd = mix32(x);
  for (let i = 0; i < 8; i++) nextU32();
}
