// Kernels: the WASM SIMD kernels against their JS twins on identical seeded inputs (SpMV, Aᵀx, Cholesky,
// Gram, dot/axpy, top-k), called directly with heap offsets. Times are per kernel call.
export const name = 'kernels';
export const title = 'Kernels (per call)';

function rng32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const randF32 = (rng, n, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rng());

/** rows×cols CSR, row lengths uniform in [per−20, per+20], sorted unique columns. */
function randomCsr(rng, rows, cols, per) {
  const indptr = new Int32Array(rows + 1);
  const idx = [];
  const seen = new Uint8Array(cols);
  for (let r = 0; r < rows; r++) {
    const m = per - 20 + Math.floor(rng() * 41);
    const row = [];
    while (row.length < m) {
      const c = Math.floor(rng() * cols);
      if (!seen[c]) (seen[c] = 1), row.push(c);
    }
    row.sort((a, b) => a - b);
    for (const c of row) (seen[c] = 0), idx.push(c);
    indptr[r + 1] = idx.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(idx), data: randF32(rng, idx.length, 0.1, 1) };
}

/** k×k SPD: BᵀB/m + I for B (2k×k) random. */
function randomSpd(rng, k) {
  const m = 2 * k;
  const B = randF32(rng, m * k);
  const A = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += B[i * k + a] * B[i * k + b];
      A[a * k + b] = A[b * k + a] = s / m + (a === b ? 1 : 0);
    }
  return A;
}

const sum = (a) => a.reduce((s, x) => s + x, 0);

export function cases({ quick }) {
  const rng = rng32(20240601);
  const S = quick ? randomCsr(rng, 5000, 2000, 50) : randomCsr(rng, 20000, 5000, 50);
  const X32 = randF32(rng, S.cols);
  const T32 = randF32(rng, S.rows);
  const CK = 64;
  const CN = quick ? 500 : 2000;
  const CHOL_A = Array.from({ length: 8 }, () => randomSpd(rng, CK));
  const CHOL_B = randF32(rng, CK * 8);
  const GN = quick ? 5000 : 20000;
  const GK = 64;
  const GX = randF32(rng, GN * GK);
  const TN = 17632;
  const TK = 10;
  const TS = randF32(rng, TN);
  const TEX = Int32Array.from([...new Set(Array.from({ length: 60 }, () => Math.floor(rng() * TN)))].sort((a, b) => a - b));
  const upload = (heap) => ({ ip: heap.copyIn(S.indptr), ix: heap.copyIn(S.indices), d: heap.copyIn(S.data) });
  const nnz = `${S.rows}×${S.cols}, ${S.indices.length} nnz`;
  const out = [];
  for (const kind of ['f32', 'f64']) {
    const T = kind === 'f32' ? Float32Array : Float64Array;
    const K = kind.toUpperCase();
    out.push({
      id: `kernels/spmv-${kind}`,
      label: `SpMV y = A·x (${kind})`,
      dataset: nnz,
      per: 10,
      setup({ backend: { heap, k } }) {
        const { ip, ix, d } = upload(heap);
        const x = heap.copyIn(T.from(X32));
        const y = heap.allocArray(kind, S.rows);
        const f = k[`csrMv${K}`];
        return { run: () => { for (let r = 0; r < 10; r++) f(ip.ptr, ix.ptr, d.ptr, x.ptr, y.ptr, 0, S.rows); }, check: () => ({ sum: sum(y.view) }), dispose: () => [ip, ix, d, x, y].forEach((a) => a.free()) };
      },
    });
    out.push({
      id: `kernels/spmtv-${kind}`,
      label: `SpMV y = Aᵀ·x (${kind}, scatter)`,
      dataset: nnz,
      per: 10,
      setup({ backend: { heap, k } }) {
        const { ip, ix, d } = upload(heap);
        const x = heap.copyIn(T.from(T32));
        const y = heap.allocArray(kind, S.cols);
        const f = k[`csrMtv${K}`];
        return {
          run: () => { for (let r = 0; r < 10; r++) { y.view.fill(0); f(ip.ptr, ix.ptr, d.ptr, x.ptr, y.ptr, 0, S.rows); } },
          check: () => ({ sum: sum(y.view) }),
          dispose: () => [ip, ix, d, x, y].forEach((a) => a.free()),
        };
      },
    });
  }
  for (const kind of ['f32', 'f64']) {
    const T = kind === 'f32' ? Float32Array : Float64Array;
    out.push({
      id: `kernels/cholesky-${kind}`,
      label: `Cholesky factor + solve k=${CK} (${kind})`,
      dataset: `${CN} systems`,
      per: CN,
      setup({ backend: { heap, k } }) {
        const bytes = CK * CK * T.BYTES_PER_ELEMENT;
        const bBytes = CK * T.BYTES_PER_ELEMENT;
        const pool = heap.copyIn(T.from(CHOL_A.flatMap((a) => Array.from(a))));
        const rhs = heap.copyIn(T.from(CHOL_B));
        const work = heap.allocArray(kind, CK * CK);
        const b = heap.allocArray(kind, CK);
        const factor = kind === 'f32' ? k.choleskyF32 : k.choleskyF64;
        const solve = kind === 'f32' ? k.choleskySolveF32 : k.choleskySolveF64;
        return {
          run: () => {
            const u8 = heap.views.u8; // no allocation in the loop, so the view stays valid
            for (let s = 0; s < CN; s++) {
              const p = s % 8;
              u8.copyWithin(work.ptr, pool.ptr + p * bytes, pool.ptr + (p + 1) * bytes);
              u8.copyWithin(b.ptr, rhs.ptr + p * bBytes, rhs.ptr + (p + 1) * bBytes);
              if (factor(work.ptr, CK) !== -1) throw new Error('benchmark matrix not SPD');
              solve(work.ptr, CK, b.ptr);
            }
          },
          check: () => ({ sum: sum(b.view) }),
          dispose: () => [pool, rhs, work, b].forEach((a) => a.free()),
        };
      },
    });
  }
  out.push({
    id: 'kernels/gram-f32',
    label: `Gram YᵀY, k=${GK} (f32)`,
    dataset: `${GN}×${GK}`,
    setup({ backend: { heap, k } }) {
      const X = heap.copyIn(GX);
      const G = heap.allocArray('f32', GK * GK);
      return { run: () => k.gramF32(X.ptr, GN, GK, G.ptr), check: () => ({ sum: sum(G.view) }), dispose: () => [X, G].forEach((a) => a.free()) };
    },
  });
  out.push({
    id: 'kernels/topk-f32',
    label: `top-k selection, k=${TK}, ${TEX.length} excluded`,
    dataset: `${TN} scores`,
    per: 200,
    setup({ backend: { heap, k } }) {
      const s = heap.copyIn(TS);
      const ex = heap.copyIn(TEX);
      const oi = heap.allocArray('i32', TK);
      const os = heap.allocArray('f32', TK);
      return {
        run: () => { for (let r = 0; r < 200; r++) k.topkF32(s.ptr, TN, TK, ex.ptr, TEX.length, oi.ptr, os.ptr); },
        check: () => ({ sum: sum(oi.view) }),
        dispose: () => [s, ex, oi, os].forEach((a) => a.free()),
      };
    },
  });
  return out;
}
