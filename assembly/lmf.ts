// Logistic matrix factorization (Johnson 2014): one AdaGrad ascent step per row on the row's share of
// the log-likelihood Σ_i [c_ri·log σ(s_ri) + w0·log(1 − σ(s_ri))] − (reg/2)·‖factors‖², s = x_r·f_i over
// all dim = k + 2 columns (user rows [x, 1, b_u], item rows [y, b_i, 1]), w0 = negWeight. Its gradient is
//   Σ_{i∈I_r} c_ri·σ(−s_ri)·f_i − w0·Σ_{all i} σ(s_ri)·f_i − reg·x_r   (bias and constant columns unpenalised),
// the second sum exact when ⌈negProp·max(n_r, 1)⌉ reaches the fixed side's row count, else estimated from
// that many uniform draws over all rows of F, each weighted w0·nFixed / draws (unbiased; positives may
// be drawn, as the sum runs over every pair). Rows only read F and write their own row of X and of the
// AdaGrad sums, and each row draws from its own stream (keyed by key0, key1 and the row), so any split
// over threads gives the same result.
import { below, streamForRow } from './sampling';

@inline function hsum(a: v128): f32 {
  return f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
}

@inline function dot(x: usize, y: usize, dim: i32): f32 {
  const nv = dim & ~3;
  let acc = f32x4.splat(0);
  let k = 0;
  for (; k < nv; k += 4) {
    const o = (<usize>k) << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  }
  let s = hsum(acc);
  for (; k < dim; k++) {
    const o = (<usize>k) << 2;
    s += load<f32>(x + o) * load<f32>(y + o);
  }
  return s;
}

/** g += w·f over dim floats. */
@inline function axpy(w: f32, f: usize, g: usize, dim: i32): void {
  const nv = dim & ~3;
  const vw = f32x4.splat(w);
  let k = 0;
  for (; k < nv; k += 4) {
    const o = (<usize>k) << 2;
    v128.store(g + o, f32x4.add(v128.load(g + o), f32x4.mul(vw, v128.load(f + o))));
  }
  for (; k < dim; k++) {
    const o = (<usize>k) << 2;
    store<f32>(g + o, load<f32>(g + o) + w * load<f32>(f + o));
  }
}

/** σ(s) in f64, without overflow. */
@inline function sigmoid(s: f64): f64 {
  if (s >= 0) return 1.0 / (1.0 + Math.exp(-s));
  const e = Math.exp(s);
  return e / (1.0 + e);
}

/** Row r's gradient into g (dim floats). */
function gradient(
  indptr: usize,
  indices: usize,
  conf: usize,
  F: usize,
  x: usize,
  g: usize,
  r: u32,
  dim: i32,
  nFixed: u32,
  negProp: f64,
  negWeight: f64,
  key0: u32,
  key1: u32,
): void {
  const rowBytes = (<usize>dim) << 2;
  memory.fill(g, 0, rowBytes);
  const q0 = load<u32>(indptr + ((<usize>r) << 2));
  const q1 = load<u32>(indptr + ((<usize>r) << 2), 4);
  for (let q = q0; q < q1; q++) {
    const f = F + (<usize>load<u32>(indices + ((<usize>q) << 2))) * rowBytes;
    const c = <f64>load<f32>(conf + ((<usize>q) << 2));
    axpy(<f32>(c * sigmoid(-<f64>dot(x, f, dim))), f, g, dim);
  }
  const draws = <u64>Math.ceil(negProp * <f64>max<u32>(q1 - q0, 1));
  if (draws >= <u64>nFixed) {
    for (let j: u32 = 0; j < nFixed; j++) {
      const f = F + (<usize>j) * rowBytes;
      axpy(-<f32>(negWeight * sigmoid(<f64>dot(x, f, dim))), f, g, dim);
    }
    return;
  }
  const m = <u32>draws;
  const w = (negWeight * <f64>nFixed) / <f64>m;
  streamForRow(key0, key1, r);
  for (let t: u32 = 0; t < m; t++) {
    const f = F + (<usize>below(nFixed)) * rowBytes;
    axpy(-<f32>(w * sigmoid(<f64>dot(x, f, dim))), f, g, dim);
  }
}

/**
 * One AdaGrad step for rows [r0, r1) of X (see the declaration in src/kernels/declarations-sgd.ts): acc +=
 * g², x += lr·g / √(acc + 1e-6) per column; the constant column (2k + 1 − biasCol) stays put.
 * scratch: 4·dim bytes per thread.
 */
export function lmfRows(
  indptr: usize,
  indices: usize,
  conf: usize,
  F: usize,
  X: usize,
  acc: usize,
  nFixed: i32,
  k: i32,
  biasCol: i32,
  negProp: f64,
  negWeight: f64,
  lr: f64,
  reg: f64,
  key0: i32,
  key1: i32,
  scratch: usize,
  r0: i32,
  r1: i32,
): void {
  const dim = k + 2;
  const rowBytes = (<usize>dim) << 2;
  const constCol = 2 * k + 1 - biasCol;
  // The scalars in f32, as the fit computes with them.
  const negProp64 = <f64><f32>negProp;
  const negWeight64 = <f64><f32>negWeight;
  const lr32 = <f32>lr;
  const reg32 = <f32>reg;
  for (let r = <u32>r0; r < <u32>r1; r++) {
    const x = X + (<usize>r) * rowBytes;
    const a = acc + (<usize>r) * rowBytes;
    gradient(indptr, indices, conf, F, x, scratch, r, dim, <u32>nFixed, negProp64, negWeight64, <u32>key0, <u32>key1);
    for (let col = 0; col < dim; col++) {
      if (col == constCol) continue;
      const o = (<usize>col) << 2;
      const xs = load<f32>(x + o);
      let gs = load<f32>(scratch + o);
      if (col < k) gs -= reg32 * xs;
      const s = load<f32>(a + o) + gs * gs;
      store<f32>(a + o, s);
      store<f32>(x + o, xs + (lr32 * gs) / sqrt<f32>(s + <f32>1e-6));
    }
  }
}
