// Multiply–add on SIMD lanes, a·b + c: one fused instruction in the relaxed-SIMD build (`--enable
// relaxed-simd`, picked at run time by feature detection where the engine has it), a multiply then an
// add in the plain SIMD build. Relaxed madd may round once or twice depending on the engine and CPU, but
// always the same way on one machine, so each build is deterministic where it runs.

@inline export function madd32(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

@inline export function madd64(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

/** Sum of the four f32 lanes, (l0 + l1) + (l2 + l3). */
@inline export function hsum32(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}
