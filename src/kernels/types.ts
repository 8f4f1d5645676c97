/**
 * Types shared by the runtime and the kernels' JS twins (both import them from here, so neither imports
 * the other's implementation for a type).
 * @module
 */

/**
 * Whole-memory views, replaced in place after growth. JS twins index them with `ptr >>> 2` / `ptr >>> 3`
 * (unsigned: offsets reach 4 GiB).
 */
export interface HeapViews {
  u8: Uint8Array;
  i32: Int32Array;
  f32: Float32Array;
  f64: Float64Array;
}

/** Element types of heap arrays. */
export type ElementKind = 'u8' | 'i32' | 'f32' | 'f64';

/** The typed array of an element kind. */
export type ViewOf<K extends ElementKind> = K extends 'u8'
  ? Uint8Array
  : K extends 'i32'
    ? Int32Array
    : K extends 'f32'
      ? Float32Array
      : Float64Array;
