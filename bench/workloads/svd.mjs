// Truncated SVD (restarted Lanczos, tol 1e-10 on the relative residual) for k = 10, 20, 50, against the
// scipy svds anchors (PROPACK, ARPACK; f64). One run = one truncatedSVD call, start to result.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ratings, ml100k } from '../lib/data.mjs';

export const name = 'svd';
export const title = 'Truncated SVD (Lanczos, tol 1e-10)';

export async function cases({ lib, quick, data, dump }) {
  const sets = [];
  if (!quick) sets.push({ d: ratings(lib), anchor: '1m', kinds: ['propack', 'arpack'] });
  const real = await ml100k(lib, data);
  if (real) sets.push({ d: real, anchor: '100k', kinds: ['propack'] });
  // Without the real file, a generated matrix of ML-100k's shape and size stands in (quick mode's input).
  else if (quick) sets.push({ d: ratings(lib, 943, 1682, 100_000, 100), anchor: '100k', kinds: ['propack'] });
  if (dump) {
    mkdirSync(dump, { recursive: true });
    for (const { d } of sets) {
      const A = d.matrix;
      const key = d.short;
      const rows = new Int32Array(A.nnz);
      for (let r = 0; r < A.rows; r++) rows.fill(r, A.indptr[r], A.indptr[r + 1]);
      writeFileSync(join(dump, `${key}.rows.i32`), rows);
      writeFileSync(join(dump, `${key}.cols.i32`), A.indices);
      writeFileSync(join(dump, `${key}.vals.f32`), A.data);
      writeFileSync(join(dump, `${key}.shape.json`), JSON.stringify(A.shape));
    }
  }
  const out = [];
  for (const { d, anchor, kinds } of sets) {
    for (const k of [10, 20, 50]) {
      out.push({
        id: `svd/${d.short}/k${k}`,
        label: `truncatedSVD k=${k}`,
        dataset: d.name,
        // The figures, then scipy re-measured on this exact matrix if REFERENCE.md has it.
        anchors: [...kinds.map((s) => ({ key: `svds.${s}.${anchor}.k${k}`, backend: 'wasm' })), ...['propack', 'arpack'].map((s) => ({ key: `same.${s}.${d.short}.k${k}`, backend: 'wasm' }))],
        setup() {
          let last;
          return {
            run: async () => {
              last = await lib.truncatedSVD(d.matrix, { k, tol: 1e-10 });
            },
            check: () => ({ sigma1: last.s[0], sigmaK: last.s[k - 1], matvecs: last.matvecs, restarts: last.restarts, maxResidual: Math.max(...last.residuals), converged: last.converged }),
          };
        },
      });
    }
  }
  return out;
}
