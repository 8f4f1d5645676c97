// Shared by the quality scripts: the .csr split files written by implicit_split.py, and evaluation of a
// lowrank model on them with the implicit-compatible ranking metrics (src/eval/ranking.ts).
import { readFileSync, writeFileSync } from 'node:fs';

/** Read a .csr file (int32 rows, cols, nnz; int32 indptr; int32 indices; float32 data; little-endian). */
export function readCsr(lib, path) {
  const buf = readFileSync(path);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const [rows, cols, nnz] = new Int32Array(ab, 0, 3);
  let o = 12;
  const indptr = new Int32Array(ab.slice(o, (o += 4 * (rows + 1))));
  const indices = new Int32Array(ab.slice(o, (o += 4 * nnz)));
  const data = new Float32Array(ab.slice(o, (o += 4 * nnz)));
  return new lib.SparseMatrix(indptr, indices, data, [rows, cols]);
}

/** Write a SparseMatrix as a .csr file. */
export function writeCsr(path, m) {
  const head = Int32Array.of(m.rows, m.cols, m.nnz);
  const parts = [head, m.indptr, m.indices, m.data].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  writeFileSync(path, Buffer.concat(parts));
}

/** Fit `make()` on train, return precision@10, ndcg@10 and the fit time. */
export async function evaluate(lib, make, train, test, fitOptions) {
  const model = make();
  const t0 = performance.now();
  await model.fit(train, fitOptions);
  const fitSeconds = (performance.now() - t0) / 1000;
  const m = lib.rankingMetrics(model, train, test, { k: 10 });
  model.dispose();
  return { precision: m.precision, ndcg: m.ndcg, fitSeconds };
}
