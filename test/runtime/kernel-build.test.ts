// The kernel build the runtime picks: relaxed SIMD (fused multiply–add) exactly where the engine validates
// it, plain SIMD elsewhere — and the two builds agree to the kernels' tolerance. The suite runs twice in
// `npm test`: as is (Node 20: plain SIMD) and in the 'node-relaxed' project (Node with
// --experimental-wasm-relaxed-simd: the relaxed build), so both builds pass the kernel tests.
import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { detectRelaxedSimd, kernelBuild } from '../../src/runtime/wasm.js';
import { Rng } from '../../src/random.js';

const relaxedFlag = process.execArgv.includes('--experimental-wasm-relaxed-simd');

/** Instantiate one build's module with its own memory and run CG on a fixed problem; returns the factors. */
async function cgWith(load: () => Promise<WebAssembly.Module>): Promise<Float32Array> {
  const instance = await WebAssembly.instantiate(await load(), { env: { abort: () => undefined } });
  const e = instance.exports as Record<string, (...a: number[]) => number> & { memory: WebAssembly.Memory };
  const k = 24;
  const rows = 40;
  const cols = 30;
  const rng = new Rng(11);
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) if (rng.next() < 0.2) indices.push(c);
    indptr[r + 1] = indices.length;
  }
  const Y = rng.fillNormal(new Float32Array(cols * k), 0, 0.3);
  const G = new Float32Array(k * k);
  for (let i = 0; i < cols; i++)
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) G[a * k + b] += Y[i * k + a] * Y[i * k + b];
  for (let a = 0; a < k; a++) G[a * k + a] += 0.1;
  let off = e.heapBase();
  const put = (a: Int32Array | Float32Array) => {
    const p = (off + 15) & ~15;
    new Uint8Array(e.memory.buffer, p, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    off = p + a.byteLength;
    return p;
  };
  const ip = put(indptr);
  const ix = put(Int32Array.from(indices));
  const dt = put(new Float32Array(indices.length).fill(1));
  const y = put(Y);
  const g = put(G);
  const x = put(new Float32Array(rows * k).fill(0.01));
  const scratch = put(new Float32Array(64 * k + 1024));
  expect(e.alsImplicitCg(ip, ix, dt, y, g, x, 0, rows, k, 2, 1, 0, 3, scratch, 0)).toBe(-1);
  return new Float32Array(e.memory.buffer, x, rows * k).slice();
}

describe('kernel builds', () => {
  it('the runtime loads the relaxed-SIMD build exactly where relaxed SIMD validates', async () => {
    await init({ backend: 'wasm' });
    expect(kernelBuild()).toBe(detectRelaxedSimd() ? 'relaxed-simd' : 'simd');
    if (relaxedFlag) expect(kernelBuild()).toBe('relaxed-simd');
  });

  it.runIf(detectRelaxedSimd())('the relaxed and plain builds give the same CG factors to 1e-5', async () => {
    const plain = await cgWith((await import('../../src/runtime/module-simd.js')).default);
    const relaxed = await cgWith((await import('../../src/runtime/module-relaxed.js')).default);
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < plain.length; i++) {
      worst = Math.max(worst, Math.abs(plain[i] - relaxed[i]));
      scale = Math.max(scale, Math.abs(plain[i]));
    }
    expect(worst).toBeLessThan(1e-5 * scale);
  });
});
