"""Fixtures for ItemKNN's tests: implicit 0.7.3's item-item recommenders on small seeded matrices.

  PYTHONPATH=/work/main/.anchors/implicit/src OPENBLAS_NUM_THREADS=1 /usr/bin/python3 \
      bench/models/implicit_knn_fixtures.py test/fixtures/item-knn/implicit-knn.json

For each matrix (float32 users x items, CSR with sorted indices): implicit's weighted matrix per weighting
(the `weighted` its fit passes to all_pairs_knn), its `similarity` (CSR, explicit zeros dropped) for
K = 5 and 20, and its recommend() for every user (N = 10, filter_already_liked_items) - the data
test/models/item-knn/implicit.test.ts compares lowrank's ItemKNN with (CI has no implicit).
"""
import json
import sys
import warnings

import numpy as np
import scipy.sparse as sp

import implicit
from implicit.nearest_neighbours import (BM25Recommender, CosineRecommender, ItemItemRecommender,
                                         TFIDFRecommender, bm25_weight, normalize, tfidf_weight)


def matrix(seed, users, items, density, values):
    rng = np.random.default_rng(seed)
    mask = rng.random((users, items)) < density
    mask[:, -1] = False  # an item nobody has
    mask[3, :] = False   # a user with nothing
    if values == 'binary':
        data = np.ones(mask.sum())
    elif values == 'ratings':
        data = rng.integers(1, 6, mask.sum())
    else:
        data = rng.integers(1, 40, mask.sum()) ** 2  # skewed counts
    r, c = np.nonzero(mask)
    m = sp.csr_matrix((data.astype(np.float32), (r, c)), shape=(users, items), dtype=np.float32)
    m.sort_indices()
    return m


def csr(m):
    m = sp.csr_matrix(m)
    m.eliminate_zeros()
    m.sort_indices()
    return {'indptr': m.indptr.tolist(), 'indices': m.indices.tolist(), 'data': m.data.tolist()}


def weighted(name, counts):
    if name == 'cosine':
        w = normalize(counts.T).T
    elif name == 'tfidf':
        w = normalize(tfidf_weight(counts.T)).T
    elif name == 'bm25':
        w = bm25_weight(counts.T, 1.2, 0.75).T
    else:
        w = counts.astype(np.float64)
    w = sp.csr_matrix(w)
    w.sort_indices()
    return w.data.tolist()


def model(name, K):
    if name == 'cosine':
        return CosineRecommender(K=K, num_threads=1)
    if name == 'tfidf':
        return TFIDFRecommender(K=K, num_threads=1)
    if name == 'bm25':
        return BM25Recommender(K=K, K1=1.2, B=0.75, num_threads=1)
    return ItemItemRecommender(K=K, num_threads=1)


def main():
    warnings.simplefilter('ignore')  # implicit's 'expects CSR input' for the coo its own fit builds
    out = {'implicit': implicit.__version__, 'sets': []}
    for seed, users, items, density, values in [(1, 30, 25, 0.2, 'binary'), (2, 40, 30, 0.15, 'ratings'),
                                                 (3, 50, 60, 0.1, 'counts'), (4, 25, 12, 0.5, 'binary')]:
        m = matrix(seed, users, items, density, values)
        s = {'name': f'{values}-{users}x{items}-seed{seed}', 'rows': users, 'cols': items, 'matrix': csr(m),
             'weights': {}, 'models': []}
        for name in ['cosine', 'tfidf', 'bm25', 'none']:
            s['weights'][name] = weighted(name, m)
            for K in [5, 20]:
                mdl = model(name, K)
                fit_input = m.astype(np.float64) if name == 'none' else m
                mdl.fit(fit_input, show_progress=False)
                ids, scores = mdl.recommend(np.arange(users), m, N=10, filter_already_liked_items=True)
                s['models'].append({'weighting': name, 'K': K, 'similarity': csr(mdl.similarity),
                                    'recommend': {'ids': ids.tolist(), 'scores': scores.tolist()}})
        out['sets'].append(s)
    with open(sys.argv[1], 'w') as f:
        json.dump(out, f)


if __name__ == '__main__':
    main()
