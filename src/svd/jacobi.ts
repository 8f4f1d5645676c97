/**
 * The small dense SVD at the heart of the restarted Lanczos method: one-sided Jacobi (Hestenes), in f64.
 * It is used on the projected matrix B (a few dozen rows), where O(n³) per sweep is cheap and what matters
 * is accuracy: one-sided Jacobi gives singular values with high relative accuracy and singular vectors
 * whose small components (the last row of U, which is the Lanczos residual estimate) are accurate too.
 * @module
 */
import type { Backend } from '../runtime/backend.js';

/** The thin SVD of an m×n matrix (m ≥ n), returned with the singular vectors as rows. */
export interface SmallSVD {
  /** n singular values, descending. */
  s: Float64Array;
  /** n×m row-major: row i is the left singular vector uᵢ. */
  Ut: Float64Array;
  /** n×n row-major: row i is the right singular vector vᵢ. */
  Vt: Float64Array;
  /** Jacobi sweeps used. */
  sweeps: number;
}

const EPS = 2.220446049250313e-16;

/**
 * SVD of the row-major m×n matrix `A` (m ≥ n; not modified): A = U·diag(s)·Vᵀ.
 * Columns of A that are (numerically) zero get left singular vectors completed to an orthonormal set,
 * so `Ut` always has orthonormal rows.
 */
export function jacobiSVD(backend: Backend, A: Float64Array, m: number, n: number, maxSweeps = 60): SmallSVD {
  if (m < n) throw new Error(`jacobiSVD: expected m ≥ n, got ${m}×${n}`);
  const heap = backend.heap;
  // The sweeps run as a kernel over heap blocks: W (columns of A as rows, contiguous for the rotations),
  // V (accumulated rotations), nrm (squared column norms).
  const Wh = heap.allocArray('f64', n * m);
  const Vh = heap.allocArray('f64', n * n);
  const Nh = heap.allocArray('f64', n);
  let W: Float64Array;
  let V: Float64Array;
  let nrm: Float64Array;
  let sweeps: number;
  try {
    {
      const w = Wh.view;
      for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) w[c * m + r] = A[r * n + c];
      const v = Vh.view;
      for (let i = 0; i < n; i++) v[i * n + i] = 1;
      const nv = Nh.view;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let r = 0; r < m; r++) s += w[i * m + r] * w[i * m + r];
        nv[i] = s;
      }
    }
    // Rotate a pair when its cosine exceeds a few ulps scaled by the vector length (any tighter and
    // rounding noise in the dot product keeps triggering rotations).
    sweeps = backend.kernels.call('jacobiSweepsF64', {
      W: Wh,
      V: Vh,
      nrm: Nh,
      m,
      n,
      maxSweeps,
      thresh: EPS * Math.max(m, 8),
    });
    W = Wh.toArray();
    V = Vh.toArray();
    nrm = Nh.toArray();
  } finally {
    Wh.free();
    Vh.free();
    Nh.free();
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => nrm[j] - nrm[i] || i - j);
  const s = new Float64Array(n);
  const Ut = new Float64Array(n * m);
  const Vt = new Float64Array(n * n);
  const smax = Math.sqrt(nrm[order[0]] ?? 0);
  const tiny = smax * EPS * Math.max(m, n);
  for (let i = 0; i < n; i++) {
    const o = order[i];
    const sv = Math.sqrt(nrm[o]);
    Vt.set(V.subarray(o * n, o * n + n), i * n);
    if (sv > tiny && sv > 0) {
      s[i] = sv;
      for (let r = 0; r < m; r++) Ut[i * m + r] = W[o * m + r] / sv;
    } else {
      // Numerically zero: the direction is arbitrary; complete Ut to an orthonormal set.
      s[i] = sv;
      completeRow(Ut, i, m);
    }
  }
  return { s, Ut, Vt, sweeps };
}

/**
 * Fill row i of Ut (m columns) with a unit vector orthogonal to rows 0..i-1: the unit vector e_r whose
 * projection onto their complement is largest (at least 1/√m of the complement's dimension), projected
 * and normalized.
 */
function completeRow(Ut: Float64Array, i: number, m: number): void {
  const row = i * m;
  const project = (e: number): number => {
    Ut.fill(0, row, row + m);
    Ut[row + e] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        let d = 0;
        for (let r = 0; r < m; r++) d += Ut[j * m + r] * Ut[row + r];
        for (let r = 0; r < m; r++) Ut[row + r] -= d * Ut[j * m + r];
      }
    }
    let nn = 0;
    for (let r = 0; r < m; r++) nn += Ut[row + r] * Ut[row + r];
    return nn;
  };
  let best = 0;
  let bestNorm = -1;
  for (let e = 0; e < m; e++) {
    const nn = project(e);
    if (nn > bestNorm) {
      bestNorm = nn;
      best = e;
    }
    if (nn > 0.5) break; // good enough: no cancellation to fear
  }
  const nn = project(best);
  const f = 1 / Math.sqrt(nn);
  for (let r = 0; r < m; r++) Ut[row + r] *= f;
}
