/**
 * The heap as the kernels see it: element kinds, whole-memory views (what the JS twins index), and the
 * heap address a kernel's pointer argument takes. src/runtime implements them (Heap, HeapArray); they are
 * declared here, with the kernel contract, so the kernels never import the runtime.
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

/** Bytes per element of each kind. */
export const ELEMENT_BYTES: Readonly<Record<ElementKind, number>> = { u8: 1, i32: 4, f32: 4, f64: 8 };

/** The typed array of an element kind. */
export type ViewOf<K extends ElementKind> = K extends 'u8'
  ? Uint8Array
  : K extends 'i32'
    ? Int32Array
    : K extends 'f32'
      ? Float32Array
      : Float64Array;

/**
 * What a pointer argument of a kernel takes: a run of elements of kind K in the heap — a whole heap array,
 * or a part of one such as a row (src/runtime/heap.ts: HeapArray, HeapSlice). Only src/runtime reads
 * `ptr`, the byte offset; everything else passes these objects on.
 */
export interface HeapRef<K extends ElementKind = ElementKind> {
  readonly kind: K;
  /** Byte offset in the heap (unsigned: up to 4 GiB). */
  readonly ptr: number;
  readonly byteLength: number;
}
