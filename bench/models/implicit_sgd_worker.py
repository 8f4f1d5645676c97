"""implicit 0.7.3's BPR and LMF as a server for bench/models/sgd.mjs (same run, interleaved with lowrank).

One JSON command per line on stdin, one JSON answer per line on stdout:
  {"cmd": "split", "set": str, "seed": int, "data": str, "out": str}
      Loads the set from ../shared/data (ml100k, ml100k-binary, lastfm-binary, gowalla), splits it with
      implicit's train_test_split(m, 0.8, random_state=seed) and writes <out>/<set>.<seed>.{train,test}.csr
      (bench/quality's format). Answers {"shape": [users, items], "nnz": int}.
  {"cmd": "fit", "model": "bpr"|"lmf", "set": str, "seed": int, "threads": int, "params": {...}, "dir": str}
      Fits implicit's BayesianPersonalizedRanking / LogisticMatrixFactorization (implicit's own defaults
      for whatever params leaves out; random_state = seed) on the exported train split, timed around
      fit() alone. Answers {"seconds": float, "cpu": float, "precision": float}: wall and CPU seconds
      (all threads) of the fit, precision@10 by implicit's definition on the test split, train items filtered
      — or precision null with "evaluate": false (then only <set>.<seed>.train.csr need exist: bench/run.mjs
      writes its generated matrices so).
Run with PYTHONPATH=<built implicit>/src OPENBLAS_NUM_THREADS=1.
"""
import os
import sys
import time

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'quality'))
from implicit_split import load_lastfm, load_ml100k, matrix, read_csr, write_csr  # noqa: E402

import implicit  # noqa: E402
from implicit.cpu.bpr import BayesianPersonalizedRanking  # noqa: E402
from implicit.cpu.lmf import LogisticMatrixFactorization  # noqa: E402
from implicit.evaluation import precision_at_k, train_test_split  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from worker_loop import serve  # noqa: E402


def load_gowalla(root):
    """One user per line: `user item item ...`; ids compacted in order of first appearance, values 1."""
    us, its = [], []
    with open(os.path.join(root, 'gowalla-lists', 'gowalla.txt')) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            u = int(parts[0])
            for it in parts[1:]:
                us.append(u)
                its.append(int(it))
    u = np.array(us, dtype=np.int64)
    i = np.array(its, dtype=np.int64)
    return u, i, np.ones(len(u), dtype=np.float32)


def load_set(root, name):
    if name.startswith('ml100k'):
        m = matrix(*load_ml100k(root))
    elif name.startswith('lastfm'):
        m = matrix(*load_lastfm(root))
    elif name == 'gowalla':
        m = matrix(*load_gowalla(root))
    else:
        raise ValueError('unknown set ' + name)
    if name.endswith('-binary'):
        m.data[:] = 1
    return m


def split(c):
    m = load_set(c['data'], c['set'])
    train, test = train_test_split(m, 0.8, random_state=c['seed'])
    base = os.path.join(c['out'], '%s.%d' % (c['set'], c['seed']))
    write_csr(base + '.train.csr', train)
    write_csr(base + '.test.csr', test)
    return {'shape': list(m.shape), 'nnz': int(m.nnz)}


cache = {}


def fit(c):
    base = os.path.join(c['dir'], '%s.%d' % (c['set'], c['seed']))
    evaluate = c.get('evaluate', True)
    key = (base, evaluate)
    if key not in cache:
        cache.clear()
        test = read_csr(base + '.test.csr').tocsr().copy() if evaluate else None
        cache[key] = (read_csr(base + '.train.csr').tocsr().copy(), test)
    train, test = cache[key]
    cls = BayesianPersonalizedRanking if c['model'] == 'bpr' else LogisticMatrixFactorization
    model = cls(num_threads=c['threads'], random_state=c['seed'], **c.get('params', {}))
    t0, c0 = time.perf_counter(), time.process_time()
    model.fit(train, show_progress=False)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    if not evaluate:
        return {'seconds': seconds, 'cpu': cpu, 'precision': None}
    p = precision_at_k(model, train, test, K=10, show_progress=False, num_threads=1)
    return {'seconds': seconds, 'cpu': cpu, 'precision': float(p)}


def main():
    serve({'split': split, 'fit': fit}, {'version': implicit.__version__})

if __name__ == '__main__':
    main()
