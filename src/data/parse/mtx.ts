/**
 * Matrix Market coordinate files: the banner, the size line (checked before anything is allocated for
 * it), and the mirrored entries of symmetric files. The entry lines go through the line engine.
 * @internal
 * @module
 */
import { ParseError } from '../../errors.js';
import { GrowF64 } from './grow.js';

/** What the banner and size line say. */
export interface MtxHeader {
  field: 'real' | 'integer' | 'pattern';
  symmetry: 'general' | 'symmetric' | 'skew-symmetric';
  rows: number;
  cols: number;
  entries: number;
}

type Where = { source: string; line: number; column?: number };

/** Does line [s, e) start with `%%MatrixMarket` (any case)? */
export function startsWithBanner(buf: Uint8Array, s: number, e: number): boolean {
  const banner = '%%matrixmarket';
  if (e - s < banner.length) return false;
  for (let k = 0; k < banner.length; k++)
    if ((buf[s + k] | 0x20) !== banner.charCodeAt(k) && buf[s + k] !== banner.charCodeAt(k)) return false;
  return true;
}

/** Parse the banner line; throws ParseError for anything but a coordinate matrix lowrank can read. */
export function parseBanner(text: string, where: Where): Pick<MtxHeader, 'field' | 'symmetry'> {
  const [, object, layout, field, symmetry] = text.trim().toLowerCase().split(/\s+/);
  if (object !== 'matrix')
    throw new ParseError(`Matrix Market object ${JSON.stringify(object)} is not supported; expected "matrix"`, where);
  if (layout !== 'coordinate')
    throw new ParseError(
      `Matrix Market layout ${JSON.stringify(layout)} is not supported; expected "coordinate" (sparse)`,
      where,
    );
  if (field !== 'real' && field !== 'integer' && field !== 'pattern')
    throw new ParseError(
      `Matrix Market field ${JSON.stringify(field)} is not supported; expected real, integer or pattern`,
      where,
    );
  if (symmetry !== 'general' && symmetry !== 'symmetric' && symmetry !== 'skew-symmetric') {
    throw new ParseError(
      `Matrix Market symmetry ${JSON.stringify(symmetry)} is not supported; expected general, symmetric or skew-symmetric`,
      where,
    );
  }
  return { field, symmetry };
}

/** Check the size line's three numbers (NaN where a field was not a non-negative integer). */
export function checkSize(nums: number[], fieldCount: number, text: string, where: Where): [number, number, number] {
  if (fieldCount !== 3 || nums.some((x) => !(x >= 0))) {
    throw new ParseError(
      `the Matrix Market size line must be "rows columns entries" (three non-negative integers): ${JSON.stringify(text)}`,
      where,
    );
  }
  // Refuse sizes no SparseMatrix can hold before allocating for them (Int32 indices and nonzero counts).
  const [nr, nc, nz] = nums;
  if (nr > 0x7fffffff || nc > 0x7fffffff)
    throw new ParseError(
      `the size line declares a ${nr} × ${nc} matrix; rows and columns are limited to 2^31-1`,
      where,
    );
  if (nz > 0x7fffffff)
    throw new ParseError(`the size line declares ${nz} entries; a SparseMatrix holds at most 2^31-1 nonzeros`, where);
  if (nz > nr * nc)
    throw new ParseError(`the size line declares ${nz} entries, more than the ${nr} × ${nc} = ${nr * nc} cells`, where);
  return [nr, nc, nz];
}

/** The entries of a symmetric or skew-symmetric file with each off-diagonal entry mirrored. */
export function mirrored(
  r: Float64Array,
  c: Float64Array,
  v: Float64Array,
  symmetry: MtxHeader['symmetry'],
): { r: Float64Array; c: Float64Array; v: Float64Array } {
  if (symmetry === 'general') return { r, c, v };
  const sign = symmetry === 'skew-symmetric' ? -1 : 1;
  const R = new GrowF64();
  const C = new GrowF64();
  const V = new GrowF64();
  for (let p = 0; p < r.length; p++) {
    R.push(r[p]);
    C.push(c[p]);
    V.push(v[p]);
    if (r[p] !== c[p]) {
      R.push(c[p]);
      C.push(r[p]);
      V.push(sign * v[p]);
    }
  }
  return { r: R.view, c: C.view, v: V.view };
}
