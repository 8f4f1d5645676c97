"""The anchors of ItemKNN and EASE, as a server for bench/models/item-models.mjs (same run, interleaved):
implicit 0.7.3's CosineRecommender / TFIDFRecommender / BM25Recommender / ItemItemRecommender, and
numpy's closed form of EASE as Steck (2019) published it.

One JSON command per line on stdin, one JSON line back on stdout:
  {"cmd": "load", "name", "dir", "rows", "cols"}    indptr.i32, indices.i32, data.f32 in dir (users x items)
  {"cmd": "knn", "name", "weighting", "K", "threads", "dump": dir|null}
      fit implicit's recommender for `weighting` (K1=1.2, B=0.75); answers {"seconds", "cpu"} (wall and
      process CPU time); with dump, writes its
      similarity (sim.indptr.i32, sim.indices.i32, sim.data.f64) and recommend(all users, N=10,
      filter_already_liked_items) (rec.ids.i32, rec.scores.f64) into dir.
  {"cmd": "ease", "name", "lambda", "items": [..]|null, "dump": dir|null}
      numpy's closed form on the matrix (restricted to the columns `items`): G = XᵀX (scipy sparse, to
      dense), G += λI, P = inv(G), B = P / (−diag P), diag B = 0, in float64. Answers {"seconds", "cpu"}; dump
      writes B (B.f32, row-major).
Run with PYTHONPATH=<built implicit>/src OPENBLAS_NUM_THREADS=1 (one BLAS thread for numpy's closed form).
"""
import os
import sys
import time
import warnings

import numpy as np
import scipy.sparse as sp

import implicit
from implicit.nearest_neighbours import BM25Recommender, CosineRecommender, ItemItemRecommender, TFIDFRecommender

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from worker_loop import read_csr_dir, serve  # noqa: E402

mats = {}


def load(c):
    mats[c["name"]] = read_csr_dir(c["dir"], c["rows"], c["cols"])
    return {"nnz": int(mats[c["name"]].nnz)}


def knn(c):
    m = mats[c["name"]]
    w, K, t = c["weighting"], c["K"], c.get("threads", 0)
    if w == "cosine":
        model = CosineRecommender(K=K, num_threads=t)
    elif w == "tfidf":
        model = TFIDFRecommender(K=K, num_threads=t)
    elif w == "bm25":
        model = BM25Recommender(K=K, K1=1.2, B=0.75, num_threads=t)
    else:
        model = ItemItemRecommender(K=K, num_threads=t)
    x = m.astype(np.float64) if w == "none" else m
    t0 = time.perf_counter()
    c0 = time.process_time()
    model.fit(x, show_progress=False)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    d = c.get("dump")
    if d:
        s = model.similarity.tocsr()
        s.eliminate_zeros()
        s.sort_indices()
        s.indptr.astype("<i4").tofile(os.path.join(d, "sim.indptr.i32"))
        s.indices.astype("<i4").tofile(os.path.join(d, "sim.indices.i32"))
        s.data.astype("<f8").tofile(os.path.join(d, "sim.data.f64"))
        ids, scores = model.recommend(np.arange(m.shape[0]), m, N=10, filter_already_liked_items=True)
        ids.astype("<i4").tofile(os.path.join(d, "rec.ids.i32"))
        scores.astype("<f8").tofile(os.path.join(d, "rec.scores.f64"))
    return {"seconds": seconds, "cpu": cpu}


def ease(c):
    m = mats[c["name"]]
    if c.get("items") is not None:
        m = m[:, np.asarray(c["items"], dtype=np.int64)]
    lam = float(c["lambda"])
    t0 = time.perf_counter()
    c0 = time.process_time()
    X = m.astype(np.float64)
    G = X.T.dot(X).toarray()
    diag = np.diag_indices(G.shape[0])
    G[diag] += lam
    P = np.linalg.inv(G)
    B = P / (-np.diag(P))
    B[diag] = 0
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    d = c.get("dump")
    if d:
        B.astype("<f4").tofile(os.path.join(d, "B.f32"))
    return {"seconds": seconds, "cpu": cpu}


def main():
    warnings.simplefilter("ignore")  # implicit's "expects CSR input" for the coo matrices its own fit builds
    serve({"load": load, "knn": knn, "ease": ease}, {"version": implicit.__version__, "numpy": np.__version__})

if __name__ == "__main__":
    main()
