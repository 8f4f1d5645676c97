// Kernels: the WASM SIMD kernels against their JS twins on identical seeded inputs (SpMV, the ALS Gram,
// top-k selection), called directly with heap offsets. Times are per kernel call.
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

const sum = (a) => a.reduce((s, x) => s + x, 0);

export function cases({ quick }) {
  const rng = rng32(20240601);
  const S = quick ? randomCsr(rng, 5000, 2000, 50) : randomCsr(rng, 20000, 5000, 50);
  const X32 = randF32(rng, S.cols);
  const GN = quick ? 5000 : 20000;
  const GK = 64;
  const GX = randF32(rng, GN * GK);
  const TN = 17632;
  const TK = 10;
  const TS = randF32(rng, TN);
  const TEX = Int32Array.from(
    [...new Set(Array.from({ length: 60 }, () => Math.floor(rng() * TN)))].sort((a, b) => a - b),
  );
  const upload = (heap) => ({ ip: heap.copyIn(S.indptr), ix: heap.copyIn(S.indices), d: heap.copyIn(S.data) });
  const nnz = `${S.rows}×${S.cols}, ${S.indices.length} nnz`;
  const out = [];
  out.push({
    id: 'kernels/spmv-f64',
    label: 'SpMV y = A·x (f64)',
    dataset: nnz,
    per: 10,
    setup({ backend: { heap, k } }) {
      const { ip, ix, d } = upload(heap);
      const x = heap.copyIn(Float64Array.from(X32));
      const y = heap.allocArray('f64', S.rows);
      return {
        run: () => {
          for (let r = 0; r < 10; r++) k.csrMvF64(ip.ptr, ix.ptr, d.ptr, x.ptr, y.ptr, 0, S.rows);
        },
        check: () => ({ sum: sum(y.view) }),
        dispose: () => [ip, ix, d, x, y].forEach((a) => a.free()),
      };
    },
  });
  out.push({
    id: 'kernels/als-gram',
    label: `Gram YᵀY + λI, k=${GK} (alsGramBlocks + alsGramReduce, f64 accumulation)`,
    dataset: `${GN}×${GK}`,
    setup({ backend: { heap, k } }) {
      const kp = GK;
      const Y = heap.copyIn(GX);
      const G64 = heap.allocArray('f64', kp * kp);
      const G32 = heap.allocArray('f32', kp * kp);
      const scratch = heap.allocArray('f64', 32 * kp);
      // Blocks as the fits lay them out (≥ 256 rows, ≤ 32 blocks), on one thread.
      const blockRows = Math.max(256, Math.ceil(GN / 32));
      const nb = Math.ceil(GN / blockRows);
      const P = heap.allocArray('f64', nb * kp * kp);
      const run = () => {
        k.alsGramBlocks(Y.ptr, GN, GK, GK, blockRows, P.ptr, 0, nb, scratch.ptr);
        k.alsGramReduce(GK, 0.1, nb, P.ptr, G64.ptr, G32.ptr);
      };
      return {
        run,
        check: () => ({ sum: sum(G64.view) }),
        dispose: () => [Y, G64, G32, scratch, P].forEach((a) => a.free()),
      };
    },
  });
  out.push({
    id: 'kernels/topk-f32',
    label: `top-k selection (scoreTopkF32, dim 1), k=${TK}, ${TEX.length} excluded`,
    dataset: `${TN} scores`,
    per: 200,
    setup({ backend: { heap, k } }) {
      const x = heap.copyIn(Float32Array.of(1));
      const s = heap.copyIn(TS);
      const ex = heap.copyIn(TEX);
      const scratch = heap.allocArray('f32', TN);
      const oi = heap.allocArray('i32', TK);
      const os = heap.allocArray('f32', TK);
      return {
        run: () => {
          for (let r = 0; r < 200; r++)
            k.scoreTopkF32(
              x.ptr,
              0,
              1,
              s.ptr,
              0,
              TN,
              1,
              TK,
              0,
              0,
              ex.ptr,
              TEX.length,
              scratch.ptr,
              1,
              oi.ptr,
              os.ptr,
              0,
            );
        },
        check: () => ({ sum: sum(oi.view) }),
        dispose: () => [x, s, ex, scratch, oi, os].forEach((a) => a.free()),
      };
    },
  });
  return out;
}
