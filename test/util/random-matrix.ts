// Seeded random sparse matrices shared by the test suites.
import { SparseMatrix } from '../../src/data/csr.js';
import { Rng } from '../../src/random.js';

/** rows × cols with each cell present with probability `density`; values from `value(rng)` (default 1). */
export function randomMatrix(
  seed: number,
  rows: number,
  cols: number,
  density: number,
  value: (rng: Rng) => number = () => 1,
): SparseMatrix {
  const rng = new Rng(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (rng.next() < density) {
        r.push(i);
        c.push(j);
        v.push(value(rng));
      }
    }
  }
  return SparseMatrix.fromCOO({ rows: r, cols: c, values: v, shape: [rows, cols] });
}
