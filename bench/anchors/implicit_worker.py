"""benfred/implicit's ALS as a timing server for bench/lib/anchor.mjs (same run, interleaved with lowrank).

Reads one JSON command per line on stdin, answers one JSON line on stdout:
  {"cmd": "load", "name": str, "dir": str, "rows": int, "cols": int}
      indptr.i32, indices.i32, data.f32 (raw little-endian) in dir: the users x items CONFIDENCE matrix,
      already 1 + alpha*r as lowrank computes it (implicit takes the confidence itself; alpha stays 1.0).
  {"cmd": "fit", "name": str, "factors": int, "regularization": float, "iterations": int,
   "use_cg": bool|null, "cg_steps": int|null, "threads": int, "seed": int}
      null keeps implicit's own default. Answers {"seconds": [per iteration], "loss": float}: the time of
      each iteration as implicit's fit callback reports it (both half-steps including YtY), and the
      training loss after the fit (a same-work check against lowrank's).
  {"cmd": "fitq", ... as fit, "test": name of a loaded matrix, "k": 10, "alpha": float|null}
      the same fit (the loaded matrix as implicit's input, its own alpha scaling it), measuring precision@k on
      the users with entries in "test" after every iteration, in the fit callback (outside implicit's
      per-iteration time): train items filtered, hits over min(k, |test items|) summed over the users
      (implicit's precision_at_k, lowrank's rankingMetrics precision). Answers {"seconds": [...], "precision": [...]}.
Run with PYTHONPATH=<built implicit>/src OPENBLAS_NUM_THREADS=1 (so that threads are implicit's own).
"""
import os
import sys

import numpy as np
import scipy.sparse as sp

import implicit
from implicit.cpu import _als
from implicit.cpu.als import AlternatingLeastSquares

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from worker_loop import read_csr_dir, serve  # noqa: E402

mats = {}


def load(c):
    mats[c["name"]] = read_csr_dir(c["dir"], c["rows"], c["cols"])
    return {"nnz": int(mats[c["name"]].nnz)}


def fit(c):
    m = mats[c["name"]]
    kw = {}
    for key in ("factors", "regularization", "iterations"):
        if c.get(key) is not None:
            kw[key] = c[key]
    if c.get("use_cg") is not None:
        kw["use_cg"] = bool(c["use_cg"])
    model = AlternatingLeastSquares(num_threads=c.get("threads", 0), random_state=c.get("seed", 1), **kw)
    if c.get("cg_steps") is not None:
        model.cg_steps = c["cg_steps"]
    seconds = []
    model.fit(m, show_progress=False, callback=lambda it, elapsed, loss: seconds.append(elapsed))
    loss = _als.calculate_loss(m, model.user_factors, model.item_factors, model.regularization, num_threads=0)
    return {"seconds": seconds, "loss": float(loss), "factors": int(model.user_factors.shape[1])}


def precision_at(user_factors, item_factors, train, test, k):
    users = np.flatnonzero(np.diff(test.indptr))
    hits = 0.0
    possible = 0.0
    for b in range(0, len(users), 500):
        batch = users[b:b + 500]
        scores = user_factors[batch] @ item_factors.T
        for j, u in enumerate(batch):
            row = scores[j]
            row[train.indices[train.indptr[u]:train.indptr[u + 1]]] = -np.inf
            top = np.argpartition(-row, k)[:k]
            top = top[np.isfinite(row[top])]
            t = test.indices[test.indptr[u]:test.indptr[u + 1]]
            hits += np.isin(top, t).sum()
            possible += min(k, len(t))
    return hits / possible


def fitq(c):
    m = mats[c["name"]]
    test = mats[c["test"]]
    kw = {}
    for key in ("factors", "regularization", "iterations", "alpha"):
        if c.get(key) is not None:
            kw[key] = c[key]
    if c.get("use_cg") is not None:
        kw["use_cg"] = bool(c["use_cg"])
    model = AlternatingLeastSquares(num_threads=c.get("threads", 0), random_state=c.get("seed", 1), **kw)
    if c.get("cg_steps") is not None:
        model.cg_steps = c["cg_steps"]
    seconds = []
    precision = []

    def callback(it, elapsed, loss):
        seconds.append(elapsed)
        precision.append(float(precision_at(model.user_factors, model.item_factors, m, test, c.get("k", 10))))

    model.fit(m, show_progress=False, callback=callback)
    return {"seconds": seconds, "precision": precision}


def main():
    serve({"load": load, "fit": fit, "fitq": fitq}, {"version": implicit.__version__})

if __name__ == "__main__":
    main()
