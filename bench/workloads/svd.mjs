// Truncated SVD (Lanczos, default tol 1e-10) at k = 10, 20, 50, 100 on Last.fm-2k binary train, its
// transpose, ML-100k and the generated 1M-entry matrix, plain and with center: true, against scipy's svds
// timed in the same run (bench/svd_scipy.py in a child process, alternating with lowrank's runs): PROPACK
// always, ARPACK where it is cheap. scipy runs as a user calls it (float64, default tol, random_state 0, one
// BLAS thread); centered cases give it a LinearOperator for the same centered matrix. Each case also records
// both sides' matrix–vector products (scipy's through a counting LinearOperator, in an untimed run), the
// singular values and the largest residual, for the SVD table (bench/lib/svdtable.mjs).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmtNnz, lastfmTrain, ml100k, ratings } from '../lib/data.mjs';
import { findScipy, ScipyProcess } from '../lib/scipy.mjs';

export const name = 'svd';
export const title = 'Truncated SVD (Lanczos, tol 1e-10) against scipy svds in the same run';

/** ARPACK is timed only where it takes seconds at most (stored entries × k). */
const ARPACK_MAX_WORK = 2.5e6;

let scipy; // { proc, dir, own, loaded: Set<string> }

/** Stop the scipy process and remove its temporary matrices (called by run.mjs after the workload). */
export async function close() {
  if (!scipy) return;
  await scipy.proc.close();
  if (scipy.own) rmSync(scipy.dir, { recursive: true, force: true });
  scipy = undefined;
}

/** The matrix as raw COO files (rows.i32, cols.i32, vals.f32, shape.json) under `prefix`. */
function writeCoo(A, prefix) {
  const rows = new Int32Array(A.nnz);
  for (let r = 0; r < A.rows; r++) rows.fill(r, A.indptr[r], A.indptr[r + 1]);
  writeFileSync(`${prefix}.rows.i32`, rows);
  writeFileSync(`${prefix}.cols.i32`, A.indices);
  writeFileSync(`${prefix}.vals.f32`, A.data);
  writeFileSync(`${prefix}.shape.json`, JSON.stringify(A.shape));
}

/** The scipy-side key of a matrix (and centering), loaded into the python process on first use. */
async function scipyMatrix(d, center) {
  const key = `${d.short}${center ? '-centered' : ''}`;
  const prefix = join(scipy.dir, d.short);
  if (!scipy.written.has(d.short)) {
    writeCoo(d.matrix, prefix);
    scipy.written.add(d.short);
  }
  if (!scipy.loaded.has(key)) {
    await scipy.proc.request({ op: 'load', key, prefix, center });
    scipy.loaded.add(key);
  }
  return key;
}

export async function cases({ lib, quick, data, dump }) {
  const sets = [];
  const lf = await lastfmTrain(lib, data);
  if (lf)
    sets.push(lf, {
      name: `Last.fm-2k binary train transposed ${lf.matrix.cols}×${lf.matrix.rows}, ${fmtNnz(lf.matrix.nnz)} nnz`,
      short: 'lastfm-train-T',
      matrix: lf.matrix.transpose(),
    });
  const real = await ml100k(lib, data);
  if (real) sets.push(real);
  // Without the real file, a generated matrix of ML-100k's shape and size stands in (quick mode's input).
  else if (quick) sets.push(ratings(lib, 943, 1682, 100_000, 100));
  if (!quick) sets.push(ratings(lib));
  const ks = quick ? [10, 20] : [10, 20, 50, 100];

  const found = findScipy();
  if (found.python && !scipy) {
    const own = !dump;
    const dir = dump ?? mkdtempSync(join(tmpdir(), 'lowrank-svd-'));
    mkdirSync(dir, { recursive: true });
    scipy = { proc: new ScipyProcess(found.python), dir, own, written: new Set(), loaded: new Set() };
    console.log(`  scipy ${found.version} (${found.python}) timed in the same run`);
  } else if (!found.python) {
    console.log(`  no same-run scipy anchor: ${found.reason}`);
  }

  const out = [];
  for (const d of sets) {
    for (const center of [false, true]) {
      for (const k of ks) {
        if (k > Math.min(d.matrix.rows, d.matrix.cols)) continue;
        const solvers = scipy ? ['propack', ...(!center && d.matrix.nnz * k <= ARPACK_MAX_WORK ? ['arpack'] : [])] : [];
        out.push({
          id: `svd/${d.short}${center ? '-centered' : ''}/k${k}`,
          label: `truncatedSVD k=${k}${center ? ', center: true' : ''}`,
          dataset: d.name,
          // The JS twins run on the small cases only (they show the backends agree; they are 6–8× slower).
          // A baseline build (--baseline) runs the uncentered cases: before issue 21 there was no center: true.
          backends: [
            ...(d.matrix.nnz * k <= 2e6 && !center ? ['js'] : []),
            'wasm',
            'wasm-threads',
            ...(center ? [] : ['before']),
          ],
          sameRun: solvers.map((solver) => ({
            name: solver,
            label: `scipy ${solver === 'propack' ? 'PROPACK' : 'ARPACK'}`,
            backend: 'wasm',
            async setup() {
              const key = await scipyMatrix(d, center);
              return {
                run: () => scipy.proc.request({ op: 'time', key, solver, k }),
                facts: () => scipy.proc.request({ op: 'count', key, solver, k }),
              };
            },
          })),
          setup(b) {
            let last;
            // The baseline build has its own SparseMatrix class: give it its own copy of the matrix.
            const M = b.lib
              ? new b.lib.SparseMatrix(d.matrix.indptr, d.matrix.indices, d.matrix.data, d.matrix.shape)
              : d.matrix;
            const L = b.lib ?? lib;
            return {
              run: async () => {
                last = await L.truncatedSVD(M, center ? { k, center } : { k });
              },
              check: () => ({
                sigma1: last.s[0],
                sigmaK: last.s[k - 1],
                matvecs: last.matvecs,
                restarts: last.restarts,
                maxResidual: Math.max(...last.residuals),
                converged: last.converged,
                s: Array.from(last.s),
              }),
            };
          },
        });
      }
    }
  }
  return out;
}
