// Sparse (CSR) matrix-vector kernel. indptr/indices are i32, data is f32; x and y are f64. Gathers from
// x are scalar loads in wasm, so SpMV loads them lane by lane into v128 registers (load64_lane) and
// multiplies with the contiguous data in SIMD. Aᵀ·x runs as this product on the cached transpose.

@inline function gather2(x: usize, io: usize): v128 {
  const v = v128.load64_zero(x + ((<usize>load<i32>(io)) << 3));
  return v128.load64_lane(x + ((<usize>load<i32>(io, 4)) << 3), v, 1);
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

/**
 * The same product over rows stored in another order: stored row i is matrix row rows[i], so y[rows[i]] is
 * its sum, for stored rows i in [r0, r1). Stored by descending length (the SVD operator's copies), the
 * row loops' trip counts are predictable: on very sparse data (Gowalla, 7 entries a row, lengths at random)
 * branch misses otherwise cost more than the arithmetic (3.4× slower, bench/ab.mjs). Rows under 8 entries
 * sum in scalar f64 (no vector set-up and reduction per row).
 */
export function csrMvRowsF64(indptr: usize, indices: usize, data: usize, rows: usize, x: usize, y: usize, r0: i32, r1: i32): void {
  if (r0 >= r1) return;
  let start = load<i32>(indptr + ((<usize>r0) << 2));
  for (let r = r0; r < r1; r++) {
    const end = load<i32>(indptr + ((<usize>r) << 2), 4);
    let j = start;
    let s: f64;
    if (end - j < 8) {
      let s0: f64 = 0;
      let s1: f64 = 0;
      for (; j + 2 <= end; j += 2) {
        const io = indices + ((<usize>j) << 2);
        const dp = data + ((<usize>j) << 2);
        s0 += <f64>load<f32>(dp) * load<f64>(x + ((<usize>load<i32>(io)) << 3));
        s1 += <f64>load<f32>(dp, 4) * load<f64>(x + ((<usize>load<i32>(io, 4)) << 3));
      }
      if (j < end) s0 += <f64>load<f32>(data + ((<usize>j) << 2)) * load<f64>(x + ((<usize>load<i32>(indices + ((<usize>j) << 2))) << 3));
      s = s0 + s1;
    } else {
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
      s = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
      if (j < end) s += <f64>load<f32>(data + ((<usize>j) << 2)) * load<f64>(x + ((<usize>load<i32>(indices + ((<usize>j) << 2))) << 3));
    }
    store<f64>(y + ((<usize>load<i32>(rows + ((<usize>r) << 2))) << 3), s);
    start = end;
  }
}
