"""Quality anchor of the item-item models: implicit 0.7.3's CosineRecommender, TFIDFRecommender,
BM25Recommender (K=20, K1=1.2, B=0.75) and AlternatingLeastSquares (its defaults), on implicit's own
train_test_split(0.8, random_state=seed), and the exact splits exported for lowrank
(bench/models/item-quality.mjs evaluates ItemKNN and EASE on them).

  PYTHONPATH=<implicit build>/src OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/models/item_quality.py \
      --data ../shared/data --out build/item-quality --seeds 42

Sets: ml100k (ratings), ml100k-binary, lastfm-binary, gowalla (binary lists), ids numbered in order of
first appearance (as bench/models/data.mjs); --extra adds .csr files (generated stand-ins from
bench/quality/standin.mjs), each as given and binarized. Writes <out>/<set>.<seed>.{train,test}.csr (int32 rows,
cols, nnz; int32 indptr; int32 indices; float32 data) and <out>/implicit.json: precision@10 (implicit's
definition) and fit seconds per (set, seed, model).
"""
import argparse
import json
import os
import sys
import time
import warnings

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'quality'))
from implicit_split import matrix  # noqa: E402  (ids compacted in order of first appearance)


def binary(m):
    b = m.copy()
    b.data[:] = 1
    return b


def read_csr(path):
    with open(path, 'rb') as f:
        rows, cols, nnz = np.frombuffer(f.read(12), '<i4')
        indptr = np.frombuffer(f.read(4 * (rows + 1)), '<i4')
        indices = np.frombuffer(f.read(4 * nnz), '<i4')
        data = np.frombuffer(f.read(4 * nnz), '<f4')
    return sp.csr_matrix((data, indices, indptr), shape=(rows, cols))


def sets(root, extra):
    out = {}
    for p in extra:
        name = os.path.basename(p).removesuffix('.csr')
        out[name] = read_csr(p)
        out[name + '-binary'] = binary(out[name])
    p = os.path.join(root, 'ml-100k', 'u.data')
    if os.path.exists(p):
        a = np.loadtxt(p, dtype=np.int64)
        out['ml100k'] = matrix(a[:, 0], a[:, 1], a[:, 2].astype(np.float32))
        out['ml100k-binary'] = binary(out['ml100k'])
    p = os.path.join(root, 'lastfm-2k', 'user_artists.dat')
    if os.path.exists(p):
        a = np.loadtxt(p, dtype=np.int64, skiprows=1)
        out['lastfm-binary'] = binary(matrix(a[:, 0], a[:, 1], a[:, 2].astype(np.float32)))
    p = os.path.join(root, 'gowalla-lists', 'gowalla.txt')
    if os.path.exists(p):
        rows, cols, ids = [], [], {}
        u = 0
        for line in open(p):
            f = line.split()
            if len(f) < 2:
                continue
            for t in f[1:]:
                rows.append(u)
                cols.append(ids.setdefault(t, len(ids)))
            u += 1
        m = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(u, len(ids)))
        m.sum_duplicates()
        out['gowalla'] = binary(m)
    return out


def write_csr(path, m):
    m = sp.csr_matrix(m)
    m.sort_indices()
    with open(path, 'wb') as f:
        f.write(np.array([m.shape[0], m.shape[1], m.nnz], '<i4').tobytes())
        f.write(m.indptr.astype('<i4').tobytes())
        f.write(m.indices.astype('<i4').tobytes())
        f.write(m.data.astype('<f4').tobytes())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default='../shared/data')
    ap.add_argument('--out', default='build/item-quality')
    ap.add_argument('--seeds', default='42')
    ap.add_argument('--only', default='')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--extra', default='', help='comma-separated .csr files (generated sets; each also binarized)')
    ap.add_argument('--models', default='cosine,tfidf,bm25,als')
    a = ap.parse_args()
    warnings.simplefilter('ignore')
    import implicit
    from implicit.als import AlternatingLeastSquares
    from implicit.evaluation import precision_at_k, train_test_split
    from implicit.nearest_neighbours import BM25Recommender, CosineRecommender, TFIDFRecommender
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, 'implicit.json')
    results = json.load(open(path)) if os.path.exists(path) else {}
    only = [s for s in a.only.split(',') if s]
    models = {
        'cosine': lambda s: CosineRecommender(K=20, num_threads=a.threads),
        'tfidf': lambda s: TFIDFRecommender(K=20, num_threads=a.threads),
        'bm25': lambda s: BM25Recommender(K=20, K1=1.2, B=0.75, num_threads=a.threads),
        'als': lambda s: AlternatingLeastSquares(num_threads=a.threads, random_state=s),
    }
    wanted = a.models.split(',')
    models = {k: v for k, v in models.items() if k in wanted}
    for name, m in sets(a.data, [p for p in a.extra.split(',') if p]).items():
        if only and name not in only:
            continue
        for seed in [int(s) for s in a.seeds.split(',')]:
            train, test = train_test_split(m, 0.8, random_state=seed)
            write_csr(os.path.join(a.out, f'{name}.{seed}.train.csr'), train)
            write_csr(os.path.join(a.out, f'{name}.{seed}.test.csr'), test)
            r = results.setdefault(f'{name}.{seed}', {'shape': list(m.shape), 'nnz': int(m.nnz)})
            for key, make in models.items():
                model = make(seed)
                t0 = time.perf_counter()
                model.fit(train, show_progress=False)
                secs = time.perf_counter() - t0
                p = precision_at_k(model, train, test, K=10, show_progress=False, num_threads=1)
                r[key] = {'precision@10': p, 'fitSeconds': secs}
                print(f'{name:14s} seed {seed:3d} {key:7s} precision@10 {p:.4f}  fit {secs:.2f} s', flush=True)
    json.dump({**results, '_implicit': implicit.__version__}, open(path, 'w'), indent=1)


if __name__ == '__main__':
    main()
