/**
 * scipy sparse matrices as `.npz` (`scipy.sparse.save_npz` / `load_npz`): members `format` (a byte
 * string: csr, csc or coo), `shape`, and `indptr`/`indices`/`data` (or `row`/`col`/`data` for coo).
 * @module
 */
import { ModelFormatError, ValidationError } from '../errors.js';
import { SparseMatrix } from '../data/csr.js';
import { Interactions } from '../data/interactions.js';
import { npyScalar, npyToFloat64, type NpyArray } from './npy.js';
import { readNpz, writeNpz } from './npz.js';

/** Options of {@link writeScipyNpz}. */
export interface WriteScipyNpzOptions {
  /** Deflate the archive, as `save_npz` does by default. Default true. */
  compress?: boolean;
}

/**
 * A scipy sparse matrix saved with `scipy.sparse.save_npz` (csr, csc or coo) as a SparseMatrix (CSR).
 * Values become float32 (SparseMatrix's storage); repeated (row, column) entries are summed and unsorted
 * indices sorted, as scipy's `sum_duplicates` would.
 * @throws ModelFormatError for a missing member, another sparse format, or inconsistent arrays
 */
export function readScipyNpz(bytes: Uint8Array | ArrayBuffer): SparseMatrix {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer))
    throw new ValidationError('readScipyNpz: expected the .npz bytes (Uint8Array or ArrayBuffer)');
  const z = readNpz(bytes, 'readScipyNpz');
  const need = (name: string): NpyArray => {
    const a = z.get(name);
    if (!a)
      throw new ModelFormatError(
        `readScipyNpz: the archive has no ${name}.npy (members: ${[...z.keys()].join(', ') || 'none'}); expected scipy.sparse.save_npz output`,
      );
    return a;
  };
  const format = npyScalar(need('format'), 'format');
  const shape = Array.from(npyToFloat64(need('shape'), 'shape'));
  if (shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && d >= 0 && d < 2 ** 31)) {
    throw new ModelFormatError(
      `readScipyNpz: shape is ${JSON.stringify(shape)}; expected two non-negative 32-bit sizes`,
    );
  }
  const [rows, cols] = shape;
  const values = dataValues(need('data'));
  if (format === 'coo') {
    const r = indexArray('row', need('row'), rows - 1);
    const c = indexArray('col', need('col'), cols - 1);
    if (r.length !== values.length || c.length !== values.length)
      throw new ModelFormatError(
        `readScipyNpz: row (${r.length}), col (${c.length}) and data (${values.length}) differ in length`,
      );
    return SparseMatrix.fromCOO({ rows: r, cols: c, values, shape: [rows, cols] });
  }
  if (format !== 'csr' && format !== 'csc') {
    throw new ModelFormatError(
      `readScipyNpz: sparse format ${JSON.stringify(format)} is not supported; save a csr, csc or coo matrix (m.tocsr())`,
    );
  }
  return compressedMatrix(format, [rows, cols], need('indptr'), need('indices'), values);
}

/** A 1-d integer array of indices in [0, limit], as Int32Array. */
function indexArray(name: string, a: NpyArray, limit: number): Int32Array {
  if (a.shape.length !== 1)
    throw new ModelFormatError(`readScipyNpz: ${name} must be 1-d, got shape (${a.shape.join(', ')})`);
  if (a.dtype !== 'i4' && a.dtype !== 'i8')
    throw new ModelFormatError(`readScipyNpz: ${name} has dtype ${a.dtype}; expected int32 or int64 indices`);
  const f = npyToFloat64(a, name);
  const out = new Int32Array(f.length);
  for (let i = 0; i < f.length; i++) {
    if (f[i] < 0 || f[i] > limit)
      throw new ModelFormatError(`readScipyNpz: ${name}[${i}] = ${f[i]} is outside [0, ${limit}]`);
    out[i] = f[i];
  }
  return out;
}

/** The stored values, as finite numbers. */
function dataValues(dataArr: NpyArray): Float64Array {
  if (dataArr.dtype === 'U' || dataArr.dtype === 'S')
    throw new ModelFormatError(`readScipyNpz: data holds strings; expected numbers`);
  const values = dataArr.dtype === 'b1' ? Float64Array.from(dataArr.data) : npyToFloat64(dataArr, 'data');
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i]))
      throw new ModelFormatError(`readScipyNpz: data[${i}] is ${values[i]}; expected finite values`);
  return values;
}

/** A csr or csc matrix's arrays as a SparseMatrix (canonical csr as is, else sorted and merged by fromCOO). */
function compressedMatrix(
  format: 'csr' | 'csc',
  [rows, cols]: number[],
  indptrArr: NpyArray,
  indicesArr: NpyArray,
  values: Float64Array,
): SparseMatrix {
  const major = format === 'csr' ? rows : cols;
  const minor = format === 'csr' ? cols : rows;
  const indptr = indexArray('indptr', indptrArr, 2 ** 31 - 1);
  const indices = indexArray('indices', indicesArr, minor - 1);
  if (indptr.length !== major + 1)
    throw new ModelFormatError(
      `readScipyNpz: indptr has ${indptr.length} entries; a ${format} matrix of shape (${rows}, ${cols}) needs ${major + 1}`,
    );
  if (indices.length !== values.length)
    throw new ModelFormatError(
      `readScipyNpz: indices (${indices.length}) and data (${values.length}) differ in length`,
    );
  if (indptr[0] !== 0 || indptr[major] > indices.length)
    throw new ModelFormatError(`readScipyNpz: indptr must start at 0 and end at most at nnz = ${indices.length}`);
  // Expand to coordinates and let fromCOO sort and merge: scipy allows unsorted and duplicate entries.
  const n = indptr[major];
  const a = new Int32Array(n);
  let canonical = true;
  for (let r = 0; r < major; r++) {
    if (indptr[r + 1] < indptr[r]) throw new ModelFormatError(`readScipyNpz: indptr decreases at ${r}`);
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      a[p] = r;
      if (p > indptr[r] && indices[p] <= indices[p - 1]) canonical = false;
    }
  }
  if (format === 'csr' && canonical) {
    return SparseMatrix.trusted(indptr, indices.slice(0, n), Float32Array.from(values.subarray(0, n)), [rows, cols]);
  }
  const [rr, cc] = format === 'csr' ? [a, indices.subarray(0, n)] : [indices.subarray(0, n), a];
  return SparseMatrix.fromCOO({ rows: rr, cols: cc, values: values.subarray(0, n), shape: [rows, cols] });
}

/**
 * A SparseMatrix (or an Interactions' matrix) as the `.npz` `scipy.sparse.load_npz` reads: a csr_matrix
 * with int32 indices and float32 data.
 */
export function writeScipyNpz(matrix: SparseMatrix | Interactions, options: WriteScipyNpzOptions = {}): Uint8Array {
  const m = matrix instanceof Interactions ? matrix.matrix : matrix;
  if (!(m instanceof SparseMatrix)) throw new ValidationError('writeScipyNpz: expected a SparseMatrix or Interactions');
  // Member order as save_npz writes it.
  return writeNpz(
    {
      indices: { dtype: 'i4', shape: [m.nnz], data: m.indices },
      indptr: { dtype: 'i4', shape: [m.rows + 1], data: m.indptr },
      format: { dtype: 'S', shape: [], data: ['csr'] },
      shape: { dtype: 'i8', shape: [2], data: BigInt64Array.of(BigInt(m.rows), BigInt(m.cols)) },
      data: { dtype: 'f4', shape: [m.nnz], data: m.data },
    },
    { compress: options.compress ?? true },
  );
}
