/**
 * Twin of assembly/lmf.ts: one AdaGrad step of logistic MF per row, the same draws and the same f32
 * arithmetic (dot products as four lanes, then the tail), so it matches the WASM kernel up to the last
 * bit of exp().
 * @module
 */
import type { TwinKernels } from './declarations.js';
import type { HeapViews } from './types.js';
import { dotF32, Stream } from './sampling.js';

function sigmoid(s: number): number {
  if (s >= 0) return 1 / (1 + Math.exp(-s));
  const e = Math.exp(s);
  return e / (1 + e);
}

/** g += w·f (element offsets), rounded as the kernel. */
function axpy(f32: Float32Array, w: number, f: number, g: Float32Array, dim: number): void {
  const fr = Math.fround;
  for (let k = 0; k < dim; k++) g[k] = fr(g[k] + fr(w * f32[f + k]));
}

export function lmfKernels(h: HeapViews): Pick<TwinKernels, 'lmfRows'> {
  const rng = new Stream();
  let g = new Float32Array(0);
  return {
    lmfRows(
      indptr,
      indices,
      conf,
      F,
      X,
      acc,
      nFixed,
      k,
      biasCol,
      negProp,
      negWeight,
      lr,
      reg,
      key0,
      key1,
      scratch,
      r0,
      r1,
    ) {
      void scratch;
      const { i32, f32 } = h;
      const fr = Math.fround;
      const dim = k + 2;
      const constCol = 2 * k + 1 - biasCol;
      const [lr32, reg32, w0, eps] = [fr(lr), fr(reg), fr(negWeight), fr(1e-6)];
      if (g.length < dim) g = new Float32Array(dim);
      const [ip, ix, cf] = [indptr >>> 2, indices >>> 2, conf >>> 2];
      for (let r = r0; r < r1; r++) {
        const x = (X >>> 2) + r * dim;
        const a = (acc >>> 2) + r * dim;
        g.fill(0);
        const q0 = i32[ip + r] >>> 0;
        const q1 = i32[ip + r + 1] >>> 0;
        for (let q = q0; q < q1; q++) {
          const f = (F >>> 2) + i32[ix + q] * dim;
          axpy(f32, fr(f32[cf + q] * sigmoid(-dotF32(f32, x, f, dim))), f, g, dim);
        }
        const draws = Math.ceil(Math.fround(negProp) * Math.max(q1 - q0, 1));
        if (draws >= nFixed) {
          for (let j = 0; j < nFixed; j++) {
            const f = (F >>> 2) + j * dim;
            axpy(f32, -fr(w0 * sigmoid(dotF32(f32, x, f, dim))), f, g, dim);
          }
        } else {
          const w = (w0 * nFixed) / draws;
          rng.forRow(key0, key1, r);
          for (let t = 0; t < draws; t++) {
            const f = (F >>> 2) + rng.below(nFixed) * dim;
            axpy(f32, -fr(w * sigmoid(dotF32(f32, x, f, dim))), f, g, dim);
          }
        }
        for (let col = 0; col < dim; col++) {
          if (col === constCol) continue;
          const xs = f32[x + col];
          let gs = g[col];
          if (col < k) gs = fr(gs - fr(reg32 * xs));
          const s = fr(f32[a + col] + fr(gs * gs));
          f32[a + col] = s;
          f32[x + col] = fr(xs + fr(fr(lr32 * gs) / fr(Math.sqrt(fr(s + eps)))));
        }
      }
    },
  };
}
