// Sparse (CSR) matrix-vector kernels. indptr/indices are i32, data is f32; x and y are f32 or f64.
// Gathers from x are scalar loads in wasm, so SpMV loads them lane by lane into v128 registers
// (load32_lane / load64_lane) and multiplies with the contiguous data in SIMD, with two accumulators;
// the transposed product is a scatter and stays scalar, unrolled by four.

@inline function gather4(x: usize, io: usize): v128 {
  let v = v128.load32_zero(x + ((<usize>load<i32>(io)) << 2));
  v = v128.load32_lane(x + ((<usize>load<i32>(io, 4)) << 2), v, 1);
  v = v128.load32_lane(x + ((<usize>load<i32>(io, 8)) << 2), v, 2);
  return v128.load32_lane(x + ((<usize>load<i32>(io, 12)) << 2), v, 3);
}

@inline function gather2(x: usize, io: usize): v128 {
  const v = v128.load64_zero(x + ((<usize>load<i32>(io)) << 3));
  return v128.load64_lane(x + ((<usize>load<i32>(io, 4)) << 3), v, 1);
}

/** y[r] = Σ_j A[r,j]·x[j] for r in [r0, r1); f32 x and y, f32 accumulation. */
export function csrMvF32(indptr: usize, indices: usize, data: usize, x: usize, y: usize, r0: i32, r1: i32): void {
  if (r0 >= r1) return;
  let start = load<i32>(indptr + ((<usize>r0) << 2));
  for (let r = r0; r < r1; r++) {
    const end = load<i32>(indptr + ((<usize>r) << 2), 4);
    let j = start;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    for (; j + 8 <= end; j += 8) {
      const io = indices + ((<usize>j) << 2);
      const dp = data + ((<usize>j) << 2);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(dp), gather4(x, io)));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(dp, 16), gather4(x, io + 16)));
    }
    if (j + 4 <= end) {
      a0 = f32x4.add(a0, f32x4.mul(v128.load(data + ((<usize>j) << 2)), gather4(x, indices + ((<usize>j) << 2))));
      j += 4;
    }
    a0 = f32x4.add(a0, a1);
    let s: f32 = f32x4.extract_lane(a0, 0) + f32x4.extract_lane(a0, 1) + (f32x4.extract_lane(a0, 2) + f32x4.extract_lane(a0, 3));
    for (; j < end; j++) {
      s += load<f32>(data + ((<usize>j) << 2)) * load<f32>(x + ((<usize>load<i32>(indices + ((<usize>j) << 2))) << 2));
    }
    store<f32>(y + ((<usize>r) << 2), s);
    start = end;
  }
}

/** y[r] = Σ_j A[r,j]·x[j] for r in [r0, r1); f64 x and y, values widened from f32, f64 accumulation. */
export function csrMvF64(indptr: usize, indices: usize, data: usize, x: usize, y: usize, r0: i32, r1: i32): void {
  if (r0 >= r1) return;
  let start = load<i32>(indptr + ((<usize>r0) << 2));
  for (let r = r0; r < r1; r++) {
    const end = load<i32>(indptr + ((<usize>r) << 2), 4);
    let j = start;
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    for (; j + 8 <= end; j += 8) {
      const io = indices + ((<usize>j) << 2);
      const dp = data + ((<usize>j) << 2);
      const d0 = v128.load(dp);
      const d1 = v128.load(dp, 16);
      a0 = f64x2.add(a0, f64x2.mul(f64x2.promote_low_f32x4(d0), gather2(x, io)));
      a1 = f64x2.add(a1, f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(d0, d0, 2, 3, 0, 1)), gather2(x, io + 8)));
      a2 = f64x2.add(a2, f64x2.mul(f64x2.promote_low_f32x4(d1), gather2(x, io + 16)));
      a3 = f64x2.add(a3, f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(d1, d1, 2, 3, 0, 1)), gather2(x, io + 24)));
    }
    for (; j + 2 <= end; j += 2) {
      const d = f64x2.promote_low_f32x4(v128.load64_zero(data + ((<usize>j) << 2)));
      a0 = f64x2.add(a0, f64x2.mul(d, gather2(x, indices + ((<usize>j) << 2))));
    }
    a0 = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
    let s = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
    if (j < end) {
      s += <f64>load<f32>(data + ((<usize>j) << 2)) * load<f64>(x + ((<usize>load<i32>(indices + ((<usize>j) << 2))) << 3));
    }
    store<f64>(y + ((<usize>r) << 3), s);
    start = end;
  }
}

/** y[j] += Σ_{r∈[r0,r1)} A[r,j]·x[r] (f32). Each update is a full load-add-store, so repeated columns are safe. */
export function csrMtvF32(indptr: usize, indices: usize, data: usize, x: usize, y: usize, r0: i32, r1: i32): void {
  if (r0 >= r1) return;
  let start = load<i32>(indptr + ((<usize>r0) << 2));
  for (let r = r0; r < r1; r++) {
    const end = load<i32>(indptr + ((<usize>r) << 2), 4);
    const xr = load<f32>(x + ((<usize>r) << 2));
    let j = start;
    for (; j + 4 <= end; j += 4) {
      const io = indices + ((<usize>j) << 2);
      const dp = data + ((<usize>j) << 2);
      const p0 = y + ((<usize>load<i32>(io)) << 2);
      store<f32>(p0, load<f32>(p0) + load<f32>(dp) * xr);
      const p1 = y + ((<usize>load<i32>(io, 4)) << 2);
      store<f32>(p1, load<f32>(p1) + load<f32>(dp, 4) * xr);
      const p2 = y + ((<usize>load<i32>(io, 8)) << 2);
      store<f32>(p2, load<f32>(p2) + load<f32>(dp, 8) * xr);
      const p3 = y + ((<usize>load<i32>(io, 12)) << 2);
      store<f32>(p3, load<f32>(p3) + load<f32>(dp, 12) * xr);
    }
    for (; j < end; j++) {
      const p = y + ((<usize>load<i32>(indices + ((<usize>j) << 2))) << 2);
      store<f32>(p, load<f32>(p) + load<f32>(data + ((<usize>j) << 2)) * xr);
    }
    start = end;
  }
}

/** y[j] += Σ_{r∈[r0,r1)} A[r,j]·x[r] (f64 x and y). */
export function csrMtvF64(indptr: usize, indices: usize, data: usize, x: usize, y: usize, r0: i32, r1: i32): void {
  if (r0 >= r1) return;
  let start = load<i32>(indptr + ((<usize>r0) << 2));
  for (let r = r0; r < r1; r++) {
    const end = load<i32>(indptr + ((<usize>r) << 2), 4);
    const xr = load<f64>(x + ((<usize>r) << 3));
    let j = start;
    for (; j + 4 <= end; j += 4) {
      const io = indices + ((<usize>j) << 2);
      const dp = data + ((<usize>j) << 2);
      const p0 = y + ((<usize>load<i32>(io)) << 3);
      store<f64>(p0, load<f64>(p0) + <f64>load<f32>(dp) * xr);
      const p1 = y + ((<usize>load<i32>(io, 4)) << 3);
      store<f64>(p1, load<f64>(p1) + <f64>load<f32>(dp, 4) * xr);
      const p2 = y + ((<usize>load<i32>(io, 8)) << 3);
      store<f64>(p2, load<f64>(p2) + <f64>load<f32>(dp, 8) * xr);
      const p3 = y + ((<usize>load<i32>(io, 12)) << 3);
      store<f64>(p3, load<f64>(p3) + <f64>load<f32>(dp, 12) * xr);
    }
    for (; j < end; j++) {
      const p = y + ((<usize>load<i32>(indices + ((<usize>j) << 2))) << 3);
      store<f64>(p, load<f64>(p) + <f64>load<f32>(data + ((<usize>j) << 2)) * xr);
    }
    start = end;
  }
}
