// Check against scipy's reference singular values of MovieLens 100k (users × items, raw ratings).
// Skipped when the licensed data file is not present (it is never part of the repository).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { truncatedSVD } from '../../src/svd/index.js';

const PATH = new URL('../../../shared/data/ml-100k/u.data', import.meta.url);

function load(): SparseMatrix {
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (const line of readFileSync(PATH, 'utf8').split('\n')) {
    if (!line) continue;
    const [u, i, r] = line.split('\t');
    rows.push(+u - 1);
    cols.push(+i - 1);
    vals.push(+r);
  }
  return SparseMatrix.fromCOO({ rows, cols, values: vals });
}

describe.skipIf(!existsSync(PATH))('MovieLens 100k singular values (scipy reference)', () => {
  for (const name of ['wasm', 'js'] as const) {
    it(`σ1, σ10, σ50 to 4 decimals (${name})`, async () => {
      await init({ backend: name });
      const A = load();
      expect(A.shape).toEqual([943, 1682]);
      expect(A.nnz).toBe(100000);
      const r = await truncatedSVD(A, { k: 50 });
      expect(r.converged).toBe(true);
      expect(r.s[0]).toBeCloseTo(640.6336, 4);
      expect(r.s[9]).toBeCloseTo(99.7479, 4);
      expect(r.s[49]).toBeCloseTo(59.1068, 4);
      console.log(
        `ml-100k (${name}): σ1 = ${r.s[0].toFixed(4)}, σ10 = ${r.s[9].toFixed(4)}, σ50 = ${r.s[49].toFixed(4)}; ${r.matvecs} matvecs, ${r.restarts} restarts`,
      );
    });
  }
});
